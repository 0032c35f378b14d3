package io.switchboard.core.spi;

/**
 * Pushes text frames to WebSocket connections: API Gateway's {@code @connections} API in the cloud and in the local
 * gateway, an in-memory recorder in unit tests. Implementations are thread-safe: the engine calls {@link #send}
 * from several threads during a fan-out. Retrying throttled sends is the implementation's job.
 */
public interface ConnectionSender {

    /** Sends one text frame; never throws for a per-connection failure, it reports it. */
    SendResult send(String connectionId, String frame);

    /**
     * Sends one text frame, returning by {@code deadlineNanos} ({@link System#nanoTime()}; {@link Long#MAX_VALUE}:
     * none): the fan-out's way to keep an invocation inside its timeout. A sender that retries stops retrying by
     * then and reports a frame it could not try again in time as {@link SendResult#THROTTLED}. The default ignores
     * the deadline.
     */
    default SendResult send(String connectionId, String frame, long deadlineNanos) {
        return send(connectionId, frame);
    }

    /** Closes the connection from the server side (best effort). */
    void close(String connectionId);

    enum SendResult {
        /** The gateway accepted the frame. */
        DELIVERED,
        /** The connection no longer exists (HTTP 410): the caller purges it from the store. */
        GONE,
        /** Any other failure, after the sender's own retries; counted and logged by the caller. */
        FAILED,
        /**
         * Not delivered for now, and worth sending again later: the gateway kept refusing the frame for throttling
         * (429) through the sender's own retries, or the deadline left no time to try again. The fan-out retries it
         * in a later round or hands it to a worker.
         */
        THROTTLED
    }
}
