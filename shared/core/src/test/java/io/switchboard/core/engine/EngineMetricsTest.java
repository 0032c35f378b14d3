package io.switchboard.core.engine;

import io.switchboard.api.OutgoingEvent;
import io.switchboard.api.spi.NamespacePlugin;
import io.switchboard.api.spi.PluginRegistry;
import io.switchboard.api.spi.PublishRoute;
import io.switchboard.core.auth.ApiKeyAuthProvider;
import io.switchboard.core.auth.AuthService;
import io.switchboard.core.config.SwitchboardConfig;
import io.switchboard.core.memory.InMemorySubscriptionStore;
import io.switchboard.core.memory.RecordingConnectionSender;
import io.switchboard.core.plugin.Plugins;
import io.switchboard.core.spi.ConnectionSender;
import io.switchboard.core.spi.Metrics;
import io.switchboard.core.spi.Metrics.Metric;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import static io.switchboard.core.engine.EngineFixture.KEY;
import static io.switchboard.core.engine.EngineFixture.publish;
import static io.switchboard.core.engine.EngineFixture.subscribe;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the engine counts, counted where it happens, with the channel in the logging MDC while it runs. */
class EngineMetricsTest {
    private final RecordingConnectionSender recorder = new RecordingConnectionSender();
    private final Map<Metric, List<Double>> counted = new EnumMap<>(Metric.class);
    private final List<String> channelsSeen = new ArrayList<>();
    private Engine engine;

    @BeforeEach
    void setUp() {
        SwitchboardConfig config = SwitchboardConfig.from(Map.of(
            "SWITCHBOARD_API_KEYS", ApiKeyAuthProvider.digestHex(KEY), "SWITCHBOARD_STORE", "memory")::get);
        NamespacePlugin chat = NamespacePlugin.builder("chat", "Chat")
            .route(PublishRoute.perEvent("/chat/rooms/*", "Chat#filter",
                (event, ctx) -> "drop".equals(event.payload()) ? OutgoingEvent.drop() : event.payload()))
            .build();
        PluginRegistry registry = () -> List.of(chat);
        ConnectionSender failing = new ConnectionSender() {
            @Override
            public SendResult send(String connectionId, String frame) {
                return connectionId.equals("broken") ? SendResult.FAILED : recorder.send(connectionId, frame);
            }

            @Override
            public void close(String connectionId) {
                recorder.close(connectionId);
            }
        };
        Metrics metrics = (metric, value) -> {
            counted.computeIfAbsent(metric, m -> new ArrayList<>()).add(value);
            channelsSeen.add(MDC.get("namespace") + " " + MDC.get("channel"));
        };
        engine = new Engine(config, new InMemorySubscriptionStore(), failing,
            new AuthService(List.of(new ApiKeyAuthProvider(config.apiKeys(), Clock.systemUTC()))),
            Plugins.of(List.of(registry)), metrics);
    }

    private ConnectionAuth open(String connectionId) {
        Map<String, String> headers = Map.of("Sec-WebSocket-Protocol", "aws-appsync-event-ws", "x-api-key", KEY);
        ConnectionAuth auth = engine.authorizeConnect(headers);
        engine.connect(connectionId, 0, auth, headers);
        return auth;
    }

    private double total(Metric metric) {
        return counted.getOrDefault(metric, List.of()).stream().mapToDouble(Double::doubleValue).sum();
    }

    @Test
    void connectsSubscribesPublishesAndFanOutOutcomes_areCounted() {
        ConnectionAuth ok = open("ok");
        ConnectionAuth gone = open("gone");
        ConnectionAuth broken = open("broken");
        ConnectionAuth refused = engine.authorizeConnect(Map.of("Sec-WebSocket-Protocol", "aws-appsync-event-ws",
            "x-api-key", "da2-wrong"));
        engine.connect("refused", 0, refused, Map.of());
        assertEquals(3, total(Metric.CONNECTS), "refused connections are not counted");

        engine.message("ok", subscribe("s1", "/default/*"), ok);
        engine.message("gone", subscribe("s2", "/default/*"), gone);
        engine.message("broken", subscribe("s3", "/default/*"), broken);
        engine.message("ok", subscribe("s4", "/default/*", "da2-wrong"), ok);
        assertEquals(3, total(Metric.SUBSCRIBES), "a refused subscribe is not counted");

        recorder.markGone("gone");
        engine.message("ok", publish("p1", "/default/room", "{\"a\":1}", "2"), ok);
        assertEquals(1, total(Metric.PUBLISHES));
        assertEquals(2, total(Metric.DELIVERIES), "two events reached 'ok'");
        assertEquals(1, total(Metric.GONE_CONNECTIONS));
        assertEquals(2, total(Metric.FAILED_SENDS), "both events failed for 'broken'");
        assertEquals(1, counted.get(Metric.FAN_OUT_LATENCY).size());
        assertTrue(counted.get(Metric.FAN_OUT_LATENCY).get(0) >= 0);
        assertTrue(channelsSeen.contains("default /default/*"), "subscribes run with the pattern in the MDC");
        assertTrue(channelsSeen.contains("default /default/room"), "publishes run with the channel in the MDC");
        assertNull(MDC.get("channel"), "the engine leaves no channel behind in the MDC");
        assertNull(MDC.get("namespace"));
    }

    @Test
    void eventsAHandlerDrops_areCountedAsDropped() {
        ConnectionAuth ok = open("ok");
        engine.message("ok", publish("p1", "/chat/rooms/lobby", "\"drop\"", "\"keep\"", "\"drop\""), ok);
        assertEquals(2, total(Metric.DROPPED_EVENTS));
        assertEquals(1, total(Metric.PUBLISHES));
    }

    @Test
    void httpPublish_isCountedAndRefusalsAreNot() {
        engine.publishHttp(Map.of("x-api-key", KEY), "{\"channel\":\"/default/a\",\"events\":[\"1\"]}");
        engine.publishHttp(Map.of("x-api-key", "da2-wrong"), "{\"channel\":\"/default/a\",\"events\":[\"1\"]}");
        assertEquals(1, total(Metric.PUBLISHES));
        assertEquals(0, total(Metric.DELIVERIES), "nobody listens");
        assertNull(MDC.get("channel"));
    }
}
