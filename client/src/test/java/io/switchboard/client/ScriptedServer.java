package io.switchboard.client;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.net.URI;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.switchboard.core.protocol.Frame;
import io.switchboard.core.protocol.FrameCodec;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;

/**
 * A WebSocket server the test drives frame by frame: each accepted socket becomes a {@link Peer} that records what
 * the client sent and sends what the test says (whole or in fragments), so the client's protocol handling can be
 * checked without the gateway's timing.
 */
public final class ScriptedServer implements AutoCloseable {

    static final long WAIT_SECONDS = 5;

    private final Server server = new Server();
    private final ServerConnector connector = new ServerConnector(server);
    private final BlockingQueue<Peer> peers = new LinkedBlockingQueue<>();
    private volatile int rejectStatus;

    ScriptedServer() throws Exception {
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        WebSocketUpgradeHandler upgrade = WebSocketUpgradeHandler.from(server, container ->
                container.addMapping("/event/realtime", (request, response, callback) -> {
                    if (rejectStatus != 0) {
                        Response.writeError(request, response, callback, rejectStatus);
                        return null;
                    }
                    response.setAcceptedSubProtocol("aws-appsync-event-ws");
                    Peer peer = new Peer(request.getSubProtocols());
                    peers.add(peer);
                    return peer;
                }));
        server.setHandler(upgrade);
        server.start();
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + connector.getLocalPort() + "/event");
    }

    String host() {
        return "127.0.0.1:" + connector.getLocalPort();
    }

    /** Upgrades are answered with this HTTP status instead of being accepted (0 accepts). */
    void rejectUpgrades(int status) {
        rejectStatus = status;
    }

    /** The next accepted socket; fails the test after a few seconds. */
    Peer nextPeer() throws InterruptedException {
        Peer peer = peers.poll(WAIT_SECONDS, TimeUnit.SECONDS);
        assertNotNull(peer, "the client did not connect");
        return peer;
    }

    /** The next accepted socket within {@code millis}, or null. */
    Peer pollPeer(long millis) throws InterruptedException {
        return peers.poll(millis, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException("cannot stop the scripted server", e);
        }
    }

    /** One accepted socket. Public: Jetty calls it through method handles. */
    public static final class Peer implements Session.Listener.AutoDemanding {
        final List<String> subprotocols;
        final BlockingQueue<String> received = new LinkedBlockingQueue<>();
        final CompletableFuture<Integer> closed = new CompletableFuture<>();
        volatile Session session;

        Peer(List<String> subprotocols) {
            this.subprotocols = List.copyOf(subprotocols);
        }

        @Override
        public void onWebSocketOpen(Session session) {
            this.session = session;
        }

        @Override
        public void onWebSocketText(String message) {
            received.add(message);
        }

        @Override
        public void onWebSocketClose(int statusCode, String reason, Callback callback) {
            closed.complete(statusCode);
            callback.succeed();
        }

        @Override
        public void onWebSocketError(Throwable cause) {
            closed.complete(-1);
        }

        /** The next text frame from the client, decoded. */
        Frame next() throws InterruptedException {
            String text = received.poll(WAIT_SECONDS, TimeUnit.SECONDS);
            assertNotNull(text, "the client sent nothing");
            return FrameCodec.decode(text);
        }

        /** The next frame of type {@code type}, skipping others (e.g. unsubscribe). */
        <T extends Frame> T next(Class<T> type) throws InterruptedException {
            while (true) {
                Frame frame = next();
                if (type.isInstance(frame)) {
                    return type.cast(frame);
                }
            }
        }

        void send(Frame frame) {
            send(FrameCodec.encode(frame));
        }

        void send(String text) {
            session.sendText(text, Callback.NOOP);
        }

        /** Sends one message as several WebSocket frames (a first frame and continuations). */
        void sendFragmented(String... fragments) {
            Callback.Completable done = new Callback.Completable();
            sendFrom(fragments, 0, done);
            done.join();
        }

        private void sendFrom(String[] fragments, int index, Callback.Completable done) {
            boolean last = index == fragments.length - 1;
            session.sendPartialText(fragments[index], last, Callback.from(() -> {
                if (last) {
                    done.succeed();
                } else {
                    sendFrom(fragments, index + 1, done);
                }
            }, done::fail));
        }

        /** Acknowledges {@code connection_init} with {@code connectionTimeoutMs}. */
        void handshake(long connectionTimeoutMs) throws InterruptedException {
            next(Frame.ConnectionInit.class);
            send(new Frame.ConnectionAck(connectionTimeoutMs));
        }

        void close(int code, String reason) {
            session.close(code, reason, Callback.NOOP);
        }
    }
}
