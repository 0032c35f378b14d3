package io.switchboard.tests.keepalive;

import io.switchboard.local.LocalGateway;
import io.switchboard.local.Options;
import io.switchboard.tests.support.IsolatedGateway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

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
            Listener listener = new Listener();
            String auth = "{\"host\":\"127.0.0.1:" + gateway.port() + "\",\"x-api-key\":\"" + gateway.apiKey() + "\"}";
            String header = "header-" + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(auth.getBytes(StandardCharsets.UTF_8));
            WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder()
                .subprotocols("aws-appsync-event-ws", header)
                .buildAsync(gateway.realtimeEndpoint(), listener).get(10, TimeUnit.SECONDS);
            ws.sendText("{\"type\":\"connection_init\"}", true).get(5, TimeUnit.SECONDS);

            List<String> received = new ArrayList<>();
            long end = System.nanoTime() + Duration.ofMillis(3_500).toNanos();
            for (String m = listener.poll(end); m != null; m = listener.poll(end)) {
                received.add(m);
            }

            // The ack and the ka that follows it answer connection_init; the scheduled walk, which reaches the
            // connection from its $connect on, may send its first ka before them.
            List<String> acks = received.stream().filter(m -> m.contains("\"connection_ack\"")).toList();
            assertEquals(1, acks.size(), received.toString());
            assertTrue(acks.get(0).contains("\"connectionTimeoutMs\":300000"), acks.get(0));
            long kas = received.stream().filter("{\"type\":\"ka\"}"::equals).count();
            assertEquals(received.size() - 1, kas, "only the ack and ka frames: " + received);
            assertTrue(kas >= 3, "expected the ka after the ack plus scheduled ones every second, got " + received);
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(5, TimeUnit.SECONDS);
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

    private static final class Listener implements WebSocket.Listener {
        private final BlockingQueue<String> messages = new LinkedBlockingQueue<>();
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                messages.add(partial.toString());
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        String poll(long deadlineNanos) throws InterruptedException {
            long wait = deadlineNanos - System.nanoTime();
            return wait <= 0 ? null : messages.poll(wait, TimeUnit.NANOSECONDS);
        }
    }
}
