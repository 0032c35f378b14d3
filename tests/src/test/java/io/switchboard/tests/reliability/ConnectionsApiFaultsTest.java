package io.switchboard.tests.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.switchboard.aws.ApiGatewayConnectionSender;
import io.switchboard.aws.DynamoDbSubscriptionStore;
import io.switchboard.aws.DynamoDbTables;
import io.switchboard.core.auth.ApiKeyAuthProvider;
import io.switchboard.core.auth.AuthService;
import io.switchboard.core.config.SwitchboardConfig;
import io.switchboard.core.engine.ConnectionAuth;
import io.switchboard.core.engine.Engine;
import io.switchboard.core.engine.HttpResult;
import io.switchboard.core.engine.MessageResult;
import io.switchboard.testing.Dynalite;
import io.switchboard.tests.support.Json;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

/**
 * The engine as the functions run it in the cloud — DynamoDB store (dynalite) and the {@code @connections} sender —
 * against an {@code @connections} API that misbehaves per connection: 410 Gone (before or in the middle of a
 * fan-out), 429 throttling, 500 errors, slow answers. Checks the engine-level outcome: gone connections are purged
 * from the store, throttled sends are retried and delivered once, failures are counted and logged, and every other
 * subscription receives every event exactly once, in order. Also: a connection whose {@code $disconnect} never came
 * has rows that expire (TTL), and the first send to it purges them.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ConnectionsApiFaultsTest {
    static final String KEY = "da2-connectionsfaultstestkey01";
    static final String TABLE = "faults";

    static Dynalite dynalite;
    static DynamoDbClient dynamoDb;
    static FakeConnectionsApi api;
    static ApiGatewayConnectionSender sender;
    static Engine engine;
    static ConnectionAuth auth;

    @BeforeAll
    static void start() throws IOException {
        dynalite = Dynalite.start();
        dynamoDb = DynamoDbClient.builder().endpointOverride(dynalite.endpoint()).region(Region.US_EAST_1)
            .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
            .httpClient(UrlConnectionHttpClient.create()).build();
        DynamoDbTables.createIfMissing(dynamoDb, TABLE);
        api = new FakeConnectionsApi();
        sender = ApiGatewayConnectionSender.builder().endpoint(api.endpoint()).region(Region.US_EAST_1)
            .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "fake")))
            .backoffBase(Duration.ofMillis(5)).backoffCap(Duration.ofMillis(20)).requestTimeout(Duration.ofSeconds(5))
            .build();
        Map<String, String> env = new HashMap<>();
        env.put("SWITCHBOARD_API_KEYS", ApiKeyAuthProvider.digestHex(KEY));
        env.put("SWITCHBOARD_STORE", "dynamodb");
        env.put("TABLE_NAME", TABLE);
        env.put("SWITCHBOARD_FANOUT_PARALLELISM", "16");
        SwitchboardConfig config = SwitchboardConfig.from(env::get);
        engine = new Engine(config, new DynamoDbSubscriptionStore(dynamoDb, TABLE, Clock.systemUTC()), sender,
            new AuthService(List.of(new ApiKeyAuthProvider(config.apiKeys(), Clock.systemUTC()))));
        auth = engine.authorizeConnect(Map.of("x-api-key", KEY, "Sec-WebSocket-Protocol", "aws-appsync-event-ws"));
        assertTrue(auth.authorized());
    }

    @AfterAll
    static void stop() {
        if (api != null) {
            api.stop();
        }
        if (dynamoDb != null) {
            dynamoDb.close();
        }
        if (dynalite != null) {
            dynalite.close();
        }
    }

    static void subscribe(String connectionId, String subscriptionId, String channel) {
        engine.connect(connectionId, System.currentTimeMillis(), auth, Map.of("x-api-key", KEY));
        MessageResult result = engine.message(connectionId, BadInputCatalogue.subscribe(subscriptionId, channel)
            .replace(Gateway.API_KEY, KEY), auth);
        assertEquals("subscribe_success", Json.parse(result.replies().get(0)).path("type").asText(), result::toString);
    }

    static List<Map<String, AttributeValue>> rows(String connectionId) {
        return dynamoDb.query(QueryRequest.builder().tableName(TABLE).keyConditionExpression("pk = :pk")
            .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS("C#" + connectionId))).consistentRead(true)
            .build()).items();
    }

    @Test
    void largeFanOut_throughGoneThrottledFailingAndSlowConnections() {
        String channel = "/default/fanout/big";
        List<String> healthy = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            healthy.add("ok-" + i);
        }
        for (int i = 0; i < 4; i++) {
            healthy.add("throttled-" + i);
        }
        for (int i = 0; i < 2; i++) {
            healthy.add("slow-" + i);
        }
        List<String> gone = List.of("gone-0", "gone-1", "gone-2");
        List<String> leaving = List.of("leaves-0", "leaves-1"); // answer 410 from their third frame on
        List<String> broken = List.of("broken-0", "broken-1");
        List<String> all = new ArrayList<>(healthy);
        all.addAll(gone);
        all.addAll(leaving);
        all.addAll(broken);
        for (String connection : all) {
            subscribe(connection, "sub-" + connection, connection.startsWith("ok-1") ? "/default/fanout/*" : channel);
        }
        ApiGatewayConnectionSender.SendStats before = sender.stats();

        List<String> events = List.of("{\"n\":0}", "{\"n\":1}", "{\"n\":2}", "{\"n\":3}", "{\"n\":4}");
        HttpResult result;
        try (LogCapture logs = LogCapture.start(false)) {
            result = engine.publishHttp(Map.of("x-api-key", KEY), "{\"channel\":\"" + channel + "\",\"events\":["
                + String.join(",", events.stream().map(Json::quote).toList()) + "]}");
            assertEquals(200, result.status(), result.body());
            assertEquals(5, Json.parse(result.body()).path("successful").size());

            // failures are logged: each failed call, and the fan-out's summary with the counts
            assertEquals(broken.size() * events.size(), logs.containing("call to @connections failed").size(), logs.lines()::toString);
            assertFalse(logs.containing("WARN io.switchboard.core.engine.FanOut ").isEmpty(), logs.lines()::toString);
        }

        // every healthy subscription: every event exactly once, in publish order
        for (String connection : healthy) {
            List<String> frames = api.delivered(connection);
            List<String> expected = new ArrayList<>();
            for (String event : events) {
                expected.add("{\"type\":\"data\",\"id\":\"sub-" + connection + "\",\"event\":" + Json.quote(event) + "}");
            }
            assertEquals(expected, frames, connection);
        }
        // gone before or during the fan-out: purged from the store, no more sends to them
        for (String connection : gone) {
            assertEquals(List.of(), api.delivered(connection));
            assertEquals(1, api.attempts(connection), connection + ": one 410 and no more attempts");
            assertEquals(List.of(), rows(connection), connection + " purged");
        }
        for (String connection : leaving) {
            assertEquals(2, api.delivered(connection).size(), connection + " got its first two events");
            assertEquals(3, api.attempts(connection), connection + ": nothing sent after its 410");
            assertEquals(List.of(), rows(connection), connection + " purged");
        }
        // failing ones: counted, kept (a 500 is not a disconnect)
        ApiGatewayConnectionSender.SendStats after = sender.stats();
        assertEquals(broken.size() * events.size(), after.failed() - before.failed());
        assertEquals(gone.size() + leaving.size(), after.gone() - before.gone());
        assertTrue(after.retries() - before.retries() >= 4 * events.size(), "throttled sends retried: " + after);
        assertEquals(healthy.size() * events.size() + leaving.size() * 2, after.delivered() - before.delivered());
        for (String connection : broken) {
            assertEquals(2, rows(connection).size(), connection + " is not purged for a 500");
        }
        // the accounting closes: every (subscription, event) was delivered once, or counted failed, or its
        // connection counted gone
        long pairs = (long) all.size() * events.size();
        long delivered = after.delivered() - before.delivered();
        long failed = after.failed() - before.failed();
        long notSentToGone = gone.size() * events.size() + leaving.size() * (events.size() - 2);
        assertEquals(pairs, delivered + failed + notSentToGone);
    }

    @Test
    void lostDisconnect_rowsCarryTtl_andTheFirstSendPurgesThem() {
        long now = Instant.now().getEpochSecond();
        subscribe("lost-1", "sub-lost", "/default/lost/room");
        List<Map<String, AttributeValue>> rows = rows("lost-1");
        assertEquals(2, rows.size(), "connection and subscription rows: " + rows);
        long expiry = DynamoDbSubscriptionStore.EXPIRY_AFTER_CONNECT.toSeconds();
        for (Map<String, AttributeValue> row : rows) {
            AttributeValue ttl = row.get("ttl");
            assertTrue(ttl != null && ttl.n() != null, "every row carries a numeric ttl: " + row);
            long at = Long.parseLong(ttl.n());
            assertTrue(at >= now + expiry - 5 && at <= now + expiry + 60, "ttl " + at + " vs now " + now);
        }
        // $disconnect never arrives; API Gateway answers 410 for the connection: the first send purges it
        HttpResult result = engine.publishHttp(Map.of("x-api-key", KEY),
            "{\"channel\":\"/default/lost/room\",\"events\":[\"1\"]}");
        assertEquals(200, result.status());
        assertEquals(1, api.attempts("lost-1"));
        assertEquals(List.of(), rows("lost-1"));
        assertEquals(List.of(), api.delivered("lost-1"));
        engine.publishHttp(Map.of("x-api-key", KEY), "{\"channel\":\"/default/lost/room\",\"events\":[\"2\"]}");
        assertEquals(1, api.attempts("lost-1"), "a purged connection is not tried again");
    }

    /**
     * {@code @connections} on 127.0.0.1: how it answers depends on the connection id's prefix — {@code gone-} and
     * {@code lost-} 410, {@code leaves-} 200 twice then 410, {@code throttled-} 429 on every first attempt of a
     * frame, {@code broken-} 500, {@code slow-} 200 after 200 ms, anything else 200.
     */
    static final class FakeConnectionsApi {
        private final HttpServer server;
        private final ExecutorService threads = Executors.newFixedThreadPool(32);
        private final Map<String, List<String>> delivered = new ConcurrentHashMap<>();
        private final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();

        FakeConnectionsApi() throws IOException {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.createContext("/prod/", this::handle);
            server.setExecutor(threads);
            server.start();
        }

        URI endpoint() {
            return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/prod");
        }

        List<String> delivered(String connectionId) {
            return List.copyOf(delivered.getOrDefault(connectionId, List.of()));
        }

        int attempts(String connectionId) {
            AtomicInteger n = attempts.get(connectionId);
            return n == null ? 0 : n.get();
        }

        void stop() {
            server.stop(0);
            threads.shutdownNow();
        }

        private void handle(HttpExchange exchange) throws IOException {
            try (exchange) {
                byte[] body = exchange.getRequestBody().readAllBytes();
                String path = exchange.getRequestURI().getRawPath();
                String id = URLDecoder.decode(path.substring(path.lastIndexOf('/') + 1), StandardCharsets.UTF_8);
                if (!"POST".equals(exchange.getRequestMethod())) {
                    exchange.sendResponseHeaders(204, -1);
                    return;
                }
                int attempt = attempts.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
                int status = 200;
                String error = null;
                if (id.startsWith("gone-") || id.startsWith("lost-") || (id.startsWith("leaves-") && attempt > 2)) {
                    status = 410;
                    error = "GoneException";
                } else if (id.startsWith("throttled-") && attempt % 2 == 1) {
                    status = 429;
                    error = "LimitExceededException";
                } else if (id.startsWith("broken-")) {
                    status = 500;
                    error = "InternalServerErrorException";
                } else if (id.startsWith("slow-")) {
                    try {
                        Thread.sleep(200);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
                if (error == null) {
                    delivered.computeIfAbsent(id, k -> new CopyOnWriteArrayList<>()).add(new String(body, StandardCharsets.UTF_8));
                    exchange.sendResponseHeaders(200, -1);
                    return;
                }
                byte[] answer = "{\"message\":null}".getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("x-amzn-ErrorType", error);
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(status, answer.length);
                exchange.getResponseBody().write(answer);
            }
        }
    }

}
