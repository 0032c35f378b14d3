package io.switchboard.client;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/** Jittered exponential backoff: attempt n waits a random time between half and all of min(cap, base·2ⁿ⁻¹). */
final class Backoff {

    private final long baseMillis;
    private final long capMillis;

    Backoff(Duration base, Duration cap) {
        this.baseMillis = Math.max(1, base.toMillis());
        this.capMillis = Math.max(baseMillis, cap.toMillis());
    }

    /** The delay before reconnect attempt {@code attempt} (1 for the first retry). */
    long delayMillis(int attempt) {
        long ceiling = baseMillis;
        for (int i = 1; i < attempt && ceiling < capMillis; i++) {
            ceiling *= 2;
        }
        ceiling = Math.min(ceiling, capMillis);
        long half = ceiling / 2;
        return half + ThreadLocalRandom.current().nextLong(ceiling - half + 1);
    }
}
