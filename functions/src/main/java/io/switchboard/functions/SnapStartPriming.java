package io.switchboard.functions;

import io.switchboard.aws.ApiGatewayConnectionSender;
import io.switchboard.aws.DynamoDbSubscriptionStore;
import io.switchboard.aws.LambdaFanOutDispatcher;
import io.switchboard.core.auth.ApiKeyAuthProvider;
import io.switchboard.core.auth.AuthService;
import io.switchboard.core.config.SwitchboardConfig;
import io.switchboard.core.engine.ConnectionAuth;
import io.switchboard.core.engine.Deadline;
import io.switchboard.core.engine.Engine;
import io.switchboard.core.plugin.Plugins;
import io.switchboard.core.protocol.FrameCodec;
import io.switchboard.core.spi.FanOutShard;
import io.switchboard.core.spi.Metrics;
import io.switchboard.core.spi.Subscriber;
import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * SnapStart priming: before Lambda takes the snapshot of an initialised function, runs the hot path once so that
 * its classes are loaded, initialised and partly compiled in the snapshot rather than on the first request after a
 * restore — Jackson (frames and shards), the engine (connect, subscribe, publish with a hand-off, disconnect) and the
 * SDK clients' marshallers, signers and unmarshallers for DynamoDB, {@code @connections} and Lambda.
 *
 * <p>Nothing here touches the network: the priming SDK clients run on an in-memory HTTP client with canned
 * answers, static dummy credentials and their own engine, store and sender, so nothing unique (random seeds,
 * credentials, connections) from priming reaches the snapshot's real clients, which are still built on first use
 * after the restore. Failures are logged and ignored: priming is an optimisation. Registered once per JVM through
 * {@code org.crac} (a no-op where there is no checkpoint, such as the local gateway).
 */
final class SnapStartPriming implements Resource {
    private static final Logger LOG = LoggerFactory.getLogger(SnapStartPriming.class);
    private static final String KEY = "da2-priming-only-not-a-key";
    private static volatile SnapStartPriming registered; // org.crac holds resources weakly

    private final SwitchboardConfig config;

    private SnapStartPriming(SwitchboardConfig config) {
        this.config = config;
    }

    /** Registers the priming hook for this JVM (once). */
    static void register(SwitchboardConfig config) {
        if (registered == null) {
            synchronized (SnapStartPriming.class) {
                if (registered == null) {
                    SnapStartPriming priming = new SnapStartPriming(config);
                    Core.getGlobalContext().register(priming);
                    registered = priming;
                }
            }
        }
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        long started = System.nanoTime();
        try {
            prime(config.region() != null ? config.region() : "us-east-1");
            LOG.atInfo().addKeyValue("millis", (System.nanoTime() - started) / 1_000_000).log("primed before the snapshot");
        } catch (RuntimeException e) {
            LOG.atWarn().addKeyValue("error", e.toString()).log("priming failed; the snapshot is taken anyway");
        }
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
        // nothing to refresh: the real clients, random sources and connections are created after the restore
    }

    /**
     * The priming workload (also run by the tests, which check that it needs no network); returns the calls each
     * service's client made to the canned HTTP client.
     */
    static Map<String, Integer> prime(String regionName) {
        Region region = Region.of(regionName);
        StaticCredentialsProvider credentials = StaticCredentialsProvider.create(
            AwsBasicCredentials.create("AKIAPRIMINGONLY00000", "priming-only-not-a-secret"));
        CannedHttpClient http = new CannedHttpClient();

        DynamoDbClient dynamoDb = DynamoDbClient.builder().httpClient(http).region(region)
            .credentialsProvider(credentials).build();
        ApiGatewayConnectionSender sender = ApiGatewayConnectionSender.builder()
            .endpoint(URI.create("https://priming.execute-api." + regionName + ".amazonaws.com/prime"))
            .region(region).credentialsProvider(credentials).httpClient(http).build();
        LambdaFanOutDispatcher dispatcher = LambdaFanOutDispatcher.builder()
            .functionName("arn:aws:lambda:" + regionName + ":000000000000:function:priming:live")
            .region(region).credentialsProvider(credentials).httpClient(http).maxAttempts(1).build();
        try (dynamoDb) {
            SwitchboardConfig config = SwitchboardConfig.from(Map.of(
                "SWITCHBOARD_API_KEYS", ApiKeyAuthProvider.digestHex(KEY),
                "SWITCHBOARD_NAMESPACES", "default",
                "SWITCHBOARD_FANOUT_SHARD_SIZE", "2",
                "SWITCHBOARD_FANOUT_PARALLELISM", "1")::get);
            AuthService auth = new AuthService(List.of(new ApiKeyAuthProvider(config.apiKeys(), Clock.systemUTC())));
            Engine engine = new Engine(config, new DynamoDbSubscriptionStore(dynamoDb, "priming", Clock.systemUTC()),
                sender, auth, Plugins.none(), Metrics.none(), dispatcher);
            Map<String, String> headers = Map.of("Sec-WebSocket-Protocol", "aws-appsync-event-ws", "x-api-key", KEY,
                "host", "priming.example.com");
            ConnectionAuth connection = engine.authorizeConnect(headers);
            String authorization = "{\"x-api-key\":\"" + KEY + "\",\"host\":\"priming.example.com\"}";
            quietly(() -> engine.connect("prime=", System.currentTimeMillis(), connection, headers));
            quietly(() -> engine.message("prime=", "{\"type\":\"connection_init\"}", connection));
            quietly(() -> engine.message("prime=", "{\"type\":\"subscribe\",\"id\":\"p1\",\"channel\":\"/default/*\","
                + "\"authorization\":" + authorization + "}", connection));
            quietly(() -> engine.message("prime=", "{\"type\":\"publish\",\"id\":\"p2\",\"channel\":\"/default/prime\","
                + "\"events\":[\"{\\\"prime\\\":true}\"],\"authorization\":" + authorization + "}", connection,
                Deadline.afterMillis(60_000)));
            quietly(() -> engine.publishHttp(Map.of("x-api-key", KEY, "content-type", "application/json"),
                "{\"channel\":\"/default/prime\",\"events\":[\"{\\\"prime\\\":1}\"]}"));
            // the worker's path: a shard through its payload, delivered with a hand-off of the rest
            FanOutShard shard = new FanOutShard("/default/prime", List.of(FanOutShard.part(FrameCodec.quote("{\"a\":1}"))),
                List.of(new Subscriber("c1=", "s1"), new Subscriber("c2=", "s2"), new Subscriber("c3=", "s3")), 0);
            quietly(() -> engine.deliver(FanOutShard.parse(shard.toJson()), Deadline.afterMillis(60_000)));
            quietly(() -> engine.message("prime=", "{\"type\":\"unsubscribe\",\"id\":\"p1\"}", connection));
            quietly(() -> engine.disconnect("prime="));
        }
        return Map.copyOf(http.calls);
    }

    private static void quietly(Runnable step) {
        try {
            step.run();
        } catch (RuntimeException e) {
            LOG.atDebug().addKeyValue("error", e.toString()).log("a priming step failed");
        }
    }

    /**
     * Answers every SDK call as the service would answer a successful one, without a network: DynamoDB with empty
     * results, {@code @connections} with 200, Lambda's asynchronous Invoke with 202.
     */
    static final class CannedHttpClient implements SdkHttpClient {
        final Map<String, Integer> calls = new java.util.concurrent.ConcurrentHashMap<>();

        @Override
        public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
            SdkHttpRequest http = request.httpRequest();
            request.contentStreamProvider().ifPresent(p -> {
                try (var in = p.newStream()) {
                    in.readAllBytes();
                } catch (java.io.IOException e) {
                    // nothing was sent anywhere
                }
            });
            String target = http.firstMatchingHeader("X-Amz-Target").orElse("");
            int status = 200;
            String body = "";
            String service = "connections";
            if (target.startsWith("DynamoDB_")) {
                service = "dynamodb";
                body = target.endsWith(".Query") ? "{\"Count\":0,\"Items\":[],\"ScannedCount\":0}"
                    : target.endsWith(".BatchWriteItem") ? "{\"UnprocessedItems\":{}}" : "{}";
            } else if (http.encodedPath().endsWith("/invocations")) {
                service = "lambda";
                status = 202;
            }
            calls.merge(service, 1, Integer::sum);
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            HttpExecuteResponse response = HttpExecuteResponse.builder()
                .response(SdkHttpResponse.builder().statusCode(status)
                    .putHeader("Content-Length", String.valueOf(bytes.length))
                    .putHeader("Content-Type", "application/x-amz-json-1.0")
                    .putHeader("x-amzn-RequestId", "priming").build())
                .responseBody(AbortableInputStream.create(new ByteArrayInputStream(bytes)))
                .build();
            return new ExecutableHttpRequest() {
                @Override
                public HttpExecuteResponse call() {
                    return response;
                }

                @Override
                public void abort() {
                }
            };
        }

        @Override
        public void close() {
        }
    }
}
