package io.switchboard.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How the real functions of {@code template.yaml} reach their sockets, in a gateway JVM as {@code bin/local} runs it:
 * by default frames are handed to the socket in that JVM (they arrive even with the {@code @connections} endpoint
 * pointed at a closed port); with {@code --connections-over-http} they go through the AWS SDK client and the
 * gateway's {@code @connections} API. {@code --trace} shows the data frames either way.
 */
class FunctionsDeliveryTest {

    private static final String KEY = "da2-functionsdeliverytestkey0001";
    private static final String DEAD_ENDPOINT = "SWITCHBOARD_CONNECTIONS_ENDPOINT=http://127.0.0.1:1/prod";
    private static final Pattern READY = Pattern.compile(Pattern.quote(Cli.READY) + "(\\d+)");

    @TempDir
    Path tls;

    @Test
    void byDefault_framesAreHandedToTheSocket_notPostedOverHttp() throws Exception {
        try (GatewayProcess gateway = new GatewayProcess(tls, "--trace", "--env", DEAD_ENDPOINT)) {
            String data = gateway.publishAndReceive();
            assertTrue(data.startsWith("{\"type\":\"data\",\"id\":\"s1\""), data);
            gateway.awaitLine(" -> {\"type\":\"data\",\"id\":\"s1\"");
        }
    }

    @Test
    void connectionsOverHttp_framesGoThroughTheSdkAndTheConnectionsApi() throws Exception {
        try (GatewayProcess gateway = new GatewayProcess(tls, "--trace", "--connections-over-http")) {
            String data = gateway.publishAndReceive();
            assertTrue(data.startsWith("{\"type\":\"data\",\"id\":\"s1\""), data);
            gateway.awaitLine(" -> {\"type\":\"data\",\"id\":\"s1\"");
        }
    }

    @Test
    void connectionsOverHttp_withTheEndpointOnAClosedPort_theFunctionsFramesAreLost() throws Exception {
        try (GatewayProcess gateway = new GatewayProcess(tls, "--connections-over-http", "--env", DEAD_ENDPOINT)) {
            TestClients.Ws ws = gateway.open();
            ws.send("{\"type\":\"connection_init\"}");
            // connection_ack is the function's own send through @connections; ka is the route response
            assertEquals("{\"type\":\"ka\"}", ws.next());
            assertNull(ws.messages.poll(500, TimeUnit.MILLISECONDS));
            gateway.awaitLine("@connections");
        }
    }

    /** {@code LocalGateway.main} in a JVM of its own with the real functions, and one subscribed WebSocket client. */
    private static final class GatewayProcess implements AutoCloseable {
        private final Process process;
        private final StringBuilder stderr = new StringBuilder();
        private final HttpClient http;
        private final int port;

        GatewayProcess(Path tls, String... flags) throws Exception {
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), LocalGateway.class.getName(), "--port", "0", "--api-key", KEY,
                    "--template", Path.of("..", "template.yaml").toAbsolutePath().normalize().toString(),
                    "--tls-dir", tls.toString()));
            command.addAll(List.of(flags));
            process = new ProcessBuilder(command).start();
            drain(process.getErrorStream(), stderr);
            port = awaitReady();
            http = TestClients.http(tls.resolve("cert.pem"));
        }

        private int awaitReady() throws IOException {
            BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                Matcher ready = READY.matcher(line);
                if (ready.matches()) {
                    drain(process.getInputStream(), new StringBuilder());
                    return Integer.parseInt(ready.group(1));
                }
            }
            throw new AssertionError("the gateway exited before it was ready:\n" + stderr());
        }

        TestClients.Ws open() {
            String host = "127.0.0.1:" + port;
            return TestClients.Ws.open(http, URI.create("ws://" + host + "/event/realtime"),
                    "aws-appsync-event-ws", TestClients.headerProtocol(host, KEY));
        }

        /** Subscribes to /default/room, publishes one event over HTTP and returns the frame that follows. */
        String publishAndReceive() throws Exception {
            String host = "127.0.0.1:" + port;
            TestClients.Ws ws = open();
            ws.send("{\"type\":\"connection_init\"}");
            assertTrue(ws.next().contains("connection_ack"));
            ws.next(); // ka
            ws.send("{\"type\":\"subscribe\",\"id\":\"s1\",\"channel\":\"/default/room\",\"authorization\":{\"x-api-key\":\""
                    + KEY + "\"}}");
            assertEquals("{\"type\":\"subscribe_success\",\"id\":\"s1\"}", ws.next());
            HttpResponse<String> published = http.send(HttpRequest.newBuilder(URI.create("http://" + host + "/event"))
                    .header("content-type", "application/json").header("x-api-key", KEY)
                    .POST(HttpRequest.BodyPublishers.ofString("{\"channel\":\"/default/room\",\"events\":[\"{\\\"n\\\":1}\"]}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, published.statusCode(), published::body);
            String frame = ws.messages.poll(TestClients.WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertTrue(frame != null, () -> "no data frame; the gateway printed:\n" + stderr());
            return frame;
        }

        void awaitLine(String fragment) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (System.nanoTime() < deadline) {
                if (stderr().lines().anyMatch(line -> line.contains(fragment))) {
                    return;
                }
                Thread.sleep(50);
            }
            throw new AssertionError("no line with '" + fragment + "' in:\n" + stderr());
        }

        String stderr() {
            synchronized (stderr) {
                return stderr.toString();
            }
        }

        private static void drain(InputStream in, StringBuilder copy) {
            Thread thread = new Thread(() -> {
                try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                    for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                        synchronized (copy) {
                            copy.append(line).append('\n');
                        }
                    }
                } catch (IOException e) {
                    // the gateway stopped
                }
            }, "gateway-output");
            thread.setDaemon(true);
            thread.start();
        }

        @Override
        public void close() {
            process.destroy();
            try {
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
