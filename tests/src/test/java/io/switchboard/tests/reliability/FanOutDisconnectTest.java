package io.switchboard.tests.reliability;

import static io.switchboard.tests.reliability.BadInputCatalogue.subscribe;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.switchboard.tests.support.Json;
import io.switchboard.tests.support.WsClient;

/**
 * A subscriber drops its socket (no close handshake) in the middle of a large fan-out on the real gateway: every
 * other subscriber — exact and wildcard — still gets every event of every publish exactly once and in order, and
 * the dropped connection's subscription is purged (by {@code $disconnect} or by the first 410).
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class FanOutDisconnectTest {

    @Test
    void subscriberLeavingMidFanOut_othersStillGetEverythingExactlyOnce() throws Exception {
        int subscribers = 30;
        int publishes = 6;
        int eventsPerPublish = 5;
        String channel = "/default/big/room";
        try (Gateway gateway = Gateway.start()) {
            List<WsClient> clients = new ArrayList<>();
            try {
                for (int i = 0; i < subscribers; i++) {
                    WsClient ws = gateway.connect();
                    clients.add(ws);
                    ws.send(subscribe("s" + i, i % 4 == 0 ? "/default/big/*" : channel));
                    assertEquals("subscribe_success", ws.next().path("type").asText());
                }
                WsClient quitter = clients.get(7);
                // the quitter aborts its socket as soon as it has its third event, while the publishes go on
                CompletableFuture<Void> quit = CompletableFuture.runAsync(() -> {
                    for (int n = 0; n < 3; n++) {
                        quitter.next(f -> "data".equals(f.path("type").asText()), "quitter's data");
                    }
                    quitter.socket().abort();
                });
                CompletableFuture<List<Integer>> statuses = CompletableFuture.supplyAsync(() -> {
                    List<Integer> codes = new ArrayList<>();
                    for (int p = 0; p < publishes; p++) {
                        StringBuilder events = new StringBuilder();
                        for (int e = 0; e < eventsPerPublish; e++) {
                            events.append(e == 0 ? "" : ",").append(Json.quote("{\"p\":" + p + ",\"e\":" + e + "}"));
                        }
                        HttpResponse<String> response = gateway.publish("{\"channel\":\"" + channel + "\",\"events\":[" + events + "]}");
                        codes.add(response.statusCode());
                    }
                    return codes;
                });
                quit.get(30, TimeUnit.SECONDS);
                for (int code : statuses.get(60, TimeUnit.SECONDS)) {
                    assertEquals(200, code, "every publish is accepted, whatever happens to one subscriber");
                }
                for (int i = 0; i < subscribers; i++) {
                    if (i == 7) {
                        continue;
                    }
                    WsClient ws = clients.get(i);
                    for (int p = 0; p < publishes; p++) {
                        for (int e = 0; e < eventsPerPublish; e++) {
                            JsonNode data = ws.next(f -> "data".equals(f.path("type").asText()), "data " + p + "/" + e);
                            assertEquals("s" + i, data.path("id").asText());
                            assertEquals("{\"p\":" + p + ",\"e\":" + e + "}", data.path("event").asText(), "subscriber " + i);
                        }
                    }
                    ws.assertNothingWithin(java.time.Duration.ofMillis(i == 1 ? 300 : 0)); // no duplicates
                }
                Gateway.await("the dropped subscription purged", () -> gateway.subscribers(channel).stream()
                    .noneMatch(s -> s.subscriptionId().equals("s7")));
                assertEquals(subscribers - 1, gateway.subscribers(channel).size());
            } finally {
                clients.forEach(WsClient::close);
            }
        }
    }

}
