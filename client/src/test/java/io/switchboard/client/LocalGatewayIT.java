package io.switchboard.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import io.switchboard.core.channel.ChannelPath;
import io.switchboard.core.spi.Subscriber;
import io.switchboard.functions.SwitchboardRuntime;
import io.switchboard.local.LocalGateway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/** The client against the real local gateway, in this JVM: the functions of template.yaml behind API Gateway's emulation. */
class LocalGatewayIT {

    static LocalGateway gateway;
    SwitchboardClient client;

    @BeforeAll
    static void start() throws Exception {
        gateway = TestGateway.get();
    }

    @AfterEach
    void closeClient() {
        if (client != null) {
            client.close();
        }
    }

    static SwitchboardClient.Builder builder(String apiKey) {
        return SwitchboardClient.newBuilder()
                .endpoint(gateway.httpEndpoint())
                .auth(Auth.apiKey(apiKey))
                .connectTimeout(Duration.ofSeconds(5))
                .requestTimeout(Duration.ofSeconds(5))
                .reconnectBackoff(Duration.ofMillis(50), Duration.ofMillis(500));
    }

    static <T> T await(CompletableFuture<T> future) throws Exception {
        return future.get(10, TimeUnit.SECONDS);
    }

    static SwitchboardException failure(CompletableFuture<?> future) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> future.get(10, TimeUnit.SECONDS));
        return assertInstanceOf(SwitchboardException.class, e.getCause());
    }

    /** The gateway's connection holding subscription {@code id} on a channel it matches (from the functions' in-memory store). */
    static String connectionOf(String subscriptionId, String publishedChannel) {
        for (Subscriber subscriber : SwitchboardRuntime.shared().engine().store().findSubscribers(ChannelPath.parse(publishedChannel))) {
            if (subscriber.subscriptionId().equals(subscriptionId)) {
                return subscriber.connectionId();
            }
        }
        return null;
    }

    /** Waits until the subscription is registered on a connection other than {@code previous}; returns that connection. */
    static String awaitResubscribed(String subscriptionId, String publishedChannel, String previous) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            String connection = connectionOf(subscriptionId, publishedChannel);
            if (connection != null && !connection.equals(previous)) {
                return connection;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("subscription " + subscriptionId + " was not re-subscribed");
    }

    /** Publishes over HTTP until an event reaches {@code recorder} (a reconnecting socket may miss the first ones). */
    void publishUntilReceived(String channel, String event, Recorder recorder) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            client.publish(channel, event);
            String received = recorder.events.poll(300, TimeUnit.MILLISECONDS);
            if (received != null) {
                assertEquals(event, received);
                return;
            }
        }
        throw new AssertionError("no event reached the subscriber of " + channel);
    }

    @Test
    void httpPublish_withApiKey_reachesWebSocketSubscriber() throws Exception {
        client = builder(TestGateway.API_KEY).build();
        assertEquals(URI.create("ws://127.0.0.1:" + gateway.port() + "/event/realtime"), client.realtimeEndpoint());
        Recorder recorder = new Recorder();
        Subscription subscription = client.subscribe("/sample/channel/*", recorder, recorder);
        await(subscription.ready());

        PublishResult result = client.publish("/sample/channel/a", "{\"text\":\"hi\"}", "42");
        assertEquals(2, result.successful().size());
        assertEquals(List.of(0, 1), result.successful().stream().map(PublishResult.Success::index).toList());
        assertEquals(List.of(), result.failed());
        assertEquals("{\"text\":\"hi\"}", recorder.event());
        assertEquals("42", recorder.event());
        client.publish("/sample/channel/deeper/still", "\"nested\"");
        assertEquals("\"nested\"", recorder.event());
        assertEquals(List.of(ConnectionState.CONNECTING, ConnectionState.CONNECTED), recorder.history);
    }

    @Test
    void tls_httpsPublishAndWssSubscribe_trustingTheGatewayCertificate() throws Exception {
        client = SwitchboardClient.newBuilder()
                .endpoint(URI.create("https://127.0.0.1:" + gateway.port() + "/event"))
                .auth(Auth.apiKey(TestGateway.API_KEY))
                .sslContext(TestGateway.sslContext())
                .build();
        assertEquals(URI.create("wss://127.0.0.1:" + gateway.port() + "/event/realtime"), client.realtimeEndpoint());
        Recorder recorder = new Recorder();
        await(client.subscribe("/default/tls/*", recorder, recorder).ready());
        client.publish("/default/tls/a", "\"over tls\"");
        assertEquals("\"over tls\"", recorder.event());
        PublishResult result = await(client.publishOverWebSocket("/default/tls/b", "\"wss publish\""));
        assertEquals(1, result.successful().size());
        assertEquals("\"wss publish\"", recorder.event());
    }

    @Test
    void publishOverWebSocket_isAcknowledged_andDelivered() throws Exception {
        client = builder(TestGateway.API_KEY).build();
        Recorder recorder = new Recorder();
        await(client.subscribe("/default/ws-publish/*", recorder, recorder).ready());
        PublishResult result = await(client.publishOverWebSocket("/default/ws-publish/room", List.of("{\"n\":1}", "{\"n\":2}")));
        assertEquals(2, result.successful().size());
        assertTrue(result.successful().stream().allMatch(s -> s.identifier() != null && !s.identifier().isEmpty()));
        assertEquals("{\"n\":1}", recorder.event());
        assertEquals("{\"n\":2}", recorder.event());

        SwitchboardException wildcard = failure(client.publishOverWebSocket("/default/*", "1"));
        assertEquals("BadRequestException", wildcard.errorType());
    }

    @Test
    void wrongKey_http_isUnauthorized401() {
        client = builder("da2-wrong-key").build();
        SwitchboardException e = assertThrows(SwitchboardException.class, () -> client.publish("/default/a", "1"));
        assertEquals(401, e.statusCode());
        assertEquals("UnauthorizedException", e.errorType());
    }

    @Test
    void wrongKey_webSocket_failsTheConnectWithoutReconnecting() throws Exception {
        client = builder("da2-wrong-key").build();
        Recorder recorder = new Recorder();
        Subscription subscription = client.subscribe("/default/*", recorder, recorder);
        SwitchboardException e = failure(subscription.ready());
        assertEquals("UnauthorizedException", e.errorType());
        assertEquals("UnauthorizedException", recorder.error().errorType());
        recorder.awaitState(ConnectionState.CLOSED);
        Thread.sleep(600);   // several backoff periods: a reconnect would show by now
        assertFalse(recorder.history.contains(ConnectionState.RECONNECTING), recorder.history.toString());
        assertEquals(List.of(ConnectionState.CONNECTING, ConnectionState.CLOSED), recorder.history);
    }

    @Test
    void refusedSubscription_failsWithResourceNotFound_whileAnotherKeepsReceiving() throws Exception {
        client = builder(TestGateway.API_KEY).build();
        Recorder good = new Recorder();
        Subscription kept = client.subscribe("/default/refused/*", good, good);
        await(kept.ready());
        Recorder bad = new Recorder();
        Subscription refused = client.subscribe("/nowhere/x", bad, bad);
        SwitchboardException e = failure(refused.ready());
        assertEquals("ResourceNotFound", e.errorType());
        assertFalse(refused.isOpen());

        client.publish("/default/refused/a", "\"still flowing\"");
        assertEquals("\"still flowing\"", good.event());
        assertTrue(kept.isOpen());
        assertTrue(good.errors.isEmpty(), good.errors.toString());
    }

    @Test
    void droppedByConnectionsApi_reconnectsAndResubscribesWithTheSameId() throws Exception {
        client = builder(TestGateway.API_KEY).build();
        Recorder recorder = new Recorder();
        Subscription subscription = client.subscribe("/default/dropped/*", recorder, recorder);
        await(subscription.ready());
        String connection = connectionOf(subscription.id(), "/default/dropped/a");
        assertTrue(connection != null, "the gateway does not know the subscription");

        HttpResponse<Void> deleted = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(gateway.connectionsEndpoint()
                        + "/@connections/" + URLEncoder.encode(connection, StandardCharsets.UTF_8))).DELETE().build(),
                HttpResponse.BodyHandlers.discarding());
        assertEquals(204, deleted.statusCode());

        recorder.awaitState(ConnectionState.RECONNECTING);
        recorder.awaitState(ConnectionState.CONNECTED);
        String reconnected = awaitResubscribed(subscription.id(), "/default/dropped/a", connection);
        assertNotEquals(connection, reconnected);
        client.publish("/default/dropped/a", "\"after the drop\"");
        assertEquals("\"after the drop\"", recorder.event());
    }

    @Test
    void keepAliveTimeout_dropsTheQuietSocketAndReconnects() throws Exception {
        client = builder(TestGateway.API_KEY).keepAliveTimeout(Duration.ofMillis(1500)).build();
        Recorder recorder = new Recorder();
        Subscription subscription = client.subscribe("/default/quiet/*", recorder, recorder);
        await(subscription.ready());
        String connection = connectionOf(subscription.id(), "/default/quiet/a");

        recorder.awaitState(ConnectionState.RECONNECTING);   // the gateway sends one ka after the ack, then nothing
        recorder.awaitState(ConnectionState.CONNECTED);
        awaitResubscribed(subscription.id(), "/default/quiet/a", connection);
        publishUntilReceived("/default/quiet/a", "\"after the timeout\"", recorder);
    }

    @Test
    void gatewayRestart_onTheSamePort_reconnectsAndResubscribes() throws Exception {
        client = builder(TestGateway.API_KEY).build();
        Recorder recorder = new Recorder();
        Subscription subscription = client.subscribe("/default/restart/*", recorder, recorder);
        await(subscription.ready());
        String connection = connectionOf(subscription.id(), "/default/restart/a");

        gateway = TestGateway.restart();
        recorder.awaitState(ConnectionState.RECONNECTING);
        recorder.awaitState(ConnectionState.CONNECTED);
        awaitResubscribed(subscription.id(), "/default/restart/a", connection);
        publishUntilReceived("/default/restart/a", "\"after the restart\"", recorder);
    }

    static Auth iam(String secret) {
        return Auth.iam(StaticCredentialsProvider.create(AwsBasicCredentials.create(TestGateway.ACCESS_KEY_ID, secret)), "us-east-1");
    }

    @Test
    void iam_webSocket_signedConnectAndPublish_areVerifiedByTheGateway() throws Exception {
        // Switchboard's defaults: connect and publish accept AWS_IAM, subscribe only API_KEY (the AWS tutorial mixes them too).
        client = builder(TestGateway.API_KEY).build();
        Recorder recorder = new Recorder();
        await(client.subscribe("/default/iam/*", recorder, recorder).ready());

        try (SwitchboardClient publisher = SwitchboardClient.newBuilder().endpoint(gateway.httpEndpoint())
                .auth(iam(TestGateway.SECRET_ACCESS_KEY)).build()) {
            // connect signs {}, the publish its {"channel","events"} body; '<', '>' and '/' stay unescaped
            assertEquals(1, await(publisher.publishOverWebSocket("/default/iam/b", "{\"signed\":\"ws/</>\"}")).successful().size());
            assertEquals("{\"signed\":\"ws/</>\"}", recorder.event());
            SwitchboardException subscribe = failure(publisher.subscribe("/default/iam/*", e -> { }).ready());
            assertEquals("UnauthorizedException", subscribe.errorType());
        }
        try (SwitchboardClient forged = SwitchboardClient.newBuilder().endpoint(gateway.httpEndpoint())
                .auth(iam("not-the-secret")).build()) {
            SwitchboardException refused = failure(forged.publishOverWebSocket("/default/iam/a", "1"));
            assertTrue(List.of("UnauthorizedException", "BadRequestException").contains(refused.errorType()), refused.getMessage());
            assertThrows(SwitchboardException.class, () -> forged.publish("/default/iam/a", "1"));
        }
    }

    @Test
    void iam_httpPublish_onEventForAppSync_andOnTheIamRouteForExecuteApi() throws Exception {
        client = builder(TestGateway.API_KEY).build();
        Recorder recorder = new Recorder();
        await(client.subscribe("/default/iam-http/*", recorder, recorder).ready());
        try (SwitchboardClient publisher = SwitchboardClient.newBuilder().endpoint(gateway.httpEndpoint())
                .auth(iam(TestGateway.SECRET_ACCESS_KEY)).build()) {
            assertEquals(1, publisher.publish("/default/iam-http/a", "{\"signed\":\"<http>\"}").successful().size());
            assertEquals("{\"signed\":\"<http>\"}", recorder.event());
        }
        Auth executeApi = Auth.iam(StaticCredentialsProvider.create(
                AwsBasicCredentials.create(TestGateway.ACCESS_KEY_ID, TestGateway.SECRET_ACCESS_KEY)), "us-east-1", "execute-api");
        try (SwitchboardClient publisher = SwitchboardClient.newBuilder()
                .endpoint(URI.create("http://127.0.0.1:" + gateway.port() + "/iam/event")).auth(executeApi).build()) {
            assertEquals(1, publisher.publish("/default/iam-http/b", "{\"route\":\"iam\"}").successful().size());
            assertEquals("{\"route\":\"iam\"}", recorder.event());
        }
    }
}
