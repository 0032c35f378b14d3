package io.switchboard.tests.reliability;

import static io.switchboard.tests.reliability.BadInputCatalogue.publish;
import static io.switchboard.tests.reliability.BadInputCatalogue.subscribe;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.testing.Dynalite;
import io.switchboard.tests.support.Json;
import io.switchboard.tests.support.WsClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The subscription store (DynamoDB, here dynalite) becomes unreachable in the middle of a stream of publishes and
 * comes back on the same port: clients get {@code ServiceUnavailableException} frames and HTTP 503 with a message
 * saying to retry, connections stay open, every publish that was accepted reached its subscriber exactly once, and
 * everything works again after the restart with the same gateway and the same function instances.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class StoreOutageTest {
    static final String UNAVAILABLE = "ServiceUnavailableException";
    static final String UNAVAILABLE_MESSAGE = "The subscription store is unavailable right now; try again";

    @Test
    void storeDown_midStream_clearErrors_thenRecoversWithoutRestartingTheFunctions(@TempDir Path data) throws Exception {
        try (Dynalite dynalite = Dynalite.startPersistent(data.resolve("db"));
             Gateway gateway = Gateway.start(Map.of(), dynalite.endpoint());
             WsClient subscriber = gateway.connect()) {
            subscriber.send(subscribe("s1", "/default/outage/*"));
            assertEquals("subscribe_success", subscriber.next().path("type").asText());

            // a stream of HTTP publishes; the store goes down in the middle of it
            java.util.concurrent.CountDownLatch fiveAccepted = new java.util.concurrent.CountDownLatch(5);
            CompletableFuture<List<HttpResponse<String>>> stream = CompletableFuture.supplyAsync(() -> {
                List<HttpResponse<String>> responses = new ArrayList<>();
                for (int i = 0; i < 15; i++) {
                    HttpResponse<String> response = gateway.publish("{\"channel\":\"/default/outage/stream\",\"events\":[\"" + i + "\"]}");
                    responses.add(response);
                    if (response.statusCode() == 200) {
                        fiveAccepted.countDown();
                    }
                }
                return responses;
            });
            assertTrue(fiveAccepted.await(60, TimeUnit.SECONDS), "publishes go through before the outage");
            dynalite.stop();
            List<HttpResponse<String>> responses = stream.get(90, TimeUnit.SECONDS);

            List<String> accepted = new ArrayList<>();
            int refused = 0;
            for (int i = 0; i < responses.size(); i++) {
                HttpResponse<String> response = responses.get(i);
                if (response.statusCode() == 200) {
                    assertEquals(1, Json.parse(response.body()).path("successful").size(), response.body());
                    accepted.add(Integer.toString(i));
                } else {
                    assertEquals(503, response.statusCode(), response.body());
                    assertUnavailable(Json.parse(response.body()));
                    refused++;
                }
            }
            assertTrue(refused > 0, "the outage was seen by the stream");
            assertTrue(accepted.size() >= 5, "accepted " + accepted);
            // while the store is down, WebSocket operations that need it fail clearly; the connection stays open
            subscriber.send(subscribe("s2", "/default/outage/b"));
            JsonNode subscribeError = subscriber.next(f -> "s2".equals(f.path("id").asText()), "subscribe reply");
            assertEquals("subscribe_error", subscribeError.path("type").asText());
            assertUnavailable(subscribeError);
            subscriber.send(publish("p1", "/default/outage/b", "[\"1\"]"));
            JsonNode publishError = subscriber.next(f -> "p1".equals(f.path("id").asText()), "publish reply");
            assertEquals("publish_error", publishError.path("type").asText());
            assertUnavailable(publishError);
            subscriber.send("{\"type\":\"connection_init\"}");
            assertEquals("connection_ack", subscriber.next(f -> "connection_ack".equals(f.path("type").asText()), "ack")
                .path("type").asText());
            HttpResponse<String> down = gateway.publish("{\"channel\":\"/default/outage/c\",\"events\":[\"1\"]}");
            assertEquals(503, down.statusCode());
            assertUnavailable(Json.parse(down.body()));

            // every accepted publish of the stream reached the subscription exactly once, nothing else did
            Map<String, Integer> received = new HashMap<>();
            for (int i = 0; i < accepted.size(); i++) {
                JsonNode frame = subscriber.next(f -> "data".equals(f.path("type").asText()), "data of accepted publishes");
                received.merge(frame.path("event").asText(), 1, Integer::sum);
            }
            Map<String, Integer> expected = new HashMap<>();
            accepted.forEach(e -> expected.put(e, 1));
            assertEquals(expected, received);

            // back on the same port: the same gateway and function instances recover by themselves
            dynalite.restart();
            subscriber.send(subscribe("s3", "/default/outage/after"));
            assertEquals("subscribe_success", subscriber.next(f -> "s3".equals(f.path("id").asText()), "subscribe s3")
                .path("type").asText());
            HttpResponse<String> up = gateway.publish("{\"channel\":\"/default/outage/after\",\"events\":[\"\\\"back\\\"\"]}");
            assertEquals(200, up.statusCode(), up.body());
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 2; i++) { // s1 (stored before the outage, /default/outage/*) and s3
                JsonNode frame = subscriber.next(f -> "data".equals(f.path("type").asText()), "data after recovery");
                assertEquals("\"back\"", frame.path("event").asText());
                ids.add(frame.path("id").asText());
            }
            assertEquals(List.of("s1", "s3"), ids.stream().sorted().toList());
            try (WsClient late = gateway.connect()) {
                late.send(publish("p2", "/default/outage/after", "[\"2\"]"));
                assertEquals("publish_success", late.next(f -> "p2".equals(f.path("id").asText()), "publish p2")
                    .path("type").asText());
            }
            for (int i = 0; i < 2; i++) {
                assertEquals("2", subscriber.next(f -> "data".equals(f.path("type").asText()), "data of p2").path("event").asText());
            }
            subscriber.assertNothingWithin(java.time.Duration.ofMillis(200)); // no duplicates from the outage
        }
    }

    static void assertUnavailable(JsonNode reply) {
        assertEquals(1, reply.path("errors").size(), reply::toString);
        assertEquals(UNAVAILABLE, reply.path("errors").get(0).path("errorType").asText(), reply::toString);
        assertEquals(UNAVAILABLE_MESSAGE, reply.path("errors").get(0).path("message").asText(), reply::toString);
    }
}
