package io.switchboard.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import io.switchboard.core.protocol.Frame;
import io.switchboard.core.protocol.FrameCodec;
import io.switchboard.core.protocol.ProtocolError;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/** The client's WebSocket protocol against a scripted server: handshake, frames, errors, keep-alive, reconnects. */
class WebSocketProtocolTest {

    ScriptedServer server;
    SwitchboardClient client;

    @BeforeEach
    void start() throws Exception {
        server = new ScriptedServer();
        client = SwitchboardClient.newBuilder()
                .endpoint(server.endpoint())
                .auth(Auth.apiKey("da2-test"))
                .connectTimeout(Duration.ofSeconds(3))
                .requestTimeout(Duration.ofSeconds(3))
                .reconnectBackoff(Duration.ofMillis(20), Duration.ofMillis(100))
                .build();
    }

    @AfterEach
    void stop() throws Exception {
        client.close();
        server.close();
    }

    static <T> T await(CompletableFuture<T> future) throws Exception {
        return future.get(10, TimeUnit.SECONDS);
    }

    static SwitchboardException failure(CompletableFuture<?> future) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> future.get(10, TimeUnit.SECONDS));
        return assertInstanceOf(SwitchboardException.class, e.getCause());
    }

    /** Connects a subscription through the handshake and its subscribe_success. */
    ScriptedServer.Peer subscribed(Subscription subscription) throws Exception {
        ScriptedServer.Peer peer = server.nextPeer();
        peer.handshake(300_000);
        Frame.Subscribe subscribe = peer.next(Frame.Subscribe.class);
        assertEquals(subscription.id(), subscribe.id());
        peer.send(new Frame.SubscribeSuccess(subscribe.id()));
        await(subscription.ready());
        return peer;
    }

    @Test
    void subscribe_handshakesWithHeaderSubprotocol_authorizesTheFrame_andReassemblesFragmentedData() throws Exception {
        Recorder recorder = new Recorder();
        Subscription subscription = client.subscribe("default/*", recorder, recorder);
        assertEquals("/default/*", subscription.channel());

        ScriptedServer.Peer peer = server.nextPeer();
        assertEquals("aws-appsync-event-ws", peer.subprotocols.get(0));
        String header = peer.subprotocols.get(1);
        assertTrue(header.matches("header-[A-Za-z0-9_-]+"), header);
        String json = new String(Base64.getUrlDecoder().decode(header.substring("header-".length())), StandardCharsets.UTF_8);
        assertEquals("{\"host\":\"" + server.host() + "\",\"x-api-key\":\"da2-test\"}", json);

        assertInstanceOf(Frame.ConnectionInit.class, peer.next());
        assertFalse(subscription.ready().isDone(), "subscribed before connection_ack");
        peer.send(new Frame.ConnectionAck(300_000));
        Frame.Subscribe subscribe = peer.next(Frame.Subscribe.class);
        assertEquals(new Frame.Subscribe(subscription.id(), "/default/*", Map.of("host", server.host(), "x-api-key", "da2-test")), subscribe);
        peer.send(new Frame.SubscribeSuccess(subscription.id()));
        assertEquals(subscription, await(subscription.ready()));

        String data = FrameCodec.encode(new Frame.Data(subscription.id(), "{\"text\":\"héllo, wörld\"}"));
        peer.sendFragmented(data.substring(0, 7), data.substring(7, 30), data.substring(30));
        peer.send(new Frame.Data("someone-else", "\"not ours\""));
        peer.send(new Frame.Data(subscription.id(), "42"));
        assertEquals("{\"text\":\"héllo, wörld\"}", recorder.event());
        assertEquals("42", recorder.event());
        assertEquals(List.of(ConnectionState.CONNECTING, ConnectionState.CONNECTED), recorder.history);

        subscription.close();
        assertEquals(new Frame.Unsubscribe(subscription.id()), peer.next());
        recorder.awaitState(ConnectionState.CLOSED);
        assertFalse(subscription.isOpen());
    }

    @Test
    void iam_signsPostEventWithTheConnectSubscribeAndPublishBodies() throws Exception {
        client.close();
        client = SwitchboardClient.newBuilder().endpoint(server.endpoint())
                .auth(Auth.iam(StaticCredentialsProvider.create(AwsSessionCredentials.create("AKID", "SECRET", "SESSION")), "eu-west-1"))
                .build();
        Subscription subscription = client.subscribe("/default/*", event -> { });
        ScriptedServer.Peer peer = server.nextPeer();
        String header = peer.subprotocols.get(1).substring("header-".length());
        Map<String, String> connect = FrameCodec.JSON.readValue(Base64.getUrlDecoder().decode(header),
                new com.fasterxml.jackson.core.type.TypeReference<Map<String, String>>() { });
        assertEquals(server.host(), connect.get("host"));
        assertEquals("SESSION", connect.get("x-amz-security-token"));
        assertEquals("amz-1.0", connect.get("content-encoding"));
        SigV4.Parsed parsed = SigV4.parse(connect.get("Authorization"));
        assertEquals("appsync", parsed.service());
        assertEquals("eu-west-1", parsed.region());
        assertEquals(SigV4.expectedSignature(connect, "/event", "{}", "SECRET"), parsed.signature());

        peer.handshake(300_000);
        Frame.Subscribe subscribe = peer.next(Frame.Subscribe.class);
        assertEquals(SigV4.expectedSignature(subscribe.authorization(), "/event", "{\"channel\":\"/default/*\"}", "SECRET"),
                SigV4.parse(subscribe.authorization().get("Authorization")).signature());
        peer.send(new Frame.SubscribeSuccess(subscription.id()));
        await(subscription.ready());

        CompletableFuture<PublishResult> published = client.publishOverWebSocket("/default/a/b", "{\"a\":\"<b>\"}");
        Frame.Publish publish = peer.next(Frame.Publish.class);
        assertEquals(SigV4.expectedSignature(publish.authorization(), "/event",
                        "{\"channel\":\"/default/a/b\",\"events\":[\"{\\\"a\\\":\\\"<b>\\\"}\"]}", "SECRET"),
                SigV4.parse(publish.authorization().get("Authorization")).signature());
        peer.send(new Frame.PublishSuccess(publish.id(), List.of(new Frame.PublishedEvent("x", 0)), List.of()));
        assertEquals(1, await(published).successful().size());
    }

    @Test
    void publishOverWebSocket_sendsAnAuthorizedPublish_andMapsBothAnswers() throws Exception {
        CompletableFuture<PublishResult> first = client.publishOverWebSocket("/default/room", "{\"a\":1}", "2");
        ScriptedServer.Peer peer = server.nextPeer();
        peer.handshake(300_000);
        Frame.Publish publish = peer.next(Frame.Publish.class);
        assertEquals("/default/room", publish.channel());
        assertEquals(List.of("{\"a\":1}", "2"), publish.events());
        assertEquals(Map.of("host", server.host(), "x-api-key", "da2-test"), publish.authorization());
        peer.send(new Frame.PublishSuccess(publish.id(), List.of(new Frame.PublishedEvent("e0", 0)),
                List.of(new Frame.FailedEvent("e1", 1, 400, "refused"))));
        PublishResult result = await(first);
        assertEquals(List.of(new PublishResult.Success("e0", 0)), result.successful());
        assertEquals(List.of(new PublishResult.Failure("e1", 1, 400, "refused")), result.failed());

        CompletableFuture<PublishResult> second = client.publishOverWebSocket("/default/*", "1");
        Frame.Publish again = peer.next(Frame.Publish.class);
        peer.send(new Frame.PublishError(again.id(), List.of(new ProtocolError("BadRequestException", "Invalid Channel Format"))));
        SwitchboardException error = failure(second);
        assertEquals("BadRequestException", error.errorType());
        assertEquals(0, error.statusCode());
    }

    @Test
    void subscribeError_failsOnlyThatSubscription() throws Exception {
        Recorder good = new Recorder();
        Subscription kept = client.subscribe("/default/*", good, good);
        ScriptedServer.Peer peer = subscribed(kept);

        Recorder bad = new Recorder();
        Subscription refused = client.subscribe("/nowhere/x", bad, bad);
        Frame.Subscribe subscribe = peer.next(Frame.Subscribe.class);
        peer.send(new Frame.SubscribeError(subscribe.id(), List.of(new ProtocolError("ResourceNotFound", "Namespace 'nowhere' not found"))));
        SwitchboardException error = failure(refused.ready());
        assertEquals("ResourceNotFound", error.errorType());
        assertEquals("ResourceNotFound", bad.error().errorType());
        bad.awaitState(ConnectionState.CLOSED);
        assertFalse(refused.isOpen());

        peer.send(new Frame.Data(kept.id(), "\"still here\""));
        assertEquals("\"still here\"", good.event());
        assertTrue(good.errors.isEmpty());
    }

    @Test
    void keepAliveTimeout_dropsAndReconnects_withTheSameSubscriptionId() throws Exception {
        Recorder recorder = new Recorder();
        Subscription subscription = client.subscribe("/default/*", recorder, recorder);
        ScriptedServer.Peer first = server.nextPeer();
        first.handshake(800);          // then silence: no ka, no data
        Frame.Subscribe subscribe = first.next(Frame.Subscribe.class);
        first.send(new Frame.SubscribeSuccess(subscribe.id()));
        await(subscription.ready());

        recorder.awaitState(ConnectionState.RECONNECTING);
        ScriptedServer.Peer second = server.nextPeer();
        second.handshake(300_000);
        Frame.Subscribe again = second.next(Frame.Subscribe.class);
        assertEquals(subscription.id(), again.id());
        assertEquals("/default/*", again.channel());
        second.send(new Frame.SubscribeSuccess(again.id()));
        recorder.awaitState(ConnectionState.CONNECTED);
        second.send(new Frame.Data(subscription.id(), "\"after\""));
        assertEquals("\"after\"", recorder.event());
        first.closed.get(5, TimeUnit.SECONDS);   // the silent socket was dropped, not left open
    }

    @Test
    void keepAliveFrames_keepTheConnection() throws Exception {
        Recorder recorder = new Recorder();
        Subscription subscription = client.subscribe("/default/*", recorder, recorder);
        ScriptedServer.Peer peer = server.nextPeer();
        peer.handshake(1000);
        peer.send(new Frame.SubscribeSuccess(peer.next(Frame.Subscribe.class).id()));
        await(subscription.ready());
        for (int i = 0; i < 6; i++) {
            Thread.sleep(250);
            peer.send(new Frame.KeepAlive());
        }
        assertNull(server.pollPeer(0));
        assertFalse(recorder.history.contains(ConnectionState.RECONNECTING), recorder.history.toString());
    }

    @Test
    void serverClose_reconnectsAndResubscribes_butFailsInFlightPublishes() throws Exception {
        Recorder recorder = new Recorder();
        Subscription subscription = client.subscribe("/default/*", recorder, recorder);
        ScriptedServer.Peer first = subscribed(subscription);
        CompletableFuture<PublishResult> inFlight = client.publishOverWebSocket("/default/a", "1");
        first.next(Frame.Publish.class);

        first.close(1001, "going away");
        assertTrue(failure(inFlight).getMessage().contains("dropped"));
        ScriptedServer.Peer second = server.nextPeer();
        second.handshake(300_000);
        assertEquals(subscription.id(), second.next(Frame.Subscribe.class).id());
        assertEquals(List.of(ConnectionState.CONNECTING, ConnectionState.CONNECTED, ConnectionState.RECONNECTING,
                ConnectionState.CONNECTED), recorder.awaitHistory(4));
    }

    @Test
    void connectionError_unauthorized_failsEverythingAndDoesNotReconnect() throws Exception {
        Recorder recorder = new Recorder();
        Subscription subscription = client.subscribe("/default/*", recorder, recorder);
        CompletableFuture<PublishResult> publish = client.publishOverWebSocket("/default/a", "1");
        ScriptedServer.Peer peer = server.nextPeer();
        peer.next(Frame.ConnectionInit.class);
        peer.send(new Frame.ConnectionError(List.of(new ProtocolError("UnauthorizedException", "You are not authorized to make this call."))));

        SwitchboardException error = failure(subscription.ready());
        assertEquals("UnauthorizedException", error.errorType());
        assertEquals("UnauthorizedException", failure(publish).errorType());
        assertEquals("UnauthorizedException", recorder.error().errorType());
        recorder.awaitState(ConnectionState.CLOSED);
        assertNull(server.pollPeer(500), "reconnected after UnauthorizedException");
        assertFalse(recorder.history.contains(ConnectionState.RECONNECTING));
    }

    @Test
    void connectionError_retryable_reconnects() throws Exception {
        Recorder recorder = new Recorder();
        Subscription subscription = client.subscribe("/default/*", recorder, recorder);
        ScriptedServer.Peer first = server.nextPeer();
        first.next(Frame.ConnectionInit.class);
        first.send(new Frame.ConnectionError(List.of(new ProtocolError("LimitExceededError", "slow down"))));
        assertEquals("LimitExceededError", recorder.error().errorType());
        subscribed(subscription);
        assertTrue(recorder.history.contains(ConnectionState.RECONNECTING));
    }

    @Test
    void upgradeRefused401_isFinal() throws Exception {
        server.rejectUpgrades(401);
        Recorder recorder = new Recorder();
        Subscription subscription = client.subscribe("/default/*", recorder, recorder);
        SwitchboardException error = failure(subscription.ready());
        assertEquals(401, error.statusCode());
        assertEquals("UnauthorizedException", error.errorType());
        recorder.awaitState(ConnectionState.CLOSED);
        assertFalse(recorder.history.contains(ConnectionState.RECONNECTING), recorder.history.toString());
    }

    @Test
    void noAck_timesOutAndRetries() throws Exception {
        client.close();
        client = SwitchboardClient.newBuilder().endpoint(server.endpoint()).auth(Auth.apiKey("k"))
                .connectTimeout(Duration.ofMillis(1000)).reconnectBackoff(Duration.ofMillis(10), Duration.ofMillis(20)).build();
        Recorder recorder = new Recorder();
        Subscription subscription = client.subscribe("/default/*", recorder, recorder);
        ScriptedServer.Peer silent = server.nextPeer();
        silent.next(Frame.ConnectionInit.class);
        subscribed(subscription);
        silent.closed.get(5, TimeUnit.SECONDS);   // the unacknowledged socket was dropped
    }

    @Test
    void close_sendsACloseFrame_reportsClosed_andRefusesNewWork() throws Exception {
        Recorder recorder = new Recorder();
        Subscription subscription = client.subscribe("/default/*", recorder, recorder);
        ScriptedServer.Peer peer = subscribed(subscription);
        CompletableFuture<PublishResult> pending = client.publishOverWebSocket("/default/a", "1");
        peer.next(Frame.Publish.class);

        client.close();
        assertEquals(1000, peer.closed.get(5, TimeUnit.SECONDS));
        recorder.awaitState(ConnectionState.CLOSED);
        assertTrue(failure(pending).getMessage().contains("closed"));
        assertThrows(IllegalStateException.class, () -> client.subscribe("/default/*", e -> { }));
        assertInstanceOf(IllegalStateException.class,
                assertThrows(ExecutionException.class, () -> client.publishOverWebSocket("/default/a", "1").get()).getCause());
        client.close();
    }

    @Test
    void subscribe_unanswered_timesOut() throws Exception {
        client.close();
        client = SwitchboardClient.newBuilder().endpoint(server.endpoint()).auth(Auth.apiKey("k"))
                .requestTimeout(Duration.ofMillis(500)).build();
        Recorder recorder = new Recorder();
        Subscription subscription = client.subscribe("/default/*", recorder, recorder);
        ScriptedServer.Peer peer = server.nextPeer();
        peer.handshake(300_000);
        Frame.Subscribe subscribe = peer.next(Frame.Subscribe.class);
        SwitchboardException error = failure(subscription.ready());
        assertInstanceOf(java.util.concurrent.TimeoutException.class, error.getCause());
        assertEquals(new Frame.Unsubscribe(subscribe.id()), peer.next());
    }

    @Test
    void broadcastAndGenericErrors_reachTheListener_withoutClosing() throws Exception {
        Recorder recorder = new Recorder();
        Subscription subscription = client.subscribe("/default/*", recorder, recorder);
        ScriptedServer.Peer peer = subscribed(subscription);
        peer.send(new Frame.BroadcastError(subscription.id(), List.of(new ProtocolError("MessageProcessingError", "oops"))));
        assertEquals("MessageProcessingError", recorder.error().errorType());
        peer.send(new Frame.Error(null, List.of(new ProtocolError("UnsupportedOperation", "what?"))));
        assertEquals("UnsupportedOperation", recorder.error().errorType());
        peer.send("this is not json");
        peer.send(new Frame.Data(subscription.id(), "1"));
        assertEquals("1", recorder.event());
        assertTrue(subscription.isOpen());
    }
}
