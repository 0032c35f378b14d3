package io.switchboard.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway as {@code bin/local} runs it (its own JVM, {@code LocalGateway.main}, the real functions of
 * {@code template.yaml}): stderr is one readable line per request plus the functions' lines as text, never JSON,
 * and never a key, a {@code header-} subprotocol or an event payload; {@code --trace} adds every frame, masked.
 */
class ReadableLogsTest {

    private static final String KEY = "da2-readablelogstestkey00000001";
    private static final String PAYLOAD = "payload-must-not-be-logged";
    private static final Pattern TIMESTAMPED = Pattern.compile("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} \\S.*");
    private static final Pattern READY = Pattern.compile(Pattern.quote(Cli.READY) + "(\\d+)");

    @TempDir
    Path tls;

    @Test
    void requestLines_areReadableAndFreeOfSecrets() throws Exception {
        Run run = conversation(false);
        List<String> lines = run.stderr();
        String connection = run.connectionId();
        for (String line : lines) {
            assertTrue(TIMESTAMPED.matcher(line).matches(), () -> "not a readable log line: " + line + "\n" + run.all());
            assertFalse(line.contains("{"), () -> "JSON in the log: " + line);
            assertFalse(line.contains(KEY) || line.contains("header-ey") || line.contains(PAYLOAD),
                    () -> "a secret or a payload in the log: " + line);
        }
        run.assertLine(connection + " $connect -> 101 (");
        run.assertLine(connection + " subscribe /default/* -> subscribe_success (");
        run.assertLine(connection + " subscribe /default/* -> subscribe_error UnauthorizedException (");
        run.assertLine(connection + " publish /default/room (1 event) -> publish_success (");
        run.assertLine("HTTP POST /event /default/room (2 events) -> 200 (");
        run.assertLine("HTTP POST /event /default/room (1 event) -> 401 UnauthorizedException (");
        run.assertLine(connection + " $disconnect close 1000 bye -> 200 (");
        // the functions' own lines (-Dswitchboard.log.level=INFO), as text with their MDC keys
        run.assertLine("INFO " + connection + " $connect ConnectFunction: connected (authorized)");
        run.assertLine("INFO " + connection + " $disconnect DisconnectFunction: disconnected");
    }

    @Test
    void trace_showsEveryFrameWithCredentialsMasked() throws Exception {
        Run run = conversation(true);
        for (String line : run.stderr()) {
            assertFalse(line.contains(KEY) || line.contains("header-ey"), () -> "a credential in the log: " + line);
        }
        run.assertLine(run.connectionId() + " <- {\"type\":\"subscribe\",\"id\":\"s1\",\"channel\":\"/default/*\","
                + "\"authorization\":{\"x-api-key\":\"***\"");
        run.assertLine(run.connectionId() + " -> {\"type\":\"subscribe_success\",\"id\":\"s1\"}");
        run.assertLine("subprotocols=aws-appsync-event-ws, header-***");
        run.assertLine(run.connectionId() + " subscribe /default/* -> subscribe_success (");
    }

    /** Starts the gateway, has a short conversation over WebSocket and HTTP, stops it and returns what it printed. */
    private Run conversation(boolean trace) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dswitchboard.log.level=INFO", "-cp", System.getProperty("java.class.path"), LocalGateway.class.getName(),
                "--port", "0", "--api-key", KEY, "--template", Path.of("..", "template.yaml").toAbsolutePath().normalize().toString(), "--tls-dir", tls.toString()));
        if (trace) {
            command.add("--trace");
        }
        Process process = new ProcessBuilder(command).start();
        CompletableFuture<String> stderr = CompletableFuture.supplyAsync(() -> read(process.getErrorStream(), stderrCopy));
        StringBuilder stdout = new StringBuilder();
        int port;
        try {
            port = awaitReady(process, stdout);
            HttpClient http = TestClients.http(tls.resolve("cert.pem"));
            String host = "127.0.0.1:" + port;
            TestClients.Ws ws = TestClients.Ws.open(http, URI.create("ws://" + host + "/event/realtime"),
                    "aws-appsync-event-ws", TestClients.headerProtocol(host, KEY));
            ws.send("{\"type\":\"connection_init\"}");
            assertTrue(ws.next().contains("connection_ack"));
            ws.next(); // ka
            ws.send(subscribe("s1", KEY));
            assertTrue(ws.next().contains("subscribe_success"));
            ws.send(subscribe("s2", "da2-wrongwrongwrongwrongwrong01"));
            assertTrue(ws.next().contains("subscribe_error"));
            ws.send("{\"type\":\"publish\",\"id\":\"p1\",\"channel\":\"/default/room\",\"events\":[\"{\\\"text\\\":\\\""
                    + PAYLOAD + "\\\"}\"],\"authorization\":{\"x-api-key\":\"" + KEY + "\"}}");
            List<String> replies = List.of(ws.next(), ws.next());
            assertTrue(String.join("", replies).contains("publish_success"), replies::toString);
            String body = "{\"channel\":\"/default/room\",\"events\":[\"{\\\"text\\\":\\\"" + PAYLOAD + "\\\"}\",\"2\"]}";
            assertEquals(200, post(http, port, KEY, body));
            assertEquals(401, post(http, port, "da2-wrongwrongwrongwrongwrong01",
                    "{\"channel\":\"/default/room\",\"events\":[\"1\"]}"));
            ws.socket.sendClose(1000, "bye").join();
            ws.awaitClose();
            waitFor(() -> stderrSoFar().contains("$disconnect"), stderr);
        } catch (Exception | AssertionError e) {
            throw new AssertionError("the conversation failed: " + e + "\n--- stdout\n" + stdout + "--- stderr\n" + stderrSoFar(), e);
        } finally {
            process.destroy(); // SIGTERM: the gateway closes and exits 0
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
        return new Run(stdout.toString(), stderr.get(10, TimeUnit.SECONDS));
    }

    private static String subscribe(String id, String key) {
        return "{\"type\":\"subscribe\",\"id\":\"" + id + "\",\"channel\":\"/default/*\",\"authorization\":{\"x-api-key\":\""
                + key + "\"}}";
    }

    private static int post(HttpClient http, int port, String key, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/event"))
                .header("content-type", "application/json").header("x-api-key", key)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    private static int awaitReady(Process process, StringBuilder stdout) throws IOException {
        @SuppressWarnings("resource") // closing it would close the process's stdout, which the drain thread reads
        BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
            stdout.append(line).append('\n');
            Matcher ready = READY.matcher(line);
            if (ready.matches()) {
                Thread drain = new Thread(() -> read(process.getInputStream(), new StringBuilder()), "stdout-drain");
                drain.setDaemon(true);
                drain.start();
                return Integer.parseInt(ready.group(1));
            }
        }
        throw new AssertionError("the gateway exited before it was ready:\n" + stdout);
    }

    // stderr is read by one thread to the end; while the gateway runs, the test polls what has arrived through a copy
    private final StringBuilder stderrCopy = new StringBuilder();

    private String stderrSoFar() {
        synchronized (stderrCopy) {
            return stderrCopy.toString();
        }
    }

    private static String read(java.io.InputStream in, StringBuilder copy) {
        StringBuilder all = new StringBuilder();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                all.append(line).append('\n');
                synchronized (copy) {
                    copy.append(line).append('\n');
                }
            }
        } catch (IOException e) {
            all.append("(read failed: ").append(e).append(")\n");
        }
        return all.toString();
    }

    private static void waitFor(java.util.function.BooleanSupplier condition, CompletableFuture<String> stderr)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean() && System.nanoTime() < deadline && !stderr.isDone()) {
            Thread.sleep(50);
        }
    }

    /** What one gateway run printed. */
    private record Run(String stdout, String stderrText) {
        List<String> stderr() {
            return stderrText.lines().filter(line -> !line.isBlank()).toList();
        }

        String connectionId() {
            Matcher m = Pattern.compile("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} (\\S+) \\$connect -> ").matcher(stderrText);
            assertTrue(m.find(), () -> "no $connect line:\n" + all());
            return m.group(1);
        }

        void assertLine(String fragment) {
            assertTrue(stderr().stream().anyMatch(line -> line.contains(fragment)),
                    () -> "no line with '" + fragment + "' in:\n" + all());
        }

        String all() {
            return "--- stdout\n" + stdout + "--- stderr\n" + stderrText;
        }
    }
}
