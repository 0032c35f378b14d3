package io.switchboard.tests.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The load benchmark's short version in the normal build: 50 WebSocket connections with exact and wildcard
 * subscriptions, 5 s of publishes over HTTP and WebSocket at 10/s, on a gateway in this JVM. Asserts the delivery
 * accounting only (nothing missing, duplicated, reordered within a publish or unexpected); timing is the
 * benchmark's business ({@code bin/bench local-load}), never a test's.
 */
class LocalLoadSmokeTest {

    @TempDir
    Path tls;

    @Test
    void fiftySubscribers_fiveSeconds_everyDeliveryAccountedFor() throws Exception {
        LocalLoadBenchmark.Settings settings = LocalLoadBenchmark.settings("smoke", null, null, null, 200);
        try (LoadTarget target = LoadTarget.inProcess(BenchSupport.root().resolve("template.yaml"), tls)) {
            LocalLoadBenchmark.Outcome outcome = LocalLoadBenchmark.run(target, settings);
            System.out.println(outcome.report());
            LoadClients.Accounting a = outcome.accounting();

            assertEquals(50, a.publishes(), outcome.report());
            assertEquals(0, a.publishFailures(), outcome.report());
            assertTrue(a.expected() > 50 * 5, "every publish reaches several subscriptions: " + outcome.report());
            assertEquals(a.expected(), a.received(), outcome.report());
            assertEquals(0, a.missing(), outcome.report());
            assertEquals(0, a.duplicates(), outcome.report());
            assertEquals(0, a.outOfOrder(), outcome.report());
            assertEquals(0, a.unexpected(), outcome.report());
            assertEquals(0, a.unparsed(), outcome.report());
        }
    }
}
