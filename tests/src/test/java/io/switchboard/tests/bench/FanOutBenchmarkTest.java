package io.switchboard.tests.bench;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import io.switchboard.aws.ApiGatewayConnectionSender;
import io.switchboard.core.auth.ApiKeyAuthProvider;
import io.switchboard.core.channel.ChannelPattern;
import io.switchboard.core.config.SwitchboardConfig;
import io.switchboard.core.memory.InMemorySubscriptionStore;
import io.switchboard.core.spi.ConnectionRecord;
import io.switchboard.core.spi.ConnectionSender;
import io.switchboard.functions.FanOutFunction;
import io.switchboard.functions.PublishFunction;
import io.switchboard.functions.SwitchboardRuntime;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The cloud fan-out model: a 100,000-subscriber publish through the real path — {@code PublishFunction}, the engine,
 * {@code ApiGatewayConnectionSender} (SDK client, SigV4, adaptive rate limiter, jittered 429 backoff),
 * {@code LambdaFanOutDispatcher} (SDK Lambda client, asynchronous Invoke) and {@code FanOutFunction} instances —
 * against {@link SimulatedConnections} (10,000 rps, burst 5,000, 20 ms per call, 429 when empty) and
 * {@link SimulatedLambda} (202, 50 ms async queue, 250 ms before the first invocation of a new instance, whose objects are built before the measured run, 29 s timeout). What is simulated: the
 * {@code @connections} network calls run in-process under the SDK client by default
 * ({@code -Dswitchboard.bench.transport=http} sends them over HTTP to 127.0.0.1 instead), Lambda's queue and
 * instances run as threads of this JVM (every instance with its own sender, limiter and fan-out pool), and the
 * subscribers come from the in-memory store. Targets: all delivered within 11.5 s (≥ 87 % of the quota), each
 * connection exactly once, no invocation over its timeout. Smoke: 3,000 subscribers in shards of 500.
 */
class FanOutBenchmarkTest {
    static final String KEY = "da2-switchboardexamplekey0001";
    static final String WORKER_ARN = "arn:aws:lambda:us-east-1:000000000000:function:bench-FanOutFunction:live";
    static final double QUOTA = 10_000;
    static final double TARGET_SECONDS = 11.5;

    private final Map<String, String> previous = new HashMap<>();

    private void property(String name, String value) {
        previous.putIfAbsent(name, System.getProperty(name));
        System.setProperty(name, value);
    }

    @AfterEach
    void restoreProperties() {
        previous.forEach((name, value) -> {
            if (value == null) {
                System.clearProperty(name);
            } else {
                System.setProperty(name, value);
            }
        });
    }

    @Test
    void fanOutBenchmark_everySubscriberOnce_noInvocationOverItsTimeout() throws Exception {
        boolean full = Bench.full();
        int subscribers = full ? Integer.getInteger("switchboard.bench.subscribers", 100_000) : 3_000;
        int shardSize = full ? 2_000 : 500;
        // client: the model behind the SDK client's interface (default); sdk: under the real SDK client; http: over HTTP
        String transport = System.getProperty("switchboard.bench.transport", "client");

        SimulatedConnections endpoint = new SimulatedConnections(QUOTA, 5_000, 20);
        int workerParallelism = Integer.getInteger("switchboard.bench.parallelism", 32);
        String connectionsUri = "https://bench.execute-api.us-east-1.amazonaws.com/bench";
        if (transport.equals("http")) {
            connectionsUri = "http://127.0.0.1:" + endpoint.serveHttp(400) + "/bench";
        }
        URI connections = URI.create(connectionsUri);
        StaticCredentialsProvider credentials = StaticCredentialsProvider.create(
            AwsBasicCredentials.create("AKIDBENCHMARK", "benchmark-secret"));
        Function<SwitchboardConfig, ConnectionSender> senders = c -> {
            ApiGatewayConnectionSender.Builder b = ApiGatewayConnectionSender.builder()
                .endpoint(connections).region(Region.US_EAST_1).credentialsProvider(credentials)
                .maxRate(c.connectionsRps());
            return switch (transport) {
                case "http" -> b.httpClient(UrlConnectionHttpClient.builder()
                    .connectionTimeout(Duration.ofSeconds(2)).socketTimeout(Duration.ofSeconds(5)).build()).build();
                case "sdk" -> b.httpClient(endpoint).build();
                default -> b.client(endpoint.asClient()).build();
            };
        };

        InMemorySubscriptionStore store = new InMemorySubscriptionStore();
        ChannelPattern channel = ChannelPattern.parse("/default/big");
        for (int i = 0; i < subscribers; i++) {
            String connectionId = String.format("Bench%07dAAAA=", i);
            store.putConnection(new ConnectionRecord(connectionId, 1L, Map.of()));
            store.addSubscription(connectionId, "s-" + i, channel, 200);
        }
        // warm-up channel: one shard more than the publisher keeps, so that every client has made its first call
        ChannelPattern warm = ChannelPattern.parse("/default/warm");
        for (int i = 0; i <= shardSize; i++) {
            String connectionId = String.format("Warm%07dAAAA=", i);
            store.putConnection(new ConnectionRecord(connectionId, 1L, Map.of()));
            store.addSubscription(connectionId, "w-" + i, warm, 200);
        }

        property("POWERTOOLS_METRICS_DISABLED", "true");
        property("aws.accessKeyId", "AKIDBENCHMARK");
        property("aws.secretAccessKey", "benchmark-secret");
        property("aws.region", "us-east-1");
        Map<String, String> env = new HashMap<>(Map.of(
            "SWITCHBOARD_API_KEYS", ApiKeyAuthProvider.digestHex(KEY),
            "SWITCHBOARD_STORE", "memory",
            "SWITCHBOARD_FANOUT_SHARD_SIZE", String.valueOf(shardSize),
            "SWITCHBOARD_FANOUT_PARALLELISM", String.valueOf(workerParallelism),
            "SWITCHBOARD_CONNECTIONS_ENDPOINT", connectionsUri,
            "AWS_REGION", "us-east-1"));
        // the workers' configuration: known once the simulated Lambda listens (its endpoint is in it)
        AtomicReference<SwitchboardConfig> workerConfig = new AtomicReference<>();

        try (SimulatedLambda lambda = new SimulatedLambda(
                () -> new FanOutFunction(new SwitchboardRuntime(workerConfig.get(), c -> store, senders)), 50, 250, 29_000)) {
            env.put("AWS_ENDPOINT_URL_LAMBDA", lambda.endpoint());
            workerConfig.set(SwitchboardConfig.from(env::get));
            env.put("SWITCHBOARD_FANOUT_FUNCTION", WORKER_ARN);
            SwitchboardConfig publisherConfig = SwitchboardConfig.from(env::get);
            PublishFunction publisher = new PublishFunction(new SwitchboardRuntime(publisherConfig, c -> store, senders));
            APIGatewayV2HTTPEvent event = LambdaEventSerializers.serializerFor(APIGatewayV2HTTPEvent.class,
                getClass().getClassLoader()).fromJson(Files.readString(
                    Path.of(System.getProperty("switchboard.root", ".."), "events", "http-publish.json")));
            // Warm-up, as SnapStart priming would have done in the cloud: the SDK clients' first calls, class loading
            // and JIT happen here, not in the measured run, which then starts new (restored) instances again.
            event.setBody("{\"channel\":\"/default/warm\",\"events\":[\"{\\\"warm\\\":1}\"]}");
            assertEquals(200, publisher.handle(event, SimulatedLambda.context(WORKER_ARN, System.nanoTime(),
                29_000)).getStatusCode());
            assertTrue(lambda.awaitIdle(120_000), "warm-up still running after 120 s");
            endpoint.reset();
            lambda.reset();
            lambda.prebuild(subscribers / shardSize + 2);
            event.setBody("{\"channel\":\"/default/big\",\"events\":[\"{\\\"headline\\\":\\\"fan-out benchmark\\\","
                + "\\\"n\\\":1}\"]}");
            String loadBefore = Bench.load();

            long start = System.nanoTime();
            APIGatewayV2HTTPResponse response = publisher.handle(event,
                SimulatedLambda.context("arn:aws:lambda:us-east-1:000000000000:function:bench-PublishFunction:live",
                    start, 29_000));
            long publisherMillis = (System.nanoTime() - start) / 1_000_000;
            assertEquals(200, response.getStatusCode(), response.getBody());
            assertTrue(lambda.awaitIdle(180_000), "workers still running after 180 s");
            long firstWorker = lambda.done.stream().mapToLong(SimulatedLambda.Invocation::startNanos).min().orElse(start);
            System.out.printf("fan-out benchmark: publisher %d ms, first accepted post %d ms, first worker started %d ms,"
                    + " all done %d ms after the publish%n", publisherMillis, (endpoint.firstAccepted.get() - start) / 1_000_000,
                (firstWorker - start) / 1_000_000, (System.nanoTime() - start) / 1_000_000);
            double seconds = (endpoint.lastAccepted.get() - start) / 1e9;

            List<String> lost = new ArrayList<>();
            int exactlyOnce = 0;
            int duplicated = 0;
            for (int i = 0; i < subscribers; i++) {
                AtomicInteger count = endpoint.delivered.get(String.format("Bench%07dAAAA=", i));
                if (count == null || count.get() == 0) {
                    lost.add("connection " + i);
                } else if (count.get() == 1) {
                    exactlyOnce++;
                } else {
                    duplicated++;
                }
            }
            long slowest = lambda.done.stream().mapToLong(SimulatedLambda.Invocation::millis).max().orElse(0);
            long failedInvocations = lambda.done.stream().filter(d -> d.millis() < 0).count();
            double rate = subscribers / seconds;
            endpoint.stopHttp();

            if (full) {
                String table = "### Cloud fan-out model: " + Bench.fmt(subscribers) + " subscribers, one event\n\n"
                    + Bench.row("measure", "value", "target")
                    + Bench.row("---", "---:", "---:")
                    + Bench.row("all delivered after (s)", Bench.fmt1(seconds) + " s", "≤ " + TARGET_SECONDS + " s")
                    + Bench.row("average rate (deliveries/s)", Bench.fmt(rate), "≥ " + Bench.fmt(0.87 * QUOTA))
                    + Bench.row("share of the 10,000 rps quota", Bench.fmt1(100 * rate / QUOTA) + " %", "≥ 87 %")
                    + Bench.row("ideal with burst 5,000 then 10,000 rps (s)",
                        Bench.fmt1((subscribers - 5_000) / QUOTA), "")
                    + Bench.row("connections that got the frame exactly once", Bench.fmt(exactlyOnce),
                        Bench.fmt(subscribers))
                    + Bench.row("connections that got nothing (lost)", Bench.fmt(lost.size()), "0")
                    + Bench.row("connections that got it twice (a post retried after no answer)", Bench.fmt(duplicated), "")
                    + Bench.row("429 answers (retried)", Bench.fmt(endpoint.throttled.sum()), "")
                    + Bench.row("most calls in flight", Bench.fmt(endpoint.maxInFlight.get()), "")
                    + Bench.row("publisher invocation (ms)", Bench.fmt(publisherMillis), "< 29,000")
                    + Bench.row("worker invocations / instances", lambda.done.size() + " / " + lambda.instances.get(), "")
                    + Bench.row("slowest worker invocation (ms)", Bench.fmt(slowest), "< 29,000")
                    + Bench.row("largest shard payload (bytes)", Bench.fmt(lambda.maxPayload.get()), "≤ 1,048,576")
 + "\nAccepted per second, second by second: " + endpoint.perSecond(endpoint.acceptedPerTick)
                    + "; throttled (429) per second: " + endpoint.perSecond(endpoint.throttledPerTick) + ".\n"
                    + "\nTransport for @connections: " + switch (transport) {
                        case "http" -> "HTTP on 127.0.0.1 (JDK HttpServer, 400 threads; SDK URL-connection client)";
                        case "sdk" -> "in-process SdkHttpClient under the real SDK client (marshalling, SigV4, "
                            + "error unmarshalling run for every call)";
                        default -> "the model behind the SDK client's interface (ApiGatewayManagementApiClient: "
                            + "the sender's limiter, backoff and deadlines run; the SDK's per-call marshalling and "
                            + "signing do not)";
                    }
                    + "; Lambda: Invoke over HTTP on 127.0.0.1, 50 ms queue, 250 ms before the first invocation of each new instance. "
                    + "Shard size " + shardSize + ", fan-out parallelism " + workerParallelism + " per instance. Before the run: " + loadBefore + ".\n";
                Bench.report("fanout" + (transport.equals("client") ? "" : "-" + transport), table);
            }
            assertEquals(List.of(), lost.subList(0, Math.min(10, lost.size())), lost.size() + " connections got nothing");
            assertEquals(0, failedInvocations, "no invocation failed: " + lambda.done);
            assertTrue(publisherMillis < 29_000, "publisher took " + publisherMillis + " ms");
            assertTrue(slowest < 29_000, "a worker took " + slowest + " ms");
            assertTrue(lambda.done.size() >= subscribers / shardSize - 1, "shards went to workers: " + lambda.done.size());
        } finally {
            endpoint.stopHttp();
        }
    }
}
