package io.switchboard.core.engine;

import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * AppSync's "rate of publish requests per client connection" (25 per second, protocol.md §7.1) as one token bucket
 * per WebSocket connection: {@code rate} tokens a second, at most {@code rate} in the bucket (one second's burst),
 * one per publish frame. A publish that finds the bucket empty is refused with {@code LimitExceededError}; the
 * connection stays open.
 *
 * <p><b>Scope: per function instance.</b> The buckets live in the memory of the engine that handles the frame. API
 * Gateway may spread one connection's frames over several warm Lambda instances, so a client can get up to
 * {@code rate} × (instances serving it) publishes a second through; in practice a connection's frames arrive one at
 * a time and mostly land on one instance. A store-backed bucket would hold the limit exactly but cost a DynamoDB
 * write per publish; API Gateway's per-route throttling ({@code ThrottlingRateLimit}) bounds the total either way.
 * Buckets of connections idle for a while are dropped, so memory stays bounded by the connections active on this
 * instance.
 */
final class PublishRateLimiter {
    private static final long IDLE_NANOS = 60_000_000_000L;
    private static final int SWEEP_ABOVE = 10_000;

    private final int rate;
    private final LongSupplier nanoTime;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    private static final class Bucket {
        double tokens;
        long refilledAt;

        Bucket(double tokens, long refilledAt) {
            this.tokens = tokens;
            this.refilledAt = refilledAt;
        }
    }

    /** @param rate publishes per second per connection; 0 disables the limit */
    PublishRateLimiter(int rate, LongSupplier nanoTime) {
        this.rate = rate;
        this.nanoTime = nanoTime;
    }

    int rate() {
        return rate;
    }

    /** Takes one token from the connection's bucket; {@code false} when it is empty (the publish is refused). */
    boolean tryAcquire(String connectionId) {
        if (rate <= 0) {
            return true;
        }
        long now = nanoTime.getAsLong();
        if (buckets.size() > SWEEP_ABOVE) {
            sweep(now);
        }
        Bucket bucket = buckets.computeIfAbsent(connectionId, id -> new Bucket(rate, now));
        synchronized (bucket) {
            double refill = (now - bucket.refilledAt) / 1e9 * rate;
            bucket.tokens = Math.min(rate, bucket.tokens + Math.max(0, refill));
            bucket.refilledAt = now;
            if (bucket.tokens >= 1) {
                bucket.tokens -= 1;
                return true;
            }
            return false;
        }
    }

    /** Forgets a connection (on {@code $disconnect}). */
    void forget(String connectionId) {
        buckets.remove(connectionId);
    }

    int tracked() {
        return buckets.size();
    }

    private void sweep(long now) {
        for (Iterator<Bucket> it = buckets.values().iterator(); it.hasNext(); ) {
            Bucket bucket = it.next();
            synchronized (bucket) {
                if (now - bucket.refilledAt > IDLE_NANOS) {
                    it.remove();
                }
            }
        }
    }
}
