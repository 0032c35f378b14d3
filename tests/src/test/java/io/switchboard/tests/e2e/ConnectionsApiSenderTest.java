package io.switchboard.tests.e2e;

import static io.switchboard.tests.support.Json.assertFrame;
import static io.switchboard.tests.e2e.Stack.API_KEY;
import static io.switchboard.tests.e2e.Stack.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.switchboard.aws.ApiGatewayConnectionSender;
import io.switchboard.core.spi.ConnectionSender.SendResult;
import io.switchboard.tests.support.Json;
import io.switchboard.tests.support.WsClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * The functions' real {@link ApiGatewayConnectionSender} (AWS SDK {@code ApiGatewayManagementApiClient}) against
 * the local gateway's {@code @connections} API at {@code /prod/@connections/{id}}: delivered, gone, close.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(Store.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ConnectionsApiSenderTest {

    @Parameter
    Store store;

    static Stack stack;
    static ApiGatewayConnectionSender sender;

    @BeforeParameterizedClassInvocation
    static void start(Store store) {
        stack = Stack.start(store);
        assertEquals("prod", stack.gateway.stage(), "the stage of template.yaml");
        assertEquals("http://127.0.0.1:" + stack.port() + "/prod", stack.gateway.connectionsEndpoint().toString());
        sender = ApiGatewayConnectionSender.builder()
                .endpoint(stack.gateway.connectionsEndpoint())
                .region(Stack.REGION)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .build();
    }

    @AfterParameterizedClassInvocation
    static void stop() {
        Stack current = stack;
        stack = null;
        sender = null;
        Stack.closeAll(current);
    }

    @AfterAll
    static void stopEverything() {
        stop();
    }

    /** A socket with one subscription, and its connection id as the functions' store knows it. */
    record Subscribed(WsClient ws, String channel, String connectionId) implements AutoCloseable {
        @Override
        public void close() {
            ws.close();
        }
    }

    private static Subscribed subscribed() {
        String channel = "/default/" + unique("conn");
        WsClient ws = stack.connect();
        ws.subscribe("probe", channel, API_KEY);
        assertFrame("{\"type\":\"subscribe_success\",\"id\":\"probe\"}", ws.nextFrame());
        return new Subscribed(ws, channel, stack.connectionIdOf(channel, "probe"));
    }

    /** A data frame for the probe subscription, distinguishable from the gateway's own frames. */
    private static String probe(int n) {
        return "{\"type\":\"data\",\"id\":\"probe\",\"event\":\"{\\\"n\\\":" + n + "}\"}";
    }

    @Test
    void send_toALiveSocket_isDelivered_andTheClientReceivesTheExactFrame() {
        try (Subscribed client = subscribed()) {
            long before = sender.stats().delivered();
            String frame = "{\"type\":\"data\",\"id\":\"probe\",\"event\":\"{\\\"via\\\":\\\"@connections\\\","
                    + "\\\"text\\\":\\\"grüße 👋\\\"}\"}";
            assertEquals(SendResult.DELIVERED, sender.send(client.connectionId(), frame));
            assertEquals(frame, client.ws().nextNonKaText(), "the posted bytes, unchanged");
            assertEquals(before + 1, sender.stats().delivered());

            // several in a row arrive in order
            for (int i = 0; i < 5; i++) {
                assertEquals(SendResult.DELIVERED, sender.send(client.connectionId(), probe(i)));
            }
            for (int i = 0; i < 5; i++) {
                assertEquals(probe(i), client.ws().nextNonKaText());
            }
        }
    }

    @Test
    void send_toAnUnknownConnection_isGone() {
        long before = sender.stats().gone();
        assertEquals(SendResult.GONE, sender.send("Tm90QUNvbm5lY3Q=", "{\"type\":\"ka\"}"));
        assertEquals(before + 1, sender.stats().gone());
    }

    @Test
    void send_toASocketTheClientClosed_isGone() {
        Subscribed client = subscribed();
        client.ws().closeAndAwait();
        Stack.await("$disconnect of the closed socket", () -> stack.subscribers(client.channel()).isEmpty());
        assertEquals(SendResult.GONE, sender.send(client.connectionId(), "{\"type\":\"ka\"}"));
    }

    @Test
    void close_closesTheSocket_runsDisconnect_andAPublishAfterwardsReachesNobody() {
        try (Subscribed client = subscribed(); Subscribed bystander = subscribed()) {
            sender.close(client.connectionId());
            WsClient.Close close = client.ws().awaitClose();
            Stack.note("DELETE @connections: " + close);
            assertEquals(1000, close.code(), "DELETE @connections closes normally: " + close);

            Stack.await("$disconnect to remove the closed connection's subscriptions",
                    () -> stack.subscribers(client.channel()).isEmpty());
            HttpResponse<String> publish = stack.publishHttp(API_KEY, Json.publishBody(client.channel(), "{\"late\":true}"));
            assertEquals(200, publish.statusCode(), publish.body());
            assertTrue(stack.subscribers(client.channel()).isEmpty(), "a publish afterwards finds no subscriber");
            assertEquals(SendResult.GONE, sender.send(client.connectionId(), "{\"type\":\"ka\"}"));

            // the other socket was not touched
            assertTrue(bystander.ws().isOpen());
            assertEquals(1, stack.subscribers(bystander.channel()).size());
            assertEquals(SendResult.DELIVERED, sender.send(bystander.connectionId(), probe(1)));
            assertEquals(probe(1), bystander.ws().nextNonKaText());
        }
        // closing one that is already gone is fine (no exception)
        sender.close("Tm90QUNvbm5lY3Q=");
    }

    @Test
    void send_ofMoreThan128Kb_failsWithoutClosingTheSocket() {
        try (Subscribed client = subscribed()) {
            long before = sender.stats().failed();
            String big = "{\"type\":\"data\",\"id\":\"probe\",\"event\":\"\\\"" + "x".repeat(128 * 1024) + "\\\"\"}";
            assertEquals(SendResult.FAILED, sender.send(client.connectionId(), big), "413 PayloadTooLargeException");
            assertEquals(before + 1, sender.stats().failed());
            client.ws().assertNothingWithin(Duration.ofMillis(200));
            assertEquals(SendResult.DELIVERED, sender.send(client.connectionId(), probe(2)));
            assertEquals(probe(2), client.ws().nextNonKaText());
        }
    }
}
