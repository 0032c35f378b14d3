package io.switchboard.example;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.core.auth.ApiKeyAuthProvider;
import io.switchboard.core.config.SwitchboardConfig;
import io.switchboard.core.engine.ConnectionAuth;
import io.switchboard.core.engine.Engine;
import io.switchboard.core.engine.HttpResult;
import io.switchboard.core.engine.MessageResult;
import io.switchboard.core.memory.InMemorySubscriptionStore;
import io.switchboard.core.memory.RecordingConnectionSender;
import io.switchboard.core.plugin.Plugins;
import io.switchboard.core.protocol.FrameCodec;
import io.switchboard.functions.SwitchboardRuntime;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The example app as deployed: the registry the processor generated for this module, found by {@code ServiceLoader}
 * and run by the engine the functions use, over the in-memory store.
 */
class ExampleAppTest {
    private static final String KEY = "da2-example-app-test";

    private final InMemorySubscriptionStore store = new InMemorySubscriptionStore();
    private final RecordingConnectionSender sender = new RecordingConnectionSender();
    private Engine engine;
    private ConnectionAuth connection;

    @BeforeEach
    void setUp() {
        // only "default" configured: "sample" and "chat" come from the annotated classes
        SwitchboardConfig config = SwitchboardConfig.from(Map.of("SWITCHBOARD_API_KEYS", ApiKeyAuthProvider.digestHex(KEY),
            "SWITCHBOARD_NAMESPACES", "default")::get);
        SwitchboardRuntime runtime = SwitchboardRuntime.of(config, store, sender);
        engine = runtime.engine();
        Map<String, String> upgrade = Map.of("Sec-WebSocket-Protocol", "aws-appsync-event-ws", "x-api-key", KEY);
        connection = engine.authorizeConnect(upgrade);
        engine.connect("c1", 0, connection, upgrade);
    }

    private JsonNode send(String frame) {
        MessageResult result = engine.message("c1", frame, connection);
        assertFalse(result.close());
        assertEquals(1, result.replies().size());
        return FrameCodec.parse(result.replies().get(0));
    }

    private JsonNode subscribe(String id, String channel, String userId) {
        return send("{\"type\":\"subscribe\",\"id\":\"" + id + "\",\"channel\":\"" + channel + "\",\"authorization\":"
            + "{\"x-api-key\":\"" + KEY + "\"" + (userId == null ? "" : ",\"x-user-id\":\"" + userId + "\"") + "}}");
    }

    private JsonNode publish(String id, String channel, String... events) {
        List<String> quoted = new ArrayList<>();
        for (String e : events) {
            quoted.add(FrameCodec.quote(e));
        }
        return send("{\"type\":\"publish\",\"id\":\"" + id + "\",\"channel\":\"" + channel + "\",\"events\":["
            + String.join(",", quoted) + "],\"authorization\":{\"x-api-key\":\"" + KEY + "\"}}");
    }

    private List<JsonNode> received() {
        List<JsonNode> events = new ArrayList<>();
        for (String frame : sender.drain("c1")) {
            events.add(FrameCodec.parse(FrameCodec.parse(frame).get("event").asText()));
        }
        return events;
    }

    @Test
    void generatedRegistry_isFound_withTheThreeNamespaces() {
        Plugins plugins = Plugins.shared();
        assertEquals(Set.of("default", "sample", "chat"), plugins.namespaces().keySet());
        assertTrue(plugins.authorizer().isEmpty());
    }

    @Test
    void sampleAndDefault_passThroughUnchanged() {
        assertEquals("subscribe_success", subscribe("s1", "/sample/channel/*", null).get("type").asText());
        assertEquals("publish_success", publish("p1", "/sample/channel/test", "{\"msg\" : \"hi\"}").get("type").asText());
        assertEquals(List.of("{\"type\":\"data\",\"id\":\"s1\",\"event\":\"{\\\"msg\\\" : \\\"hi\\\"}\"}"), sender.drain("c1"));
        HttpResult http = engine.publishHttp(Map.of("x-api-key", KEY), "{\"channel\":\"default/channel\",\"events\":[\"42\"]}");
        assertEquals(200, http.status());
    }

    @Test
    void chatRoom_moderatesAndStamps() {
        assertEquals("subscribe_success", subscribe("s1", "/chat/rooms/*", null).get("type").asText());
        JsonNode reply = publish("p1", "/chat/rooms/lobby", "{\"text\":\"hello\"}", "{\"text\":\"total scam\"}");
        assertEquals(1, reply.get("successful").size());
        assertEquals(0, reply.at("/successful/0/index").asInt());
        assertEquals(1, reply.at("/failed/0/index").asInt());
        assertEquals("message rejected by moderation", reply.at("/failed/0/message").asText());
        List<JsonNode> events = received();
        assertEquals(1, events.size());
        assertEquals("hello", events.get(0).get("text").asText());
        Instant.parse(events.get(0).get("serverTime").asText());
    }

    @Test
    void privateChannel_onlyItsOwner() {
        assertEquals("subscribe_success", subscribe("mine", "/chat/private/bob", "bob").get("type").asText());
        JsonNode denied = subscribe("theirs", "/chat/private/bob", "alice");
        assertEquals("subscribe_error", denied.get("type").asText());
        assertEquals("Unauthorized", denied.at("/errors/0/errorType").asText());
        assertEquals("private channel", denied.at("/errors/0/message").asText());
        assertEquals("Unauthorized", subscribe("all", "/chat/*", "bob").at("/errors/0/errorType").asText());

        publish("p1", "/chat/private/bob", "{\"text\":\"psst\"}");
        List<String> frames = sender.drain("c1");
        assertEquals(1, frames.size());
        assertEquals("mine", FrameCodec.parse(frames.get(0)).get("id").asText());
    }
}
