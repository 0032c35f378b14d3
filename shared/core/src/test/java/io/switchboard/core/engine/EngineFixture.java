package io.switchboard.core.engine;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.core.auth.ApiKeyAuthProvider;
import io.switchboard.core.auth.AuthService;
import io.switchboard.core.config.SwitchboardConfig;
import io.switchboard.core.memory.InMemorySubscriptionStore;
import io.switchboard.core.memory.RecordingConnectionSender;
import io.switchboard.core.protocol.FrameCodec;
import io.switchboard.core.spi.ConnectionSender;
import io.switchboard.core.spi.SubscriptionStore;

import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** An engine on the in-memory store and a recording sender, with one known API key. */
final class EngineFixture {
    static final String KEY = "da2-xxx";
    static final String HOST = "abc.appsync-api.us-east-1.amazonaws.com";

    final SwitchboardConfig config;
    final InMemorySubscriptionStore store = new InMemorySubscriptionStore();
    final RecordingConnectionSender sender = new RecordingConnectionSender();
    final Engine engine;

    EngineFixture() {
        this(Map.of());
    }

    /** {@code extra} adds or overrides configuration variables. */
    EngineFixture(Map<String, String> extra) {
        this(extra, null, null);
    }

    EngineFixture(Map<String, String> extra, SubscriptionStore storeOverride, ConnectionSender senderOverride) {
        Map<String, String> env = new HashMap<>();
        env.put("SWITCHBOARD_API_KEYS", ApiKeyAuthProvider.digestHex(KEY));
        env.put("SWITCHBOARD_STORE", "memory");
        env.putAll(extra);
        config = SwitchboardConfig.from(Map.copyOf(env)::get);
        AuthService auth = new AuthService(List.of(new ApiKeyAuthProvider(config.apiKeys(), Clock.systemUTC())));
        engine = new Engine(config, storeOverride != null ? storeOverride : store,
            senderOverride != null ? senderOverride : sender, auth);
    }

    /** Connects with the key as a plain upgrade header (as the native SDKs do); the connection is authorized. */
    ConnectionAuth open(String connectionId) {
        Map<String, String> headers = Map.of("Sec-WebSocket-Protocol", "aws-appsync-event-ws", "x-api-key", KEY, "host", HOST);
        ConnectionAuth auth = engine.authorizeConnect(headers);
        assertTrue(auth.authorized(), () -> "fixture connect refused: " + auth);
        engine.connect(connectionId, 1_767_225_600_000L, auth, headers);
        return auth;
    }

    /** Sends one frame, expects exactly one reply that does not close the connection, and returns it. */
    String one(String connectionId, ConnectionAuth auth, String frame) {
        MessageResult result = engine.message(connectionId, frame, auth);
        assertFalse(result.close(), "connection must survive: " + result);
        assertEquals(1, result.replies().size(), () -> "replies: " + result.replies());
        return result.replies().get(0);
    }

    static String subscribe(String id, String channel) {
        return subscribe(id, channel, KEY);
    }

    static String subscribe(String id, String channel, String key) {
        return "{\"type\":\"subscribe\",\"id\":" + FrameCodec.quote(id) + ",\"channel\":" + FrameCodec.quote(channel)
            + ",\"authorization\":{\"x-api-key\":" + FrameCodec.quote(key) + ",\"host\":\"" + HOST + "\"}}";
    }

    /** A publish frame; {@code events} are event texts (each is sent as a JSON string). */
    static String publish(String id, String channel, String... events) {
        StringBuilder sb = new StringBuilder("{\"type\":\"publish\",\"id\":" + FrameCodec.quote(id) + ",\"channel\":"
            + FrameCodec.quote(channel) + ",\"events\":[");
        for (int i = 0; i < events.length; i++) {
            sb.append(i == 0 ? "" : ",").append(FrameCodec.quote(events[i]));
        }
        return sb.append("],\"authorization\":{\"x-api-key\":\"" + KEY + "\"}}").toString();
    }

    static JsonNode json(String text) {
        return FrameCodec.parse(text);
    }

    /** The data frame a subscriber must receive, as {@link FrameCodec} writes it. */
    static String data(String subscriptionId, String event) {
        return FrameCodec.encode(new io.switchboard.core.protocol.Frame.Data(subscriptionId, event));
    }
}
