package io.switchboard.tests.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import io.switchboard.local.LocalGateway;
import io.switchboard.local.Options;
import io.switchboard.tests.support.IsolatedGateway;
import io.switchboard.tests.support.Json;
import io.switchboard.tests.support.WsClient;

/**
 * The real local gateway, in this JVM on a free loopback port, with the repository's {@code template.yaml} and the
 * real functions in their own class loader; on the in-memory store, or on a DynamoDB endpoint (dynalite). Plain
 * {@code ws://} and {@code http://} clients.
 */
final class Gateway implements AutoCloseable {
    static final String API_KEY = "da2-reliabilitysuitekey00001";
    /** Every wait of the suite (clients, HTTP, polling) is bounded by this. */
    static final Duration WAIT = Duration.ofSeconds(20);

    final IsolatedGateway isolated;
    final LocalGateway gateway;
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(WAIT).build();

    private Gateway(IsolatedGateway isolated) {
        this.isolated = isolated;
        this.gateway = isolated.gateway();
    }

    static Gateway start() {
        return start(Map.of(), null);
    }

    /** {@code environment}: extra configuration for the functions; {@code dynamoDb}: null for the in-memory store. */
    static Gateway start(Map<String, String> environment, URI dynamoDb) {
        return start(environment, dynamoDb, false);
    }

    /** {@code trace}: the gateway logs every frame in and out (credentials masked), as {@code --trace} does. */
    static Gateway start(Map<String, String> environment, URI dynamoDb, boolean trace) {
        Options.Builder options = Options.builder().port(0).trace(trace).apiKey(API_KEY).template(root().resolve("template.yaml"))
                .tlsDirectory(tlsDirectory()).workerThreads(8).environment("AWS_REGION", "us-east-1");
        environment.forEach(options::environment);
        if (dynamoDb != null) {
            options.dynamoDbEndpoint(dynamoDb).tableName("switchboard-reliability");
        }
        try {
            return new Gateway(IsolatedGateway.start(options.build()));
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the gateway: " + e.getMessage(), e);
        }
    }

    static Path root() {
        String configured = System.getProperty("switchboard.root");
        if (configured != null && !configured.isBlank() && !configured.startsWith("${")) {
            return Path.of(configured).toAbsolutePath().normalize();
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("template.yaml")) && Files.isDirectory(dir.resolve("shared"))) {
                return dir;
            }
        }
        throw new IllegalStateException("cannot find the repository root; set -Dswitchboard.root");
    }

    private static Path tls;

    private static synchronized Path tlsDirectory() {
        if (tls == null) {
            try {
                tls = Files.createTempDirectory("switchboard-reliability-tls");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return tls;
    }

    int port() {
        return gateway.port();
    }

    String host() {
        return "127.0.0.1:" + port();
    }

    URI ws() {
        return URI.create("ws://127.0.0.1:" + port() + "/event/realtime");
    }

    URI event() {
        return URI.create("http://127.0.0.1:" + port() + "/event");
    }

    /** {@code header-<base64url JSON>} of {@code headers}. */
    static String headerProtocol(Map<String, String> headers) {
        StringBuilder json = new StringBuilder("{");
        headers.forEach((k, v) -> json.append(json.length() > 1 ? "," : "").append(Json.quote(k)).append(':').append(Json.quote(v)));
        return headerProtocolOf(json.append('}').toString());
    }

    static String headerProtocolOf(String json) {
        return "header-" + Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    String apiKeyProtocol() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("host", host());
        headers.put("x-api-key", API_KEY);
        return headerProtocol(headers);
    }

    /** A client connected the Amplify way with the API key. */
    WsClient connect() {
        return WsClient.open(http, ws(), WAIT, Map.of(), "aws-appsync-event-ws", apiKeyProtocol());
    }

    HttpResponse<String> post(String body, Map<String, String> headers) {
        return request("POST", HttpRequest.BodyPublishers.ofString(body), headers);
    }

    HttpResponse<String> request(String method, HttpRequest.BodyPublisher body, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(event()).timeout(WAIT.multipliedBy(2)).method(method, body);
        headers.forEach(request::header);
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** {@code POST /event} with the API key and {@code application/json}. */
    HttpResponse<String> publish(String body) {
        return post(body, Map.of("content-type", "application/json", "x-api-key", API_KEY));
    }

    /** The subscriptions the functions' store returns for a publish to {@code channel}. */
    List<IsolatedGateway.Subscriber> subscribers(String channel) {
        return isolated.subscribers(channel);
    }

    static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    @Override
    public void close() {
        isolated.close();
    }
}
