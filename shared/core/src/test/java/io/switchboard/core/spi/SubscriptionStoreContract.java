package io.switchboard.core.spi;

import io.switchboard.core.channel.ChannelPath;
import io.switchboard.core.channel.ChannelPattern;
import io.switchboard.core.spi.SubscriptionRejectedException.Reason;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The behaviour every {@link SubscriptionStore} must show, run against each implementation by a subclass that says
 * how to make a fresh, empty store. Each test gets its own store.
 */
public abstract class SubscriptionStoreContract {

    /** The protocol's per-connection limit. */
    protected static final int DEFAULT_LIMIT = 200;
    protected static final long CONNECTED_AT = 1_767_225_600_123L; // 2026-01-01T00:00:00.123Z
    /** API Gateway's 2 h maximum connection time plus 10 minutes of slack. */
    protected static final long EXPIRY_SECONDS = 2 * 3600 + 10 * 60;

    protected SubscriptionStore store;

    /** A new store that holds nothing. */
    protected abstract SubscriptionStore newStore();

    /** When the store lets the connection item expire (epoch seconds); empty when it keeps no expiry. */
    protected OptionalLong connectionExpiry(String connectionId) {
        return OptionalLong.empty();
    }

    /** When the store lets the subscription item expire (epoch seconds); empty when it keeps no expiry. */
    protected OptionalLong subscriptionExpiry(String connectionId, String subscriptionId) {
        return OptionalLong.empty();
    }

    @BeforeEach
    void createStore() {
        store = newStore();
    }

    // --- subscribe and unsubscribe -------------------------------------------------------------------------------

    @Test
    void addSubscription_exactChannel_isFoundByPublish() {
        connect("c1");
        subscribe("c1", "s1", "/chat/room1");

        assertEquals(List.of(new Subscriber("c1", "s1")), find("/chat/room1"));
        assertEquals(List.of(), find("/chat/room2"));
    }

    @Test
    void removeSubscription_existing_returnsTrueAndStopsDelivery() {
        connect("c1");
        subscribe("c1", "s1", "/chat/room1");
        subscribe("c1", "s2", "/chat/*");

        assertTrue(store.removeSubscription("c1", "s1"));

        assertEquals(List.of(new Subscriber("c1", "s2")), find("/chat/room1"));
    }

    @Test
    void removeSubscription_twice_returnsFalseTheSecondTime() {
        connect("c1");
        subscribe("c1", "s1", "/chat/room1");

        assertTrue(store.removeSubscription("c1", "s1"));
        assertFalse(store.removeSubscription("c1", "s1"));
    }

    @Test
    void removeSubscription_unknownIdOrConnection_returnsFalse() {
        connect("c1");

        assertFalse(store.removeSubscription("c1", "nope"));
        assertFalse(store.removeSubscription("unknown", "s1"));
    }

    @Test
    void removeSubscription_atTheLimit_freesOneSlot() {
        connect("c1");
        for (int i = 0; i < 3; i++) {
            store.addSubscription("c1", "s" + i, ChannelPattern.parse("/a/" + i), 3);
        }
        assertRejected(Reason.LIMIT_REACHED, () -> store.addSubscription("c1", "s3", ChannelPattern.parse("/a/3"), 3));

        assertTrue(store.removeSubscription("c1", "s1"));

        store.addSubscription("c1", "s3", ChannelPattern.parse("/a/3"), 3);
        assertRejected(Reason.LIMIT_REACHED, () -> store.addSubscription("c1", "s4", ChannelPattern.parse("/a/4"), 3));
    }

    @Test
    void addSubscription_sameIdAfterRemove_isAccepted() {
        connect("c1");
        subscribe("c1", "s1", "/chat/room1");
        store.removeSubscription("c1", "s1");

        subscribe("c1", "s1", "/chat/room2");

        assertEquals(List.of(), find("/chat/room1"));
        assertEquals(List.of(new Subscriber("c1", "s1")), find("/chat/room2"));
    }

    // --- duplicate ids ---------------------------------------------------------------------------------------------

    @Test
    void addSubscription_duplicateId_isRejectedAndKeepsTheFirst() {
        connect("c1");
        subscribe("c1", "s1", "/chat/room1");

        SubscriptionRejectedException e = assertRejected(Reason.DUPLICATE_ID,
            () -> store.addSubscription("c1", "s1", ChannelPattern.parse("/chat/room2"), DEFAULT_LIMIT));

        assertTrue(e.getMessage().contains("s1"), e.getMessage());
        assertEquals(List.of(new Subscriber("c1", "s1")), find("/chat/room1"));
        assertEquals(List.of(), find("/chat/room2"));
    }

    @Test
    void addSubscription_duplicateId_doesNotUseASlot() {
        connect("c1");
        store.addSubscription("c1", "s1", ChannelPattern.parse("/a/1"), 3);
        store.addSubscription("c1", "s2", ChannelPattern.parse("/a/2"), 3);
        for (int i = 0; i < 3; i++) {
            assertRejected(Reason.DUPLICATE_ID, () -> store.addSubscription("c1", "s1", ChannelPattern.parse("/a/1"), 3));
        }

        store.addSubscription("c1", "s3", ChannelPattern.parse("/a/3"), 3);
        assertRejected(Reason.LIMIT_REACHED, () -> store.addSubscription("c1", "s4", ChannelPattern.parse("/a/4"), 3));
    }

    @Test
    void addSubscription_duplicateIdAtTheLimit_reportsTheDuplicate() {
        connect("c1");
        for (int i = 0; i < 3; i++) {
            store.addSubscription("c1", "s" + i, ChannelPattern.parse("/a/" + i), 3);
        }

        assertRejected(Reason.DUPLICATE_ID, () -> store.addSubscription("c1", "s0", ChannelPattern.parse("/a/0"), 3));
    }

    @Test
    void addSubscription_sameIdOnAnotherConnection_isAccepted() {
        connect("c1");
        connect("c2");
        subscribe("c1", "s1", "/chat/room1");
        subscribe("c2", "s1", "/chat/room1");

        assertEquals(Set.of(new Subscriber("c1", "s1"), new Subscriber("c2", "s1")), Set.copyOf(find("/chat/room1")));
    }

    // --- the per-connection limit ----------------------------------------------------------------------------------

    @Test
    void addSubscription_beyondASmallLimit_isRejected() {
        connect("c1");
        for (int i = 0; i < 3; i++) {
            store.addSubscription("c1", "s" + i, ChannelPattern.parse("/a/*"), 3);
        }

        SubscriptionRejectedException e = assertRejected(Reason.LIMIT_REACHED,
            () -> store.addSubscription("c1", "s3", ChannelPattern.parse("/a/*"), 3));
        assertTrue(e.getMessage().contains("3"), e.getMessage());
        assertRejected(Reason.LIMIT_REACHED, () -> store.addSubscription("c1", "s4", ChannelPattern.parse("/a/*"), 3));

        assertEquals(3, find("/a/b").size());
    }

    @Test
    void addSubscription_limitIsPerConnection() {
        connect("c1");
        connect("c2");
        for (int i = 0; i < 3; i++) {
            store.addSubscription("c1", "s" + i, ChannelPattern.parse("/a/*"), 3);
        }

        store.addSubscription("c2", "s0", ChannelPattern.parse("/a/*"), 3);

        assertEquals(4, find("/a/b").size());
    }

    @Test
    void addSubscription_theProtocolLimitOf200_rejectsThe201st() {
        connect("c1");
        for (int i = 0; i < DEFAULT_LIMIT; i++) {
            subscribe("c1", "s" + i, "/limit/" + i);
        }

        assertRejected(Reason.LIMIT_REACHED,
            () -> store.addSubscription("c1", "s200", ChannelPattern.parse("/limit/200"), DEFAULT_LIMIT));

        assertEquals(List.of(new Subscriber("c1", "s199")), find("/limit/199"));
        assertEquals(List.of(), find("/limit/200"));
    }

    @Test
    void addSubscription_concurrentlyBeyondTheLimit_admitsExactlyTheLimit() throws Exception {
        connect("c1");
        List<Reason> outcomes = race(20, i -> () -> store.addSubscription("c1", "s" + i, ChannelPattern.parse("/r/*"), 5));

        assertEquals(5, Collections.frequency(outcomes, null), outcomes.toString());
        assertEquals(15, Collections.frequency(outcomes, Reason.LIMIT_REACHED), outcomes.toString());
        assertEquals(5, find("/r/x").size());
    }

    @Test
    void addSubscription_sameIdConcurrently_admitsOneAndKeepsTheCountRight() throws Exception {
        connect("c1");
        List<Reason> outcomes = race(10, i -> () -> store.addSubscription("c1", "same", ChannelPattern.parse("/r/*"), 3));

        assertEquals(1, Collections.frequency(outcomes, null), outcomes.toString());
        // Under contention a rejected duplicate may see the counter full for a moment and report the limit instead.
        for (Reason r : outcomes) {
            assertTrue(r == null || r == Reason.DUPLICATE_ID || r == Reason.LIMIT_REACHED, outcomes.toString());
        }
        store.addSubscription("c1", "other1", ChannelPattern.parse("/r/*"), 3);
        store.addSubscription("c1", "other2", ChannelPattern.parse("/r/*"), 3);
        assertRejected(Reason.LIMIT_REACHED, () -> store.addSubscription("c1", "other3", ChannelPattern.parse("/r/*"), 3));
    }

    // --- unknown connections ---------------------------------------------------------------------------------------

    @Test
    void addSubscription_unknownConnection_isRejected() {
        SubscriptionRejectedException e = assertRejected(Reason.UNKNOWN_CONNECTION,
            () -> store.addSubscription("ghost", "s1", ChannelPattern.parse("/chat/room1"), DEFAULT_LIMIT));

        assertTrue(e.getMessage().contains("ghost"), e.getMessage());
        assertEquals(List.of(), find("/chat/room1"));
    }

    @Test
    void addSubscription_afterRemoveConnection_isRejectedAsUnknown() {
        connect("c1");
        subscribe("c1", "s1", "/chat/room1");
        store.removeConnection("c1");

        assertRejected(Reason.UNKNOWN_CONNECTION,
            () -> store.addSubscription("c1", "s2", ChannelPattern.parse("/chat/room1"), DEFAULT_LIMIT));
    }

    // --- matching --------------------------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0} receives {1}: {2}")
    @CsvSource({
        // exact and every wildcard level of a 3-segment channel
        "/a/b/c,     /a/b/c,     true",
        "/a/b/*,     /a/b/c,     true",
        "/a/*,       /a/b/c,     true",
        "/a/b/c/*,   /a/b/c,     false",
        "/ab/*,      /a/b/c,     false",
        "/a/b/x,     /a/b/c,     false",
        "/a/b,       /a/b/c,     false",
        "/a/bc/*,    /a/b/c,     false",
        "/b/*,       /a/b/c,     false",
        "/A/b/c,     /a/b/c,     false",
        "/a/B/*,     /a/b/c,     false",
        // one and five segments
        "/a,         /a,         true",
        "/a/*,       /a,         false",
        "/a,         /a/b,       false",
        "/a/b/c/d/e, /a/b/c/d/e, true",
        "/a/b/c/d/*, /a/b/c/d/e, true",
        "/a/b/c/*,   /a/b/c/d/e, true",
        "/a/b/*,     /a/b/c/d/e, true",
        "/a/*,       /a/b/c/d/e, true",
        "/a/b/c/d/*, /a/b/c/d,   false",
        "/a/b/c/d/e, /a/b/c/d,   false",
    })
    void findSubscribers_matchesExactAndWildcardAncestors(String pattern, String channel, boolean matches) {
        connect("c1");
        subscribe("c1", "s1", pattern);
        connect("c2");
        subscribe("c2", "unrelated", "/zzz/*");

        assertEquals(matches ? List.of(new Subscriber("c1", "s1")) : List.of(), find(channel));
    }

    @Test
    void findSubscribers_everyLevelAtOnce_listsEachMatchingSubscriptionOnce() {
        connect("c1");
        connect("c2");
        subscribe("c1", "exact", "/a/b/c");
        subscribe("c1", "level2", "/a/b/*");
        subscribe("c2", "level1", "/a/*");
        subscribe("c2", "deeper", "/a/b/c/*");
        subscribe("c2", "sibling", "/a/b/x");

        List<Subscriber> found = find("/a/b/c");

        assertEquals(Set.of(new Subscriber("c1", "exact"), new Subscriber("c1", "level2"), new Subscriber("c2", "level1")),
            Set.copyOf(found));
        assertEquals(3, found.size(), found.toString());
    }

    @Test
    void findSubscribers_twoOverlappingSubscriptionsOfOneConnection_listsBoth() {
        connect("c1");
        subscribe("c1", "wide", "/news/*");
        subscribe("c1", "narrow", "/news/sport");

        List<Subscriber> found = find("/news/sport");

        assertEquals(2, found.size(), found.toString());
        assertEquals(Set.of(new Subscriber("c1", "wide"), new Subscriber("c1", "narrow")), Set.copyOf(found));
    }

    @Test
    void findSubscribers_idsWithEverySubscriptionIdCharacter_roundTrip() {
        String connectionId = "L0SM9cOFvHcCIhw=";
        String subscriptionId = "aZ09-_+" + "x".repeat(121);
        connect(connectionId);
        subscribe(connectionId, subscriptionId, "/chat/*");

        assertEquals(List.of(new Subscriber(connectionId, subscriptionId)), find("/chat/room1"));
    }

    @Test
    void findSubscribers_audienceSpanningSeveralPages_returnsEveryone() {
        Set<Subscriber> expected = new HashSet<>();
        for (int c = 0; c < 8; c++) {
            connect("conn" + c);
            for (int s = 0; s < 6; s++) {
                subscribe("conn" + c, "sub" + s, s % 2 == 0 ? "/game/*" : "/game/table1");
                expected.add(new Subscriber("conn" + c, "sub" + s));
            }
        }

        List<Subscriber> found = find("/game/table1");

        assertEquals(expected, Set.copyOf(found));
        assertEquals(expected.size(), found.size());
    }

    /**
     * Enough subscriptions with long ids that DynamoDB's 1 MB query pages cannot hold them in one page: 16
     * connections with 200 subscriptions each, about 500 bytes per index entry. Protected so that a subclass can
     * run it on a store with other settings and count what it cost.
     */
    @Test
    protected void findSubscribers_largeAudienceWithLongIds_returnsEveryone() throws Exception {
        int connections = 16;
        Set<Subscriber> expected = ConcurrentHashMap.newKeySet();
        List<Callable<Void>> work = new ArrayList<>();
        for (int c = 0; c < connections; c++) {
            String connectionId = String.format("%03d", c) + "-" + "c".repeat(96);
            connect(connectionId);
            for (int s = 0; s < DEFAULT_LIMIT; s++) {
                String subscriptionId = String.format("%04d", s) + "-" + "s".repeat(123);
                work.add(() -> {
                    store.addSubscription(connectionId, subscriptionId, ChannelPattern.parse("/stadium/*"), DEFAULT_LIMIT);
                    expected.add(new Subscriber(connectionId, subscriptionId));
                    return null;
                });
            }
        }
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            for (Future<Void> f : pool.invokeAll(work)) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(connections * DEFAULT_LIMIT, expected.size());

        List<Subscriber> found = find("/stadium/north/gate1");

        assertEquals(expected.size(), found.size());
        assertEquals(expected, Set.copyOf(found));
    }

    // --- disconnect ------------------------------------------------------------------------------------------------

    @Test
    void removeConnection_removesAllItsSubscriptionsAndLeavesOthers() {
        connect("leaving");
        connect("staying");
        for (int i = 0; i < 30; i++) {
            subscribe("leaving", "s" + i, i % 3 == 0 ? "/room/*" : "/room/" + i);
        }
        subscribe("staying", "s0", "/room/*");
        subscribe("staying", "s1", "/room/1");

        store.removeConnection("leaving");

        assertEquals(List.of(new Subscriber("staying", "s0")), find("/room/0"));
        assertEquals(Set.of(new Subscriber("staying", "s0"), new Subscriber("staying", "s1")), Set.copyOf(find("/room/1")));
        assertEquals(List.of(new Subscriber("staying", "s0")), find("/room/2"));
        assertFalse(store.removeSubscription("leaving", "s1"));
        assertTrue(store.removeSubscription("staying", "s1"));
    }

    @Test
    void removeConnection_unknownId_isANoOp() {
        connect("c1");
        subscribe("c1", "s1", "/chat/*");

        store.removeConnection("never-connected");
        store.removeConnection("never-connected");

        assertEquals(List.of(new Subscriber("c1", "s1")), find("/chat/room1"));
        subscribe("c1", "s2", "/chat/room1");
    }

    @Test
    void removeConnection_withoutSubscriptions_forgetsTheConnection() {
        connect("c1");

        store.removeConnection("c1");
        store.removeConnection("c1");

        assertRejected(Reason.UNKNOWN_CONNECTION,
            () -> store.addSubscription("c1", "s1", ChannelPattern.parse("/chat/room1"), DEFAULT_LIMIT));
    }

    @Test
    void putConnection_sameIdAgain_startsAfreshWithoutSubscriptions() {
        connect("c1");
        for (int i = 0; i < 3; i++) {
            store.addSubscription("c1", "s" + i, ChannelPattern.parse("/a/*"), 3);
        }

        connect("c1");

        assertEquals(List.of(), find("/a/b"));
        for (int i = 0; i < 3; i++) {
            store.addSubscription("c1", "t" + i, ChannelPattern.parse("/a/*"), 3);
        }
        assertEquals(3, find("/a/b").size());
    }

    // --- walking every connection (keep-alive) ---------------------------------------------------------------------

    @ParameterizedTest(name = "{0} shards")
    @ValueSource(ints = {1, 3, 16, 40})
    void forEachConnection_shardsTogether_visitEveryConnectionExactlyOnce(int shards) {
        Set<String> expected = new HashSet<>();
        for (int i = 0; i < 37; i++) {
            String connectionId = "conn-" + i + "-" + "x".repeat(i % 7);
            connect(connectionId);
            expected.add(connectionId);
            if (i % 4 == 0) {
                subscribe(connectionId, "s1", "/chat/*");
                subscribe(connectionId, "s2", "/chat/room" + i);
            }
        }

        List<String> visited = new ArrayList<>();
        for (int shard = 0; shard < shards; shard++) {
            List<String> inShard = walk(shard, shards);
            assertEquals(inShard.size(), new HashSet<>(inShard).size(), "shard " + shard + " lists a connection twice");
            visited.addAll(inShard);
        }

        assertEquals(expected.size(), visited.size(), "a connection is in two shards or in none: " + visited);
        assertEquals(expected, Set.copyOf(visited));
    }

    @Test
    void forEachConnection_afterRemoveConnection_skipsIt() {
        connect("stays");
        connect("leaves");
        subscribe("leaves", "s1", "/chat/*");
        store.removeConnection("leaves");

        assertEquals(List.of("stays"), walk(0, 1));
    }

    @Test
    void forEachConnection_emptyStore_visitsNothing() {
        for (int shard = 0; shard < 4; shard++) {
            assertEquals(List.of(), walk(shard, 4));
        }
    }

    @Test
    void forEachConnection_reconnectWithTheSameId_listsItOnce() {
        connect("c1");
        connect("c1");

        assertEquals(List.of("c1"), walk(0, 1));
    }

    @ParameterizedTest(name = "shard {0} of {1}")
    @CsvSource({"-1, 4", "4, 4", "0, 0", "0, -2"})
    void forEachConnection_shardOutOfRange_isRefused(int shard, int shards) {
        connect("c1");

        assertThrows(IllegalArgumentException.class, () -> store.forEachConnection(shard, shards, id -> { }));
    }

    // --- expiry ----------------------------------------------------------------------------------------------------

    @Test
    void expiry_connectionAndSubscriptions_endTwoHoursTenMinutesAfterConnect() {
        connect("c1");
        subscribe("c1", "s1", "/chat/*");
        assumeTrue(connectionExpiry("c1").isPresent(), "this store keeps no expiry");

        long expected = CONNECTED_AT / 1000 + EXPIRY_SECONDS;
        assertEquals(OptionalLong.of(expected), connectionExpiry("c1"));
        assertEquals(OptionalLong.of(expected), subscriptionExpiry("c1", "s1"));
    }

    // --- helpers ---------------------------------------------------------------------------------------------------

    protected void connect(String connectionId) {
        store.putConnection(new ConnectionRecord(connectionId, CONNECTED_AT, Map.of("authMode", "API_KEY")));
    }

    protected void subscribe(String connectionId, String subscriptionId, String pattern) {
        store.addSubscription(connectionId, subscriptionId, ChannelPattern.parse(pattern), DEFAULT_LIMIT);
    }

    /** The subscribers of a channel; fails if a (connection, subscription) pair is listed twice. */
    protected List<Subscriber> find(String channel) {
        List<Subscriber> found = store.findSubscribers(ChannelPath.parse(channel));
        assertEquals(found.size(), new HashSet<>(found).size(), "a subscriber is listed twice: " + found);
        return found;
    }

    /** The connection ids of one shard, in the order the store lists them. */
    protected List<String> walk(int shard, int shards) {
        List<String> ids = new ArrayList<>();
        store.forEachConnection(shard, shards, ids::add);
        return ids;
    }

    protected static SubscriptionRejectedException assertRejected(Reason reason, Runnable call) {
        SubscriptionRejectedException e = assertThrows(SubscriptionRejectedException.class, call::run);
        assertEquals(reason, e.reason(), e.getMessage());
        return e;
    }

    /** Runs {@code n} calls at once; each outcome is {@code null} for success or the rejection reason. */
    private static List<Reason> race(int n, IntFunction<Runnable> call) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<Reason>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                Runnable r = call.apply(i);
                futures.add(pool.submit(() -> {
                    start.await();
                    try {
                        r.run();
                        return null;
                    } catch (SubscriptionRejectedException e) {
                        return e.reason();
                    }
                }));
            }
            start.countDown();
            List<Reason> outcomes = new ArrayList<>();
            for (Future<Reason> f : futures) {
                outcomes.add(f.get(60, TimeUnit.SECONDS));
            }
            return outcomes;
        } finally {
            pool.shutdownNow();
        }
    }
}
