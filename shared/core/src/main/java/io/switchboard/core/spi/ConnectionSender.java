package io.switchboard.core.spi;

/**
 * Pushes text frames to WebSocket connections: API Gateway's {@code @connections} API in the cloud and in the local
 * gateway, an in-memory recorder in unit tests. Implementations are thread-safe: the engine calls {@link #send}
 * from several threads during a fan-out. Retrying throttled sends is the implementation's job.
 */
public interface ConnectionSender {

    /** Sends one text frame; never throws for a per-connection failure, it reports it. */
    SendResult send(String connectionId, String frame);

    /** Closes the connection from the server side (best effort). */
    void close(String connectionId);

    enum SendResult {
        /** The gateway accepted the frame. */
        DELIVERED,
        /** The connection no longer exists (HTTP 410): the caller purges it from the store. */
        GONE,
        /** Any other failure, after the sender's own retries; counted and logged by the caller. */
        FAILED
    }
}
