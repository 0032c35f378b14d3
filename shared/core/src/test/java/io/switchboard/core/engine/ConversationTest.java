package io.switchboard.core.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.switchboard.core.engine.EngineFixture.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The full conversation of protocol.md §9 (API key, Amplify style), frame by frame through the engine. */
class ConversationTest {

    /** §9's upgrade header: {"host":"abc.appsync-api.us-east-1.amazonaws.com","x-api-key":"da2-xxx"}. */
    private static final String SUBPROTOCOLS = "aws-appsync-event-ws, header-eyJob3N0IjoiYWJjLmFwcHN5bmMtYXBpLnVzLWVhc3Qt"
        + "MS5hbWF6b25hd3MuY29tIiwieC1hcGkta2V5IjoiZGEyLXh4eCJ9";

    private final EngineFixture f = new EngineFixture();
    private final Engine engine = f.engine;

    private MessageResult send(String connectionId, ConnectionAuth auth, String frame) {
        MessageResult result = engine.message(connectionId, frame, auth);
        assertFalse(result.close(), () -> "closed after " + frame);
        return result;
    }

    /** A copy of a frame with every {@code successful[].identifier} replaced by a placeholder, after checking it. */
    private static JsonNode withoutIdentifiers(JsonNode frame) {
        JsonNode copy = frame.deepCopy();
        for (JsonNode item : copy.path("successful")) {
            String identifier = item.path("identifier").asText();
            assertEquals(identifier, UUID.fromString(identifier).toString(), "identifier is a UUID");
            ((ObjectNode) item).put("identifier", "<uuid>");
        }
        return copy;
    }

    @Test
    void conversation_protocolSection9_isReproducedFrameByFrame() {
        // C→S upgrade with the header- subprotocol; S→C 101 selecting aws-appsync-event-ws
        Map<String, String> upgrade = Map.of(
            "Host", "abc.appsync-realtime-api.us-east-1.amazonaws.com",
            "Sec-WebSocket-Protocol", SUBPROTOCOLS);
        ConnectionAuth auth = engine.authorizeConnect(upgrade);
        assertTrue(auth.authorized(), auth::toString);
        assertEquals(new ConnectResult(200, "aws-appsync-event-ws"), engine.connect("conn-1", 1_767_225_600_000L, auth, upgrade));

        // connection_init → connection_ack (+ the payload duplicate for Swift) and a first ka
        MessageResult init = send("conn-1", auth, "{\"type\":\"connection_init\"}");
        assertEquals(2, init.replies().size());
        assertEquals(json("{\"type\":\"connection_ack\",\"connectionTimeoutMs\":300000,"
            + "\"payload\":{\"connectionTimeoutMs\":300000}}"), json(init.replies().get(0)));
        assertEquals(json("{\"type\":\"ka\"}"), json(init.replies().get(1)));

        // subscribe /default/* → subscribe_success
        MessageResult subscribed = send("conn-1", auth, "{\"type\":\"subscribe\",\"id\":\"s1\",\"channel\":\"/default/*\","
            + "\"authorization\":{\"x-api-key\":\"da2-xxx\",\"host\":\"abc.appsync-api.us-east-1.amazonaws.com\"}}");
        assertEquals(List.of("{\"type\":\"subscribe_success\",\"id\":\"s1\"}"), subscribed.replies());
        assertTrue(f.sender.sent("conn-1").isEmpty(), "nothing pushed yet");

        // publish two events to /default/room/1 → publish_success with two identifiers, two data frames to s1
        MessageResult published = send("conn-1", auth, "{\"type\":\"publish\",\"id\":\"p1\",\"channel\":\"/default/room/1\","
            + "\"events\":[\"{\\\"text\\\":\\\"hi\\\"}\",\"42\"],\"authorization\":{\"x-api-key\":\"da2-xxx\"}}");
        assertEquals(1, published.replies().size());
        JsonNode success = json(published.replies().get(0));
        assertEquals(json("{\"type\":\"publish_success\",\"id\":\"p1\",\"successful\":[{\"identifier\":\"<uuid>\",\"index\":0},"
            + "{\"identifier\":\"<uuid>\",\"index\":1}],\"failed\":[]}"), withoutIdentifiers(success));
        assertNotEquals(success.path("successful").get(0).path("identifier"), success.path("successful").get(1).path("identifier"));
        assertEquals(List.of(
            "{\"type\":\"data\",\"id\":\"s1\",\"event\":\"{\\\"text\\\":\\\"hi\\\"}\"}",
            "{\"type\":\"data\",\"id\":\"s1\",\"event\":\"42\"}"), f.sender.drain("conn-1"));

        // unsubscribe → unsubscribe_success; later publishes no longer reach the socket
        MessageResult unsubscribed = send("conn-1", auth, "{\"type\":\"unsubscribe\",\"id\":\"s1\"}");
        assertEquals(List.of("{\"type\":\"unsubscribe_success\",\"id\":\"s1\"}"), unsubscribed.replies());
        send("conn-1", auth, "{\"type\":\"publish\",\"id\":\"p2\",\"channel\":\"/default/room/1\",\"events\":[\"1\"],"
            + "\"authorization\":{\"x-api-key\":\"da2-xxx\"}}");
        assertTrue(f.sender.sent("conn-1").isEmpty());
    }
}
