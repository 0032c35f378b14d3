package io.switchboard.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CliTest {

    @TempDir
    Path tls;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return Cli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void portInUse_isOneLineOnStderrAndExitCode2() throws Exception {
        try (ServerSocket busy = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            int code = run("--port", Integer.toString(busy.getLocalPort()),
                    "--template", "src/test/resources/test-template.yaml", "--tls-dir", tls.toString());
            assertEquals(2, code);
            assertEquals(1, err().lines().count(), err());
            assertTrue(err().contains("Port " + busy.getLocalPort() + " is already in use"), err());
            assertEquals("", out.toString(StandardCharsets.UTF_8));
        }
    }

    @Test
    void missingTemplate_isOneLineAndExitCode2() {
        assertEquals(2, run("--port", "0", "--template", "does-not-exist.yaml", "--tls-dir", tls.toString()));
        assertEquals(1, err().lines().count(), err());
        assertTrue(err().startsWith("Template not found: "), err());
    }

    @Test
    void unloadableHandler_isOneLineAndExitCode2() throws Exception {
        Path template = tls.resolve("broken.yaml");
        Files.writeString(template, Files.readString(Path.of("src/test/resources/test-template.yaml"))
                .replace("io.switchboard.local.fake.FakeConnect", "io.switchboard.local.fake.Missing"));
        assertEquals(2, run("--port", "0", "--template", template.toString(), "--tls-dir", tls.toString()));
        assertEquals(1, err().lines().count(), err());
        assertTrue(err().startsWith("Cannot load ConnectFunction (Handler io.switchboard.local.fake.Missing::handleRequest)"), err());
        assertEquals(null, System.getProperty("SWITCHBOARD_CONNECTIONS_ENDPOINT"), "a failed start restores the system properties");
    }

    @Test
    void badFlags_exitWith2() {
        assertEquals(2, run("--nope"));
        assertEquals(2, run("--port", "http"));
        assertEquals(2, run("--port", "70000"));
        assertEquals(2, run("--port"));
        assertEquals(2, run("--env", "NOEQUALS"));
        assertEquals(2, run("--dynamodb-endpoint", "localhost"));
        assertEquals(6, err().lines().count(), err());
    }

    @Test
    void help_printsUsage() {
        assertEquals(0, run("--help"));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("--idle-timeout-seconds"));
    }

    @Test
    void keygen_printsAKeyAndItsSha256() {
        assertEquals(0, run("keygen"));
        String[] lines = out.toString(StandardCharsets.UTF_8).split("\n");
        assertTrue(lines[0].matches("API key: da2-[a-z0-9]{26}"), lines[0]);
        String key = lines[0].substring("API key: ".length());
        assertEquals("SHA-256: " + Ids.sha256Hex(key), lines[1]);
        assertEquals(64, lines[1].length() - "SHA-256: ".length());
    }

    @Test
    void parse_readsEveryFlag() throws Exception {
        Options options = Cli.parse(new String[] {"--port", "9000", "--host=0.0.0.0", "--api-key", "da2-x", "--template", "t.yaml",
                "--tls-dir", "/tmp/tls", "--idle-timeout-seconds", "30", "--max-connection-seconds=60", "--trace",
                "--env", "SWITCHBOARD_STORE=dynamodb", "--workers", "3", "--dynamodb-endpoint", "http://127.0.0.1:8000",
                "--table", "t1"});
        assertEquals(9000, options.port());
        assertEquals("0.0.0.0", options.host());
        assertEquals("da2-x", options.apiKey());
        assertEquals(Path.of("t.yaml"), options.template());
        assertEquals(Path.of("/tmp/tls"), options.tlsDirectory());
        assertEquals(Duration.ofSeconds(30), options.idleTimeout());
        assertEquals(Duration.ofSeconds(60), options.maxConnectionTime());
        assertTrue(options.trace());
        assertEquals(Map.of("SWITCHBOARD_STORE", "dynamodb"), options.environment());
        assertEquals(3, options.workerThreads());
        assertEquals(URI.create("http://127.0.0.1:8000"), options.dynamoDbEndpoint());
        assertEquals("t1", options.tableName());
    }

    @Test
    void parse_defaults() throws Exception {
        Options options = Cli.parse(new String[0]);
        assertEquals(8080, options.port());
        assertEquals("127.0.0.1", options.host());
        assertEquals(null, options.apiKey());
        assertEquals(Path.of("template.yaml"), options.template());
        assertEquals(Options.defaultTlsDirectory(), options.tlsDirectory());
        assertEquals(Duration.ofSeconds(600), options.idleTimeout());
        assertEquals(Duration.ofSeconds(7200), options.maxConnectionTime());
        assertEquals(null, options.dynamoDbEndpoint());
        assertThrows(Cli.HelpRequested.class, () -> Cli.parse(new String[] {"-h"}));
    }

    @Test
    void banner_endsWithTheReadyLine() throws Exception {
        Options options = Options.builder().port(0)
                .template(Path.of("src/test/resources/test-template.yaml")).tlsDirectory(tls).build();
        try (LocalGateway gateway = LocalGateway.start(options)) {
            String banner = Cli.banner(gateway, options);
            String base = "127.0.0.1:" + gateway.port();
            assertTrue(banner.contains("http://" + base + "/event"), banner);
            assertTrue(banner.contains("ws://" + base + "/event/realtime"), banner);
            assertTrue(banner.contains("wss://" + base + "/event/realtime"), banner);
            assertTrue(banner.contains(gateway.apiKey()), banner);
            assertTrue(banner.contains(tls.resolve("cert.pem").toString()), banner);
            assertTrue(banner.contains("http://" + base + "/\n"), banner);
            String[] lines = banner.split("\n");
            assertEquals("Switchboard local gateway ready on port " + gateway.port(), lines[lines.length - 1]);
        }
    }

    @Test
    void generatedApiKeys_lookLikeAppSyncKeys() {
        assertTrue(Ids.apiKey().matches("da2-[a-z0-9]{26}"));
    }
}
