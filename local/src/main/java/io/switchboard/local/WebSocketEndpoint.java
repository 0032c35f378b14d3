package io.switchboard.local;

import java.nio.ByteBuffer;

import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;

/**
 * Jetty's handle on one accepted socket; it hands everything to {@link WebSocketApi}. Public only
 * because Jetty invokes listener methods through method handles, which need a public class.
 */
public final class WebSocketEndpoint implements Session.Listener.AutoDemanding {

    private final WebSocketApi api;
    private final Connection connection;
    private volatile Session session;

    WebSocketEndpoint(WebSocketApi api, Connection connection) {
        this.api = api;
        this.connection = connection;
    }

    @Override
    public void onWebSocketOpen(Session session) {
        this.session = session;
        api.opened(connection, session);
    }

    // Every frame from the client counts as activity for the idle timeout.

    @Override
    public void onWebSocketText(String message) {
        connection.touch();
        api.received(connection, message);
    }

    @Override
    public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
        connection.touch();
        callback.succeed();
        api.receivedBinary(connection, payload.remaining());
    }

    @Override
    public void onWebSocketPing(ByteBuffer payload) {
        connection.touch();
        session.sendPong(payload, Callback.NOOP);
    }

    @Override
    public void onWebSocketPong(ByteBuffer payload) {
        connection.touch();
    }

    @Override
    public void onWebSocketError(Throwable cause) {
        api.failed(connection, cause);
    }

    @Override
    public void onWebSocketClose(int statusCode, String reason, Callback callback) {
        api.closed(connection, statusCode, reason);
        callback.succeed();
    }
}
