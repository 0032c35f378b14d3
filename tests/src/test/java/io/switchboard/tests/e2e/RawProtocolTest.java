package io.switchboard.tests.e2e;

import static io.switchboard.tests.support.Json.assertFrame;
import static io.switchboard.tests.e2e.Stack.API_KEY;
import static io.switchboard.tests.e2e.Stack.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.testing.RawWebSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import io.switchboard.tests.support.Json;
import io.switchboard.tests.support.WsClient;

/**
 * Every frame type and error case of the WebSocket protocol (protocol.md §2), and API Gateway's WebSocket limits
 * (apigateway-events.md §2), with {@code java.net.http.WebSocket} (and a frame-by-frame client where it cannot)
 * against the real gateway and functions, on each store. Frames are compared whole, as JSON trees.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(Store.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class RawProtocolTest {

    static final String ACK = "{\"type\":\"connection_ack\",\"connectionTimeoutMs\":300000,"
            + "\"payload\":{\"connectionTimeoutMs\":300000}}";
    static final Duration QUIET = Duration.ofMillis(300);

    @Parameter
    Store store;

    static Stack stack;

    @BeforeParameterizedClassInvocation
    static void start(Store store) {
        stack = Stack.start(store);
    }

    @AfterParameterizedClassInvocation
    static void stop() {
        Stack current = stack;
        stack = null;
        Stack.closeAll(current);
    }

    @AfterAll
    static void stopEverything() {
        stop();
    }

    // ------------------------------------------------------------------ handshake and connection_init

    @Test
    void connectionInit_isAnsweredWithAckCarryingTheTimeoutAtTopLevel_thenKa() {
        try (WsClient ws = stack.connect()) {
            assertEquals("aws-appsync-event-ws", ws.subprotocol());
            ws.send("{\"type\":\"connection_init\"}");
            JsonNode ack = ws.nextFrame();
            assertFrame(ACK, ack);
            assertEquals(300000, ack.get("connectionTimeoutMs").asInt(), "connectionTimeoutMs at the top level");
            assertFrame("{\"type\":\"ka\"}", ws.next());
            ws.assertNothingWithin(QUIET);
        }
    }

    @Test
    void upgrade_echoesOnlyTheAppSyncSubprotocol_whateverTheOrderAndTransport() throws IOException {
        String credentials = stack.headerProtocol(API_KEY);
        for (String offered : List.of("aws-appsync-event-ws, " + credentials, credentials + ", aws-appsync-event-ws",
                "aws-appsync-event-ws")) {
            Map<String, String> headers = offered.contains("header-") ? Map.of() : Map.of("x-api-key", API_KEY);
            try (RawWebSocket raw = openRaw(offered, headers)) {
                assertEquals(101, raw.status(), "upgrade offering " + offered);
                assertEquals("aws-appsync-event-ws", raw.headers().get("sec-websocket-protocol"),
                        "exactly one subprotocol echoed, never the credentials: " + raw.headers());
                raw.sendText("{\"type\":\"connection_init\"}");
                assertFrame(ACK, raw.readText());
            }
        }
        // no Sec-WebSocket-Protocol at all: the authorizer's identity source is missing, API Gateway answers 401
        try (RawWebSocket raw = openRaw(null, Map.of("x-api-key", API_KEY))) {
            assertEquals(401, raw.status(), raw.headers().toString());
        }
    }

    @Test
    void framesBeforeConnectionInit_work() {
        String channel = "/default/" + unique("early");
        try (WsClient ws = stack.connect()) {
            ws.subscribe("s1", channel, API_KEY);
            assertFrame("{\"type\":\"subscribe_success\",\"id\":\"s1\"}", ws.nextFrame());
            ws.publish("p1", channel, API_KEY, "{\"early\":true}");
            List<JsonNode> frames = ws.nextFrames(2);
            assertFrame("{\"type\":\"data\",\"id\":\"s1\",\"event\":\"{\\\"early\\\":true}\"}", byType(frames, "data"));
            assertFrame("{\"type\":\"publish_success\",\"id\":\"p1\",\"successful\":[{\"identifier\":\"<uuid>\",\"index\":0}],"
                    + "\"failed\":[]}", byType(frames, "publish_success"));
            // connection_init later is still answered
            ws.send("{\"type\":\"connection_init\"}");
            assertFrame(ACK, ws.nextFrame());
        }
    }

    // ------------------------------------------------------------------ subscribe, data, unsubscribe

    @Test
    void subscribe_dataFramesCarryEachEventAsTheIdenticalString_thenUnsubscribe() {
        String room = unique("room");
        String subscriptionId = java.util.UUID.randomUUID().toString();
        List<String> events = List.of(
                "{ \"spaced\" : [1, 2.50, -0.0e0],\"order\":{\"z\":1,\"a\":2} }",   // formatting and key order kept
                "\"just a string\"",
                "42",
                "{\"text\":\"grüße 👋 日本語 \\u00e9 \\\"quoted\\\" \\/ </script>\"}",
                "null");
        try (WsClient ws = stack.connect()) {
            ws.send("{\"type\":\"connection_init\"}");
            assertFrame(ACK, ws.nextFrame());
            ws.subscribe(subscriptionId, "/default/" + room + "/*", API_KEY);
            assertFrame("{\"type\":\"subscribe_success\",\"id\":\"" + subscriptionId + "\"}", ws.nextFrame());

            HttpResponse<String> response = stack.publishHttp(API_KEY,
                    Json.publishBody("/default/" + room + "/deeper/still", events.toArray(String[]::new)));
            assertEquals(200, response.statusCode(), response.body());
            assertFrame("{\"failed\":[],\"successful\":[{\"identifier\":\"<uuid>\",\"index\":0},{\"identifier\":\"<uuid>\",\"index\":1},"
                    + "{\"identifier\":\"<uuid>\",\"index\":2},{\"identifier\":\"<uuid>\",\"index\":3},{\"identifier\":\"<uuid>\",\"index\":4}]}",
                    response.body());
            for (String event : events) {
                JsonNode data = ws.nextFrame();
                assertFrame("{\"type\":\"data\",\"id\":\"" + subscriptionId + "\",\"event\":\"<any>\"}", data);
                assertTrue(data.get("event").isTextual(), "event is a JSON string: " + data);
                assertEquals(event, data.get("event").textValue(), "the published string, byte for byte");
            }
            ws.assertNothingWithin(QUIET);

            ws.send("{\"type\":\"unsubscribe\",\"id\":\"" + subscriptionId + "\"}");
            assertFrame("{\"type\":\"unsubscribe_success\",\"id\":\"" + subscriptionId + "\"}", ws.nextFrame());
            assertEquals(200, stack.publishHttp(API_KEY, Json.publishBody("/default/" + room + "/x", "1")).statusCode());
            ws.assertNothingWithin(QUIET);

            ws.send("{\"type\":\"unsubscribe\",\"id\":\"" + subscriptionId + "\"}");
            assertFrame("{\"type\":\"unsubscribe_error\",\"id\":\"" + subscriptionId + "\",\"errors\":[{\"errorType\":"
                    + "\"UnknownOperationError\",\"message\":\"Unknown operation id " + subscriptionId + "\"}]}", ws.nextFrame());
        }
    }

    @Test
    void channels_leadingSlashIsOptional_exactSubscriptionsDoNotMatchChildren_headerNamesInAnyCase() {
        String base = unique("norm");
        try (WsClient ws = stack.connect()) {
            ws.subscribe("noslash", "default/" + base + "/*", API_KEY); // Amplify sends the channel as written
            assertFrame("{\"type\":\"subscribe_success\",\"id\":\"noslash\"}", ws.nextFrame());
            ObjectNode exact = Json.subscribe("exact", "/default/" + base, API_KEY);
            exact.putObject("authorization").put("X-Api-Key", API_KEY);
            ws.send(exact);
            assertFrame("{\"type\":\"subscribe_success\",\"id\":\"exact\"}", ws.nextFrame());

            // the docs' own HTTP example has no leading slash
            HttpResponse<String> child = stack.publishHttp(API_KEY, Json.publishBody("default/" + base + "/child", "1"));
            assertEquals(200, child.statusCode(), child.body());
            assertFrame("{\"type\":\"data\",\"id\":\"noslash\",\"event\":\"1\"}", ws.nextFrame());
            ws.assertNothingWithin(QUIET); // /default/<base> does not match /default/<base>/child

            ws.publish("p", "default/" + base, API_KEY, "2");
            List<JsonNode> frames = new ArrayList<>(ws.nextFrames(2));
            assertFrame("{\"type\":\"data\",\"id\":\"exact\",\"event\":\"2\"}", byType(frames, "data"));
            assertEquals("publish_success", byType(frames, "publish_success").path("type").asText());
            ws.assertNothingWithin(QUIET); // /default/<base>/* does not match /default/<base> itself
        }
    }

    @Test
    void subscriptionIds_areScopedToTheirConnection() {
        String channel = "/default/" + unique("ids");
        try (WsClient a = stack.connect(); WsClient b = stack.connect()) {
            a.subscribe("same", channel, API_KEY);
            assertFrame("{\"type\":\"subscribe_success\",\"id\":\"same\"}", a.nextFrame());
            b.subscribe("same", channel, API_KEY); // the same id on another connection is no duplicate
            assertFrame("{\"type\":\"subscribe_success\",\"id\":\"same\"}", b.nextFrame());
            assertEquals(2, stack.subscribers(channel).size());

            // nobody can unsubscribe another connection's subscription
            WsClient c = stack.connect();
            try (c) {
                c.send("{\"type\":\"unsubscribe\",\"id\":\"same\"}");
                assertFrame("{\"type\":\"unsubscribe_error\",\"id\":\"same\",\"errors\":[{\"errorType\":"
                        + "\"UnknownOperationError\",\"message\":\"Unknown operation id same\"}]}", c.nextFrame());
            }
            assertEquals(2, stack.subscribers(channel).size());

            b.send("{\"type\":\"unsubscribe\",\"id\":\"same\"}");
            assertFrame("{\"type\":\"unsubscribe_success\",\"id\":\"same\"}", b.nextFrame());
            stack.publishHttp(API_KEY, Json.publishBody(channel, "{\"to\":\"a\"}"));
            assertFrame("{\"type\":\"data\",\"id\":\"same\",\"event\":\"{\\\"to\\\":\\\"a\\\"}\"}", a.nextFrame());
            b.assertNothingWithin(QUIET);
        }
    }

    @Test
    void publishOverWebSocket_isAcknowledgedAndDeliveredToOtherSockets() {
        String channel = "/sample/" + unique("ws");
        try (WsClient subscriber = stack.connect(); WsClient publisher = stack.connect()) {
            subscriber.subscribe("sub", channel, API_KEY);
            assertFrame("{\"type\":\"subscribe_success\",\"id\":\"sub\"}", subscriber.nextFrame());
            publisher.publish("pub-1", channel, API_KEY, "{\"text\":\"hi\"}", "[1,2,3]");
            assertFrame("{\"type\":\"publish_success\",\"id\":\"pub-1\",\"successful\":[{\"identifier\":\"<uuid>\",\"index\":0},"
                    + "{\"identifier\":\"<uuid>\",\"index\":1}],\"failed\":[]}", publisher.nextFrame());
            assertFrame("{\"type\":\"data\",\"id\":\"sub\",\"event\":\"{\\\"text\\\":\\\"hi\\\"}\"}", subscriber.nextFrame());
            assertFrame("{\"type\":\"data\",\"id\":\"sub\",\"event\":\"[1,2,3]\"}", subscriber.nextFrame());
            publisher.assertNothingWithin(QUIET);
        }
    }

    @Test
    void publishError_wildcardChannel_sixEvents_nonJsonEvent_unknownNamespace() {
        try (WsClient ws = stack.connect()) {
            ws.publish("wild", "/default/*", API_KEY, "{}");
            assertFrame("{\"type\":\"publish_error\",\"id\":\"wild\",\"errors\":[{\"errorType\":\"BadRequestException\","
                    + "\"message\":\"<string>\"}]}", ws.nextFrame());

            ws.publish("six", "/default/six", API_KEY, "1", "2", "3", "4", "5", "6");
            assertFrame("{\"type\":\"publish_error\",\"id\":\"six\",\"errors\":[{\"errorType\":\"InvalidInputError\","
                    + "\"message\":\"<string>\"}]}", ws.nextFrame());

            ws.publish("notjson", "/default/x", API_KEY, "{\"a\":1}", "not json at all");
            JsonNode error = ws.nextFrame();
            assertFrame("{\"type\":\"publish_error\",\"id\":\"notjson\",\"errors\":[{\"errorType\":\"InvalidInputError\","
                    + "\"message\":\"<string>\"}]}", error);
            assertTrue(error.at("/errors/0/message").asText().contains("events[1]"), "names the bad event: " + error);

            ws.publish("nowhere", "/nowhere/x", API_KEY, "{}");
            assertFrame("{\"type\":\"publish_error\",\"id\":\"nowhere\",\"errors\":[{\"errorType\":\"ResourceNotFound\","
                    + "\"message\":\"<string>\"}]}", ws.nextFrame());

            ws.publish("badkey", "/default/x", "da2-notthekey00000000000000", "{}");
            assertFrame("{\"type\":\"publish_error\",\"id\":\"badkey\",\"errors\":[{\"errorType\":\"UnauthorizedException\","
                    + "\"message\":\"<string>\"}]}", ws.nextFrame());

            // after all that the socket still publishes
            ws.publish("fine", "/default/x", API_KEY, "{}");
            assertFrame("{\"type\":\"publish_success\",\"id\":\"fine\",\"successful\":[{\"identifier\":\"<uuid>\",\"index\":0}],"
                    + "\"failed\":[]}", ws.nextFrame());
        }
    }

    // ------------------------------------------------------------------ subscribe_error

    @Test
    void subscribeError_badKey_isUnauthorizedException_andTheSocketKeepsWorking() {
        String channel = "/default/" + unique("key");
        try (WsClient ws = stack.connect()) {
            ws.subscribe("bad", channel, "da2-notthekey00000000000000");
            assertFrame("{\"type\":\"subscribe_error\",\"id\":\"bad\",\"errors\":[{\"errorType\":\"UnauthorizedException\","
                    + "\"message\":\"<string>\"}]}", ws.nextFrame());
            ws.send("{\"type\":\"subscribe\",\"id\":\"nokey\",\"channel\":\"" + channel + "\"}");
            assertFrame("{\"type\":\"subscribe_error\",\"id\":\"nokey\",\"errors\":[{\"errorType\":\"UnauthorizedException\","
                    + "\"message\":\"<string>\"}]}", ws.nextFrame());
            assertTrue(stack.subscribers(channel).isEmpty(), "a refused subscription is not stored");

            ws.subscribe("good", channel, API_KEY);
            assertFrame("{\"type\":\"subscribe_success\",\"id\":\"good\"}", ws.nextFrame());
            stack.publishHttp(API_KEY, Json.publishBody(channel, "\"still here\""));
            assertFrame("{\"type\":\"data\",\"id\":\"good\",\"event\":\"\\\"still here\\\"\"}", ws.nextFrame());
            assertTrue(ws.isOpen());
        }
    }

    @Test
    void subscribeError_unknownNamespace_isResourceNotFound() {
        try (WsClient ws = stack.connect()) {
            ws.subscribe("ns", "/nowhere/channel", API_KEY);
            assertFrame("{\"type\":\"subscribe_error\",\"id\":\"ns\",\"errors\":[{\"errorType\":\"ResourceNotFound\","
                    + "\"message\":\"<string>\"}]}", ws.nextFrame());
        }
    }

    @Test
    void subscribeError_invalidChannels_areBadRequestException() {
        List<String> invalid = List.of("/default/a b", "/default/*/x", "/default/a/b/c/d/e", "/default/" + "x".repeat(51),
                "/*", "", "/default/-dash");
        try (WsClient ws = stack.connect()) {
            for (int i = 0; i < invalid.size(); i++) {
                ws.subscribe("c" + i, invalid.get(i), API_KEY);
                JsonNode frame = ws.nextFrame();
                assertFrame("{\"type\":\"subscribe_error\",\"id\":\"c" + i + "\",\"errors\":[{\"errorType\":\"BadRequestException\","
                        + "\"message\":\"<string>\"}]}", frame);
            }
            ws.subscribe("ok", "/default/a/b/c/d", API_KEY);
            assertFrame("{\"type\":\"subscribe_success\",\"id\":\"ok\"}", ws.nextFrame());
        }
    }

    @Test
    void subscribeError_duplicateId() {
        try (WsClient ws = stack.connect()) {
            ws.subscribe("twice", "/default/" + unique("a"), API_KEY);
            assertFrame("{\"type\":\"subscribe_success\",\"id\":\"twice\"}", ws.nextFrame());
            ws.subscribe("twice", "/default/" + unique("b"), API_KEY);
            JsonNode error = ws.nextFrame();
            assertFrame("{\"type\":\"subscribe_error\",\"id\":\"twice\",\"errors\":[{\"errorType\":\"BadRequestException\","
                    + "\"message\":\"<string>\"}]}", error);
            assertTrue(error.at("/errors/0/message").asText().toLowerCase().contains("duplicate"), error.toString());
        }
    }

    @Test
    void subscribeError_the201stSubscription_isMaxSubscriptionsReachedError() {
        String prefix = "/default/" + unique("many") + "/";
        try (WsClient ws = stack.connect()) {
            for (int i = 1; i <= 201; i++) {
                ws.subscribe("s" + i, prefix + i, API_KEY);
            }
            for (int i = 1; i <= 200; i++) {
                assertFrame("{\"type\":\"subscribe_success\",\"id\":\"s" + i + "\"}", ws.nextFrame());
            }
            assertFrame("{\"type\":\"subscribe_error\",\"id\":\"s201\",\"errors\":[{\"errorType\":\"MaxSubscriptionsReachedError\","
                    + "\"message\":\"<string>\"}]}", ws.nextFrame());
            // freeing one makes room again
            ws.send("{\"type\":\"unsubscribe\",\"id\":\"s1\"}");
            assertFrame("{\"type\":\"unsubscribe_success\",\"id\":\"s1\"}", ws.nextFrame());
            ws.subscribe("s202", prefix + "202", API_KEY);
            assertFrame("{\"type\":\"subscribe_success\",\"id\":\"s202\"}", ws.nextFrame());
        }
    }

    // ------------------------------------------------------------------ error

    @Test
    void error_malformedJson_isBadRequestException_unknownType_isUnsupportedOperation() {
        try (WsClient ws = stack.connect()) {
            ws.send("{\"type\":\"subscribe\",");
            assertFrame("{\"type\":\"error\",\"errors\":[{\"errorType\":\"BadRequestException\",\"message\":\"<string>\"}]}",
                    ws.nextFrame());
            ws.send("not json");
            assertFrame("{\"type\":\"error\",\"errors\":[{\"errorType\":\"BadRequestException\",\"message\":\"<string>\"}]}",
                    ws.nextFrame());
            ws.send("{\"type\":\"gossip\",\"id\":\"g1\"}");
            JsonNode unknown = ws.nextFrame();
            assertEquals("error", unknown.path("type").asText(), unknown.toString());
            assertEquals("UnsupportedOperation", unknown.at("/errors/0/errorType").asText(), unknown.toString());
            assertFrame(unknown.has("id")
                    ? "{\"type\":\"error\",\"id\":\"g1\",\"errors\":[{\"errorType\":\"UnsupportedOperation\",\"message\":\"<string>\"}]}"
                    : "{\"type\":\"error\",\"errors\":[{\"errorType\":\"UnsupportedOperation\",\"message\":\"<string>\"}]}", unknown);
            // an id that breaks ^[a-zA-Z0-9-_+]{1,128}$ is never echoed
            ws.subscribe("x".repeat(129), "/default/x", API_KEY);
            assertFrame("{\"type\":\"error\",\"errors\":[{\"errorType\":\"BadRequestException\",\"message\":\"<string>\"}]}",
                    ws.nextFrame());
            ws.send("{\"type\":\"subscribe\",\"channel\":\"/default/x\"}");
            assertFrame("{\"type\":\"error\",\"errors\":[{\"errorType\":\"BadRequestException\",\"message\":\"<string>\"}]}",
                    ws.nextFrame());
            ws.send("{\"type\":\"subscribe\",\"id\":\"ok-id_1+\"}");
            assertFrame("{\"type\":\"subscribe_error\",\"id\":\"ok-id_1+\",\"errors\":[{\"errorType\":\"BadRequestException\","
                    + "\"message\":\"<string>\"}]}", ws.nextFrame());
            // a server-only frame type from a client
            ws.send("{\"type\":\"ka\"}");
            assertFrame("{\"type\":\"error\",\"errors\":[{\"errorType\":\"UnsupportedOperation\",\"message\":\"<string>\"}]}",
                    ws.nextFrame());
            ws.send("{\"type\":\"connection_init\"}");
            assertFrame(ACK, ws.nextFrame());
        }
    }

    // ------------------------------------------------------------------ connection_error

    @Test
    void connectionError_badKeyInTheHeaderSubprotocol_thenTheSocketIsClosed() {
        try (WsClient ws = WsClient.open(stack.http, stack.ws(), Stack.WAIT, Map.of(), "aws-appsync-event-ws",
                stack.headerProtocol("da2-notthekey00000000000000"))) {
            assertEquals("aws-appsync-event-ws", ws.subprotocol(), "the upgrade is accepted; the refusal is a frame");
            ws.send("{\"type\":\"connection_init\"}");
            assertFrame("{\"type\":\"connection_error\",\"errors\":[{\"errorType\":\"UnauthorizedException\",\"message\":\"<string>\"}]}",
                    ws.next());
            WsClient.Close close = ws.awaitClose();
            Stack.note("connection_error (header- subprotocol): " + close);
            assertEquals(1000, close.code(), "closed by DELETE @connections: " + close);
        }
    }

    @Test
    void connectionError_badKeyInAPlainUpgradeHeader_thenTheSocketIsClosed() {
        try (WsClient ws = WsClient.open(stack.http, stack.ws(), Stack.WAIT, Map.of("x-api-key", "da2-notthekey00000000000000"),
                "aws-appsync-event-ws")) {
            assertEquals("aws-appsync-event-ws", ws.subprotocol());
            ws.subscribe("s1", "/default/x", API_KEY); // the first frame need not be connection_init
            assertFrame("{\"type\":\"connection_error\",\"errors\":[{\"errorType\":\"UnauthorizedException\",\"message\":\"<string>\"}]}",
                    ws.next());
            WsClient.Close close = ws.awaitClose();
            Stack.note("connection_error (x-api-key header): " + close);
            assertEquals(1000, close.code(), close.toString());
        }
    }

    @Test
    void connectionError_unreadableHeaderSubprotocol_isFinalForAmplify_thenTheSocketIsClosed() {
        try (WsClient ws = WsClient.open(stack.http, stack.ws(), Stack.WAIT, Map.of(), "aws-appsync-event-ws", "header-%%%notbase64")) {
            ws.send("{\"type\":\"connection_init\"}");
            JsonNode error = ws.next();
            assertFrame("{\"type\":\"connection_error\",\"errors\":[{\"errorType\":\"<string>\",\"message\":\"<string>\"}]}", error);
            // Amplify gives up (instead of retrying forever) only on these two
            assertTrue(List.of("BadRequestException", "UnauthorizedException").contains(error.at("/errors/0/errorType").asText()),
                    error.toString());
            assertEquals(1000, ws.awaitClose().code());
        }
    }

    @Test
    void apiKeyConnect_doesNotDependOnTheHostInTheAuthHeaders() {
        String json = "{\"host\":\"abc.appsync-api.us-east-1.amazonaws.com\",\"x-api-key\":\"" + API_KEY + "\"}";
        String protocol = "header-" + java.util.Base64.getUrlEncoder().withoutPadding()
                .encodeToString(json.getBytes(StandardCharsets.UTF_8));
        try (WsClient ws = WsClient.open(stack.http, stack.ws(), Stack.WAIT, Map.of(), "aws-appsync-event-ws", protocol)) {
            ws.send("{\"type\":\"connection_init\"}");
            assertFrame(ACK, ws.nextFrame());
        }
    }

    @Test
    void plainUpgradeHeaderWithTheRightKey_isAccepted() {
        String channel = "/default/" + unique("native");
        try (WsClient ws = WsClient.open(stack.http, stack.ws(), Stack.WAIT, Map.of("x-api-key", API_KEY), "aws-appsync-event-ws")) {
            ws.send("{\"type\":\"connection_init\"}");
            assertFrame(ACK, ws.nextFrame());
            ws.subscribe("n1", channel, API_KEY);
            assertFrame("{\"type\":\"subscribe_success\",\"id\":\"n1\"}", ws.nextFrame());
        }
    }

    // ------------------------------------------------------------------ the chat namespace's handlers

    @Test
    void chat_moderationRefusalsAreReportedInFailed_andNotBroadcast() {
        String room = "/chat/rooms/" + unique("lobby");
        try (WsClient ws = stack.connect()) {
            ws.subscribe("room", room, API_KEY);
            assertFrame("{\"type\":\"subscribe_success\",\"id\":\"room\"}", ws.nextFrame());
            ws.publish("say", room, API_KEY, "{\"text\":\"hello everyone\"}", "{\"text\":\"cheap SPAM here\"}");
            List<JsonNode> frames = ws.nextFrames(2);
            assertFrame("{\"type\":\"publish_success\",\"id\":\"say\",\"successful\":[{\"identifier\":\"<uuid>\",\"index\":0}],"
                    + "\"failed\":[{\"identifier\":\"<uuid>\",\"index\":1,\"code\":400,\"message\":\"message rejected by moderation\"}]}",
                    byType(frames, "publish_success"));
            JsonNode data = byType(frames, "data");
            assertFrame("{\"type\":\"data\",\"id\":\"room\",\"event\":\"<string>\"}", data);
            JsonNode event = Json.parse(data.get("event").textValue());
            assertFrame("{\"text\":\"hello everyone\",\"serverTime\":\"<string>\"}", event);
            ws.assertNothingWithin(QUIET);

            HttpResponse<String> http = stack.publishHttp(API_KEY, Json.publishBody(room, "{\"text\":\"a scam\"}"));
            assertEquals(200, http.statusCode(), http.body());
            assertFrame("{\"failed\":[{\"identifier\":\"<uuid>\",\"index\":0,\"code\":400,\"message\":\"message rejected by moderation\"}],"
                    + "\"successful\":[]}", http.body());
            ws.assertNothingWithin(QUIET);
        }
    }

    @Test
    void chat_ownerOnlyChannel_refusesAStrangerWithUnauthorized_andTheSocketStaysUp() {
        String owner = unique("alice");
        String channel = "/chat/private/" + owner;
        try (WsClient ws = stack.connect()) {
            JsonNode stranger = Json.subscribe("peek", channel, API_KEY);
            ((com.fasterxml.jackson.databind.node.ObjectNode) stranger.get("authorization")).put("x-user-id", "mallory");
            ws.send(stranger);
            assertFrame("{\"type\":\"subscribe_error\",\"id\":\"peek\",\"errors\":[{\"errorType\":\"Unauthorized\","
                    + "\"message\":\"<string>\"}]}", ws.nextFrame());
            assertTrue(stack.subscribers(channel).isEmpty());

            JsonNode mine = Json.subscribe("mine", channel, API_KEY);
            ((com.fasterxml.jackson.databind.node.ObjectNode) mine.get("authorization")).put("x-user-id", owner);
            ws.send(mine);
            assertFrame("{\"type\":\"subscribe_success\",\"id\":\"mine\"}", ws.nextFrame());
            ws.subscribe("all", "/chat/*", API_KEY);
            assertFrame("{\"type\":\"subscribe_error\",\"id\":\"all\",\"errors\":[{\"errorType\":\"Unauthorized\","
                    + "\"message\":\"<string>\"}]}", ws.nextFrame());
            assertTrue(ws.isOpen());
            stack.publishHttp(API_KEY, Json.publishBody(channel, "{\"dm\":1}"));
            assertFrame("{\"type\":\"data\",\"id\":\"mine\",\"event\":\"{\\\"dm\\\":1}\"}", ws.nextFrame());
        }
    }

    // ------------------------------------------------------------------ API Gateway limits

    @Test
    void limits_aSingle129KbFrame_closesTheSocketWith1009_andDisconnectRuns() throws IOException {
        assertOversizeFrameCloses(129 * 1024);
    }

    @Test
    void limits_aSingle33KbFrame_closesTheSocketWith1009() throws IOException {
        assertOversizeFrameCloses(33 * 1024);
    }

    private void assertOversizeFrameCloses(int size) throws IOException {
        String channel = "/default/" + unique("big");
        try (RawWebSocket raw = openRaw("aws-appsync-event-ws, " + stack.headerProtocol(API_KEY), Map.of())) {
            assertEquals(101, raw.status());
            raw.sendText(Json.text(Json.subscribe("s1", channel, API_KEY)));
            assertFrame("{\"type\":\"subscribe_success\",\"id\":\"s1\"}", raw.readText());
            assertEquals(1, stack.subscribers(channel).size());

            raw.send(RawWebSocket.TEXT, oversizePublish(channel, size));
            RawWebSocket.Frame close = raw.readClose();
            Stack.note("single " + size + "-byte frame: close " + close.closeCode() + " '" + close.text() + "'");
            assertEquals(1009, close.closeCode(), "close reason: " + close.text());
            assertTrue(raw.endOfStream(), "the server drops the TCP connection after the close");
        }
        Stack.await("$disconnect to remove the subscriptions", () -> stack.subscribers(channel).isEmpty());
    }

    /** The upgrade of {@code /event/realtime} offering {@code protocols} (null: none), whatever the answer. */
    private RawWebSocket openRaw(String protocols, Map<String, String> headers) throws IOException {
        return RawWebSocket.open(stack.port(), "/event/realtime", protocols, headers, Stack.WAIT);
    }

    /** A publish frame of exactly {@code size} bytes (UTF-8). */
    private static byte[] oversizePublish(String channel, int size) {
        String head = "{\"type\":\"publish\",\"id\":\"big\",\"channel\":\"" + channel + "\",\"events\":[\"\\\"";
        String tail = "\\\"\"],\"authorization\":{\"x-api-key\":\"" + API_KEY + "\"}}";
        byte[] bytes = (head + "x".repeat(size - head.length() - tail.length()) + tail).getBytes(StandardCharsets.UTF_8);
        assertEquals(size, bytes.length);
        return bytes;
    }

    @Test
    void limits_theFrameAndMessageBoundaries_areInclusive() throws IOException {
        String channel = "/default/" + unique("edge");
        try (RawWebSocket raw = openRaw("aws-appsync-event-ws, " + stack.headerProtocol(API_KEY), Map.of())) {
            // one frame of exactly 32 KB is allowed
            raw.send(RawWebSocket.TEXT, oversizePublish(channel, 32 * 1024));
            assertFrame("{\"type\":\"publish_success\",\"id\":\"big\",\"successful\":[{\"identifier\":\"<uuid>\",\"index\":0}],"
                    + "\"failed\":[]}", raw.readText());
            // a message of exactly 128 KB (in 32 KB frames) is read; its one event is too big to deliver in a data frame
            raw.sendFragmented(oversizePublish(channel, 128 * 1024), 32 * 1024);
            JsonNode tooBig = Json.parse(raw.readText());
            assertFrame("{\"type\":\"publish_error\",\"id\":\"big\",\"errors\":[{\"errorType\":\"InvalidInputError\","
                    + "\"message\":\"<string>\"}]}", tooBig);
            // one byte more than 32 KB in one frame closes
            raw.send(RawWebSocket.TEXT, oversizePublish(channel, 32 * 1024 + 1));
            assertEquals(1009, raw.readClose().closeCode());
        }
        try (RawWebSocket raw = openRaw("aws-appsync-event-ws, " + stack.headerProtocol(API_KEY), Map.of())) {
            // one byte more than 128 KB in frames of 32 KB closes
            raw.sendFragmented(oversizePublish(channel, 128 * 1024 + 1), 32 * 1024);
            assertEquals(1009, raw.readClose().closeCode());
        }
    }

    @Test
    void limits_theLargestEventIsDeliveredWhole_oneByteMoreIsRefused() {
        String channel = "/default/" + unique("max");
        int max = 120 * 1024; // SwitchboardConfig.DEFAULT_MAX_EVENT_BYTES: the escaped event, so a data frame fits 128 KB
        try (WsClient ws = stack.connect()) {
            ws.subscribe("s", channel, API_KEY);
            assertFrame("{\"type\":\"subscribe_success\",\"id\":\"s\"}", ws.nextFrame());
            String largest = "\"" + "y".repeat(max - 4) + "\""; // escaped in a data frame: \"yyy...\" = max bytes
            HttpResponse<String> ok = stack.publishHttp(API_KEY, Json.publishBody(channel, largest));
            assertEquals(200, ok.statusCode(), ok.body());
            JsonNode data = ws.nextFrame();
            assertEquals(largest, data.get("event").textValue(), "the whole event");

            HttpResponse<String> refused = stack.publishHttp(API_KEY, Json.publishBody(channel, "\"" + "y".repeat(max - 3) + "\""));
            assertEquals(400, refused.statusCode(), refused.body());
            assertFrame("{\"errors\":[{\"errorType\":\"BadRequestException\",\"message\":\"<string>\"}]}", refused.body());
            ws.assertNothingWithin(QUIET);
        }
    }

    @Test
    void limits_aLargeMessageInFramesOf32KbOrLess_isAccepted() throws IOException {
        String channel = "/default/" + unique("frag");
        try (RawWebSocket raw = openRaw("aws-appsync-event-ws, " + stack.headerProtocol(API_KEY), Map.of())) {
            raw.sendText(Json.text(Json.subscribe("s1", channel, API_KEY)));
            assertFrame("{\"type\":\"subscribe_success\",\"id\":\"s1\"}", raw.readText());
            byte[] message = oversizePublish(channel, 100 * 1024);
            raw.sendFragmented(message, 32 * 1024);
            List<JsonNode> frames = new ArrayList<>();
            frames.add(Json.parse(raw.readText()));
            frames.add(Json.parse(raw.readText()));
            assertFrame("{\"type\":\"publish_success\",\"id\":\"big\",\"successful\":[{\"identifier\":\"<uuid>\",\"index\":0}],"
                    + "\"failed\":[]}", byType(frames, "publish_success"));
            JsonNode data = byType(frames, "data");
            assertEquals(Json.parse(new String(message, StandardCharsets.UTF_8)).at("/events/0").textValue(),
                    data.get("event").textValue());
        }
    }

    @Test
    void limits_aMessageOver128KbInSmallFrames_closesTheSocketWith1009() {
        try (WsClient ws = stack.connect()) {
            // java.net.http splits a long message into frames itself; the 128 KB message limit applies to the whole
            ws.send(new String(oversizePublish("/default/x", 129 * 1024), StandardCharsets.UTF_8));
            WsClient.Close close = ws.awaitClose();
            Stack.note("129 KB message in java.net.http's frames: " + close);
            assertEquals(1009, close.code(), close.toString());
        }
    }

    @Test
    void limits_aBinaryFrame_closesTheSocketWith1003() {
        try (WsClient ws = stack.connect()) {
            ws.sendBinary("{\"type\":\"connection_init\"}".getBytes(StandardCharsets.UTF_8));
            WsClient.Close close = ws.awaitClose();
            Stack.note("binary frame: " + close);
            assertEquals(1003, close.code(), close.toString());
        }
    }

    // ------------------------------------------------------------------ TLS

    @Test
    void wss_theWholeConversationOverTlsOnTheSamePort() {
        String channel = "/default/" + unique("tls");
        try (WsClient ws = WsClient.open(stack.http, stack.wss(), Stack.WAIT, Map.of(), "aws-appsync-event-ws", stack.headerProtocol(API_KEY))) {
            assertEquals("aws-appsync-event-ws", ws.subprotocol());
            ws.send("{\"type\":\"connection_init\"}");
            assertFrame(ACK, ws.nextFrame());
            assertFrame("{\"type\":\"ka\"}", ws.next());
            ws.subscribe("t1", channel, API_KEY);
            assertFrame("{\"type\":\"subscribe_success\",\"id\":\"t1\"}", ws.nextFrame());
            ws.publish("p1", channel, API_KEY, "{\"secure\":true}");
            List<JsonNode> frames = ws.nextFrames(2);
            assertFrame("{\"type\":\"data\",\"id\":\"t1\",\"event\":\"{\\\"secure\\\":true}\"}", byType(frames, "data"));
            assertFrame("{\"type\":\"publish_success\",\"id\":\"p1\",\"successful\":[{\"identifier\":\"<uuid>\",\"index\":0}],"
                    + "\"failed\":[]}", byType(frames, "publish_success"));
            ws.send("{\"type\":\"unsubscribe\",\"id\":\"t1\"}");
            assertFrame("{\"type\":\"unsubscribe_success\",\"id\":\"t1\"}", ws.nextFrame());
        }
    }

    // ------------------------------------------------------------------ helpers

    /** The one frame of {@code type} among {@code frames} (their relative order is not specified). */
    static JsonNode byType(List<JsonNode> frames, String type) {
        List<JsonNode> matching = frames.stream().filter(f -> type.equals(f.path("type").asText())).toList();
        assertEquals(1, matching.size(), "expected one " + type + " frame among " + frames);
        return matching.get(0);
    }
}
