package io.switchboard.core.engine;

import com.sun.net.httpserver.HttpServer;
import io.switchboard.core.auth.AuthMode;
import io.switchboard.core.auth.AuthProviders;
import io.switchboard.core.config.SwitchboardConfig;
import io.switchboard.core.memory.InMemorySubscriptionStore;
import io.switchboard.core.memory.RecordingConnectionSender;
import io.switchboard.core.protocol.FrameCodec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The seed's IAM publish, made by real curl ({@code --aws-sigv4 "aws:amz:<region>:appsync"}), against a tiny HTTP
 * server that hands {@code POST /event} to {@link Engine#publishHttp} with the headers as received: curl signs the
 * host with its port, the content type and its own date. Skipped where curl has no {@code --aws-sigv4}.
 */
class CurlSigV4Test {
    private static final String ACCESS_KEY = "AKIDCURLTEST0000001";
    private static final String SECRET = "curl/test/secret/key/0123456789";

    private HttpServer server;
    private RecordingConnectionSender sender;
    private Engine engine;
    private ConnectionAuth subscriber;

    @BeforeEach
    void start() throws IOException {
        Map<String, String> env = new TreeMap<>(Map.of(
            "SWITCHBOARD_NAMESPACES", "default",
            "SWITCHBOARD_STORE", "memory",
            "SWITCHBOARD_LOCAL", "true",
            "AWS_REGION", "eu-west-1",
            "AWS_ACCESS_KEY_ID", ACCESS_KEY,
            "AWS_SECRET_ACCESS_KEY", SECRET,
            "SWITCHBOARD_API_KEYS", io.switchboard.core.auth.ApiKeyAuthProvider.digestHex("da2-curltestkey")));
        SwitchboardConfig config = SwitchboardConfig.from(env::get);
        sender = new RecordingConnectionSender();
        engine = new Engine(config, new InMemorySubscriptionStore(), sender,
            AuthProviders.create(config, Optional.empty(), Clock.systemUTC()));
        assertTrue(config.namespaces().get("default").publishModes().contains(AuthMode.AWS_IAM), "the default publish modes");

        Map<String, String> upgrade = Map.of("x-api-key", "da2-curltestkey");
        subscriber = engine.authorizeConnect(upgrade);
        engine.connect("sub", 0, subscriber, upgrade);
        assertEquals("subscribe_success", FrameCodec.parse(engine.message("sub", "{\"type\":\"subscribe\",\"id\":\"s\","
            + "\"channel\":\"/default/*\",\"authorization\":{\"x-api-key\":\"da2-curltestkey\"}}", subscriber).replies().get(0))
            .path("type").asText());

        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/event", exchange -> {
            Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            exchange.getRequestHeaders().forEach((name, values) -> headers.put(name, String.join(",", values)));
            String body;
            try (InputStream in = exchange.getRequestBody()) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            HttpResult result = engine.publishHttp(headers, body);
            byte[] out = result.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("content-type", "application/json");
            exchange.sendResponseHeaders(result.status(), out.length);
            try (OutputStream os = exchange.getResponseBody()) {
                os.write(out);
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    private static boolean curlHasSigV4() {
        try {
            Process p = new ProcessBuilder("curl", "--help", "all").redirectErrorStream(true).start();
            String help = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return p.waitFor(10, TimeUnit.SECONDS) && help.contains("--aws-sigv4");
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Runs curl; returns the status code, then the body. */
    private List<String> curl(String sigv4, String user, String body) throws Exception {
        List<String> command = new ArrayList<>(List.of("curl", "-sS", "--max-time", "10", "-w", "\n%{http_code}",
            "--aws-sigv4", sigv4, "--user", user, "-H", "content-type: application/json", "-d", body,
            "http://127.0.0.1:" + server.getAddress().getPort() + "/event"));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(20, TimeUnit.SECONDS), "curl finished");
        int newline = out.lastIndexOf('\n');
        return List.of(out.substring(newline + 1).trim(), out.substring(0, newline));
    }

    @Test
    void curlAwsSigV4ForAppSync_publishes() throws Exception {
        assumeTrue(curlHasSigV4(), "curl with --aws-sigv4 is not installed");
        List<String> answer = curl("aws:amz:eu-west-1:appsync", ACCESS_KEY + ":" + SECRET,
            "{\"channel\":\"/default/channel\",\"events\":[\"{\\\"a\\\":\\\"<b>hello</b>\\\"}\"]}");
        assertEquals("200", answer.get(0), answer.get(1));
        assertTrue(answer.get(1).contains("\"successful\":[{"), answer.get(1));
        List<String> delivered = sender.drain("sub");
        assertEquals(1, delivered.size(), delivered::toString);
        assertEquals("{\"a\":\"<b>hello</b>\"}", FrameCodec.parse(delivered.get(0)).path("event").asText());
    }

    @Test
    void curlAwsSigV4ForExecuteApi_publishes() throws Exception {
        assumeTrue(curlHasSigV4(), "curl with --aws-sigv4 is not installed");
        List<String> answer = curl("aws:amz:eu-west-1:execute-api", ACCESS_KEY + ":" + SECRET,
            "{\"channel\":\"default/x\",\"events\":[\"1\"]}");
        assertEquals("200", answer.get(0), answer.get(1));
    }

    @Test
    void curlWithWrongSecretOrRegion_refused() throws Exception {
        assumeTrue(curlHasSigV4(), "curl with --aws-sigv4 is not installed");
        List<String> wrongSecret = curl("aws:amz:eu-west-1:appsync", ACCESS_KEY + ":not-the-secret",
            "{\"channel\":\"/default/channel\",\"events\":[\"1\"]}");
        assertEquals("401", wrongSecret.get(0));
        assertEquals("{\"errors\":[{\"errorType\":\"UnauthorizedException\",\"message\":\"The request signature we calculated "
            + "does not match the signature you provided. Check your AWS Secret Access Key and signing method.\"}]}",
            wrongSecret.get(1));
        List<String> wrongRegion = curl("aws:amz:us-east-1:appsync", ACCESS_KEY + ":" + SECRET,
            "{\"channel\":\"/default/channel\",\"events\":[\"1\"]}");
        assertEquals("401", wrongRegion.get(0));
        assertTrue(wrongRegion.get(1).contains("Credential should be scoped to this API's region 'eu-west-1', not 'us-east-1'"),
            wrongRegion.get(1));
        assertTrue(sender.drain("sub").isEmpty());
    }
}
