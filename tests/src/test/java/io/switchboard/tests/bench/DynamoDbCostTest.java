package io.switchboard.tests.bench;

import io.switchboard.aws.DynamoDbSubscriptionStore;
import io.switchboard.testing.Dynalite;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The DynamoDB bounds of each operation, on the real store and dynalite ({@link DynamoDbCostBenchmark}): publish
 * runs at most one query per pattern level (plus pages), nothing ever scans, subscribe makes at most two writes.
 * Writes the measured table to {@code target/bench/dynamodb.md} on the way.
 */
class DynamoDbCostTest {
    private static Dynalite dynalite;
    private static DynamoDbCostBenchmark.Result result;

    @BeforeAll
    static void measure() {
        dynalite = Dynalite.start();
        result = DynamoDbCostBenchmark.measure(dynalite.endpoint(), 100);
        BenchSupport.write(BenchSupport.output("dynamodb.md"), DynamoDbCostBenchmark.markdown(result));
    }

    @AfterAll
    static void stop() {
        if (dynalite != null) {
            dynalite.close();
        }
    }

    @Test
    void noOperation_everScans() {
        for (DynamoDbCostBenchmark.Row row : result.rows()) {
            assertEquals(0, row.usage().calls("Scan"), row.operation() + ": " + row.callsText());
        }
    }

    @Test
    void publish_queriesOncePerPatternLevel_andReadsNothingElse() {
        assertPublish("publish.1.0", 1);
        assertPublish("publish.1.1", 1);
        assertPublish("publish.1.N", 2);      // 100 entries fit one 1 MB page
        assertPublish("publish.5.0", 5);
        assertPublish("publish.5.5", 5);
        assertPublish("publish.5.N", 5);
    }

    @Test
    void subscribe_writesTwiceAtMost_andReadsNothing() {
        DynamoDbCostBenchmark.Row subscribe = result.row("subscribe");
        assertTrue(subscribe.usage().writeCalls() <= 2L * subscribe.count(), subscribe.callsText());
        assertEquals(0, subscribe.usage().readCalls(), subscribe.callsText());
        assertEquals(3.0, subscribe.write(), 1e-9, "counter update + subscription item + its gsi1 entry");
    }

    @Test
    void connectAndDisconnect_costWhatTheDataModelSays() {
        DynamoDbCostBenchmark.Row connect = result.row("connect");
        assertEquals(1.0, connect.calls("PutItem"), 1e-9, connect.callsText());
        assertEquals(2.0, connect.write(), 1e-9, "connection item + its gsi2 entry");
        DynamoDbCostBenchmark.Row disconnect = result.row("disconnect.5");
        assertEquals(1.0, disconnect.calls("Query"), 1e-9, disconnect.callsText());
        assertEquals(1.0, disconnect.calls("BatchWriteItem"), 1e-9, disconnect.callsText());
        assertEquals(12.0, disconnect.write(), 1e-9, "6 items deleted, each with its index entry");
        DynamoDbCostBenchmark.Row unsubscribe = result.row("unsubscribe");
        assertEquals(3.0, unsubscribe.write(), 1e-9, unsubscribe.callsText());
    }

    @Test
    void keepAliveWalk_queriesEachConnectionShardOnce_forAFewHundredConnections() {
        DynamoDbCostBenchmark.Row walk = result.row("keepalive.walk");
        assertEquals(DynamoDbSubscriptionStore.CONNECTION_SHARDS, walk.usage().calls("Query"), walk.callsText());
        assertEquals(walk.usage().calls("Query"), walk.usage().readCalls(), walk.callsText());
    }

    private static void assertPublish(String key, int levels) {
        DynamoDbCostBenchmark.Row row = result.row(key);
        assertEquals(levels, row.calls("Query"), 1e-9, row.operation() + ": " + row.callsText());
        assertEquals(row.usage().calls("Query"), row.usage().readCalls() + row.usage().writeCalls(), row.callsText());
    }
}
