package io.switchboard.core.engine;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.core.config.SwitchboardConfig;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The per-connection WebSocket publish limit (AppSync: 25 per second per connection, protocol.md §7.1). */
class PublishRateLimitTest {

    @Test
    void bucket_allowsOneSecondsBurst_thenRefillsAtTheRate() {
        AtomicLong now = new AtomicLong(1_000_000_000L);
        PublishRateLimiter limiter = new PublishRateLimiter(25, now::get);
        for (int i = 0; i < 25; i++) {
            assertTrue(limiter.tryAcquire("c1"), "publish " + i + " of the burst");
        }
        assertFalse(limiter.tryAcquire("c1"), "the 26th within the same instant");
        assertTrue(limiter.tryAcquire("c2"), "other connections have their own bucket");
        now.addAndGet(40_000_000L); // 40 ms = one token at 25/s
        assertTrue(limiter.tryAcquire("c1"));
        assertFalse(limiter.tryAcquire("c1"));
        now.addAndGet(10_000_000_000L); // a long pause refills to one second's burst, not more
        for (int i = 0; i < 25; i++) {
            assertTrue(limiter.tryAcquire("c1"));
        }
        assertFalse(limiter.tryAcquire("c1"));
    }

    @Test
    void sustainedRate_isTheConfiguredOne() {
        AtomicLong now = new AtomicLong();
        PublishRateLimiter limiter = new PublishRateLimiter(25, now::get);
        int accepted = 0;
        for (int ms = 0; ms < 10_000; ms++) { // a client trying 1,000 publishes a second for 10 s
            now.set(ms * 1_000_000L);
            if (limiter.tryAcquire("c")) {
                accepted++;
            }
        }
        assertTrue(accepted >= 25 * 10 && accepted <= 25 * 11, "accepted " + accepted); // burst + 25/s
    }

    @Test
    void zero_disablesTheLimit_andDisconnectForgetsTheBucket() {
        PublishRateLimiter off = new PublishRateLimiter(0, System::nanoTime);
        for (int i = 0; i < 1000; i++) {
            assertTrue(off.tryAcquire("c"));
        }
        PublishRateLimiter on = new PublishRateLimiter(5, () -> 0L);
        on.tryAcquire("gone");
        assertEquals(1, on.tracked());
        on.forget("gone");
        assertEquals(0, on.tracked());
    }

    @Test
    void engine_answersLimitExceededError_andTheConnectionKeepsWorking() {
        EngineFixture f = new EngineFixture(Map.of("SWITCHBOARD_MAX_PUBLISHES_PER_SECOND", "3"));
        ConnectionAuth auth = f.open("c1");
        for (int i = 0; i < 3; i++) {
            assertEquals("publish_success", EngineFixture.json(f.one("c1", auth,
                EngineFixture.publish("p" + i, "/default/a", "1"))).path("type").asText());
        }
        JsonNode refused = EngineFixture.json(f.one("c1", auth, EngineFixture.publish("p3", "/default/a", "1")));
        assertEquals("publish_error", refused.path("type").asText());
        assertEquals("p3", refused.path("id").asText());
        assertEquals("LimitExceededError", refused.path("errors").get(0).path("errorType").asText());
        assertEquals("Rate exceeded: at most 3 publish requests per second on one connection; slow down and retry",
            refused.path("errors").get(0).path("message").asText());
        // subscribing is not a publish; HTTP publishes are not per connection
        assertEquals("subscribe_success", EngineFixture.json(f.one("c1", auth,
            EngineFixture.subscribe("s1", "/default/a"))).path("type").asText());
        assertEquals(200, f.engine.publishHttp(Map.of("x-api-key", EngineFixture.KEY),
            "{\"channel\":\"/default/a\",\"events\":[\"1\"]}").status());
        // another connection is not affected
        ConnectionAuth other = f.open("c2");
        assertEquals("publish_success", EngineFixture.json(f.one("c2", other,
            EngineFixture.publish("q", "/default/a", "1"))).path("type").asText());
    }

    @Test
    void config_defaultIs25_zeroAllowed_negativeRefused() {
        assertEquals(25, SwitchboardConfig.from(Map.<String, String>of()::get).maxPublishesPerSecond());
        assertEquals(0, SwitchboardConfig.from(Map.of("SWITCHBOARD_MAX_PUBLISHES_PER_SECOND", "0")::get).maxPublishesPerSecond());
        assertThrows(IllegalArgumentException.class,
            () -> SwitchboardConfig.from(Map.of("SWITCHBOARD_MAX_PUBLISHES_PER_SECOND", "-1")::get));
        assertTrue(SwitchboardConfig.VARIABLES.contains("SWITCHBOARD_MAX_PUBLISHES_PER_SECOND"));
    }
}
