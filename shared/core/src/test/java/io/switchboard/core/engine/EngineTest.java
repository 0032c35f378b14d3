package io.switchboard.core.engine;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.core.auth.AuthMode;
import io.switchboard.core.channel.ChannelPath;
import io.switchboard.core.channel.ChannelPattern;
import io.switchboard.core.config.SwitchboardConfig;
import io.switchboard.core.memory.InMemorySubscriptionStore;
import io.switchboard.core.memory.RecordingConnectionSender;
import io.switchboard.core.protocol.ErrorTypes;
import io.switchboard.core.protocol.Frame;
import io.switchboard.core.protocol.FrameCodec;
import io.switchboard.core.spi.ConnectionRecord;
import io.switchboard.core.spi.ConnectionSender;
import io.switchboard.core.spi.StoreUnavailableException;
import io.switchboard.core.spi.Subscriber;
import io.switchboard.core.spi.SubscriptionStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static io.switchboard.core.engine.EngineFixture.HOST;
import static io.switchboard.core.engine.EngineFixture.KEY;
import static io.switchboard.core.engine.EngineFixture.data;
import static io.switchboard.core.engine.EngineFixture.json;
import static io.switchboard.core.engine.EngineFixture.publish;
import static io.switchboard.core.engine.EngineFixture.subscribe;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class EngineTest {

    private static final String UUID_RE = "[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}";
    private static final String INIT = "{\"type\":\"connection_init\"}";

    private final EngineFixture f = new EngineFixture();

    // ------------------------------------------------------------------ helpers

    /** Asserts an error reply: its type, its id ({@code null} = no id field at all), errorType and message part. */
    private static void assertError(String reply, String type, String id, String errorType, String messagePart) {
        JsonNode node = json(reply);
        assertEquals(type, node.path("type").asText(), reply);
        if (id == null) {
            assertFalse(node.has("id"), () -> "no id expected: " + reply);
        } else {
            assertEquals(id, node.path("id").asText(), reply);
        }
        assertEquals(1, node.path("errors").size(), reply);
        JsonNode error = node.path("errors").get(0);
        assertEquals(Set.of("errorType", "message"), fieldNames(error), "flat {errorType,message}: " + reply);
        assertEquals(errorType, error.path("errorType").asText(), reply);
        assertTrue(error.path("message").asText().contains(messagePart),
            () -> "message of " + reply + " lacks '" + messagePart + "'");
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new HashSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static String headerSubprotocol(String json) {
        return "header-" + Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    private static String publishRaw(String id, String channel, String eventsJson) {
        return "{\"type\":\"publish\",\"id\":" + FrameCodec.quote(id) + ",\"channel\":" + FrameCodec.quote(channel)
            + ",\"events\":" + eventsJson + ",\"authorization\":{\"x-api-key\":\"" + KEY + "\"}}";
    }

    private static String httpBody(String channel, String... events) {
        StringBuilder sb = new StringBuilder("{\"channel\":" + FrameCodec.quote(channel) + ",\"events\":[");
        for (int i = 0; i < events.length; i++) {
            sb.append(i == 0 ? "" : ",").append(FrameCodec.quote(events[i]));
        }
        return sb.append("]}").toString();
    }

    private static Map<String, String> keyHeader(String key) {
        return Map.of("x-api-key", key, "content-type", "application/json; charset=UTF-8");
    }

    private static String[] events(int n) {
        return IntStream.range(0, n).mapToObj(i -> "{\"n\":" + i + "}").toArray(String[]::new);
    }

    /** Asserts a publish_success for {@code count} events and returns the identifiers. */
    private static List<String> assertPublishSuccess(String reply, String id, int count) {
        JsonNode node = json(reply);
        assertEquals("publish_success", node.path("type").asText(), reply);
        assertEquals(id, node.path("id").asText(), reply);
        assertEquals(0, node.path("failed").size(), reply);
        assertEquals(count, node.path("successful").size(), reply);
        List<String> identifiers = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            JsonNode item = node.path("successful").get(i);
            assertEquals(i, item.path("index").asInt(), reply);
            String identifier = item.path("identifier").asText();
            assertTrue(identifier.matches(UUID_RE), () -> "UUID v4 expected: " + identifier);
            identifiers.add(identifier);
        }
        assertEquals(count, new HashSet<>(identifiers).size(), "identifiers are unique");
        return identifiers;
    }

    // ------------------------------------------------------------------ connect

    static Stream<Arguments> refusedConnects() {
        return Stream.of(
            arguments("no credentials", Map.of("Sec-WebSocket-Protocol", "aws-appsync-event-ws"),
                ErrorTypes.UNAUTHORIZED_EXCEPTION, "No valid credentials to connect"),
            arguments("wrong key header", Map.of("Sec-WebSocket-Protocol", "aws-appsync-event-ws", "x-api-key", "da2-wrong"),
                ErrorTypes.UNAUTHORIZED_EXCEPTION, "Invalid API key"),
            arguments("empty key header", Map.of("Sec-WebSocket-Protocol", "aws-appsync-event-ws", "x-api-key", ""),
                ErrorTypes.UNAUTHORIZED_EXCEPTION, "No valid credentials to connect"),
            arguments("wrong key in header- subprotocol", Map.of("Sec-WebSocket-Protocol", "aws-appsync-event-ws, "
                + headerSubprotocol("{\"host\":\"" + HOST + "\",\"x-api-key\":\"da2-wrong\"}")),
                ErrorTypes.UNAUTHORIZED_EXCEPTION, "Invalid API key"),
            arguments("subprotocol key overrides a good header key", Map.of("x-api-key", KEY, "Sec-WebSocket-Protocol",
                "aws-appsync-event-ws, " + headerSubprotocol("{\"x-api-key\":\"da2-wrong\"}")),
                ErrorTypes.UNAUTHORIZED_EXCEPTION, "Invalid API key"),
            arguments("token of a mode not enabled", Map.of("Authorization", "eyJhbGciOi.x.y"),
                ErrorTypes.UNAUTHORIZED_EXCEPTION, "allowed auth modes: API_KEY"),
            arguments("header- subprotocol not base64", Map.of("Sec-WebSocket-Protocol", "aws-appsync-event-ws, header-!!!"),
                ErrorTypes.BAD_REQUEST, "not valid base64url"),
            arguments("header- subprotocol not an object", Map.of("Sec-WebSocket-Protocol", headerSubprotocol("[\"" + KEY + "\"]")),
                ErrorTypes.BAD_REQUEST, "must hold a JSON object"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusedConnects")
    void connect_refusedCredentials_upgradeAcceptedAndFirstFrameAnsweredWithConnectionErrorAndClose(
        String name, Map<String, String> headers, String errorType, String messagePart) {
        ConnectionAuth auth = f.engine.authorizeConnect(headers);
        assertFalse(auth.authorized());

        ConnectResult result = f.engine.connect("c1", 1L, auth, headers);
        assertEquals(200, result.status(), "refusals are reported in-band, not as a failed upgrade");
        assertNull(f.store.connection("c1"), "a refused connection is not stored");

        for (String first : List.of(INIT, subscribe("s1", "/default/*"), publish("p1", "/default/a", "1"))) {
            MessageResult reply = f.engine.message("c1", first, auth);
            assertTrue(reply.close(), "the connection is closed after connection_error");
            assertEquals(1, reply.replies().size());
            assertError(reply.replies().get(0), "connection_error", null, errorType, messagePart);
            assertFalse(reply.replies().get(0).contains("da2-wrong"), "the presented key is never echoed");
        }
        // carried to later messages through the authorizer context, the refusal survives
        MessageResult later = f.engine.message("c1", INIT, ConnectionAuth.fromContext(auth.toContext()));
        assertTrue(later.close());
        assertError(later.replies().get(0), "connection_error", null, errorType, messagePart);
        assertTrue(f.sender.sent("c1").isEmpty(), "nothing is pushed, the reply is the answer");
    }

    static Stream<Arguments> acceptedConnects() {
        return Stream.of(
            arguments("header- subprotocol after aws-appsync-event-ws (Amplify JS)", Map.of("Sec-WebSocket-Protocol",
                "aws-appsync-event-ws, " + headerSubprotocol("{\"host\":\"" + HOST + "\",\"x-amz-date\":\"20260101T000000Z\",\"x-api-key\":\"" + KEY + "\"}"))),
            arguments("header- subprotocol first (wscat recipe)", Map.of("Sec-WebSocket-Protocol",
                headerSubprotocol("{\"host\":\"" + HOST + "\",\"x-api-key\":\"" + KEY + "\"}") + ", aws-appsync-event-ws")),
            arguments("header- subprotocol with upper-case names", Map.of("sec-websocket-protocol",
                "aws-appsync-event-ws," + headerSubprotocol("{\"Host\":\"" + HOST + "\",\"X-API-KEY\":\"" + KEY + "\"}"))),
            arguments("plain x-api-key header (Swift, Kotlin)", Map.of("Sec-WebSocket-Protocol", "aws-appsync-event-ws",
                "host", HOST, "x-api-key", KEY)),
            arguments("plain X-Api-Key header", Map.of("Sec-WebSocket-Protocol", "aws-appsync-event-ws", "X-Api-Key", KEY)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("acceptedConnects")
    void connect_validKey_authorizesStoresConnectionAndServesFrames(String name, Map<String, String> headers) {
        ConnectionAuth auth = f.engine.authorizeConnect(headers);
        assertTrue(auth.authorized(), auth::toString);
        assertEquals(AuthMode.API_KEY, auth.mode());

        ConnectResult result = f.engine.connect("c1", 1_767_225_600_000L, auth, headers);
        assertEquals(new ConnectResult(200, "aws-appsync-event-ws"), result);
        ConnectionRecord record = f.store.connection("c1");
        assertNotNull(record);
        assertEquals(1_767_225_600_000L, record.connectedAtMillis());
        assertEquals(Map.of("authMode", "API_KEY"), record.attributes());

        assertEquals("{\"type\":\"subscribe_success\",\"id\":\"s1\"}", f.one("c1", auth, subscribe("s1", "/default/*")));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "NONE", value = {
        "aws-appsync-event-ws, header-eyJ9                 | aws-appsync-event-ws",
        "header-eyJ9, aws-appsync-event-ws                 | aws-appsync-event-ws",
        "aws-appsync-event-ws                              | aws-appsync-event-ws",
        "graphql-ws, aws-appsync-event-ws                  | aws-appsync-event-ws",
        "header-eyJ9                                       | NONE",
        "graphql-ws                                        | NONE",
        "NONE                                              | NONE",
    })
    void connect_offeredSubprotocols_echoesOnlyAwsAppsyncEventWs(String offered, String expected) {
        Map<String, String> headers = new HashMap<>();
        headers.put("x-api-key", KEY);
        if (offered != null) {
            headers.put("Sec-WebSocket-Protocol", offered);
        }
        ConnectResult result = f.engine.connect("c1", 1L, ConnectionAuth.denied("X", "y"), headers);
        assertEquals(expected, result.subprotocol());
    }

    @Test
    void connectionInit_authorizedConnection_repliesAckThenKeepAlive() {
        ConnectionAuth auth = f.open("c1");
        MessageResult result = f.engine.message("c1", INIT, auth);
        assertFalse(result.close());
        assertEquals(List.of(
            "{\"type\":\"connection_ack\",\"connectionTimeoutMs\":300000,\"payload\":{\"connectionTimeoutMs\":300000}}",
            "{\"type\":\"ka\"}"), result.replies());
    }

    @Test
    void connectionInit_configuredTimeout_isAdvertised() {
        EngineFixture custom = new EngineFixture(Map.of("SWITCHBOARD_CONNECTION_TIMEOUT_MS", "60000"));
        ConnectionAuth auth = custom.open("c1");
        JsonNode ack = json(custom.engine.message("c1", INIT, auth).replies().get(0));
        assertEquals(60_000, ack.path("connectionTimeoutMs").asLong());
        assertEquals(60_000, ack.path("payload").path("connectionTimeoutMs").asLong());
    }

    @Test
    void message_framesBeforeConnectionInit_areServed() {
        ConnectionAuth auth = f.open("c1");
        assertEquals("{\"type\":\"subscribe_success\",\"id\":\"s1\"}", f.one("c1", auth, subscribe("s1", "/default/*")));
        assertPublishSuccess(f.one("c1", auth, publish("p1", "/default/a", "1")), "p1", 1);
        assertEquals(List.of(data("s1", "1")), f.sender.drain("c1"));
        assertEquals(2, f.engine.message("c1", INIT, auth).replies().size(), "a late connection_init is still acked");
    }

    @Test
    void disconnect_connectionWithSubscriptions_removesThem() {
        ConnectionAuth auth = f.open("c1");
        f.one("c1", auth, subscribe("s1", "/default/*"));
        f.engine.disconnect("c1");
        assertNull(f.store.connection("c1"));
        assertTrue(f.store.findSubscribers(ChannelPath.parse("/default/a")).isEmpty());
        assertEquals(200, f.engine.publishHttp(keyHeader(KEY), httpBody("/default/a", "1")).status());
        assertTrue(f.sender.sent("c1").isEmpty());
    }

    // ------------------------------------------------------------------ subscribe

    @Test
    void subscribe_validFrame_repliesSuccessAndStoresSubscription() {
        ConnectionAuth auth = f.open("c1");
        assertEquals("{\"type\":\"subscribe_success\",\"id\":\"s1\"}", f.one("c1", auth, subscribe("s1", "default/room/")));
        assertEquals(List.of(new Subscriber("c1", "s1")), f.store.findSubscribers(ChannelPath.parse("/default/room")));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "NONE", value = {
        "{\"x-api-key\":\"da2-wrong\"}                 | Invalid API key",
        "{\"X-Api-Key\":\"da2-wrong\",\"host\":\"h\"}  | Invalid API key",
        "{\"x-api-key\":\"\"}                          | No valid credentials to subscribe",
        "{\"Authorization\":\"token\"}                 | No valid credentials to subscribe (allowed auth modes: API_KEY)",
        "{}                                            | No valid credentials to subscribe",
        "NONE                                          | No valid credentials to subscribe",
    })
    void subscribe_badCredentials_subscribeErrorAndConnectionKeepsWorking(String authorization, String messagePart) {
        ConnectionAuth auth = f.open("c1");
        String frame = "{\"type\":\"subscribe\",\"id\":\"s1\",\"channel\":\"/default/*\""
            + (authorization == null ? "" : ",\"authorization\":" + authorization) + "}";
        assertError(f.one("c1", auth, frame), "subscribe_error", "s1", ErrorTypes.UNAUTHORIZED_EXCEPTION, messagePart);
        assertTrue(f.store.findSubscribers(ChannelPath.parse("/default/a")).isEmpty());

        // the refused id is free, the socket is alive
        assertEquals("{\"type\":\"subscribe_success\",\"id\":\"s1\"}", f.one("c1", auth, subscribe("s1", "/default/*")));
        assertPublishSuccess(f.one("c1", auth, publish("p1", "/default/a", "1")), "p1", 1);
        assertEquals(List.of(data("s1", "1")), f.sender.drain("c1"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/default/a_b", "/default/*/x", "/default/1/2/3/4/5", "", "/", "/*", "/default//a",
        "/default/-a", "/default/a b"})
    void subscribe_invalidChannel_subscribeErrorBadRequest(String channel) {
        ConnectionAuth auth = f.open("c1");
        assertError(f.one("c1", auth, subscribe("s1", channel)), "subscribe_error", "s1", ErrorTypes.BAD_REQUEST,
            "Invalid Channel Format");
    }

    @Test
    void subscribe_segmentOf51Characters_subscribeErrorBadRequest() {
        ConnectionAuth auth = f.open("c1");
        assertError(f.one("c1", auth, subscribe("s1", "/default/" + "a".repeat(51))), "subscribe_error", "s1",
            ErrorTypes.BAD_REQUEST, "51 characters long; the maximum is 50");
    }

    @ParameterizedTest
    @CsvSource({"/new/channel, new", "/Default/a, Default", "nope/*, nope"})
    void subscribe_unknownNamespace_subscribeErrorResourceNotFound(String channel, String namespace) {
        ConnectionAuth auth = f.open("c1");
        assertError(f.one("c1", auth, subscribe("s1", channel)), "subscribe_error", "s1", ErrorTypes.RESOURCE_NOT_FOUND,
            "Namespace '" + namespace + "' not found");
    }

    @Test
    void subscribe_duplicateId_subscribeErrorAndFirstSubscriptionKept() {
        ConnectionAuth auth = f.open("c1");
        f.one("c1", auth, subscribe("s1", "/default/a"));
        assertError(f.one("c1", auth, subscribe("s1", "/default/b")), "subscribe_error", "s1", ErrorTypes.BAD_REQUEST,
            "duplicated");
        f.engine.publishHttp(keyHeader(KEY), httpBody("/default/a", "1"));
        f.engine.publishHttp(keyHeader(KEY), httpBody("/default/b", "2"));
        assertEquals(List.of(data("s1", "1")), f.sender.drain("c1"));
    }

    @Test
    void subscribe_sameIdOnAnotherConnection_isAccepted() {
        ConnectionAuth a = f.open("c1");
        ConnectionAuth b = f.open("c2");
        f.one("c1", a, subscribe("s1", "/default/a"));
        assertEquals("{\"type\":\"subscribe_success\",\"id\":\"s1\"}", f.one("c2", b, subscribe("s1", "/default/a")));
    }

    @Test
    void subscribe_201stSubscription_maxSubscriptionsReachedUntilOneIsRemoved() {
        assertEquals(200, f.config.maxSubscriptionsPerConnection());
        ConnectionAuth auth = f.open("c1");
        for (int i = 0; i < 200; i++) {
            assertEquals("{\"type\":\"subscribe_success\",\"id\":\"s" + i + "\"}",
                f.one("c1", auth, subscribe("s" + i, "/default/room/" + i)));
        }
        assertError(f.one("c1", auth, subscribe("s200", "/default/*")), "subscribe_error", "s200",
            ErrorTypes.MAX_SUBSCRIPTIONS, "maximum of 200 subscriptions");

        assertEquals("{\"type\":\"unsubscribe_success\",\"id\":\"s7\"}", f.one("c1", auth, "{\"type\":\"unsubscribe\",\"id\":\"s7\"}"));
        assertEquals("{\"type\":\"subscribe_success\",\"id\":\"s200\"}", f.one("c1", auth, subscribe("s200", "/default/*")));
    }

    @Test
    void subscribe_connectionUnknownToStore_subscribeErrorSubscriptionProcessing() {
        ConnectionAuth auth = f.engine.authorizeConnect(Map.of("x-api-key", KEY)); // never connect()ed, or expired
        assertError(f.one("ghost", auth, subscribe("s1", "/default/*")), "subscribe_error", "s1",
            ErrorTypes.SUBSCRIPTION_PROCESSING, "reconnect");
        assertPublishSuccess(f.one("ghost", auth, publish("p1", "/default/a", "1")), "p1", 1);
    }

    // ------------------------------------------------------------------ ids

    private static final List<String> BAD_IDS = List.of("a b", "a/b", "a.b", "caf\u00e9", "", "s1\n", "{}", "x".repeat(129));

    /** Well-formed frames whose only fault is the id. */
    static Stream<Arguments> badIdFrames() {
        return BAD_IDS.stream().flatMap(id -> Stream.of(
            arguments(id, subscribe(id, "/default/*")),
            arguments(id, "{\"type\":\"unsubscribe\",\"id\":" + FrameCodec.quote(id) + "}"),
            arguments(id, publish(id, "/default/a", "1"))));
    }

    /** Frames with a broken id and another broken field. */
    static Stream<Arguments> badIdAndFieldFrames() {
        return BAD_IDS.stream().flatMap(id -> Stream.of(
            arguments(id, "{\"type\":\"subscribe\",\"id\":" + FrameCodec.quote(id) + ",\"channel\":5}"),
            arguments(id, "{\"type\":\"subscribe\",\"id\":" + FrameCodec.quote(id) + "}"),
            arguments(id, "{\"type\":\"publish\",\"id\":" + FrameCodec.quote(id) + ",\"channel\":\"/default/a\",\"events\":[1]}"),
            arguments(id, "{\"type\":\"publish\",\"id\":" + FrameCodec.quote(id) + ",\"channel\":\"/default/a\"}"),
            arguments(id, "{\"type\":\"publish\",\"id\":" + FrameCodec.quote(id) + ",\"channel\":[],\"events\":[\"1\"]}")));
    }

    @ParameterizedTest
    @MethodSource("badIdFrames")
    void message_idBreakingThePattern_errorFrameWithoutIdSayingWhatIsAllowed(String id, String frame) {
        ConnectionAuth auth = f.open("c1");
        assertError(f.one("c1", auth, frame), "error", null, ErrorTypes.BAD_REQUEST,
            "Field 'id' must be 1 to 128 letters, digits, '-', '_' or '+'");
        assertTrue(f.store.findSubscribers(ChannelPath.parse("/default/a")).isEmpty(), "nothing was subscribed");
    }

    @ParameterizedTest
    @MethodSource("badIdAndFieldFrames")
    void message_idBreakingThePatternAndAnotherFieldWrong_errorFrameWithoutId(String id, String frame) {
        ConnectionAuth auth = f.open("c1");
        String reply = f.one("c1", auth, frame);
        JsonNode node = json(reply);
        assertEquals("error", node.path("type").asText(), reply);
        assertFalse(node.has("id"), reply);
        assertTrue(Set.of(ErrorTypes.BAD_REQUEST, ErrorTypes.INVALID_INPUT)
            .contains(node.path("errors").get(0).path("errorType").asText()), reply);
    }

    @ParameterizedTest
    @ValueSource(strings = {"a", "ee849ef0-cf23-4cb8-9fcb-152ae4fd1e69", "A_b+C-9", "+", "-", "_"})
    void subscribe_idWithinThePattern_isAccepted(String id) {
        ConnectionAuth auth = f.open("c1");
        assertEquals(FrameCodec.encode(new Frame.SubscribeSuccess(id)), f.one("c1", auth, subscribe(id, "/default/*")));
    }

    @Test
    void subscribe_idOf128Characters_isAcceptedAndUsedInDataFrames() {
        String id = "x".repeat(128);
        ConnectionAuth auth = f.open("c1");
        assertEquals(FrameCodec.encode(new Frame.SubscribeSuccess(id)), f.one("c1", auth, subscribe(id, "/default/*")));
        f.one("c1", auth, publish("p1", "/default/a", "1"));
        assertEquals(List.of(data(id, "1")), f.sender.drain("c1"));
    }

    // ------------------------------------------------------------------ unsubscribe

    @Test
    void unsubscribe_unknownId_unsubscribeErrorUnknownOperation() {
        ConnectionAuth auth = f.open("c1");
        assertEquals("{\"type\":\"unsubscribe_error\",\"id\":\"nope\",\"errors\":[{\"errorType\":\"UnknownOperationError\","
            + "\"message\":\"Unknown operation id nope\"}]}", f.one("c1", auth, "{\"type\":\"unsubscribe\",\"id\":\"nope\"}"));
    }

    @Test
    void unsubscribe_subscribedId_stopsDeliveryAndSecondUnsubscribeFails() {
        ConnectionAuth auth = f.open("c1");
        f.one("c1", auth, subscribe("s1", "/default/*"));
        assertEquals("{\"type\":\"unsubscribe_success\",\"id\":\"s1\"}", f.one("c1", auth, "{\"type\":\"unsubscribe\",\"id\":\"s1\"}"));
        assertError(f.one("c1", auth, "{\"type\":\"unsubscribe\",\"id\":\"s1\"}"), "unsubscribe_error", "s1",
            ErrorTypes.UNKNOWN_OPERATION, "Unknown operation id s1");
        f.one("c1", auth, publish("p1", "/default/a", "1"));
        assertTrue(f.sender.sent("c1").isEmpty());
    }

    @Test
    void unsubscribe_idOfAnotherConnection_isUnknownAndLeavesItAlone() {
        ConnectionAuth a = f.open("c1");
        ConnectionAuth b = f.open("c2");
        f.one("c1", a, subscribe("s1", "/default/*"));
        assertError(f.one("c2", b, "{\"type\":\"unsubscribe\",\"id\":\"s1\"}"), "unsubscribe_error", "s1",
            ErrorTypes.UNKNOWN_OPERATION, "s1");
        assertEquals(List.of(new Subscriber("c1", "s1")), f.store.findSubscribers(ChannelPath.parse("/default/a")));
    }

    // ------------------------------------------------------------------ publish over WebSocket

    @ParameterizedTest
    @ValueSource(ints = {0, 6, 20})
    void publish_eventCountOutside1To5_publishErrorInvalidInput(int count) {
        ConnectionAuth auth = f.open("c1");
        f.one("c1", auth, subscribe("s1", "/default/*"));
        assertError(f.one("c1", auth, publish("p1", "/default/a", events(count))), "publish_error", "p1",
            ErrorTypes.INVALID_INPUT, "A publish carries 1 to 5 events, got " + count);
        assertTrue(f.sender.sent("c1").isEmpty(), "nothing is broadcast");
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 5})
    void publish_eventCountWithinLimit_publishSuccessWithOneIdentifierPerEvent(int count) {
        ConnectionAuth auth = f.open("c1");
        assertPublishSuccess(f.one("c1", auth, publish("p1", "/default/a", events(count))), "p1", count);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{", "hello", "", "   ", "{\"a\":1} x", "{\"a\":1}{}", "NaN", "'single'", "{\"a\":1,}", "[1,]",
        "undefined"})
    void publish_eventNotJsonText_publishErrorInvalidInputNamingTheIndex(String event) {
        ConnectionAuth auth = f.open("c1");
        f.one("c1", auth, subscribe("s1", "/default/*"));
        assertError(f.one("c1", auth, publish("p1", "/default/a", "{\"ok\":true}", event)), "publish_error", "p1",
            ErrorTypes.INVALID_INPUT, "events[1] is not valid JSON text");
        assertTrue(f.sender.sent("c1").isEmpty(), "no event of a refused publish is broadcast");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "[1]                | events[0] must be a string holding JSON",
        "[\"1\",{\"a\":1}]  | events[1] must be a string holding JSON",
        "[\"1\",null]       | events[1] must be a string holding JSON",
        "[[\"1\"]]          | events[0] must be a string holding JSON",
        "\"1\"              | 'events' must be an array of JSON strings, got a string",
        "{\"0\":\"1\"}      | 'events' must be an array of JSON strings, got an object",
        "null               | 'events' is required",
    })
    void publish_eventsNotAnArrayOfStrings_publishErrorInvalidInput(String eventsJson, String messagePart) {
        ConnectionAuth auth = f.open("c1");
        assertError(f.one("c1", auth, publishRaw("p1", "/default/a", eventsJson)), "publish_error", "p1",
            ErrorTypes.INVALID_INPUT, messagePart);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "/default/*           | cannot publish to a wildcard channel",
        "default/a/*          | cannot publish to a wildcard channel",
        "/default/a_b         | may only contain letters, digits and '-'",
        "/default/1/2/3/4/5   | has 6 segments",
        "/default//a          | is empty",
    })
    void publish_invalidOrWildcardChannel_publishErrorBadRequest(String channel, String messagePart) {
        ConnectionAuth auth = f.open("c1");
        String reply = f.one("c1", auth, publish("p1", channel, "1"));
        assertError(reply, "publish_error", "p1", ErrorTypes.BAD_REQUEST, "Invalid Channel Format: ");
        assertError(reply, "publish_error", "p1", ErrorTypes.BAD_REQUEST, messagePart);
    }

    @Test
    void publish_unknownNamespace_publishErrorResourceNotFound() {
        ConnectionAuth auth = f.open("c1");
        assertError(f.one("c1", auth, publish("p1", "/new/channel", "1")), "publish_error", "p1",
            ErrorTypes.RESOURCE_NOT_FOUND, "Namespace 'new' not found; declared namespaces: ");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "NONE", value = {
        "{\"x-api-key\":\"da2-wrong\"}  | Invalid API key",
        "{}                             | No valid credentials to publish",
        "NONE                           | No valid credentials to publish",
    })
    void publish_badCredentials_publishErrorUnauthorizedAndNothingBroadcast(String authorization, String messagePart) {
        ConnectionAuth auth = f.open("c1");
        f.one("c1", auth, subscribe("s1", "/default/*"));
        String frame = "{\"type\":\"publish\",\"id\":\"p1\",\"channel\":\"/default/a\",\"events\":[\"1\"]"
            + (authorization == null ? "" : ",\"authorization\":" + authorization) + "}";
        assertError(f.one("c1", auth, frame), "publish_error", "p1", ErrorTypes.UNAUTHORIZED_EXCEPTION, messagePart);
        assertTrue(f.sender.sent("c1").isEmpty());
    }

    /** Events around a 1000-byte limit, and their size once JSON-escaped as in a data frame (without the quotes). */
    static Stream<Arguments> eventSizes() {
        int limit = 1000;
        return Stream.of(
            arguments("plain, at the limit", "[" + " ".repeat(limit - 2) + "]", limit),
            arguments("plain, one byte over", "[" + " ".repeat(limit - 1) + "]", limit + 1),
            arguments("quotes escaped, at the limit", "\"" + "x".repeat(limit - 4) + "\"", limit),
            arguments("quotes escaped, one byte over (raw text is under the limit)", "\"" + "x".repeat(limit - 3) + "\"", limit + 1),
            arguments("newlines escaped, at the limit", "[" + "\n".repeat(limit / 2 - 1) + "]", limit),
            arguments("newlines escaped, one byte over", "[" + "\n".repeat(limit / 2 - 1) + " ]", limit + 1),
            arguments("two-byte UTF-8, at the limit", "\"" + "\u00e9".repeat((limit - 4) / 2) + "\"", limit),
            arguments("two-byte UTF-8, over", "\"" + "\u00e9".repeat((limit - 4) / 2 + 1) + "\"", limit + 2));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("eventSizes")
    void publish_eventSizeAroundMaxEventBytes_acceptedUpToTheLimit(String name, String event, int escapedBytes) {
        EngineFixture small = new EngineFixture(Map.of("SWITCHBOARD_MAX_EVENT_BYTES", "1000"));
        ConnectionAuth auth = small.open("c1");
        small.one("c1", auth, subscribe("s1", "/default/*"));
        String reply = small.one("c1", auth, publish("p1", "/default/a", event));
        HttpResult http = small.engine.publishHttp(keyHeader(KEY), httpBody("/default/a", event));
        if (escapedBytes <= 1000) {
            assertPublishSuccess(reply, "p1", 1);
            assertEquals(200, http.status(), http.body());
            assertEquals(List.of(data("s1", event), data("s1", event)), small.sender.drain("c1"));
        } else {
            assertError(reply, "publish_error", "p1", ErrorTypes.INVALID_INPUT,
                "events[0] is " + escapedBytes + " bytes once escaped for delivery; the maximum is 1000 bytes");
            assertEquals(400, http.status());
            assertErrorBody(http.body(), ErrorTypes.BAD_REQUEST, "events[0] is " + escapedBytes + " bytes");
            assertTrue(small.sender.sent("c1").isEmpty());
        }
    }

    @Test
    void publish_defaultMaxEventBytes_keepsDataFrameWithLongestIdInsideApiGatewayLimit() {
        String event = "[" + " ".repeat(SwitchboardConfig.DEFAULT_MAX_EVENT_BYTES - 2) + "]";
        String frame = data("x".repeat(128), event);
        assertTrue(frame.getBytes(StandardCharsets.UTF_8).length <= SwitchboardConfig.API_GATEWAY_MESSAGE_BYTES, "frame fits");
        ConnectionAuth auth = f.open("c1");
        assertPublishSuccess(f.one("c1", auth, publish("p1", "/default/a", event)), "p1", 1);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "[\"\\\"\\ud800\\\"\"]                | events[0] contains an unpaired UTF-16 surrogate",
        "[\"\\\"\\udc00\\\"\"]                | events[0] contains an unpaired UTF-16 surrogate",
        "[\"1\",\"\\\"\\udc00\\ud800\\\"\"]   | events[1] contains an unpaired UTF-16 surrogate",
        "[\"\\\"x\\ud83d\"]                   | events[0] contains an unpaired UTF-16 surrogate",
    })
    void publish_loneSurrogate_publishErrorInvalidInput(String eventsJson, String messagePart) {
        ConnectionAuth auth = f.open("c1");
        assertError(f.one("c1", auth, publishRaw("p1", "/default/a", eventsJson)), "publish_error", "p1",
            ErrorTypes.INVALID_INPUT, messagePart);
        assertEquals(400, f.engine.publishHttp(keyHeader(KEY), "{\"channel\":\"/default/a\",\"events\":" + eventsJson + "}").status());
    }

    @Test
    void publish_surrogatePairEscapedInFrame_isAcceptedAndDeliveredAsTheCharacter() {
        ConnectionAuth auth = f.open("c1");
        f.one("c1", auth, subscribe("s1", "/default/*"));
        assertPublishSuccess(f.one("c1", auth, publishRaw("p1", "/default/a", "[\"\\\"\\ud83d\\ude00\\\"\"]")), "p1", 1);
        assertEquals(List.of(data("s1", "\"\ud83d\ude00\"")), f.sender.drain("c1"));
    }

    // ------------------------------------------------------------------ unknown and server-only types

    @ParameterizedTest
    @ValueSource(strings = {"start", "subscribe_all", "SUBSCRIBE", "stop", "connection_terminate"})
    void message_unknownType_errorUnsupportedOperationWithoutId(String type) {
        ConnectionAuth auth = f.open("c1");
        assertError(f.one("c1", auth, "{\"type\":\"" + type + "\",\"id\":\"x1\"}"), "error", null,
            ErrorTypes.UNSUPPORTED_OPERATION, "Unknown frame type '" + type + "'");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"type\":\"ka\"}",
        "{\"type\":\"connection_ack\",\"connectionTimeoutMs\":1}",
        "{\"type\":\"connection_error\",\"errors\":[]}",
        "{\"type\":\"subscribe_success\",\"id\":\"s1\"}",
        "{\"type\":\"subscribe_error\",\"id\":\"s1\",\"errors\":[]}",
        "{\"type\":\"data\",\"id\":\"s1\",\"event\":\"1\"}",
        "{\"type\":\"broadcast_error\",\"id\":\"s1\",\"errors\":[]}",
        "{\"type\":\"unsubscribe_success\",\"id\":\"s1\"}",
        "{\"type\":\"unsubscribe_error\",\"id\":\"s1\",\"errors\":[]}",
        "{\"type\":\"publish_success\",\"id\":\"p1\",\"successful\":[],\"failed\":[]}",
        "{\"type\":\"publish_error\",\"id\":\"p1\",\"errors\":[]}",
        "{\"type\":\"error\",\"errors\":[]}",
    })
    void message_serverOnlyTypeFromClient_errorUnsupportedOperation(String frame) {
        ConnectionAuth auth = f.open("c1");
        String type = json(frame).path("type").asText();
        assertError(f.one("c1", auth, frame), "error", null, ErrorTypes.UNSUPPORTED_OPERATION,
            "Frame type '" + type + "' is sent by the server, not by clients");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "not json          | not valid JSON",
        "[]                | must be a JSON object",
        "42                | must be a JSON object",
        "{}                | no 'type'",
        "{\"type\":7}      | 'type' must be a string",
    })
    void message_notAFrame_errorBadRequestWithoutId(String text, String messagePart) {
        ConnectionAuth auth = f.open("c1");
        assertError(f.one("c1", auth, text), "error", null, ErrorTypes.BAD_REQUEST, messagePart);
    }

    @Test
    void message_emptyOrDeeplyNestedText_errorBadRequestWithoutId() {
        ConnectionAuth auth = f.open("c1");
        assertError(f.one("c1", auth, ""), "error", null, ErrorTypes.BAD_REQUEST, "empty");
        assertError(f.one("c1", auth, "[".repeat(100_000)), "error", null, ErrorTypes.BAD_REQUEST, "not valid JSON");
    }

    // ------------------------------------------------------------------ store failures

    /** The in-memory store that fails while {@link #down} is set. */
    private static final class FlakyStore implements SubscriptionStore {
        final InMemorySubscriptionStore delegate = new InMemorySubscriptionStore();
        volatile boolean down;

        private void check() {
            if (down) {
                throw new StoreUnavailableException("table unreachable", new RuntimeException("timeout"));
            }
        }

        @Override
        public void putConnection(ConnectionRecord connection) {
            check();
            delegate.putConnection(connection);
        }

        @Override
        public void addSubscription(String connectionId, String subscriptionId, ChannelPattern pattern, int maxSubscriptions) {
            check();
            delegate.addSubscription(connectionId, subscriptionId, pattern, maxSubscriptions);
        }

        @Override
        public boolean removeSubscription(String connectionId, String subscriptionId) {
            check();
            return delegate.removeSubscription(connectionId, subscriptionId);
        }

        @Override
        public List<Subscriber> findSubscribers(ChannelPath channel) {
            check();
            return delegate.findSubscribers(channel);
        }

        @Override
        public void removeConnection(String connectionId) {
            check();
            delegate.removeConnection(connectionId);
        }

        @Override
        public void forEachConnection(int shard, int shards, java.util.function.Consumer<String> action) {
            check();
            delegate.forEachConnection(shard, shards, action);
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "subscribe   | subscribe_error",
        "unsubscribe | unsubscribe_error",
        "publish     | publish_error",
    })
    void message_storeUnavailable_retryableErrorForThatOperation(String type, String errorFrameType) {
        FlakyStore store = new FlakyStore();
        EngineFixture flaky = new EngineFixture(Map.of(), store, null);
        ConnectionAuth auth = flaky.engine.authorizeConnect(Map.of("x-api-key", KEY));
        flaky.engine.connect("c1", 1L, auth, Map.of());
        String frame = switch (type) {
            case "subscribe" -> subscribe("x1", "/default/*");
            case "unsubscribe" -> "{\"type\":\"unsubscribe\",\"id\":\"x1\"}";
            default -> publish("x1", "/default/a", "1");
        };
        store.down = true;
        assertError(flaky.one("c1", auth, frame), errorFrameType, "x1", ErrorTypes.SERVICE_UNAVAILABLE, "try again");
        store.down = false;
        assertEquals("{\"type\":\"subscribe_success\",\"id\":\"y1\"}", flaky.one("c1", auth, subscribe("y1", "/default/*")),
            "the connection survives a store outage");
    }

    @Test
    void publishHttp_storeUnavailable_503WithRetryableError() {
        FlakyStore store = new FlakyStore();
        EngineFixture flaky = new EngineFixture(Map.of(), store, null);
        store.down = true;
        HttpResult result = flaky.engine.publishHttp(keyHeader(KEY), httpBody("/default/a", "1"));
        assertEquals(503, result.status());
        assertEquals("ServiceUnavailableException", json(result.body()).path("errors").get(0).path("errorType").asText());
    }

    // ------------------------------------------------------------------ delivery

    @Test
    void publish_matchingSubscriptions_oneDataFramePerEventPerSubscription() {
        ConnectionAuth a = f.open("a");
        ConnectionAuth b = f.open("b");
        ConnectionAuth c = f.open("c");
        f.one("a", a, subscribe("wild", "/default/*"));
        f.one("b", b, subscribe("exact", "/default/room"));
        f.one("c", c, subscribe("other", "/default/other"));
        f.one("c", c, subscribe("deeper", "/default/room/*"));
        f.one("c", c, subscribe("sample", "/sample/*"));

        ConnectionAuth p = f.open("p");
        assertPublishSuccess(f.one("p", p, publish("p1", "/default/room", "1", "2", "3")), "p1", 3);

        assertEquals(List.of(data("wild", "1"), data("wild", "2"), data("wild", "3")), f.sender.drain("a"));
        assertEquals(List.of(data("exact", "1"), data("exact", "2"), data("exact", "3")), f.sender.drain("b"));
        assertEquals(List.of(), f.sender.drain("c"));
        assertEquals(List.of(), f.sender.drain("p"), "the publisher is not subscribed");
    }

    @Test
    void publish_eventText_deliveredByteIdenticalAsJsonString() {
        String event = "{ \"b\" : [1, 2.50, 1e3, \"x\\/y\", \"\u00e9\ud83d\ude00\", \"\\u00e9\", \"<tag>&\", null],\n\t\"k\":\"\\\"q\\\"\\\\\" }\r\n";
        ConnectionAuth auth = f.open("c1");
        f.one("c1", auth, subscribe("s1", "/default/*"));
        f.one("c1", auth, publish("p1", "/default/a", event));
        List<String> frames = f.sender.drain("c1");
        assertEquals(1, frames.size());
        assertEquals("{\"type\":\"data\",\"id\":\"s1\",\"event\":" + FrameCodec.quote(event) + "}", frames.get(0));
        assertEquals(new Frame.Data("s1", event), FrameCodec.decode(frames.get(0)));
        assertTrue(json(frames.get(0)).path("event").isTextual(), "event is a JSON string, not an object");
    }

    @ParameterizedTest
    @ValueSource(strings = {"42", "\"Hola Mundo!\"", "null", "true", "[]", "{}", "-0.5e-7", "\"\""})
    void publish_anyJsonValue_isDeliveredAsItsText(String event) {
        ConnectionAuth auth = f.open("c1");
        f.one("c1", auth, subscribe("s1", "/default/*"));
        assertPublishSuccess(f.one("c1", auth, publish("p1", "/default/a", event)), "p1", 1);
        assertEquals(List.of(data("s1", event)), f.sender.drain("c1"));
    }

    @Test
    void publish_overlappingSubscriptionsOnOneConnection_deliveredOncePerSubscriptionId() {
        ConnectionAuth auth = f.open("c1");
        f.one("c1", auth, subscribe("wide", "/default/*"));
        f.one("c1", auth, subscribe("narrow", "/default/a/*"));
        f.one("c1", auth, subscribe("exact", "/default/a/b"));
        f.one("c1", auth, subscribe("elsewhere", "/default/c"));
        f.engine.publishHttp(keyHeader(KEY), httpBody("/default/a/b", "1", "2"));

        List<String> frames = f.sender.drain("c1");
        assertEquals(6, frames.size(), frames::toString);
        Map<String, List<String>> bySubscription = new HashMap<>();
        for (String frame : frames) {
            Frame.Data data = (Frame.Data) FrameCodec.decode(frame);
            bySubscription.computeIfAbsent(data.id(), k -> new ArrayList<>()).add(data.event());
        }
        assertEquals(Map.of("wide", List.of("1", "2"), "narrow", List.of("1", "2"), "exact", List.of("1", "2")), bySubscription);
    }

    @Test
    void publish_publisherSubscribed_receivesItsOwnEvents() {
        ConnectionAuth auth = f.open("c1");
        f.one("c1", auth, subscribe("s1", "/default/*"));
        assertPublishSuccess(f.one("c1", auth, publish("p1", "/default/a", "{\"me\":1}")), "p1", 1);
        assertEquals(List.of(data("s1", "{\"me\":1}")), f.sender.drain("c1"));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 40})
    void publish_fiveEvents_orderKeptPerSubscription(int subscribers) {
        List<ConnectionAuth> auths = new ArrayList<>();
        for (int i = 0; i < subscribers; i++) {
            auths.add(f.open("c" + i));
            f.one("c" + i, auths.get(i), subscribe("s" + i, i % 2 == 0 ? "/default/*" : "/default/a"));
        }
        ConnectionAuth p = f.open("p");
        f.one("p", p, publish("p1", "/default/a", "1", "2", "3", "4", "5"));
        for (int i = 0; i < subscribers; i++) {
            String id = "s" + i;
            assertEquals(Stream.of("1", "2", "3", "4", "5").map(e -> data(id, e)).toList(), f.sender.drain("c" + i));
        }
    }

    @Test
    void publish_noSubscribers_stillSucceeds() {
        ConnectionAuth auth = f.open("c1");
        assertPublishSuccess(f.one("c1", auth, publish("p1", "/default/nobody/listens", "1", "2")), "p1", 2);
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 30})
    void publish_goneConnection_isPurgedAndOthersStillReceive(int others) {
        ConnectionAuth gone = f.open("gone");
        f.one("gone", gone, subscribe("g1", "/default/*"));
        f.one("gone", gone, subscribe("g2", "/default/a"));
        for (int i = 0; i < others; i++) {
            f.one("c" + i, f.open("c" + i), subscribe("s" + i, "/default/*"));
        }
        f.sender.markGone("gone");

        ConnectionAuth p = f.open("p");
        assertPublishSuccess(f.one("p", p, publish("p1", "/default/a", "1", "2")), "p1", 2);

        assertNull(f.store.connection("gone"), "the gone connection, not the publisher, is purged");
        assertNotNull(f.store.connection("p"));
        assertTrue(f.store.findSubscribers(ChannelPath.parse("/default/a")).stream().noneMatch(s -> s.connectionId().equals("gone")));
        for (int i = 0; i < others; i++) {
            assertEquals(List.of(data("s" + i, "1"), data("s" + i, "2")), f.sender.drain("c" + i));
        }
        assertEquals(others, f.store.findSubscribers(ChannelPath.parse("/default/a")).size());
    }

    /** Records which thread sent what, then lets the recording sender record it. */
    private static final class ThreadRecordingSender implements ConnectionSender {
        final ConnectionSender delegate;
        final Set<String> threads = ConcurrentHashMap.newKeySet();

        ThreadRecordingSender(ConnectionSender delegate) {
            this.delegate = delegate;
        }

        @Override
        public SendResult send(String connectionId, String frame) {
            threads.add(Thread.currentThread().getName());
            return delegate.send(connectionId, frame);
        }

        @Override
        public void close(String connectionId) {
            delegate.close(connectionId);
        }
    }

    @Test
    void publishHttp_thousandSubscribers_eachGetsEveryEventExactlyOnceInOrderThroughParallelFanOut() {
        InMemorySubscriptionStore store = new InMemorySubscriptionStore();
        io.switchboard.core.memory.RecordingConnectionSender recording = new io.switchboard.core.memory.RecordingConnectionSender();
        ThreadRecordingSender sender = new ThreadRecordingSender(recording);
        EngineFixture big = new EngineFixture(Map.of("SWITCHBOARD_FANOUT_PARALLELISM", "8"), store, sender);
        int n = 1000;
        for (int i = 0; i < n; i++) {
            ConnectionAuth auth = big.engine.authorizeConnect(Map.of("x-api-key", KEY));
            big.engine.connect("c" + i, 1L, auth, Map.of());
            String reply = big.engine.message("c" + i, subscribe("s" + i, i % 3 == 0 ? "/default/*" : "/default/big/room"), auth)
                .replies().get(0);
            assertEquals(FrameCodec.encode(new Frame.SubscribeSuccess("s" + i)), reply);
        }
        HttpResult result = big.engine.publishHttp(keyHeader(KEY), httpBody("/default/big/room", "{\"e\":1}", "{\"e\":2}"));
        assertEquals(200, result.status(), result.body());
        for (int i = 0; i < n; i++) {
            assertEquals(List.of(data("s" + i, "{\"e\":1}"), data("s" + i, "{\"e\":2}")), recording.sent("c" + i), "c" + i);
        }
        assertFalse(sender.threads.contains(Thread.currentThread().getName()), "sent by the fan-out pool");
        assertTrue(sender.threads.stream().allMatch(t -> t.startsWith("switchboard-fanout-")), sender.threads::toString);
        assertTrue(sender.threads.size() <= 8, "bounded by SWITCHBOARD_FANOUT_PARALLELISM: " + sender.threads);
    }

    // ------------------------------------------------------------------ HTTP publish

    @Test
    void publishHttp_validRequest_200WithIdentifiersInDocumentedShapeAndDelivers() {
        ConnectionAuth auth = f.open("c1");
        f.one("c1", auth, subscribe("s1", "/default/*"));
        HttpResult result = f.engine.publishHttp(keyHeader(KEY), httpBody("/default/channel",
            "{\"event_1\":\"data_1\"}", "{\"event_2\":\"data_2\"}"));
        assertEquals(200, result.status());
        assertTrue(Pattern.matches("\\{\"failed\":\\[],\"successful\":\\[\\{\"identifier\":\"" + UUID_RE + "\",\"index\":0},"
            + "\\{\"identifier\":\"" + UUID_RE + "\",\"index\":1}]}", result.body()), result.body());
        JsonNode body = json(result.body());
        String first = body.path("successful").get(0).path("identifier").asText();
        String second = body.path("successful").get(1).path("identifier").asText();
        assertEquals(4, UUID.fromString(first).version());
        assertFalse(first.equals(second));
        assertEquals(List.of(data("s1", "{\"event_1\":\"data_1\"}"), data("s1", "{\"event_2\":\"data_2\"}")), f.sender.drain("c1"));
    }

    @ParameterizedTest
    @CsvSource({"default/channel", "/default/channel", "default/channel/", "/default/channel/"})
    void publishHttp_channelWithOrWithoutSlashes_isNormalisedAndDelivered(String channel) {
        ConnectionAuth auth = f.open("c1");
        f.one("c1", auth, subscribe("s1", "/default/channel"));
        assertEquals(200, f.engine.publishHttp(keyHeader(KEY), httpBody(channel, "\"Hola\"")).status());
        assertEquals(List.of(data("s1", "\"Hola\"")), f.sender.drain("c1"));
    }

    @ParameterizedTest
    @CsvSource({"x-api-key", "X-Api-Key", "X-API-KEY"})
    void publishHttp_keyHeaderInAnyCase_isAccepted(String name) {
        assertEquals(200, f.engine.publishHttp(Map.of(name, KEY), httpBody("/default/a", "1")).status());
    }

    static Stream<Arguments> unauthorizedHttp() {
        return Stream.of(
            arguments(Map.of("x-api-key", "da2-wrong"), "Invalid API key"),
            arguments(Map.of("x-api-key", ""), "No valid credentials to publish"),
            arguments(Map.of("content-type", "application/json"), "No valid credentials to publish"),
            arguments(Map.of("Authorization", "token"), "No valid credentials to publish"));
    }

    @ParameterizedTest
    @MethodSource("unauthorizedHttp")
    void publishHttp_badOrMissingKey_401Unauthorized(Map<String, String> headers, String messagePart) {
        ConnectionAuth auth = f.open("c1");
        f.one("c1", auth, subscribe("s1", "/default/*"));
        HttpResult result = f.engine.publishHttp(headers, httpBody("/default/a", "1"));
        assertEquals(401, result.status());
        assertErrorBody(result.body(), ErrorTypes.UNAUTHORIZED_EXCEPTION, messagePart);
        assertTrue(f.sender.sent("c1").isEmpty());
    }

    private static void assertErrorBody(String body, String errorType, String messagePart) {
        JsonNode node = json(body);
        assertEquals(Set.of("errors"), fieldNames(node), body);
        assertEquals(1, node.path("errors").size(), body);
        assertEquals(Set.of("errorType", "message"), fieldNames(node.path("errors").get(0)), body);
        assertEquals(errorType, node.path("errors").get(0).path("errorType").asText(), body);
        assertTrue(node.path("errors").get(0).path("message").asText().contains(messagePart),
            () -> body + " lacks '" + messagePart + "'");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"channel\":                                                    | Request body is not valid JSON",
        "''                                                               | Request body is empty",
        "[\"/default/a\"]                                                 | must be a JSON object with 'channel' and 'events', got an array",
        "\"/default/a\"                                                   | must be a JSON object with 'channel' and 'events', got a string",
        "42                                                               | must be a JSON object with 'channel' and 'events', got a number",
        "{\"events\":[\"1\"]}                                             | Field 'channel' is required",
        "{\"channel\":null,\"events\":[\"1\"]}                            | Field 'channel' is required",
        "{\"channel\":[\"/default/a\"],\"events\":[\"1\"]}                | Field 'channel' must be a string, got an array",
        "{\"channel\":\"/default/a\"}                                     | Field 'events' is required",
        "{\"channel\":\"/default/a\",\"events\":\"1\"}                    | Field 'events' must be an array of JSON strings, got a string",
        "{\"channel\":\"/default/a\",\"events\":[1]}                      | events[0] must be a string holding JSON",
        "{\"channel\":\"/default/a\",\"events\":[]}                       | A publish carries 1 to 5 events, got 0",
        "{\"channel\":\"/default/a\",\"events\":[\"1\",\"2\",\"3\",\"4\",\"5\",\"6\"]} | A publish carries 1 to 5 events, got 6",
        "{\"channel\":\"/default/a\",\"events\":[\"{\"]}                  | events[0] is not valid JSON text",
        "{\"channel\":\"/default/*\",\"events\":[\"1\"]}                  | cannot publish to a wildcard channel",
        "{\"channel\":\"/default/a_b\",\"events\":[\"1\"]}                | Invalid Channel Format",
        "{\"channel\":\"/default/a\",\"events\":[\"1\"]} trailing         | Request body is not valid JSON",
    })
    void publishHttp_malformedRequest_400BadRequest(String body, String messagePart) {
        HttpResult result = f.engine.publishHttp(keyHeader(KEY), body);
        assertEquals(400, result.status(), result.body());
        assertErrorBody(result.body(), ErrorTypes.BAD_REQUEST, messagePart);
    }

    @Test
    void publishHttp_unknownNamespace_404ResourceNotFound() {
        HttpResult result = f.engine.publishHttp(keyHeader(KEY), httpBody("new/channel", "1"));
        assertEquals(404, result.status());
        assertErrorBody(result.body(), ErrorTypes.RESOURCE_NOT_FOUND, "Namespace 'new' not found");
    }

    @Test
    void publishHttp_unknownNamespace_doesNotListNamespacesToUnauthenticatedCallers() {
        HttpResult result = f.engine.publishHttp(Map.of(), httpBody("new/channel", "1"));
        assertEquals(404, result.status());
        assertFalse(result.body().contains("default"), result.body());
    }

    @Test
    void publish_senderThrows_publishStillAnsweredAndOthersDelivered() {
        RecordingConnectionSender recorder = new RecordingConnectionSender();
        io.switchboard.core.spi.ConnectionSender throwing = new io.switchboard.core.spi.ConnectionSender() {
            @Override
            public SendResult send(String connectionId, String frame) {
                if (connectionId.equals("broken")) {
                    throw new IllegalStateException("sender bug");
                }
                return recorder.send(connectionId, frame);
            }

            @Override
            public void close(String connectionId) {
            }
        };
        EngineFixture g = new EngineFixture(Map.of(), null, throwing);
        ConnectionAuth broken = g.open("broken");
        ConnectionAuth ok = g.open("ok");
        g.one("broken", broken, EngineFixture.subscribe("s1", "/default/*"));
        g.one("ok", ok, EngineFixture.subscribe("s2", "/default/*"));
        String reply = g.one("ok", ok, EngineFixture.publish("p1", "/default/x", "1"));
        assertTrue(reply.startsWith("{\"type\":\"publish_success\""), reply);
        assertEquals(List.of("{\"type\":\"data\",\"id\":\"s2\",\"event\":\"1\"}"), recorder.sent("ok"));
    }

    @Test
    void publishHttp_nullHeaders_401NotACrash() {
        assertEquals(401, f.engine.publishHttp(null, httpBody("/default/a", "1")).status());
    }

    // ------------------------------------------------------------------ signing body and status mapping

    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "NONE", value = {
        "/your/channel/*   | NONE                  | {\"channel\":\"/your/channel/*\"}",
        "/your/channel     | {\"a\":1}             | {\"channel\":\"/your/channel\",\"events\":[\"{\\\"a\\\":1}\"]}",
        "/a/b              | <p>\u00e9</p>        | {\"channel\":\"/a/b\",\"events\":[\"<p>\u00e9</p>\"]}",
    })
    void signedBody_webSocketOperation_isCompactJsonChannelThenEventsWithoutSlashEscaping(String channel, String event,
                                                                                         String expected) {
        assertEquals(expected, Engine.signedBody(channel, event == null ? null : List.of(event)));
    }

    @ParameterizedTest
    @CsvSource({
        "UnauthorizedException, 401", "Unauthorized, 401", "BadRequestException, 400", "InvalidInputError, 400",
        "ResourceNotFound, 404", "LimitExceededError, 429", "ServiceUnavailableException, 503",
        "MessageProcessingError, 500"})
    void httpStatus_errorType_mapsToDocumentedStatus(String errorType, int status) {
        assertEquals(status, Errors.httpStatus(errorType));
    }
}
