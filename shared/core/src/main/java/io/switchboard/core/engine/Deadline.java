package io.switchboard.core.engine;

import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * How long the current invocation may still run: a Lambda function passes {@code context::getRemainingTimeInMillis},
 * so that a long fan-out hands its remainder to a worker instead of running into the function's timeout (or API
 * Gateway's 29 s). {@link #none()} never runs out (the local gateway's pool, tests).
 */
public final class Deadline {
    private static final Deadline NONE = new Deadline(() -> Long.MAX_VALUE);

    private final LongSupplier remainingMillis;

    private Deadline(LongSupplier remainingMillis) {
        this.remainingMillis = remainingMillis;
    }

    /** A deadline that never comes. */
    public static Deadline none() {
        return NONE;
    }

    /** A deadline read from a clock of remaining time, e.g. {@code Deadline.of(context::getRemainingTimeInMillis)}. */
    public static Deadline of(LongSupplier remainingMillis) {
        return new Deadline(Objects.requireNonNull(remainingMillis, "remainingMillis"));
    }

    /** A deadline {@code millis} from now. */
    public static Deadline afterMillis(long millis) {
        long end = System.nanoTime() + millis * 1_000_000L;
        return new Deadline(() -> (end - System.nanoTime()) / 1_000_000L);
    }

    /** Milliseconds left; {@link Long#MAX_VALUE} for {@link #none()}. */
    public long remainingMillis() {
        return remainingMillis.getAsLong();
    }

    /** Whether this deadline can run out at all. */
    public boolean bounded() {
        return this != NONE;
    }
}
