package io.switchboard.tests.readme;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.tests.e2e.Processes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Runs the README's commands that can run here, as the README writes them, against the real scripts and jars: the
 * two commands, {@code bin/local} with its banner, {@code --help} and {@code keygen}, the key tool, the seed's curl
 * publish, the wscat conversation and both SigV4-signed curl publishes. Where a command needs a value only a reader
 * has, the test gives it: the gateway's port instead of 8080 (8080 may be taken), the gateway's key for
 * {@code da2-...}. Every README command is either run here or mapped to its test in {@link ReadmeCoverage}.
 */
class ReadmeTest {
    private static final String KEY = "da2-readmereadmereadmereadme01";
    /** The credentials the gateway verifies SigV4 signatures against (README: "start it with AWS_ACCESS_KEY_ID ..."). */
    private static final Map<String, String> IAM = Map.of(
        "AWS_ACCESS_KEY_ID", "AKIDREADMEEXAMPLE", "AWS_SECRET_ACCESS_KEY", "readme/secret/access/key");
    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Put on a line queue when the process's output ends (compared by identity). */
    private static final String END = new String("end of output");
    private static final Pattern PUBLISHED =
        Pattern.compile("\\{\"failed\":\\[],\"successful\":\\[\\{\"identifier\":\"[0-9a-f-]{36}\",\"index\":0}]}\\s*");

    private static Path root;
    private static String readme;
    /** Holds a {@code mvn} that fails: bin/local must find its jar up to date and not start a build inside a test. */
    private static Path noBuild;
    private static Gateway gateway;

    @BeforeAll
    static void start() throws Exception {
        root = Readme.root();
        readme = Readme.text();
        assertTrue(Files.isRegularFile(root.resolve("local/target/switchboard-local.jar")),
            "the local gateway jar is built before the tests module");
        noBuild = Files.createTempDirectory("readme-no-build");
        Path mvn = noBuild.resolve("mvn");
        Files.writeString(mvn, """
            #!/bin/sh
            echo "bin/local wanted to rebuild: a source is newer than local/target/switchboard-local.jar." >&2
            echo "Build first (mvn install -DskipTests), then run the tests module." >&2
            exit 97
            """);
        Files.setPosixFilePermissions(mvn, PosixFilePermissions.fromString("rwxr-xr-x"));
        gateway = Gateway.start(IAM);
    }

    @AfterAll
    static void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
        if (noBuild != null) {
            Files.deleteIfExists(noBuild.resolve("mvn"));
            Files.deleteIfExists(noBuild);
        }
    }

    @Test
    void theTwoCommands_existAndCiRunsTheTestCommand() throws IOException {
        assertTrue(readme.contains("bin/local      #"), "README names bin/local");
        assertTrue(readme.contains("bin/test       #"), "README names bin/test");
        assertTrue(Files.isExecutable(root.resolve("bin/local")));
        assertTrue(Files.isExecutable(root.resolve("bin/test")));
        String ci = Files.readString(root.resolve(".ci/run"));
        assertTrue(ci.lines().anyMatch(l -> l.trim().equals("exec bin/test")), ".ci/run must call exactly bin/test:\n" + ci);
        String test = Files.readString(root.resolve("bin/test"));
        assertTrue(test.contains("npm ci"), "README: bin/test runs npm ci in tests/node");
        assertTrue(test.contains("mvn -B -ntp verify"), "README: bin/test runs mvn verify over every module");
    }

    /**
     * The build commands ({@code mvn -B package -DskipTests}, {@code mvn package}) are what CI runs too: bin/test's
     * {@code mvn verify} packages every module before this one, so the jars the README names are here.
     */
    @Test
    void build_packagesTheJarsTheReadmeNames() throws IOException {
        String build = Readme.command("mvn -B package -DskipTests");
        assertEquals("mvn -B package -DskipTests", build);
        Matcher named = Pattern.compile("mvn -B package -DskipTests\\s+# builds (\\S+)").matcher(readme);
        assertTrue(named.find(), "the Deploy block says which jar the build makes");
        assertTrue(Files.isRegularFile(root.resolve(named.group(1))), named.group(1) + " is what the build makes");
        assertTrue(Files.isRegularFile(root.resolve("local/target/switchboard-local.jar")));
        assertTrue(Files.readString(root.resolve("bin/local")).contains("-DskipTests package"),
            "README: bin/local builds with mvn package -DskipTests");
    }

    @Test
    void binLocal_runsTheJarTheReadmeNames() throws IOException {
        String script = Files.readString(root.resolve("bin/local"));
        Matcher jar = Pattern.compile("(?m)^jar=(\\S+)$").matcher(script);
        assertTrue(jar.find(), script);
        assertTrue(script.contains("exec java -jar \"$jar\" \"$@\""), script);
        assertEquals("java -jar " + jar.group(1), Readme.command("java -jar "));
    }

    @Test
    void banner_matchesWhatTheGatewayPrints() {
        String block = section("bin/local` builds the jars", "```\n", "```");
        List<String> printed = gateway.output();
        for (String line : block.lines().toList()) {
            // the label before the value: "HTTP endpoint", "API key", ... (continuation lines have none)
            String label = line.trim().split("\\s{2,}")[0];
            if (line.startsWith("  ") && !label.isEmpty() && !label.startsWith("ws") && !label.startsWith("http")) {
                assertTrue(printed.stream().anyMatch(l -> l.trim().startsWith(label)),
                    "README banner line '" + line + "' not printed:\n" + String.join("\n", printed));
            }
        }
        assertTrue(block.contains("Switchboard local gateway ready on port 8080"));
        assertTrue(printed.stream().anyMatch(l -> l.contains("Switchboard local gateway ready on port " + gateway.port)));
    }

    @Test
    void helpBlock_listsExactlyTheGatewaysFlags() {
        Processes.Run help = bash(root, Map.of(), Readme.command("bin/local --help"));
        assertEquals(0, help.exitCode(), help.describe());
        Set<String> documented = flags(section("bin/local --help", "\n", "```"));
        Set<String> actual = flags(help.stdout() + help.stderr());
        actual.remove("--help");
        assertEquals(actual, documented, "README's bin/local --help block vs what bin/local --help prints");
    }

    @Test
    void seedCurlPublish_asWritten_succeeds() {
        assertEquals("KEY=da2-...", Readme.command("KEY="), "the curl block sets KEY to the printed key");
        Processes.Run run = seedCurl();
        assertEquals(0, run.exitCode(), run.describe());
        assertTrue(PUBLISHED.matcher(run.stdout()).matches(), run.describe());
    }

    @Test
    void keygen_printsAKeyAndItsDigest() throws Exception {
        Processes.Run run = bash(root, Map.of(), Readme.command("bin/local keygen"));
        assertEquals(0, run.exitCode(), run.describe());
        String key = match("API key: (da2-[a-z0-9]{26})", run.stdout());
        assertEquals(sha256(key), match("SHA-256: ([0-9a-f]{64})", run.stdout()), run.describe());
    }

    /** {@code java -cp functions/target/switchboard-functions.jar io.switchboard.core.auth.ApiKeys [--expires-in-days 90]}. */
    @Test
    void apiKeysTool_printsAKeyItsEntry_andAnExpiryWhenAsked() throws Exception {
        String command = Readme.command("java -cp functions/target/switchboard-functions.jar");
        Matcher optional = Pattern.compile("^(.*?) \\[(--expires-in-days (\\d+))]$").matcher(command);
        assertTrue(optional.matches(), "the README shows the key tool with its optional expiry: " + command);

        Processes.Run plain = bash(root, Map.of(), optional.group(1));
        assertEquals(0, plain.exitCode(), plain.describe());
        String key = match("API key: (da2-[a-z0-9]{26})", plain.stdout());
        assertEquals(sha256(key), match("Entry: +([0-9a-f]{64})\\s", plain.stdout()), plain.describe());
        assertTrue(plain.stdout().contains("Expires: never"), plain.describe());

        Processes.Run expiring = bash(root, Map.of(), optional.group(1) + " " + optional.group(2));
        assertEquals(0, expiring.exitCode(), expiring.describe());
        String expiringKey = match("API key: (da2-[a-z0-9]{26})", expiring.stdout());
        Matcher entry = Pattern.compile("Entry: +([0-9a-f]{64})@(\\d+)").matcher(expiring.stdout());
        assertTrue(entry.find(), expiring.describe());
        assertEquals(sha256(expiringKey), entry.group(1));
        long days = Long.parseLong(optional.group(3));
        long expected = Instant.now().plus(Duration.ofDays(days)).getEpochSecond();
        assertTrue(Math.abs(Long.parseLong(entry.group(2)) - expected) < 3600, expiring.describe());
    }

    /**
     * The wscat block, run as written from {@code tests/node} (where wscat is pinned): the {@code header=} line computes
     * the {@code header-} subprotocol, wscat connects with it, the frames the README types ({@code >}) are sent with
     * wscat's {@code -x}, and every frame the README shows coming back ({@code <}) must come back exactly. Then the
     * README's curl publish reaches this subscriber as a {@code data} frame.
     */
    @Test
    void wscat_asWritten_isAcknowledgedAndSubscribed_thenReceivesTheCurlPublish() throws Exception {
        Path node = root.resolve("tests/node");
        assertTrue(Files.isRegularFile(node.resolve("node_modules/wscat/package.json")),
            "wscat is not installed in tests/node: run bin/test, or npm ci in tests/node");
        String block = section("**wscat**", "```bash\n", "```");
        List<String> typed = new ArrayList<>();
        List<String> shown = new ArrayList<>();
        for (String line : block.lines().toList()) {
            if (line.startsWith("> ")) {
                typed.add(line.substring(2).replace("da2-…", KEY).replace("da2-...", KEY));
            } else if (line.startsWith("< ")) {
                shown.add(line.substring(2));
            }
        }
        assertTrue(typed.contains("{\"type\":\"connection_init\"}"), block);
        assertTrue(shown.size() >= 3, block);

        StringBuilder script = new StringBuilder("KEY=" + KEY + "\n")
            .append(local(Readme.command("header="))).append('\n')
            .append(local(Readme.command("npx wscat")));
        for (String frame : typed) {
            script.append(" -x ").append(Readme.shellQuote(frame));
        }
        script.append(" -w -1");       // hold the socket open until stdin closes, as a reader's Ctrl-D would

        ProcessBuilder builder = new ProcessBuilder("bash", "-c", script.toString()).directory(node.toFile());
        builder.environment().put("npm_config_offline", "true");          // never fetch: the pinned wscat or nothing
        builder.environment().put("npm_config_update_notifier", "false");
        Process wscat = builder.start();
        BlockingQueue<String> frames = new LinkedBlockingQueue<>();
        List<String> received = new ArrayList<>();
        Thread reader = lines(wscat.getInputStream(), frames);
        StringBuffer errors = new StringBuffer();
        Thread errorReader = new Thread(() -> {
            try {
                errors.append(new String(wscat.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                errors.append(e);
            }
        });
        errorReader.setDaemon(true);
        errorReader.start();
        try {
            awaitFrames(frames, received, got -> got.containsAll(shown), Duration.ofSeconds(30),
                () -> "wscat did not print every frame the README shows\n" + script + "\nREADME shows " + shown
                    + "\nreceived " + received + "\nstderr " + errors + "\ngateway:\n" + String.join("\n", gateway.output()));

            Processes.Run publish = seedCurl();
            assertEquals(0, publish.exitCode(), publish.describe());
            String body = match("-d '(\\{.*})'$", Readme.command("curl -H"));
            JsonNode event = JSON.readTree(body).get("events").get(0);
            String subscribe = typed.stream().filter(f -> f.contains("\"subscribe\"")).findFirst().orElseThrow();
            String subscription = JSON.readTree(subscribe).get("id").asText();
            JsonNode data = JSON.createObjectNode().put("type", "data").put("id", subscription).set("event", event);
            awaitFrames(frames, received, got -> got.stream().anyMatch(frame -> data.equals(parse(frame))),
                Duration.ofSeconds(30),
                () -> "the curl publish did not reach wscat as " + data + "\nreceived " + received + "\nstderr " + errors);
        } finally {
            wscat.getOutputStream().close();            // end of input: wscat closes the socket and exits
            if (!wscat.waitFor(20, TimeUnit.SECONDS)) {
                wscat.descendants().forEach(ProcessHandle::destroyForcibly);
                wscat.destroyForcibly();
            }
        }
        reader.join(5_000);
        assertEquals(0, wscat.exitValue(), "wscat exit code; stderr " + errors);
    }

    /** The seed's SigV4 command, as written, against a gateway started with the signer's credentials. */
    @Test
    void sigV4Curl_localCommand_asWritten_publishes() {
        String curl = Readme.command("curl --aws-sigv4 \"aws:amz:us-east-1:appsync\"");
        Processes.Run run = bash(root, IAM, local(curl) + " --silent --show-error --max-time 60");
        assertEquals(0, run.exitCode(), run.describe());
        assertTrue(PUBLISHED.matcher(run.stdout()).matches(), run.describe());
    }

    /**
     * The cloud's SigV4 command (temporary credentials, service {@code execute-api}, the {@code IamPublishEndpoint}
     * output) as written, with its variables pointed at the local gateway's {@code POST /iam/event}, which checks the
     * signature and the session token like API Gateway's IAM authorization.
     */
    @Test
    void sigV4Curl_cloudCommand_asWritten_publishesThroughTheIamRoute() throws Exception {
        Map<String, String> credentials = new LinkedHashMap<>(IAM);
        credentials.put("AWS_SESSION_TOKEN", "readme-session-token");
        try (Gateway temporary = Gateway.start(credentials)) {
            Map<String, String> env = new LinkedHashMap<>(credentials);
            env.put("REGION", "us-east-1");
            env.put("IAM_PUBLISH_ENDPOINT", "http://127.0.0.1:" + temporary.port + "/iam/event");
            Processes.Run run = bash(root, env,
                Readme.command("curl --aws-sigv4 \"aws:amz:$REGION:execute-api\"") + " --silent --show-error --max-time 60");
            assertEquals(0, run.exitCode(), run.describe());
            assertTrue(PUBLISHED.matcher(run.stdout()).matches(), run.describe());
            assertTrue(temporary.output().stream().anyMatch(l -> l.contains("HTTP POST /iam/event") && l.contains("-> 200")),
                String.join("\n", temporary.output()));
        }
    }

    // ------------------------------------------------------------------ helpers

    /** The README's curl publish with the gateway's key, at the gateway's port. */
    private static Processes.Run seedCurl() {
        return bash(root, Map.of(), "KEY=" + KEY + "\n" + local(Readme.command("curl -H")) + " --silent --show-error --max-time 60");
    }

    /** {@code command} pointed at the gateway this test started instead of port 8080. */
    private static String local(String command) {
        return command.replace("127.0.0.1:8080", "127.0.0.1:" + gateway.port);
    }

    /** Runs {@code script} with bash in {@code dir}; bin/local there finds the failing {@code mvn} first. */
    private static Processes.Run bash(Path dir, Map<String, String> env, String script) {
        Map<String, String> environment = new LinkedHashMap<>(env);
        environment.put("PATH", noBuild + ":" + System.getenv("PATH"));
        return Processes.run(dir, environment, TIMEOUT, List.of("bash", "-c", script));
    }

    /** Moves wscat's lines into {@code received} until {@code done} holds, failing with {@code message} at the timeout. */
    private static void awaitFrames(BlockingQueue<String> frames, List<String> received, Predicate<List<String>> done,
                                    Duration timeout, Supplier<String> message) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.test(received)) {
            long left = deadline - System.nanoTime();
            String frame = left > 0 ? frames.poll(left, TimeUnit.NANOSECONDS) : null;
            if (frame == null || frame == END) {
                fail((frame == END ? "wscat ended. " : "") + message.get());
            }
            received.add(frame.strip());
        }
    }

    private static JsonNode parse(String frame) {
        try {
            return JSON.readTree(frame);
        } catch (IOException e) {
            return null;
        }
    }

    private static Thread lines(java.io.InputStream in, BlockingQueue<String> sink) {
        Thread thread = new Thread(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                for (String line; (line = reader.readLine()) != null; ) {
                    sink.add(line);
                }
            } catch (IOException e) {
                // the process ended
            }
            sink.add(END);
        });
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private static String match(String regex, String text) {
        Matcher m = Pattern.compile(regex, Pattern.MULTILINE).matcher(text);
        assertTrue(m.find(), "no " + regex + " in:\n" + text);
        return m.group(1);
    }

    private static String sha256(String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    private static Set<String> flags(String text) {
        Set<String> flags = new TreeSet<>();
        Matcher m = Pattern.compile("(?m)^\\s*(--[a-z-]+)").matcher(text);
        while (m.find()) {
            flags.add(m.group(1));
        }
        return flags;
    }

    /** The text between {@code open} and {@code close} that follows the first occurrence of {@code anchor}. */
    private static String section(String anchor, String open, String close) {
        int at = readme.indexOf(anchor);
        assertTrue(at >= 0, "README lost the part starting with: " + anchor);
        int start = readme.indexOf(open, at);
        assertTrue(start >= 0, anchor);
        start += open.length();
        int end = readme.indexOf(close, start);
        assertTrue(end >= 0, anchor);
        return readme.substring(start, end);
    }

    /** A gateway started with the README's {@code bin/local} (on a free port, with a known key), and what it printed. */
    private static final class Gateway implements AutoCloseable {
        private final Process process;
        private final List<String> output = new ArrayList<>();
        private int port;

        private Gateway(Process process) {
            this.process = process;
        }

        static Gateway start(Map<String, String> credentials) throws IOException {
            ProcessBuilder builder = new ProcessBuilder(Readme.root().resolve("bin/local").toString(),
                "--port", "0", "--api-key", KEY).directory(Readme.root().toFile()).redirectErrorStream(true);
            Map<String, String> env = builder.environment();
            env.keySet().removeIf(name -> name.startsWith("AWS_"));   // the signer's credentials and nothing else
            env.putAll(credentials);
            env.put("PATH", noBuild + ":" + System.getenv("PATH"));
            Gateway gateway = new Gateway(builder.start());
            gateway.awaitReady();
            return gateway;
        }

        private void awaitReady() {
            BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            Pattern ready = Pattern.compile("Switchboard local gateway ready on port (\\d+)");
            Thread drain = new Thread(() -> {
                try {
                    for (String line; (line = out.readLine()) != null; ) {
                        synchronized (output) {
                            output.add(line);
                            Matcher m = ready.matcher(line);
                            if (m.find()) {
                                port = Integer.parseInt(m.group(1));
                            }
                            output.notifyAll();
                        }
                    }
                } catch (IOException e) {
                    // the gateway stopped
                }
            });
            drain.setDaemon(true);
            drain.start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            synchronized (output) {
                while (port == 0 && process.isAlive() && System.nanoTime() < deadline) {
                    try {
                        output.wait(200);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        break;
                    }
                }
            }
            if (port == 0) {
                close();
                fail("bin/local did not say it was ready:\n" + String.join("\n", output()));
            }
        }

        List<String> output() {
            synchronized (output) {
                return List.copyOf(output);
            }
        }

        @Override
        public void close() {
            process.destroy();
            try {
                if (!process.waitFor(20, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }
}
