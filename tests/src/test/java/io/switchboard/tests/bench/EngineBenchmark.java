package io.switchboard.tests.bench;

import io.switchboard.core.auth.ApiKeyAuthProvider;
import io.switchboard.core.auth.AuthService;
import io.switchboard.core.config.SwitchboardConfig;
import io.switchboard.core.engine.ConnectionAuth;
import io.switchboard.core.engine.Engine;
import io.switchboard.core.engine.HttpResult;
import io.switchboard.core.memory.InMemorySubscriptionStore;
import io.switchboard.core.spi.ConnectionSender;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * JMH: one HTTP publish of one event to every subscription of a channel (10,000 by default), through the whole
 * engine (parse, auth, validation, subscriber lookup in the in-memory store, fan-out with the frame serialised once
 * and the subscription id spliced per delivery) into a sender that only counts. Parallelism 1: one core's worth.
 * Scores are deliveries per second ({@code @OperationsPerInvocation}).
 */
@State(Scope.Benchmark)
public class EngineBenchmark {
    static final String KEY = "da2-benchmarkkey000000000001";
    static final int SUBSCRIBERS = 10_000;

    @Param({"10000"})
    public int subscribers;

    Engine engine;
    CountingSender sender;
    Map<String, String> headers;
    String body;

    /** Counts frames and their characters (so that the frame is used); single-threaded at parallelism 1. */
    static final class CountingSender implements ConnectionSender {
        long frames;
        long chars;

        @Override
        public SendResult send(String connectionId, String frame) {
            frames++;
            chars += frame.length();
            return SendResult.DELIVERED;
        }

        @Override
        public void close(String connectionId) {
        }
    }

    @Setup(Level.Trial)
    public void setUp() {
        SwitchboardConfig config = SwitchboardConfig.from(Map.of(
            "SWITCHBOARD_API_KEYS", ApiKeyAuthProvider.digestHex(KEY),
            "SWITCHBOARD_STORE", "memory",
            "SWITCHBOARD_FANOUT_PARALLELISM", "1")::get);
        sender = new CountingSender();
        engine = new Engine(config, new InMemorySubscriptionStore(), sender,
            new AuthService(List.of(new ApiKeyAuthProvider(config.apiKeys(), Clock.systemUTC()))));
        Map<String, String> upgrade = Map.of("x-api-key", KEY);
        ConnectionAuth auth = engine.authorizeConnect(upgrade);
        for (int i = 0; i < subscribers; i++) {
            String connectionId = "Wp1YGcV4IAMC" + String.format("%06d", i) + "=";
            engine.connect(connectionId, 1L, auth, upgrade);
            String reply = engine.message(connectionId, "{\"type\":\"subscribe\",\"id\":\"" + java.util.UUID.randomUUID()
                + "\",\"channel\":\"/default/bench\",\"authorization\":{\"x-api-key\":\"" + KEY + "\"}}", auth)
                .replies().get(0);
            if (!reply.contains("subscribe_success")) {
                throw new IllegalStateException(reply);
            }
        }
        headers = Map.of("x-api-key", KEY, "content-type", "application/json");
        body = "{\"channel\":\"/default/bench\",\"events\":[\"{\\\"symbol\\\":\\\"ACME\\\",\\\"price\\\":101.25,"
            + "\\\"ts\\\":1767225600000}\"]}";
    }

    @Benchmark
    @OperationsPerInvocation(SUBSCRIBERS)
    public HttpResult publishToAll() {
        HttpResult result = engine.publishHttp(headers, body);
        if (result.status() != 200) {
            throw new IllegalStateException(result.body());
        }
        return result;
    }
}
