package io.switchboard.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.switchboard.local.TestClients.Ws;
import io.switchboard.local.fake.FakeConnect;
import io.switchboard.local.fake.FakeDisconnect;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Idle timeout, maximum connection time and shutdown, each with a gateway of its own. */
class ConnectionLifetimeTest {

    @TempDir
    Path tls;

    @BeforeEach
    void clear() {
        FakeConnect.EVENTS.clear();
        FakeDisconnect.EVENTS.clear();
    }

    private LocalGateway start(Duration idle, Duration lifetime) throws StartException {
        return LocalGateway.start(Options.builder()
                .port(0)
                .template(Path.of("src/test/resources/test-template.yaml"))
                .tlsDirectory(tls)
                .idleTimeout(idle)
                .maxConnectionTime(lifetime)
                .workerThreads(4)
                .build());
    }

    private static Ws connect(HttpClient client, LocalGateway gateway) {
        String host = "127.0.0.1:" + gateway.port();
        return Ws.open(client, URI.create("ws://" + host + "/event/realtime"),
                "aws-appsync-event-ws", TestClients.headerProtocol(host, "allow"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> disconnectContext() throws InterruptedException {
        Map<String, Object> event = FakeDisconnect.EVENTS.poll(5, TimeUnit.SECONDS);
        assertNotNull(event, "$disconnect was not invoked");
        return (Map<String, Object>) event.get("requestContext");
    }

    @Test
    void idleConnection_isClosedAndDisconnected() throws Exception {
        try (LocalGateway gateway = start(Duration.ofMillis(700), Duration.ofMinutes(1))) {
            Ws ws = connect(TestClients.http(gateway.certificatePath()), gateway);
            long opened = System.nanoTime();
            TestClients.Ws.Close close = ws.awaitClose();
            assertEquals(1001, close.code());
            assertTrue(System.nanoTime() - opened >= TimeUnit.MILLISECONDS.toNanos(600));
            Map<String, Object> context = disconnectContext();
            assertEquals(1001, context.get("disconnectStatusCode"));
            assertEquals(WebSocketApi.IDLE_REASON, context.get("disconnectReason"));
        }
    }

    @Test
    void activeConnection_isClosedAtItsMaximumDuration() throws Exception {
        try (LocalGateway gateway = start(Duration.ofMillis(600), Duration.ofMillis(1500))) {
            Ws ws = connect(TestClients.http(gateway.certificatePath()), gateway);
            long opened = System.nanoTime();
            while (!ws.closed.isDone() && System.nanoTime() - opened < TimeUnit.SECONDS.toNanos(5)) {
                ws.send("{\"type\":\"quiet\"}");
                Thread.sleep(200);
            }
            TestClients.Ws.Close close = ws.awaitClose();
            assertEquals(1001, close.code());
            assertTrue(System.nanoTime() - opened >= TimeUnit.MILLISECONDS.toNanos(1400), "frames kept it from going idle");
            assertEquals(WebSocketApi.LIFETIME_REASON, disconnectContext().get("disconnectReason"));
        }
    }

    @Test
    void close_closesEverySocketAndRunsEachDisconnect() throws Exception {
        LocalGateway gateway = start(Duration.ofMinutes(1), Duration.ofMinutes(1));
        HttpClient client = TestClients.http(gateway.certificatePath());
        Ws first = connect(client, gateway);
        Ws second = connect(client, gateway);
        String firstId = FakeConnect.EVENTS.poll(5, TimeUnit.SECONDS).getRequestContext().getConnectionId();
        String secondId = FakeConnect.EVENTS.poll(5, TimeUnit.SECONDS).getRequestContext().getConnectionId();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (gateway.connectionCount() < 2 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(2, gateway.connectionCount());
        String endpoint = System.getProperty("SWITCHBOARD_CONNECTIONS_ENDPOINT");

        gateway.close();

        assertEquals(1001, first.awaitClose().code());
        assertEquals(1001, second.awaitClose().code());
        Map<String, Object> disconnected = new HashMap<>();
        for (int i = 0; i < 2; i++) {
            Map<String, Object> context = disconnectContext();
            disconnected.put(String.valueOf(context.get("connectionId")), context.get("disconnectStatusCode"));
        }
        assertEquals(Map.of(firstId, 1001, secondId, 1001), disconnected);
        assertTrue(!endpoint.equals(System.getProperty("SWITCHBOARD_CONNECTIONS_ENDPOINT")),
                "closing restores the system properties it replaced");
    }
}
