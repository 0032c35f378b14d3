package io.switchboard.tests.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.local.LocalGateway;
import io.switchboard.local.Options;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

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
    private static IsolatedFunctions functions;
    private static LocalGateway gateway;

    @BeforeAll
    static void start() throws Exception {
        root = Path.of(System.getProperty("switchboard.root", "..")).toAbsolutePath().normalize();
        Path tls = Files.createTempDirectory("switchboard-console-tls");
        functions = IsolatedFunctions.create();
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(functions); // the functions keep JVM-wide state: give this gateway its own copy
        try {
            gateway = LocalGateway.start(Options.builder().port(0).apiKey(KEY).template(root.resolve("template.yaml"))
                .tlsDirectory(tls).workerThreads(8).environment("AWS_REGION", "us-east-1").build());
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    @AfterAll
    static void stop() throws IOException {
        if (gateway != null) {
            gateway.close();
        }
        if (functions != null) {
            functions.close();
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

        ProcessBuilder builder = new ProcessBuilder("node", "console-e2e.mjs").directory(nodeDir.toFile())
            .redirectErrorStream(true);
        builder.environment().putAll(Map.of(
            "SWITCHBOARD_CONSOLE_URL", gateway.consoleUrl().toString(),
            "SWITCHBOARD_API_KEY", KEY,
            "SWITCHBOARD_SCREENSHOTS", String.join(",", screenshots),
            "CHROMIUM", CHROMIUM.toString()));
        Process process = builder.start();
        process.getOutputStream().close();
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        Thread reader = new Thread(() -> copy(process.getInputStream(), output), "console-e2e output");
        reader.start();
        if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            reader.join(5_000);
            fail("console-e2e.mjs did not finish within " + TIMEOUT_SECONDS + " s:\n" + text(output));
        }
        reader.join(10_000);
        String printed = text(output);
        List<String> lines = printed.lines().filter(line -> !line.isBlank()).toList();
        assertEquals(0, process.exitValue(), () -> "console-e2e.mjs failed:\n" + printed);
        assertEquals("{\"result\":\"ok\"}", lines.isEmpty() ? "" : lines.get(lines.size() - 1), printed);
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

    private static void copy(InputStream in, ByteArrayOutputStream out) {
        try (in) {
            in.transferTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String text(ByteArrayOutputStream out) {
        synchronized (out) {
            return out.toString(StandardCharsets.UTF_8);
        }
    }

    /**
     * Switchboard's function-side classes (functions, example app, core, api, aws), loaded afresh for this gateway:
     * {@code SwitchboardRuntime.shared()} and the in-memory store are JVM-wide statics, so a gateway sharing them with
     * another one in this JVM would use that one's configuration and store. Everything else comes from the test class
     * path.
     */
    static final class IsolatedFunctions extends URLClassLoader {
        private static final List<String> ANCHORS = List.of("io.switchboard.functions.SwitchboardRuntime",
            "io.switchboard.core.engine.Engine", "io.switchboard.api.ChannelNamespace",
            "io.switchboard.aws.DynamoDbSubscriptionStore");

        private IsolatedFunctions(URL[] urls, ClassLoader parent) {
            super("switchboard-console-functions", urls, parent);
        }

        static IsolatedFunctions create() throws ClassNotFoundException, URISyntaxException, IOException {
            ClassLoader parent = IsolatedFunctions.class.getClassLoader();
            List<URL> urls = new ArrayList<>();
            for (String anchor : ANCHORS) {
                urls.add(Class.forName(anchor, false, parent).getProtectionDomain().getCodeSource().getLocation()
                    .toURI().toURL());
            }
            return new IsolatedFunctions(urls.toArray(URL[]::new), parent);
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            boolean own = name.startsWith("io.switchboard.") && !name.startsWith("io.switchboard.local.")
                && !name.startsWith("io.switchboard.tests.");
            if (!own) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> type = findLoadedClass(name);
                if (type == null) {
                    try {
                        type = findClass(name);
                    } catch (ClassNotFoundException e) {
                        return super.loadClass(name, resolve);
                    }
                }
                if (resolve) {
                    resolveClass(type);
                }
                return type;
            }
        }

        /** Own copies first, each URL once: ServiceLoader must see this loader's registry, and only once. */
        @Override
        public Enumeration<URL> getResources(String name) throws IOException {
            Map<String, URL> all = new LinkedHashMap<>();
            for (Enumeration<URL> own = findResources(name); own.hasMoreElements(); ) {
                URL url = own.nextElement();
                all.putIfAbsent(url.toString(), url);
            }
            for (Enumeration<URL> inherited = getParent().getResources(name); inherited.hasMoreElements(); ) {
                URL url = inherited.nextElement();
                all.putIfAbsent(url.toString(), url);
            }
            return Collections.enumeration(new ArrayList<>(all.values()));
        }
    }
}
