package io.switchboard.aws;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.switchboard.aws.ApiGatewayConnectionSender.SendStats;
import io.switchboard.core.spi.ConnectionSender.SendResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The sender against a scripted {@code @connections} server ({@code POST}/{@code DELETE}
 * {@code /{stage}/@connections/{id}}) answering as API Gateway does, errors included: code in
 * {@code x-amzn-ErrorType}, JSON body.
 */
class ApiGatewayConnectionSenderTest {

    private static final String CONNECTION_ID = "abc=";
    private static final String FRAME = "{\"type\":\"data\",\"id\":\"s1\",\"event\":\"\\\"héllo ✓\\\"\"}";

    private FakeManagementApi api;

    @BeforeEach
    void startServer() throws IOException {
        api = new FakeManagementApi();
    }

    @AfterEach
    void stopServer() {
        api.stop();
    }

    @Test
    void send_accepted_isDeliveredAsOneSignedPostOfTheFrame() {
        ApiGatewayConnectionSender sender = sender().build();

        assertEquals(SendResult.DELIVERED, sender.send(CONNECTION_ID, FRAME));

        Request request = api.onlyRequest();
        assertEquals("POST", request.method());
        assertEquals("/prod/@connections/abc%3D", request.rawPath());
        assertArrayEquals(FRAME.getBytes(StandardCharsets.UTF_8), request.body());
        assertTrue(request.authorization().startsWith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/"), request.authorization());
        assertTrue(request.authorization().contains("/us-east-1/execute-api/aws4_request"), request.authorization());
        assertEquals(new SendStats(1, 0, 0, 0, 0), sender.stats());
    }

    @Test
    void send_gone_isReportedGoneWithoutRetry() {
        api.script(new Response(410, "GoneException", Duration.ZERO));
        ApiGatewayConnectionSender sender = sender().build();

        assertEquals(SendResult.GONE, sender.send(CONNECTION_ID, FRAME));

        assertEquals(1, api.requests().size());
        assertEquals(new SendStats(0, 1, 0, 0, 0), sender.stats());
    }

    @Test
    void send_throttledTwice_isRetriedAndDelivered() {
        api.script(new Response(429, "LimitExceededException", Duration.ZERO),
            new Response(429, "LimitExceededException", Duration.ZERO));
        ApiGatewayConnectionSender sender = sender().build();

        assertEquals(SendResult.DELIVERED, sender.send(CONNECTION_ID, FRAME));

        List<Request> requests = api.requests();
        assertEquals(3, requests.size());
        for (Request r : requests) {
            assertEquals("/prod/@connections/abc%3D", r.rawPath());
            assertArrayEquals(FRAME.getBytes(StandardCharsets.UTF_8), r.body());
        }
        assertEquals(new SendStats(1, 0, 0, 2, 0), sender.stats());
    }

    @Test
    void send_throttlingCodeWithAnotherStatus_isRetriedToo() {
        api.script(new Response(400, "TooManyRequestsException", Duration.ZERO));
        ApiGatewayConnectionSender sender = sender().build();

        assertEquals(SendResult.DELIVERED, sender.send(CONNECTION_ID, FRAME));

        assertEquals(2, api.requests().size());
        assertEquals(new SendStats(1, 0, 0, 1, 0), sender.stats());
    }

    @Test
    void send_throttledEveryTime_isHandedBackAsThrottledAfterMaxAttempts() {
        for (int i = 0; i < 10; i++) {
            api.script(new Response(429, "LimitExceededException", Duration.ZERO));
        }
        ApiGatewayConnectionSender sender = sender().maxAttempts(3).build();

        assertEquals(SendResult.THROTTLED, sender.send(CONNECTION_ID, FRAME));

        assertEquals(3, api.requests().size());
        assertEquals(new SendStats(0, 0, 0, 2, 1), sender.stats());
    }

    @Test
    void send_serverError_failsWithoutRetry() {
        api.script(new Response(500, "InternalServerErrorException", Duration.ZERO));
        ApiGatewayConnectionSender sender = sender().build();

        assertEquals(SendResult.FAILED, sender.send(CONNECTION_ID, FRAME));

        assertEquals(1, api.requests().size());
        assertEquals(new SendStats(0, 0, 1, 0, 0), sender.stats());
    }

    @Test
    void send_forbidden_fails() {
        api.script(new Response(403, "ForbiddenException", Duration.ZERO));
        ApiGatewayConnectionSender sender = sender().build();

        assertEquals(SendResult.FAILED, sender.send(CONNECTION_ID, FRAME));
        assertEquals(new SendStats(0, 0, 1, 0, 0), sender.stats());
    }

    @Test
    void send_answerSlowerThanTheTimeout_isTriedOnceMoreWithoutWaitingForTheAnswer() {
        api.script(new Response(200, null, Duration.ofSeconds(3)), new Response(200, null, Duration.ofSeconds(3)));
        ApiGatewayConnectionSender sender = sender().requestTimeout(Duration.ofMillis(300)).build();

        long start = System.nanoTime();
        assertEquals(SendResult.FAILED, sender.send(CONNECTION_ID, FRAME));
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertTrue(took.compareTo(Duration.ofMillis(2500)) < 0, "took " + took);
        assertEquals(2, api.requests().size());
        assertEquals(new SendStats(0, 0, 1, 1, 0), sender.stats());
    }

    @Test
    void send_noAnswerOnce_isDeliveredByTheSecondAttempt() {
        api.script(new Response(200, null, Duration.ofSeconds(3)));
        ApiGatewayConnectionSender sender = sender().requestTimeout(Duration.ofMillis(300)).build();

        assertEquals(SendResult.DELIVERED, sender.send(CONNECTION_ID, FRAME));
        assertEquals(2, api.requests().size());
        assertEquals(new SendStats(1, 0, 0, 1, 0), sender.stats());
    }

    @Test
    void send_afterAFailure_reusesTheSenderAndCountsBoth() {
        api.script(new Response(500, "InternalServerErrorException", Duration.ZERO));
        ApiGatewayConnectionSender sender = sender().build();

        assertEquals(SendResult.FAILED, sender.send(CONNECTION_ID, FRAME));
        assertEquals(SendResult.DELIVERED, sender.send("other", "x"));

        assertEquals(new SendStats(1, 0, 1, 0, 0), sender.stats());
        assertEquals("/prod/@connections/other", api.requests().get(1).rawPath());
    }

    @Test
    void close_deletesTheConnection() {
        api.script(new Response(204, null, Duration.ZERO));
        ApiGatewayConnectionSender sender = sender().build();

        sender.close(CONNECTION_ID);

        Request request = api.onlyRequest();
        assertEquals("DELETE", request.method());
        assertEquals("/prod/@connections/abc%3D", request.rawPath());
        assertEquals(new SendStats(0, 0, 0, 0, 0), sender.stats());
    }

    @Test
    void close_goneOrFailing_doesNotThrow() {
        api.script(new Response(410, "GoneException", Duration.ZERO), new Response(500, "InternalServerErrorException", Duration.ZERO));
        ApiGatewayConnectionSender sender = sender().build();

        sender.close(CONNECTION_ID);
        sender.close(CONNECTION_ID);

        assertEquals(2, api.requests().size());
    }

    private ApiGatewayConnectionSender.Builder sender() {
        return ApiGatewayConnectionSender.builder()
            .endpoint(api.endpoint())
            .region(Region.US_EAST_1)
            .credentialsProvider(TestClients.FAKE_CREDENTIALS)
            .backoffBase(Duration.ofMillis(5))
            .backoffCap(Duration.ofMillis(20));
    }

    record Request(String method, String rawPath, byte[] body, String authorization) {}

    /** {@code errorType} null: a success. */
    record Response(int status, String errorType, Duration delay) {}

    /** {@code @connections} on 127.0.0.1:0 at stage {@code prod}: answers scripted responses in order, then 200. */
    static final class FakeManagementApi {
        private final HttpServer server;
        private final ExecutorService threads = Executors.newCachedThreadPool();
        private final Deque<Response> script = new ArrayDeque<>();
        private final List<Request> requests = new CopyOnWriteArrayList<>();

        FakeManagementApi() throws IOException {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.createContext("/prod/", this::handle);
            server.setExecutor(threads);
            server.start();
        }

        URI endpoint() {
            return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/prod");
        }

        synchronized void script(Response... responses) {
            script.addAll(List.of(responses));
        }

        List<Request> requests() {
            return List.copyOf(requests);
        }

        Request onlyRequest() {
            assertEquals(1, requests.size(), requests.toString());
            return requests.get(0);
        }

        void stop() {
            server.stop(0);
            threads.shutdownNow();
        }

        private void handle(HttpExchange exchange) throws IOException {
            try (exchange) {
                byte[] body = exchange.getRequestBody().readAllBytes();
                String path = exchange.getRequestURI().getRawPath();
                requests.add(new Request(exchange.getRequestMethod(), path, body,
                    String.valueOf(exchange.getRequestHeaders().getFirst("Authorization"))));
                if (!path.startsWith("/prod/@connections/") && !path.startsWith("/prod/%40connections/")) {
                    reply(exchange, 404, "NotFoundException");
                    return;
                }
                Response response;
                synchronized (this) {
                    response = script.isEmpty() ? new Response(200, null, Duration.ZERO) : script.poll();
                }
                if (!response.delay().isZero()) {
                    try {
                        Thread.sleep(response.delay().toMillis());
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
                reply(exchange, response.status(), response.errorType());
            }
        }

        private static void reply(HttpExchange exchange, int status, String errorType) throws IOException {
            if (errorType == null) {
                exchange.sendResponseHeaders(status, -1);
                return;
            }
            byte[] body = "{\"message\":null}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("x-amzn-ErrorType", errorType);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
        }
    }
}
