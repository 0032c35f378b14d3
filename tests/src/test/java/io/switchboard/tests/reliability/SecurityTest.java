package io.switchboard.tests.reliability;

import static io.switchboard.tests.reliability.BadInputCatalogue.publish;
import static io.switchboard.tests.reliability.BadInputCatalogue.subscribe;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.local.Options;
import io.switchboard.tests.support.Json;
import io.switchboard.tests.support.WsClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Security properties of the running gateway: namespace isolation of wildcards, denied subscribers never receive
 * an event, the per-connection WebSocket publish limit (protocol.md §7: 25 per second, {@code LimitExceededError}),
 * and that the local gateway listens on loopback only by default.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SecurityTest {
    static final Duration QUIET = Duration.ofMillis(400);
    static Gateway gateway;

    @BeforeAll
    static void start() {
        gateway = Gateway.start(Map.of(
            "SWITCHBOARD_NAMESPACES", "default,defaultX,other,secure",
            "SWITCHBOARD_NAMESPACE_AUTH", "secure:subscribe=AWS_IAM"), null);
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
    }

    private static void published(String channel, String event) {
        HttpResponse<String> response = gateway.publish("{\"channel\":\"" + channel + "\",\"events\":[" + Json.quote(event) + "]}");
        assertEquals(200, response.statusCode(), response.body());
    }

    private static JsonNode data(WsClient ws) {
        return ws.next(f -> "data".equals(f.path("type").asText()), "a data frame");
    }

    @Test
    void wildcard_neverCrossesIntoAnotherNamespace_orOntoTheNamespaceRoot() {
        try (WsClient ws = gateway.connect()) {
            ws.send(subscribe("w", "/default/*"));
            assertEquals("subscribe_success", ws.next().path("type").asText());
            published("/defaultX/a", "\"defaultX\"");
            published("/defaultX/default/a", "\"defaultX nested\"");
            published("/other/default/a", "\"other\"");
            published("/default", "\"namespace root\"");
            published("/default/a", "\"mine\"");
            published("/default/a/b/c/d", "\"mine, deep\"");
            assertEquals("\"mine\"", data(ws).path("event").asText());
            assertEquals("\"mine, deep\"", data(ws).path("event").asText());
            ws.assertNothingWithin(QUIET);
        }
    }

    @Test
    void deniedSubscriber_neverReceivesASingleEvent() {
        try (WsClient denied = gateway.connect(); WsClient allowed = gateway.connect()) {
            // wrong key on the subscribe, and a namespace whose subscribers must use IAM
            denied.send(subscribe("d1", "/default/private/*").replace(Gateway.API_KEY, "da2-notthekey0000000000000000"));
            assertEquals("subscribe_error", denied.next().path("type").asText());
            denied.send(subscribe("d2", "/secure/*"));
            JsonNode refused = denied.next();
            assertEquals("subscribe_error", refused.path("type").asText());
            assertEquals("UnauthorizedException", refused.path("errors").get(0).path("errorType").asText(), refused::toString);
            denied.send(subscribe("d3", "/default/private/a"));
            assertEquals("subscribe_success", denied.next().path("type").asText(), "the same connection may subscribe elsewhere");
            denied.send("{\"type\":\"unsubscribe\",\"id\":\"d3\"}");
            assertEquals("unsubscribe_success", denied.next().path("type").asText());
            allowed.send(subscribe("a1", "/default/private/*"));
            assertEquals("subscribe_success", allowed.next().path("type").asText());

            for (int i = 0; i < 5; i++) {
                published("/default/private/a", "{\"i\":" + i + "}");
                published("/secure/a", "{\"s\":" + i + "}");
                // the denied ids reused by publishes on the denied connection change nothing either
                denied.send(publish("dp" + i, "/default/private/b", "[\"{\\\"p\\\":" + i + "}\"]"));
            }
            for (int i = 0; i < 5; i++) {
                String id = "dp" + i;
                assertEquals("publish_success", denied.next(f -> id.equals(f.path("id").asText()), id)
                    .path("type").asText());
            }
            List<String> seen = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                seen.add(data(allowed).path("event").asText());
            }
            assertEquals(10, seen.size());
            denied.assertNothingWithin(QUIET);
            assertTrue(gateway.subscribers("/secure/a").isEmpty(), "no subscription was stored for the refused ones");
        }
    }

    @Test
    void publishRate_perConnection_isLimitedWithLimitExceededError_andRecovers() throws Exception {
        try (WsClient fast = gateway.connect(); WsClient other = gateway.connect()) {
            int sent = 40;
            for (int i = 0; i < sent; i++) { // pipelined: no waiting for the answers
                fast.send(publish("r" + i, "/default/rate", "[\"" + i + "\"]"));
            }
            int accepted = 0;
            int limited = 0;
            for (int i = 0; i < sent; i++) {
                String id = "r" + i;
                JsonNode reply = fast.next(f -> id.equals(f.path("id").asText()), "reply to " + id);
                if ("publish_success".equals(reply.path("type").asText())) {
                    accepted++;
                } else {
                    assertEquals("publish_error", reply.path("type").asText(), reply::toString);
                    assertEquals("LimitExceededError", reply.path("errors").get(0).path("errorType").asText(), reply::toString);
                    assertEquals("Rate exceeded: at most 25 publish requests per second on one connection; slow down and retry",
                        reply.path("errors").get(0).path("message").asText());
                    limited++;
                }
            }
            assertTrue(accepted >= 25 && accepted < sent, "accepted " + accepted);
            assertTrue(limited > 0, "limited " + limited);
            // another connection has its own budget; the limited one works again after a second
            other.send(publish("o1", "/default/rate", "[\"1\"]"));
            assertEquals("publish_success", other.next(f -> "o1".equals(f.path("id").asText()), "o1").path("type").asText());
            Thread.sleep(1100);
            fast.send(publish("again", "/default/rate", "[\"1\"]"));
            assertEquals("publish_success", fast.next(f -> "again".equals(f.path("id").asText()), "again").path("type").asText());
        }
    }

    @Test
    void localGateway_bindsToLoopback127001ByDefault() throws IOException {
        assertEquals("127.0.0.1", Options.builder().build().host());
        assertEquals("127.0.0.1", Options.DEFAULT_HOST);
        assertEquals("127.0.0.1", gateway.gateway.httpEndpoint().getHost());
        // reachable on 127.0.0.1 ...
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", gateway.port()), 2000);
        }
        // ... and on no other address: 127.0.0.2 is this machine too, but only a wildcard (0.0.0.0) bind answers it
        assertThrows(ConnectException.class, () -> {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.2", gateway.port()), 2000);
            }
        });
    }
}
