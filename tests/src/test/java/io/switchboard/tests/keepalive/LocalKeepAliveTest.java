package io.switchboard.tests.keepalive;

import io.switchboard.local.LocalGateway;
import io.switchboard.local.Options;
import io.switchboard.tests.support.IsolatedGateway;
import io.switchboard.tests.support.WsClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The keep-alive end to end on the local gateway, which fires the template's {@code Schedule} event as EventBridge
 * would (here every second instead of every {@code KeepAliveRateMinutes}): the real KeepAliveFunction walks the
 * store and an idle client that only subscribed keeps receiving {@code ka} frames.
 */
class LocalKeepAliveTest {

    @TempDir
    Path tls;

    @Test
    void scheduledKeepAlive_reachesAnIdleSubscriberAgainAndAgain() throws Exception {
        Path root = root();
        try (IsolatedGateway isolated = IsolatedGateway.start(Options.builder().port(0)
                .template(root.resolve("template.yaml")).tlsDirectory(tls).scheduleRate(Duration.ofSeconds(1)).build())) {
            LocalGateway gateway = isolated.gateway();
            String auth = "{\"host\":\"127.0.0.1:" + gateway.port() + "\",\"x-api-key\":\"" + gateway.apiKey() + "\"}";
            String header = "header-" + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(auth.getBytes(StandardCharsets.UTF_8));
            List<String> received;
            try (WsClient ws = WsClient.open(HttpClient.newHttpClient(), gateway.realtimeEndpoint(), Duration.ofSeconds(10),
                    Map.of(), "aws-appsync-event-ws", header)) {
                ws.send("{\"type\":\"connection_init\"}");
                received = ws.textsWithin(Duration.ofMillis(3_500));
            }

            // The ack and the ka that follows it answer connection_init; the scheduled walk, which reaches the
            // connection from its $connect on, may send its first ka before them.
            List<String> acks = received.stream().filter(m -> m.contains("\"connection_ack\"")).toList();
            assertEquals(1, acks.size(), received.toString());
            assertTrue(acks.get(0).contains("\"connectionTimeoutMs\":300000"), acks.get(0));
            long kas = received.stream().filter("{\"type\":\"ka\"}"::equals).count();
            assertEquals(received.size() - 1, kas, "only the ack and ka frames: " + received);
            assertTrue(kas >= 3, "expected the ka after the ack plus scheduled ones every second, got " + received);
        }
    }

    private static Path root() {
        String property = System.getProperty("switchboard.root");
        Path dir = property != null ? Path.of(property) : Path.of("").toAbsolutePath();
        while (dir != null && !Files.isRegularFile(dir.resolve("template.yaml"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("template.yaml not found above " + Path.of("").toAbsolutePath());
        }
        return dir.toAbsolutePath().normalize();
    }
}
