package io.switchboard.client;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.function.Consumer;

/**
 * A subscription to a channel or a wildcard ({@code /default/*}) over the client's WebSocket. Events reach its
 * consumer as the JSON text the publisher sent, in order, one call per event. The subscription lives until
 * {@link #close()}, a refusal, or {@link SwitchboardClient#close()}; across reconnects it is re-sent with the same id.
 */
public final class Subscription implements AutoCloseable {

    /** Hears about the connection under a subscription and about its errors; callbacks run one at a time. */
    public interface Listener {
        /** The connection changed state; {@link ConnectionState#CLOSED} is the last call. */
        default void onStateChange(ConnectionState state) {
        }

        /**
         * A failure that concerns this subscription: {@code subscribe_error} (then {@link #ready()} fails too and the
         * subscription is closed), {@code broadcast_error}, an {@code error} frame, a refused connection.
         */
        default void onError(SwitchboardException error) {
        }
    }

    static final Listener SILENT = new Listener() {
    };

    private final String id;
    private final String channel;
    private final Consumer<String> consumer;
    private final Listener listener;
    private final RealtimeConnection connection;
    private final CompletableFuture<Subscription> ready = new CompletableFuture<>();
    private volatile boolean closed;

    // Confined to the connection's event loop.
    boolean sent;
    boolean confirmed;
    ConnectionState reported;
    ScheduledFuture<?> timer;

    Subscription(String id, String channel, Consumer<String> consumer, Listener listener, RealtimeConnection connection) {
        this.id = id;
        this.channel = channel;
        this.consumer = Objects.requireNonNull(consumer, "consumer");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.connection = connection;
    }

    /** The subscription id sent in {@code subscribe} and carried by every {@code data} frame (a UUID). */
    public String id() {
        return id;
    }

    /** The channel or wildcard, with its leading slash. */
    public String channel() {
        return channel;
    }

    /**
     * Completes with this subscription on {@code subscribe_success}; fails with a {@link SwitchboardException} on
     * {@code subscribe_error} (its {@code errorType()} says why), a refused connection, or when no answer came within
     * the client's {@code requestTimeout}.
     */
    public CompletableFuture<Subscription> ready() {
        return ready.copy();
    }

    /** False once closed, refused, or the client closed. */
    public boolean isOpen() {
        return !closed;
    }

    /** Stops the events and sends {@code unsubscribe}; idempotent. */
    @Override
    public void close() {
        if (!closed) {
            connection.unsubscribe(this);
        }
    }

    @Override
    public String toString() {
        return "Subscription[" + id + " " + channel + (closed ? " closed" : "") + "]";
    }

    // ------------------------------------------------------------------ for the connection (callback thread or loop)

    CompletableFuture<Subscription> readyFuture() {
        return ready;
    }

    Consumer<String> consumer() {
        return consumer;
    }

    Listener listener() {
        return listener;
    }

    void markClosed() {
        closed = true;
    }
}
