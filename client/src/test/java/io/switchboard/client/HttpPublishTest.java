package io.switchboard.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/** HTTP publish against a recording HTTP server: the whole request is asserted, and every kind of answer mapped. */
class HttpPublishTest {

    record Recorded(String method, String path, Map<String, String> headers, String body) {
    }

    HttpServer server;
    final BlockingQueue<Recorded> requests = new LinkedBlockingQueue<>();
    volatile int status = 200;
    volatile String answer = "{\"failed\":[],\"successful\":[{\"identifier\":\"id-0\",\"index\":0}]}";
    volatile String errorTypeHeader;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            exchange.getRequestHeaders().forEach((name, values) -> headers.put(name, String.join(",", values)));
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            requests.add(new Recorded(exchange.getRequestMethod(), exchange.getRequestURI().getPath(), headers, body));
            byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("content-type", "application/json");
            if (errorTypeHeader != null) {
                exchange.getResponseHeaders().set("x-amzn-ErrorType", errorTypeHeader);
            }
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    URI endpoint(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    SwitchboardClient client(Auth auth, String path) {
        return SwitchboardClient.newBuilder().endpoint(endpoint(path)).auth(auth).build();
    }

    Recorded recorded() throws InterruptedException {
        Recorded request = requests.poll(5, TimeUnit.SECONDS);
        assertEquals(true, request != null, "no request arrived");
        return request;
    }

    @Test
    void publish_apiKey_postsTheBodyWithContentTypeAndKey() throws Exception {
        try (SwitchboardClient client = client(Auth.apiKey("da2-test"), "/event")) {
            PublishResult result = client.publish("default/chat", "{\"text\":\"hi\"}");

            assertEquals(List.of(new PublishResult.Success("id-0", 0)), result.successful());
            assertEquals(List.of(), result.failed());
            Recorded request = recorded();
            assertEquals("POST", request.method());
            assertEquals("/event", request.path());
            assertEquals("{\"channel\":\"/default/chat\",\"events\":[\"{\\\"text\\\":\\\"hi\\\"}\"]}", request.body());
            assertEquals("application/json; charset=UTF-8", request.headers().get("content-type"));
            assertEquals("application/json, text/javascript", request.headers().get("accept"));
            assertEquals("da2-test", request.headers().get("x-api-key"));
            assertNull(request.headers().get("authorization"));
            assertEquals("127.0.0.1:" + server.getAddress().getPort(), request.headers().get("host"));
        }
    }

    @Test
    void publish_bearerAndLambda_sendTheTokenAsAuthorization() throws Exception {
        try (SwitchboardClient jwt = client(Auth.bearer("eyJ.jwt.sig"), "/event");
             SwitchboardClient lambda = client(Auth.lambda("custom-token"), "/event")) {
            jwt.publish("/default/a", "1");
            assertEquals("eyJ.jwt.sig", recorded().headers().get("authorization"));
            lambda.publish("/default/a", List.of("1", "2"));
            Recorded request = recorded();
            assertEquals("custom-token", request.headers().get("authorization"));
            assertNull(request.headers().get("x-api-key"));
            assertEquals("{\"channel\":\"/default/a\",\"events\":[\"1\",\"2\"]}", request.body());
        }
    }

    @Test
    void publish_iam_signsTheExactRequestForExecuteApi() throws Exception {
        Auth auth = Auth.iam(StaticCredentialsProvider.create(AwsSessionCredentials.create("AKID", "SECRET", "SESSION")),
                "us-east-1", "execute-api");
        try (SwitchboardClient client = client(auth, "/iam/event")) {
            client.publish("/default/news", "{\"a\":1}");
        }
        Recorded request = recorded();
        assertEquals("/iam/event", request.path());
        assertEquals("SESSION", request.headers().get("x-amz-security-token"));
        SigV4.Parsed parsed = SigV4.parse(request.headers().get("authorization"));
        assertEquals("execute-api", parsed.service());
        assertEquals(List.of("accept", "content-type", "host", "x-amz-date", "x-amz-security-token"),
                List.of(parsed.signedHeaders()).stream().filter(h -> !h.equals("x-amz-content-sha256")).toList());
        assertEquals(SigV4.expectedSignature(request.headers(), "/iam/event", request.body(), "SECRET"), parsed.signature());
    }

    @Test
    void publish_non2xx_throwsWithStatusAndErrors() {
        status = 401;
        answer = "{\"errors\":[{\"errorType\":\"UnauthorizedException\",\"message\":\"You are not authorized to make this call.\"}]}";
        try (SwitchboardClient client = client(Auth.apiKey("da2-wrong"), "/event")) {
            SwitchboardException e = assertThrows(SwitchboardException.class, () -> client.publish("/default/a", "1"));
            assertEquals(401, e.statusCode());
            assertEquals("UnauthorizedException", e.errorType());
            assertEquals(List.of(new ErrorDetail("UnauthorizedException", "You are not authorized to make this call.")), e.errors());
            assertEquals("HTTP publish refused: HTTP 401: UnauthorizedException: You are not authorized to make this call.", e.getMessage());
        }
    }

    @Test
    void publishAsync_apiGatewayError_failsWithTypeFromHeader() {
        status = 403;
        answer = "{\"message\":\"Forbidden\"}";
        errorTypeHeader = "ForbiddenException";
        try (SwitchboardClient client = client(Auth.apiKey("k"), "/event")) {
            CompletionException e = assertThrows(CompletionException.class, () -> client.publishAsync("/default/a", List.of("1")).join());
            SwitchboardException cause = assertInstanceOf(SwitchboardException.class, e.getCause());
            assertEquals(403, cause.statusCode());
            assertEquals(List.of(new ErrorDetail("ForbiddenException", "Forbidden")), cause.errors());
        }
    }

    @Test
    void publish_partialFailure_isAResultNotAnException() {
        answer = "{\"successful\":[{\"identifier\":\"a\",\"index\":0}],\"failed\":[{\"identifier\":\"b\",\"index\":1,\"code\":400,\"message\":\"too big\"}]}";
        try (SwitchboardClient client = client(Auth.apiKey("k"), "/event")) {
            PublishResult result = client.publish("/default/a", "1", "2");
            assertEquals(List.of(new PublishResult.Failure("b", 1, 400, "too big")), result.failed());
        }
    }

    @Test
    void publish_unreachable_throwsWithTheIoCause() throws IOException {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        try (SwitchboardClient client = SwitchboardClient.newBuilder().endpoint(URI.create("http://127.0.0.1:" + port + "/event"))
                .auth(Auth.apiKey("k")).build()) {
            SwitchboardException e = assertThrows(SwitchboardException.class, () -> client.publish("/default/a", "1"));
            assertEquals(0, e.statusCode());
            assertInstanceOf(IOException.class, e.getCause());
            assertThrows(IllegalArgumentException.class, () -> client.publish("/default/a", List.of()));
        }
    }
}
