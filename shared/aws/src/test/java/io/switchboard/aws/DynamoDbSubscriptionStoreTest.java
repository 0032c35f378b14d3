package io.switchboard.aws;

import io.switchboard.core.channel.ChannelPath;
import io.switchboard.core.channel.ChannelPattern;
import io.switchboard.core.spi.ConnectionRecord;
import io.switchboard.core.spi.SubscriptionRejectedException;
import io.switchboard.core.spi.SubscriptionStore;
import io.switchboard.core.spi.SubscriptionStoreContract;
import io.switchboard.testing.Dynalite;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The store contract against {@link DynamoDbSubscriptionStore} on dynalite, one fresh table per test, with query
 * pages of {@value #PAGE_SIZE} items so that pagination runs everywhere; plus the data model on the raw items and
 * the DynamoDB calls each operation costs.
 */
class DynamoDbSubscriptionStoreTest extends SubscriptionStoreContract {

    private static final int PAGE_SIZE = 5;
    private static final AtomicInteger TABLES = new AtomicInteger();
    private static final OperationCounter CALLS = new OperationCounter();

    private static Dynalite dynalite;
    private static DynamoDbClient client;
    private static ExecutorService queryThreads;

    private String table;

    @BeforeAll
    static void startDynalite() {
        dynalite = Dynalite.start();
        client = TestClients.dynamoDb(dynalite.endpoint(), CALLS);
        queryThreads = TestClients.queryThreads();
    }

    @AfterAll
    static void stopDynalite() {
        if (client != null) {
            client.close();
        }
        if (queryThreads != null) {
            queryThreads.shutdownNow();
        }
        if (dynalite != null) {
            dynalite.close();
        }
    }

    @Override
    protected SubscriptionStore newStore() {
        table = "subscriptions-" + TABLES.incrementAndGet();
        DynamoDbTables.createIfMissing(client, table);
        return new DynamoDbSubscriptionStore(client, table, Clock.systemUTC(), queryThreads, PAGE_SIZE);
    }

    @AfterEach
    void neverScans() {
        assertEquals(0, CALLS.total("Scan"), "a Scan was issued");
    }

    @Override
    protected OptionalLong connectionExpiry(String connectionId) {
        return ttlOf(rawItem(connectionId, "META"));
    }

    @Override
    protected OptionalLong subscriptionExpiry(String connectionId, String subscriptionId) {
        return ttlOf(rawItem(connectionId, "S#" + subscriptionId));
    }

    // --- the data model --------------------------------------------------------------------------------------------

    @Test
    void putConnection_writesTheConnectionItem() {
        store.putConnection(new ConnectionRecord("c1", CONNECTED_AT, Map.of("authMode", "API_KEY", "sub", "user-1")));

        Map<String, AttributeValue> item = rawItem("c1", "META");
        assertEquals(Set.of("pk", "sk", "connectedAt", "subCount", "attrs", "gsi2pk", "gsi2sk", "ttl"), item.keySet());
        assertEquals("C#c1", item.get("pk").s());
        assertEquals("CONNS#" + Math.floorMod("c1".hashCode(), DynamoDbSubscriptionStore.CONNECTION_SHARDS),
            item.get("gsi2pk").s());
        assertEquals("c1", item.get("gsi2sk").s());
        assertEquals(Long.toString(CONNECTED_AT), item.get("connectedAt").n());
        assertEquals("0", item.get("subCount").n());
        assertEquals(Map.of("authMode", AttributeValue.fromS("API_KEY"), "sub", AttributeValue.fromS("user-1")),
            item.get("attrs").m());
        assertEquals(Long.toString(CONNECTED_AT / 1000 + 7800), item.get("ttl").n());
    }

    @Test
    void addSubscription_writesTheSubscriptionItemAndCounts() {
        connect("c1");
        subscribe("c1", "s1", "/chat/*");
        subscribe("c1", "s2", "/chat/room1");

        Map<String, AttributeValue> item = rawItem("c1", "S#s1");
        assertEquals(Set.of("pk", "sk", "pattern", "gsi1pk", "gsi1sk", "ttl"), item.keySet());
        assertEquals("/chat/*", item.get("pattern").s());
        assertEquals("CH#/chat/*", item.get("gsi1pk").s());
        assertEquals("c1#s1", item.get("gsi1sk").s());
        assertEquals(Long.toString(CONNECTED_AT / 1000 + 7800), item.get("ttl").n());
        assertEquals("2", rawItem("c1", "META").get("subCount").n());

        store.removeSubscription("c1", "s1");
        assertEquals("1", rawItem("c1", "META").get("subCount").n());
    }

    @Test
    void putConnection_withoutConnectTime_expiresFromTheClock() {
        Clock clock = Clock.fixed(Instant.parse("2026-03-01T10:00:00.900Z"), ZoneOffset.UTC);
        store = new DynamoDbSubscriptionStore(client, table, clock, queryThreads);

        store.putConnection(new ConnectionRecord("c1", 0, Map.of()));

        assertEquals(OptionalLong.of(clock.instant().getEpochSecond() + 7800), connectionExpiry("c1"));
    }

    @Test
    void addSubscription_idWithHash_isRefused() {
        connect("c1");

        assertThrows(IllegalArgumentException.class,
            () -> store.addSubscription("c1", "a#b", ChannelPattern.parse("/chat/*"), DEFAULT_LIMIT));
    }

    // --- what each operation costs ---------------------------------------------------------------------------------

    @Test
    void putConnection_costsOnePut() {
        Map<String, Long> before = CALLS.snapshot();

        connect("c1");

        assertEquals(Map.of("PutItem", 1L), CALLS.since(before));
    }

    @Test
    void addSubscription_success_costsTwoWrites() {
        connect("c1");
        Map<String, Long> before = CALLS.snapshot();

        subscribe("c1", "s1", "/chat/*");

        assertEquals(Map.of("UpdateItem", 1L, "PutItem", 1L), CALLS.since(before));
    }

    @Test
    void addSubscription_rejected_costsThreeCallsOrFewer() {
        connect("c1");
        store.addSubscription("c1", "s1", ChannelPattern.parse("/a/*"), 2);

        Map<String, Long> before = CALLS.snapshot();
        assertRejected(SubscriptionRejectedException.Reason.DUPLICATE_ID,
            () -> store.addSubscription("c1", "s1", ChannelPattern.parse("/a/*"), 2));
        assertEquals(Map.of("UpdateItem", 2L, "PutItem", 1L), CALLS.since(before), "count, put, give back");

        store.addSubscription("c1", "s2", ChannelPattern.parse("/a/*"), 2);
        before = CALLS.snapshot();
        assertRejected(SubscriptionRejectedException.Reason.LIMIT_REACHED,
            () -> store.addSubscription("c1", "s3", ChannelPattern.parse("/a/*"), 2));
        // dynalite ignores ReturnValuesOnConditionCheckFailure, so the store reads the connection item; DynamoDB
        // returns it with the failure and the store skips that read.
        assertEquals(Map.of("UpdateItem", 1L, "GetItem", 2L), CALLS.since(before), "count, connection?, duplicate?");

        before = CALLS.snapshot();
        assertRejected(SubscriptionRejectedException.Reason.UNKNOWN_CONNECTION,
            () -> store.addSubscription("ghost", "s1", ChannelPattern.parse("/a/*"), 2));
        assertEquals(Map.of("UpdateItem", 1L, "GetItem", 1L), CALLS.since(before), "count, connection?");
    }

    @Test
    void removeSubscription_costsOneDeleteAndOneCounterUpdate() {
        connect("c1");
        subscribe("c1", "s1", "/chat/*");
        Map<String, Long> before = CALLS.snapshot();

        store.removeSubscription("c1", "s1");
        assertEquals(Map.of("DeleteItem", 1L, "UpdateItem", 1L), CALLS.since(before));

        before = CALLS.snapshot();
        store.removeSubscription("c1", "s1");
        assertEquals(Map.of("DeleteItem", 1L), CALLS.since(before));
    }

    @Test
    void findSubscribers_threeLevelChannel_costsOneQueryPerPattern() {
        connect("c1");
        subscribe("c1", "exact", "/a/b/c");
        subscribe("c1", "level2", "/a/b/*");
        subscribe("c1", "level1", "/a/*");
        Map<String, Long> before = CALLS.snapshot();

        assertEquals(3, store.findSubscribers(ChannelPath.parse("/a/b/c")).size());

        assertEquals(Map.of("Query", 3L), CALLS.since(before));
    }

    @Test
    void findSubscribers_patternSpanningThreePages_costsTwoMoreQueries() {
        for (int c = 0; c < 3; c++) {
            connect("c" + c);
            for (int s = 0; s < 4; s++) {
                subscribe("c" + c, "s" + s, "/a/b/*");
            }
        }
        Map<String, Long> before = CALLS.snapshot();

        // 12 subscriptions on /a/b/* in pages of 5: 3 queries; /a/b/c and /a/* one each.
        assertEquals(12, store.findSubscribers(ChannelPath.parse("/a/b/c")).size());

        assertEquals(Map.of("Query", 5L), CALLS.since(before));
    }

    @Test
    void removeConnection_costsQueriesAndBatchDeletesOnly() {
        connect("c1");
        for (int i = 0; i < 30; i++) {
            subscribe("c1", "s" + i, "/room/" + i);
        }
        Map<String, Long> before = CALLS.snapshot();

        store.removeConnection("c1");

        // 31 items in pages of 5: 7 queries; deletes in batches of 25: 2 calls.
        assertEquals(Map.of("Query", 7L, "BatchWriteItem", 2L), CALLS.since(before));
        assertTrue(client.query(q -> q.tableName(table).keyConditionExpression("pk = :pk")
            .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS("C#c1")))).items().isEmpty());
    }

    @Test
    void forEachConnection_allShards_costsOneQueryPerIndexPartitionPlusPages() {
        for (int i = 0; i < 40; i++) {
            connect("c" + i);
        }
        Map<String, Long> before = CALLS.snapshot();

        List<String> all = walk(0, 1);

        assertEquals(40, all.size());
        // 16 partitions of gsi2, each one query, plus one more per full page of 5 (the last page of a partition
        // holding a multiple of 5 needs one more, empty, query).
        long queries = CALLS.since(before).get("Query");
        assertTrue(queries >= DynamoDbSubscriptionStore.CONNECTION_SHARDS && queries <= 16 + 40 / PAGE_SIZE + 16,
            "queries: " + queries);
        assertEquals(Set.of("Query"), CALLS.since(before).keySet(), "only queries: " + CALLS.since(before));
    }

    @Test
    void forEachConnection_oneShardOfFour_queriesOnlyItsIndexPartitions() {
        connect("c1");
        Map<String, Long> before = CALLS.snapshot();

        walk(1, 4);

        assertEquals(Map.of("Query", (long) DynamoDbSubscriptionStore.CONNECTION_SHARDS / 4), CALLS.since(before));
    }

    @Test
    void removeConnection_unknownId_costsOneQueryAndNoWrite() {
        Map<String, Long> before = CALLS.snapshot();

        store.removeConnection("ghost");

        assertEquals(Map.of("Query", 1L), CALLS.since(before));
    }

    /** The contract's large case on a store as production builds it: the server's own 1 MB pages, the shared pool. */
    @Override
    @Test
    protected void findSubscribers_largeAudienceWithLongIds_returnsEveryone() throws Exception {
        store = new DynamoDbSubscriptionStore(client, table, Clock.systemUTC());
        Map<String, Long> before = CALLS.snapshot();

        super.findSubscribers_largeAudienceWithLongIds_returnsEveryone();

        Map<String, Long> calls = CALLS.since(before);
        System.out.println("[calls] 3200 subscriptions with long ids on /stadium/*, lookup of /stadium/north/gate1: "
            + calls);
        assertEquals(3200L, calls.get("UpdateItem"));
        assertEquals(3216L, calls.get("PutItem"));
        // Three patterns; /stadium/* alone needs more than one 1 MB page.
        assertTrue(calls.get("Query") >= 4, calls.toString());
    }

    // --- helpers ---------------------------------------------------------------------------------------------------

    private Map<String, AttributeValue> rawItem(String connectionId, String sk) {
        return client.getItem(g -> g.tableName(table).consistentRead(true)
            .key(Map.of("pk", AttributeValue.fromS("C#" + connectionId), "sk", AttributeValue.fromS(sk)))).item();
    }

    private static OptionalLong ttlOf(Map<String, AttributeValue> item) {
        AttributeValue ttl = item.get("ttl");
        return ttl == null ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(ttl.n()));
    }
}
