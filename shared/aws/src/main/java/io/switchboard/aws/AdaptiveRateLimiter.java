package io.switchboard.aws;

import java.util.concurrent.locks.LockSupport;

/**
 * Paces one function instance's {@code @connections} calls so that all instances together stay close to the
 * account's throttle instead of collapsing under retries. API Gateway allows 10,000 requests per second (burst
 * 5,000) for the whole account and no instance knows how many others are sending, so each one adapts, as TCP does:
 * calls are spaced at the current rate; every 100 ms window without a 429 the rate grows by 10 %, and by at least
 * {@code maxRate / 200} so that an instance cut far down recovers within about a second once others finish (when
 * the window actually used at least half of it), and a window with any 429 cuts it to 70 % of what was really sent.
 * The rate never exceeds {@code maxRate} (the account's quota: one instance alone may use all of it) nor falls below
 * {@code minRate}. Thread-safe; callers block in {@link #acquire()} for at most one interval.
 */
final class AdaptiveRateLimiter {
    private static final long WINDOW_NANOS = 100_000_000L;
    private static final double INCREASE = 1.10;
    private static final double DECREASE = 0.70;

    private final double maxRate;
    private final double minRate;
    private final double step;
    private double rate;
    private long nextFreeNanos;
    private long windowStart = System.nanoTime();
    private int windowPermits;
    private boolean windowThrottled;

    AdaptiveRateLimiter(double maxRate, double minRate) {
        if (!(maxRate > 0) || !(minRate > 0) || minRate > maxRate) {
            throw new IllegalArgumentException("need 0 < minRate <= maxRate, got " + minRate + ", " + maxRate);
        }
        this.maxRate = maxRate;
        this.minRate = minRate;
        this.rate = maxRate;
        this.step = maxRate / 200;
    }

    /** Waits for this caller's slot; {@code false} when interrupted while waiting. */
    boolean acquire() {
        long wait;
        synchronized (this) {
            long now = System.nanoTime();
            roll(now);
            long slot = Math.max(now, nextFreeNanos);
            nextFreeNanos = slot + (long) (1e9 / rate);
            windowPermits++;
            wait = slot - now;
        }
        if (wait > 0) {
            LockSupport.parkNanos(wait);
            return !Thread.currentThread().isInterrupted();
        }
        return true;
    }

    /** A call was throttled (429): the current window cuts the rate when it closes. */
    synchronized void onThrottled() {
        windowThrottled = true;
    }

    /** The current rate, calls per second. */
    synchronized double rate() {
        return rate;
    }

    private void roll(long now) {
        long elapsed = now - windowStart;
        if (elapsed < WINDOW_NANOS) {
            return;
        }
        double used = windowPermits * 1e9 / elapsed;
        if (windowThrottled) {
            rate = Math.max(minRate, Math.min(rate, used) * DECREASE);
        } else if (used >= rate * 0.5) {
            rate = Math.min(maxRate, Math.max(rate * INCREASE, rate + step));
        }
        windowStart = now;
        windowPermits = 0;
        windowThrottled = false;
    }
}
