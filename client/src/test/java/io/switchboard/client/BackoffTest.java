package io.switchboard.client;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class BackoffTest {

    @Test
    void delayMillis_isJitteredBetweenHalfAndAllOfTheCappedExponential() {
        Backoff backoff = new Backoff(Duration.ofMillis(200), Duration.ofSeconds(10));
        long[] ceilings = {200, 400, 800, 1600, 3200, 6400, 10_000, 10_000, 10_000};
        for (int attempt = 1; attempt <= ceilings.length; attempt++) {
            long ceiling = ceilings[attempt - 1];
            long min = Long.MAX_VALUE;
            long max = 0;
            for (int i = 0; i < 200; i++) {
                long delay = backoff.delayMillis(attempt);
                assertTrue(delay >= ceiling / 2 && delay <= ceiling, "attempt " + attempt + ": " + delay);
                min = Math.min(min, delay);
                max = Math.max(max, delay);
            }
            assertTrue(max > min, "attempt " + attempt + " is not jittered");
        }
        assertTrue(backoff.delayMillis(1_000_000) <= 10_000);
    }
}
