package io.switchboard.local;

import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;

/**
 * One accepted WebSocket connection: what API Gateway remembers about it (id, connect time,
 * identity, the authorizer's context) and its serial queue of function invocations. The first
 * close, from whichever side, wins and is what {@code $disconnect} reports.
 */
final class Connection {

    /** Why the connection closed, as {@code $disconnect} will report it. */
    record Close(int statusCode, String reason) {
    }

    private final String id;
    private final long connectedAt;
    private final String sourceIp;
    private final String userAgent;
    private final ObjectNode authorizer;
    private final SerialExecutor queue;
    private final AtomicReference<Close> close = new AtomicReference<>();
    private volatile Session session;
    /** Messages sent after {@code $connect} accepted the connection but before its socket opened; guarded by this. */
    private List<Runnable> beforeOpen = new java.util.ArrayList<>();
    private volatile long lastActiveAt;
    private volatile ScheduledFuture<?> idleTimer;
    private volatile ScheduledFuture<?> lifetimeTimer;

    Connection(String id, long connectedAt, String sourceIp, String userAgent, ObjectNode authorizer, Executor workers) {
        this.id = id;
        this.connectedAt = connectedAt;
        this.sourceIp = sourceIp;
        this.userAgent = userAgent;
        this.authorizer = authorizer;
        this.queue = new SerialExecutor(workers);
        this.lastActiveAt = connectedAt;
    }

    String id() {
        return id;
    }

    long connectedAt() {
        return connectedAt;
    }

    String sourceIp() {
        return sourceIp;
    }

    String userAgent() {
        return userAgent;
    }

    /** {@code principalId} and the authorizer's context, as later events carry it; null without an authorizer. */
    ObjectNode authorizer() {
        return authorizer;
    }

    /** Runs {@code task} after everything queued before it for this connection. */
    void enqueue(Runnable task) {
        queue.execute(task);
    }

    /**
     * The socket is open: messages sent since {@code $connect} accepted the connection go out first, in order (or fail,
     * if the connection was closed meanwhile).
     */
    void opened(Session session) {
        List<Runnable> waiting;
        synchronized (this) {
            this.session = session;
            waiting = beforeOpen;
            beforeOpen = null;
            for (Runnable send : waiting) {
                send.run();
            }
        }
    }

    void touch() {
        lastActiveAt = System.currentTimeMillis();
    }

    long lastActiveAt() {
        return lastActiveAt;
    }

    boolean isOpen() {
        Session s = session;
        return close.get() == null && (s == null || s.isOpen()); // accepted by $connect, socket opening or open
    }

    void timers(ScheduledFuture<?> idle, ScheduledFuture<?> lifetime) {
        this.idleTimer = idle;
        this.lifetimeTimer = lifetime;
    }

    void idleTimer(ScheduledFuture<?> idle) {
        this.idleTimer = idle;
    }

    /** Records why the connection ends; true only for the first call. */
    boolean markClosed(int statusCode, String reason) {
        if (!close.compareAndSet(null, new Close(statusCode, reason == null ? "" : reason))) {
            return false;
        }
        ScheduledFuture<?> idle = idleTimer;
        ScheduledFuture<?> lifetime = lifetimeTimer;
        if (idle != null) {
            idle.cancel(false);
        }
        if (lifetime != null) {
            lifetime.cancel(false);
        }
        List<Runnable> waiting = List.of();
        synchronized (this) {
            if (beforeOpen != null && !beforeOpen.isEmpty()) { // its socket may never open now: fail what waited
                waiting = beforeOpen;
                beforeOpen = new java.util.ArrayList<>();
            }
        }
        waiting.forEach(Runnable::run);
        return true;
    }

    Close close() {
        return close.get();
    }

    /**
     * Sends one text message, in frames of at most 32 KB as API Gateway does (a longer message is
     * fragmented); {@code callback} learns whether all of it was written. Messages never interleave.
     */
    void send(String text, Callback callback) {
        if (close.get() != null) {
            callback.fail(new IllegalStateException("connection " + id + " is closed"));
            return;
        }
        Session s = session;
        if (s == null) {
            synchronized (this) {
                if (session == null) { // accepted, socket not open yet: API Gateway would already deliver it
                    beforeOpen.add(() -> send(text, callback));
                    return;
                }
                s = session;
            }
        }
        // a socket that closed without our knowing yet fails the callback in Jetty: no need to ask it (a lock) first
        List<String> fragments = Utf8Fragments.split(text, WebSocketApi.MAX_FRAME_BYTES);
        if (fragments.size() == 1) {
            synchronized (this) {
                s.sendText(text, callback);
            }
            return;
        }
        AtomicBoolean failed = new AtomicBoolean();
        synchronized (this) {
            for (int i = 0; i < fragments.size(); i++) {
                boolean last = i == fragments.size() - 1;
                s.sendPartialText(fragments.get(i), last, Callback.from(last ? callback::succeed : () -> { }, x -> {
                    if (failed.compareAndSet(false, true)) {
                        callback.fail(x);
                    }
                }));
            }
        }
    }

    /** Closes the socket with {@code statusCode} and {@code reason} (no-op if already closed). */
    void closeSocket(int statusCode, String reason) {
        Session s = session;
        if (s != null && s.isOpen()) {
            s.close(statusCode, reason, Callback.NOOP);
        }
    }
}
