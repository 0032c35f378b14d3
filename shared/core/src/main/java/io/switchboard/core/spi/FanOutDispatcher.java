package io.switchboard.core.spi;

/**
 * Hands part of a large fan-out to a worker, so that no single invocation has to reach 100,000 connections within
 * API Gateway's 29 s integration timeout: in the cloud an asynchronous invocation of the fan-out function, in the
 * local gateway a pool in the same JVM. The engine splits the audience into {@link FanOutShard}s and calls
 * {@link #dispatch} for those it does not deliver itself (above {@code SWITCHBOARD_FANOUT_SHARD_SIZE}, or when its
 * invocation runs out of time). Implementations are thread-safe.
 */
public interface FanOutDispatcher {

    /**
     * Hands one shard to a worker and returns once the worker side has accepted it (queued, not delivered).
     * Implementations retry their own throttling.
     *
     * @throws FanOutDispatchException when the shard could not be handed off; the engine then delivers it itself
     *     when time allows, and counts it as failed (with an error log) when not — never silently
     */
    void dispatch(FanOutShard shard);

    /**
     * As {@link #dispatch(FanOutShard)}, giving up by {@code deadlineNanos} ({@link System#nanoTime()};
     * {@link Long#MAX_VALUE}: none). The default ignores the deadline.
     */
    default void dispatch(FanOutShard shard, long deadlineNanos) {
        dispatch(shard);
    }

    /** The largest shard this dispatcher can carry, in bytes of {@link FanOutShard#toJson()}. */
    default int maxShardBytes() {
        return FanOutShard.MAX_BYTES;
    }

    /** A shard that could not be handed off. */
    final class FanOutDispatchException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public FanOutDispatchException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
