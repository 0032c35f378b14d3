package io.switchboard.core.plugin;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.api.AuthorizerResult;
import io.switchboard.api.HandlerException;
import io.switchboard.api.OutgoingEvent;
import io.switchboard.api.SubscribeDecision;
import io.switchboard.api.UnauthorizedException;
import io.switchboard.api.spi.AuthorizerPlugin;
import io.switchboard.api.spi.NamespacePlugin;
import io.switchboard.api.spi.PluginRegistry;
import io.switchboard.api.spi.PublishRoute;
import io.switchboard.api.spi.SubscribeRoute;
import io.switchboard.core.auth.ApiKeyAuthProvider;
import io.switchboard.core.auth.AuthProvider;
import io.switchboard.core.auth.AuthService;
import io.switchboard.core.config.SwitchboardConfig;
import io.switchboard.core.engine.ConnectionAuth;
import io.switchboard.core.engine.Engine;
import io.switchboard.core.engine.HttpResult;
import io.switchboard.core.engine.MessageResult;
import io.switchboard.core.memory.InMemorySubscriptionStore;
import io.switchboard.core.memory.RecordingConnectionSender;
import io.switchboard.core.protocol.FrameCodec;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The engine with namespace handlers and the Lambda authorizer plugged in, over the in-memory store. */
class EnginePluginsTest {
    private static final String KEY = "da2-plugin-test-key";
    private static final Map<String, String> API_KEY = Map.of("x-api-key", KEY);

    private final InMemorySubscriptionStore store = new InMemorySubscriptionStore();
    private final RecordingConnectionSender sender = new RecordingConnectionSender();
    private final List<String> handlerIds = new CopyOnWriteArrayList<>();
    private final List<Object> handlerIdentities = new CopyOnWriteArrayList<>();
    private Engine engine;
    private ConnectionAuth connection;

    @BeforeEach
    void setUp() {
        SwitchboardConfig config = SwitchboardConfig.from(Map.of(
            "SWITCHBOARD_API_KEYS", ApiKeyAuthProvider.digestHex(KEY), "SWITCHBOARD_STORE", "memory")::get);
        NamespacePlugin chat = NamespacePlugin.builder("chat", "Chat")
            .publishAuthModes("API_KEY", "AWS_LAMBDA")
            .subscribeAuthModes("API_KEY", "AWS_LAMBDA")
            .route(PublishRoute.perEvent("/chat/rooms/*", "Chat#moderate", (event, ctx) -> {
                handlerIds.add(event.id());
                handlerIdentities.add(ctx.identity() == null ? "none" : ctx.identity());
                Object text = event.payload() instanceof Map<?, ?> m ? m.get("text") : event.payload();
                String s = String.valueOf(text);
                if (s.contains("bad")) {
                    return OutgoingEvent.error(event.id(), "message rejected by moderation");
                } else if (s.equals("boom")) {
                    throw new IllegalStateException("jdbc://secret-host");
                } else if (s.equals("deny")) {
                    throw new UnauthorizedException();
                } else if (s.equals("reject")) {
                    throw new HandlerException("rooms are closed tonight");
                } else if (s.equals("drop")) {
                    return OutgoingEvent.drop();
                }
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("text", text);
                out.put("serverTime", "2026-01-01T00:00:00Z");
                return out;
            }))
            .route(PublishRoute.aggregate("/chat/agg/*", "Chat#agg", ctx -> List.of(OutgoingEvent.of("not-an-id", 1))))
            .route(SubscribeRoute.of("/chat/private/*", "Chat#owner", ctx -> {
                String user = ctx.handlerContext().getOrDefault("userId", ctx.header("x-user-id"));
                return ctx.segments().get(ctx.segments().size() - 1).equals(user)
                    ? SubscribeDecision.allow() : SubscribeDecision.deny("private channel");
            }))
            .route(SubscribeRoute.of("/chat/crash", "Chat#crash", ctx -> {
                throw new IllegalStateException("secret internals");
            }))
            .build();
        AuthorizerPlugin authorizer = AuthorizerPlugin.of("Auth", "user-[a-z]+", 0, request ->
            AuthorizerResult.allow(Map.of("userId", request.token().substring(5))));
        PluginRegistry registry = new PluginRegistry() {
            @Override
            public List<NamespacePlugin> namespaces() {
                return List.of(chat);
            }

            @Override
            public List<AuthorizerPlugin> authorizers() {
                return List.of(authorizer);
            }
        };
        Plugins plugins = Plugins.of(List.of(registry));
        List<AuthProvider> providers = new ArrayList<>();
        providers.add(new ApiKeyAuthProvider(config.apiKeys(), Clock.systemUTC()));
        providers.addAll(plugins.authProviders(Clock.systemUTC()));
        engine = new Engine(config, store, sender, new AuthService(providers), plugins);

        Map<String, String> upgrade = Map.of("Sec-WebSocket-Protocol", "aws-appsync-event-ws", "x-api-key", KEY);
        connection = engine.authorizeConnect(upgrade);
        assertTrue(connection.authorized());
        engine.connect("c1", 0, connection, upgrade);
    }

    private JsonNode send(String frame) {
        MessageResult result = engine.message("c1", frame, connection);
        assertFalse(result.close(), "the connection survives");
        assertEquals(1, result.replies().size(), () -> "replies: " + result.replies());
        return FrameCodec.parse(result.replies().get(0));
    }

    private static String authorization(Map<String, String> headers) {
        StringBuilder sb = new StringBuilder("{");
        headers.forEach((k, v) -> sb.append(sb.length() > 1 ? "," : "").append(FrameCodec.quote(k)).append(':').append(FrameCodec.quote(v)));
        return sb.append('}').toString();
    }

    private JsonNode subscribe(String id, String channel, Map<String, String> auth) {
        return send("{\"type\":\"subscribe\",\"id\":\"" + id + "\",\"channel\":" + FrameCodec.quote(channel)
            + ",\"authorization\":" + authorization(auth) + "}");
    }

    private JsonNode publish(String id, String channel, Map<String, String> auth, String... events) {
        StringBuilder sb = new StringBuilder("{\"type\":\"publish\",\"id\":\"" + id + "\",\"channel\":"
            + FrameCodec.quote(channel) + ",\"events\":[");
        for (int i = 0; i < events.length; i++) {
            sb.append(i > 0 ? "," : "").append(FrameCodec.quote(events[i]));
        }
        return send(sb.append("],\"authorization\":").append(authorization(auth)).append('}').toString());
    }

    /** The {@code event} texts of the data frames c1 received since the last call. */
    private List<String> delivered(String subscriptionId) {
        List<String> events = new ArrayList<>();
        for (String frame : sender.drain("c1")) {
            JsonNode node = FrameCodec.parse(frame);
            assertEquals("data", node.get("type").asText(), frame);
            if (node.get("id").asText().equals(subscriptionId)) {
                events.add(node.get("event").asText());
            }
        }
        return events;
    }

    @Test
    void withoutHandler_eventsPassThroughByteForByte_andConfiguredNamespacesStillWork() {
        assertEquals("subscribe_success", subscribe("s1", "/default/*", API_KEY).get("type").asText());
        JsonNode reply = publish("p1", "/default/room", API_KEY, "{\"a\" :  1}", "\"Hola\"");
        assertEquals("publish_success", reply.get("type").asText());
        assertEquals(2, reply.get("successful").size());
        assertEquals(List.of("{\"a\" :  1}", "\"Hola\""), delivered("s1"));
        assertTrue(handlerIds.isEmpty());
    }

    @Test
    void moderation_errorsAreReportedInFailed_othersAreTransformedAndBroadcast() {
        assertEquals("subscribe_success", subscribe("s1", "/chat/rooms/*", API_KEY).get("type").asText());
        JsonNode reply = publish("p1", "/chat/rooms/lobby", API_KEY,
            "{\"text\":\"hello\"}", "{\"text\":\"a bad word\"}", "{\"text\":\"drop\"}", "\"bye\"");
        assertEquals("publish_success", reply.get("type").asText(), reply.toString());
        assertEquals(4, handlerIds.size());

        JsonNode successful = reply.get("successful");
        assertEquals(3, successful.size());
        assertEquals(List.of(0, 2, 3), List.of(successful.get(0).get("index").asInt(), successful.get(1).get("index").asInt(),
            successful.get(2).get("index").asInt()));
        assertEquals(handlerIds.get(0), successful.get(0).get("identifier").asText(), "handlers see the identifier");
        assertEquals(handlerIds.get(3), successful.get(2).get("identifier").asText());

        JsonNode failed = reply.get("failed");
        assertEquals(1, failed.size());
        assertEquals(handlerIds.get(1), failed.get(0).get("identifier").asText());
        assertEquals(1, failed.get(0).get("index").asInt());
        assertEquals(400, failed.get(0).get("code").asInt());
        assertEquals("message rejected by moderation", failed.get(0).get("message").asText());

        assertEquals(List.of("{\"text\":\"hello\",\"serverTime\":\"2026-01-01T00:00:00Z\"}",
            "{\"text\":\"bye\",\"serverTime\":\"2026-01-01T00:00:00Z\"}"), delivered("s1"));
        assertEquals(List.of("none", "none", "none", "none"), handlerIdentities, "API key callers have no identity");
    }

    @Test
    void handlerExceptions_failTheWholePublish_withTheRightErrorType_andNothingIsBroadcast() {
        subscribe("s1", "/chat/rooms/*", API_KEY);
        JsonNode crash = publish("p1", "/chat/rooms/lobby", API_KEY, "{\"text\":\"hi\"}", "{\"text\":\"boom\"}");
        assertEquals("publish_error", crash.get("type").asText());
        assertEquals("p1", crash.get("id").asText());
        assertEquals("MessageProcessingError", crash.at("/errors/0/errorType").asText());
        assertEquals("There was an error processing the message", crash.at("/errors/0/message").asText());
        assertFalse(crash.toString().contains("secret"));

        JsonNode denied = publish("p2", "/chat/rooms/lobby", API_KEY, "{\"text\":\"deny\"}");
        assertEquals("publish_error", denied.get("type").asText());
        assertEquals("UnauthorizedException", denied.at("/errors/0/errorType").asText());

        JsonNode rejected = publish("p3", "/chat/rooms/lobby", API_KEY, "{\"text\":\"reject\"}");
        assertEquals("HandlerError", rejected.at("/errors/0/errorType").asText());
        assertEquals("rooms are closed tonight", rejected.at("/errors/0/message").asText());

        JsonNode unknownId = publish("p4", "/chat/agg/x", API_KEY, "1");
        assertEquals("MessageProcessingError", unknownId.at("/errors/0/errorType").asText());
        assertEquals("The onPublish handler for /chat/agg/* returned an event with id 'not-an-id', which is not one of "
            + "the published events' ids", unknownId.at("/errors/0/message").asText());

        assertEquals(List.of(), delivered("s1"));
        assertEquals("publish_success", publish("p5", "/chat/rooms/lobby", API_KEY, "{\"text\":\"still here\"}")
            .get("type").asText());
    }

    @Test
    void httpPublish_sameSemantics_withStatuses() {
        subscribe("s1", "/chat/rooms/*", API_KEY);
        Map<String, String> headers = Map.of("x-api-key", KEY, "content-type", "application/json");
        HttpResult partial = engine.publishHttp(headers,
            "{\"channel\":\"chat/rooms/lobby\",\"events\":[\"{\\\"text\\\":\\\"bad\\\"}\",\"{\\\"text\\\":\\\"ok\\\"}\"]}");
        assertEquals(200, partial.status(), partial.body());
        JsonNode body = FrameCodec.parse(partial.body());
        assertEquals(1, body.get("failed").size());
        assertEquals(0, body.at("/failed/0/index").asInt());
        assertEquals("message rejected by moderation", body.at("/failed/0/message").asText());
        assertEquals(1, body.at("/successful/0/index").asInt());
        assertEquals(1, delivered("s1").size());

        HttpResult unauthorized = engine.publishHttp(headers, "{\"channel\":\"/chat/rooms/1\",\"events\":[\"\\\"deny\\\"\"]}");
        assertEquals(401, unauthorized.status());
        assertEquals("UnauthorizedException", FrameCodec.parse(unauthorized.body()).at("/errors/0/errorType").asText());

        HttpResult rejected = engine.publishHttp(headers, "{\"channel\":\"/chat/rooms/1\",\"events\":[\"\\\"reject\\\"\"]}");
        assertEquals(403, rejected.status());
        assertEquals("rooms are closed tonight", FrameCodec.parse(rejected.body()).at("/errors/0/message").asText());

        HttpResult crash = engine.publishHttp(headers, "{\"channel\":\"/chat/rooms/1\",\"events\":[\"\\\"boom\\\"\"]}");
        assertEquals(500, crash.status());
        assertFalse(crash.body().contains("secret"));
        assertEquals(List.of(), delivered("s1"));
    }

    @Test
    void privateChannel_onlyTheOwnerMaySubscribe_andADeniedSubscriptionIsNotStored() {
        JsonNode owner = subscribe("mine", "/chat/private/bob", Map.of("x-api-key", KEY, "x-user-id", "bob"));
        assertEquals("subscribe_success", owner.get("type").asText());
        JsonNode other = subscribe("theirs", "/chat/private/bob", Map.of("x-api-key", KEY, "x-user-id", "alice"));
        assertEquals("subscribe_error", other.get("type").asText());
        assertEquals("theirs", other.get("id").asText());
        assertEquals("Unauthorized", other.at("/errors/0/errorType").asText());
        assertEquals("private channel", other.at("/errors/0/message").asText());
        JsonNode wildcard = subscribe("all", "/chat/private/*", Map.of("x-api-key", KEY, "x-user-id", "bob"));
        assertEquals("subscribe_error", wildcard.get("type").asText());

        publish("p1", "/chat/private/bob", API_KEY, "\"psst\"");
        List<String> frames = sender.drain("c1");
        assertEquals(1, frames.size(), () -> "frames: " + frames);
        assertEquals("mine", FrameCodec.parse(frames.get(0)).get("id").asText());
    }

    @Test
    void lambdaAuthorizer_identityReachesHandlers_asHandlerContext() {
        JsonNode owner = subscribe("mine", "/chat/private/bob", Map.of("Authorization", "user-bob"));
        assertEquals("subscribe_success", owner.get("type").asText(), owner.toString());
        JsonNode other = subscribe("theirs", "/chat/private/bob", Map.of("Authorization", "user-eve", "x-user-id", "bob"));
        assertEquals("Unauthorized", other.at("/errors/0/errorType").asText(), "handlerContext wins over headers");
        JsonNode badToken = subscribe("bad", "/chat/private/bob", Map.of("Authorization", "BOB"));
        assertEquals("UnauthorizedException", badToken.at("/errors/0/errorType").asText());

        publish("p1", "/chat/rooms/1", Map.of("Authorization", "user-bob"), "\"hi\"");
        assertEquals(List.of(Map.of("handlerContext", Map.of("userId", "bob"))), handlerIdentities);
        // the default namespace allows API keys only
        assertEquals("UnauthorizedException", publish("p2", "/default/x", Map.of("Authorization", "user-bob"), "1")
            .at("/errors/0/errorType").asText());
    }

    @Test
    void subscribeHandlerCrash_isAGenericSubscriptionError() {
        JsonNode crash = subscribe("s1", "/chat/crash", API_KEY);
        assertEquals("subscribe_error", crash.get("type").asText());
        assertEquals("SubscriptionProcessingError", crash.at("/errors/0/errorType").asText());
        assertEquals("There was an error processing the operation", crash.at("/errors/0/message").asText());
        assertNull(crash.get("stackTrace"));
        assertEquals("subscribe_success", subscribe("s2", "/chat/crash/below", API_KEY).get("type").asText(),
            "an exact pattern does not cover the channels below it");
    }
}
