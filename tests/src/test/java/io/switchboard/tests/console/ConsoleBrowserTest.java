package io.switchboard.tests.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.local.LocalGateway;
import io.switchboard.local.Options;
import io.switchboard.tests.e2e.Processes;
import io.switchboard.tests.support.IsolatedGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The local gateway's browser console in a real browser: the gateway runs in this JVM (port 0, the real functions of
 * {@code template.yaml}), and {@code tests/node/console-e2e.mjs} drives Debian's chromium through playwright-core
 * against it — connect, subscribe to several patterns, publish over HTTP and WebSocket, see events and errors per
 * subscription — and writes {@code target/console.png}. With {@code -Dswitchboard.console.docs=true} it also
 * refreshes {@code docs/console.png}, the screenshot the README shows.
 */
class ConsoleBrowserTest {
    private static final String KEY = "da2-consolebrowsertestkey000001";
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final long TIMEOUT_SECONDS = 240;
    private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G'};

    private static Path root;
    private static IsolatedGateway isolated;
    private static LocalGateway gateway;

    @BeforeAll
    static void start() throws Exception {
        root = Path.of(System.getProperty("switchboard.root", "..")).toAbsolutePath().normalize();
        Path tls = Files.createTempDirectory("switchboard-console-tls");
        // the functions keep JVM-wide state: give this gateway its own copy
        isolated = IsolatedGateway.start(Options.builder().port(0).apiKey(KEY).template(root.resolve("template.yaml"))
            .tlsDirectory(tls).workerThreads(8).environment("AWS_REGION", "us-east-1").build());
        gateway = isolated.gateway();
    }

    @AfterAll
    static void stop() {
        if (isolated != null) {
            isolated.close();
        }
    }

    @Test
    void configJson_givesTheConsoleItsEndpointsAndTheGatewaysKey() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
            HttpRequest.newBuilder(gateway.consoleUrl().resolve("console/config.json")).build(),
            HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode());
        assertEquals("application/json", response.headers().firstValue("content-type").orElse(""));
        JsonNode config = new ObjectMapper().readTree(response.body());
        assertEquals(KEY, config.path("apiKey").asText());
        assertEquals(gateway.httpEndpoint().toString(), config.path("httpEndpoint").asText());
        assertEquals(gateway.realtimeEndpoint().toString(), config.path("realtimeEndpoint").asText());
    }

    @Test
    void console_inChromium_connectsSubscribesPublishesAndShowsEvents() throws Exception {
        if (!Files.isExecutable(CHROMIUM)) {
            fail(CHROMIUM + " is missing: install it with 'apt-get update && apt-get install -y chromium' "
                + "(bin/test does when it runs as root)");
        }
        Path nodeDir = root.resolve("tests/node");
        if (!Files.isDirectory(nodeDir.resolve("node_modules/playwright-core"))) {
            fail("tests/node/node_modules/playwright-core is missing: run 'npm ci' in tests/node (bin/test does)");
        }
        Path screenshot = root.resolve("target/console.png");
        Files.deleteIfExists(screenshot);
        List<String> screenshots = new ArrayList<>(List.of(screenshot.toString()));
        if (Boolean.getBoolean("switchboard.console.docs")) {
            screenshots.add(root.resolve("docs/console.png").toString());
        }

        Processes.Run run = Processes.run(nodeDir, Map.of(
                "SWITCHBOARD_CONSOLE_URL", gateway.consoleUrl().toString(),
                "SWITCHBOARD_API_KEY", KEY,
                "SWITCHBOARD_SCREENSHOTS", String.join(",", screenshots),
                "CHROMIUM", CHROMIUM.toString()),
            Duration.ofSeconds(TIMEOUT_SECONDS), List.of("node", "console-e2e.mjs"));
        String printed = run.stdout();
        List<String> lines = printed.lines().filter(line -> !line.isBlank()).toList();
        assertEquals(0, run.exitCode(), () -> "console-e2e.mjs failed:\n" + run.describe());
        assertEquals("{\"result\":\"ok\"}", lines.isEmpty() ? "" : lines.get(lines.size() - 1), run.describe());
        for (String step : List.of("connected", "subscribed", "http-published", "ws-published", "subscribe-error-shown",
            "publish-error-shown", "screenshot", "disconnected")) {
            assertTrue(printed.contains("{\"step\":\"" + step + "\""), () -> "no step " + step + " in:\n" + printed);
        }
        assertTrue(Files.size(screenshot) > 10_000, "the screenshot is empty");
        byte[] header = new byte[4];
        try (InputStream in = Files.newInputStream(screenshot)) {
            assertEquals(4, in.read(header));
        }
        assertArrayEquals(PNG, header, "target/console.png is not a PNG");
    }
}
