package io.switchboard.core.engine;

import io.switchboard.core.memory.InMemorySubscriptionStore;
import io.switchboard.core.memory.InProcessFanOutDispatcher;
import io.switchboard.core.protocol.FrameCodec;
import io.switchboard.core.spi.ConnectionSender;
import io.switchboard.core.spi.FanOutDispatcher;
import io.switchboard.core.spi.FanOutShard;
import io.switchboard.core.spi.Subscriber;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Large audiences: shards for workers, hand-off before the deadline, throttled sends tried again, nothing lost silently. */
class FanOutTest {
    private static final List<String> PARTS = List.of(FanOut.dataSuffix(FrameCodec.quote("{\"e\":1}")),
        FanOut.dataSuffix(FrameCodec.quote("{\"e\":2}")));

    /** Counts frames per connection; throttles the first {@code throttleFirst} sends to each connection. */
    static final class CountingSender implements ConnectionSender {
        final Map<String, List<String>> frames = new ConcurrentHashMap<>();
        final Map<String, AtomicInteger> throttles = new ConcurrentHashMap<>();
        final int throttleFirst;

        CountingSender(int throttleFirst) {
            this.throttleFirst = throttleFirst;
        }

        @Override
        public SendResult send(String connectionId, String frame) {
            if (throttles.computeIfAbsent(connectionId, k -> new AtomicInteger()).getAndIncrement() < throttleFirst) {
                return SendResult.THROTTLED;
            }
            frames.computeIfAbsent(connectionId, k -> new CopyOnWriteArrayList<>()).add(frame);
            return SendResult.DELIVERED;
        }

        @Override
        public void close(String connectionId) {
        }
    }

    /** Records shards; delivers them with {@code worker} when set. */
    static class RecordingDispatcher implements FanOutDispatcher {
        final List<FanOutShard> shards = new CopyOnWriteArrayList<>();
        boolean refuse;

        @Override
        public void dispatch(FanOutShard shard) {
            if (refuse) {
                throw new FanOutDispatchException("refused", null);
            }
            shards.add(FanOutShard.parse(shard.toJson()));
        }
    }

    private static List<Subscriber> audience(int n) {
        List<Subscriber> subscribers = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            subscribers.add(new Subscriber("c" + i, "s" + i));
        }
        return subscribers;
    }

    private static String frame(String subscriptionId, int event) {
        return FanOut.DATA_PREFIX + subscriptionId + PARTS.get(event);
    }

    @Test
    void deliver_aboveTheShardSize_deliversTheFirstShardAndHandsTheRestOnInShards() {
        CountingSender sender = new CountingSender(0);
        RecordingDispatcher dispatcher = new RecordingDispatcher();
        FanOut fanOut = new FanOut(new InMemorySubscriptionStore(), sender, 4, 100, dispatcher);

        FanOutReport report = fanOut.deliver("/default/a", audience(350), PARTS, Deadline.none());

        assertEquals(new FanOutReport(350, 200, 0, 0, 250), report);
        assertEquals(List.of(50, 100, 100), dispatcher.shards.stream().map(s -> s.subscribers().size()).sorted().toList());
        assertEquals(100, sender.frames.size());
        assertEquals(List.of(frame("s0", 0), frame("s0", 1)), sender.frames.get("c0"));
        for (FanOutShard shard : dispatcher.shards) {
            assertEquals(PARTS, shard.parts(), "the pre-serialised parts travel verbatim");
            assertEquals(0, shard.generation());
        }
        assertEquals(audience(350).subList(100, 350), dispatcher.shards.stream().flatMap(s -> s.subscribers().stream())
            .sorted(java.util.Comparator.comparingInt(s -> Integer.parseInt(s.connectionId().substring(1)))).toList());
    }

    @Test
    void deliver_throughInProcessWorkers_everySubscriberGetsEveryEventOnceInOrder() throws InterruptedException {
        CountingSender sender = new CountingSender(0);
        AtomicLong workerDelivered = new AtomicLong();
        FanOut[] holder = new FanOut[1];
        InProcessFanOutDispatcher dispatcher = new InProcessFanOutDispatcher(
            shard -> workerDelivered.addAndGet(holder[0].deliver(shard, Deadline.none()).delivered()), 3);
        holder[0] = new FanOut(new InMemorySubscriptionStore(), sender, 4, 64, dispatcher);

        FanOutReport report = holder[0].deliver("/default/a", audience(1000), PARTS, Deadline.none());

        assertTrue(dispatcher.awaitIdle(10_000));
        assertEquals(128, report.delivered());
        assertEquals(2000 - 128, workerDelivered.get());
        for (int i = 0; i < 1000; i++) {
            assertEquals(List.of(frame("s" + i, 0), frame("s" + i, 1)), sender.frames.get("c" + i), "c" + i);
        }
    }

    @Test
    void deliver_nearTheDeadline_handsWhatIsNotStartedOnAsTheNextGeneration() {
        CountingSender sender = new CountingSender(0);
        RecordingDispatcher dispatcher = new RecordingDispatcher();
        FanOut fanOut = new FanOut(new InMemorySubscriptionStore(), sender, 1, 1000, dispatcher);
        AtomicInteger checks = new AtomicInteger();
        // 29 s at the start; after 10 subscribers only 4 s remain (less than the 5 s reserve)
        Deadline deadline = Deadline.of(() -> checks.incrementAndGet() <= 11 ? 29_000 : 4_000);

        FanOutReport report = fanOut.deliver(new FanOutShard("/default/a", PARTS, audience(30), 2), deadline);

        assertEquals(20, report.delivered());
        assertEquals(20, report.handedOff());
        assertEquals(1, dispatcher.shards.size());
        assertEquals(3, dispatcher.shards.get(0).generation());
        assertEquals("c10", dispatcher.shards.get(0).subscribers().get(0).connectionId());
    }

    @Test
    void deliver_throttledSends_areTriedAgainInALaterPass() {
        CountingSender sender = new CountingSender(2);
        FanOut fanOut = new FanOut(new InMemorySubscriptionStore(), sender, 4, 1000, null);

        FanOutReport report = fanOut.deliver("/default/a", audience(20), PARTS, Deadline.none());

        assertEquals(new FanOutReport(20, 40, 0, 0, 0), report);
        assertEquals(List.of(frame("s7", 0), frame("s7", 1)), sender.frames.get("c7"));
    }

    @Test
    void deliver_throttledMidway_handsOnOnlyTheEventsNotYetSent() {
        // connection c0 accepts its first event, then stays throttled through every pass
        ConnectionSender sender = new ConnectionSender() {
            final AtomicInteger sends = new AtomicInteger();

            @Override
            public SendResult send(String connectionId, String frame) {
                return sends.getAndIncrement() == 0 ? SendResult.DELIVERED : SendResult.THROTTLED;
            }

            @Override
            public void close(String connectionId) {
            }
        };
        RecordingDispatcher dispatcher = new RecordingDispatcher();
        FanOut fanOut = new FanOut(new InMemorySubscriptionStore(), sender, 1, 1000, dispatcher);

        FanOutReport report = fanOut.deliver("/default/a", audience(1), PARTS, Deadline.none());

        assertEquals(new FanOutReport(1, 1, 0, 0, 1), report);
        assertEquals(List.of(PARTS.get(1)), dispatcher.shards.get(0).parts());
        assertEquals(1, dispatcher.shards.get(0).generation());
    }

    @Test
    void deliver_withoutAWorker_countsWhatStaysThrottledAsFailed() {
        CountingSender sender = new CountingSender(Integer.MAX_VALUE);
        FanOut fanOut = new FanOut(new InMemorySubscriptionStore(), sender, 2, 1000, null);

        FanOutReport report = fanOut.deliver("/default/a", audience(10), PARTS, Deadline.afterMillis(1000));

        assertEquals(new FanOutReport(10, 0, 0, 20, 0), report);
    }

    @Test
    void deliver_dispatcherRefusing_deliversTheShardsItself() {
        CountingSender sender = new CountingSender(0);
        RecordingDispatcher dispatcher = new RecordingDispatcher();
        dispatcher.refuse = true;
        FanOut fanOut = new FanOut(new InMemorySubscriptionStore(), sender, 4, 10, dispatcher);

        FanOutReport report = fanOut.deliver("/default/a", audience(35), PARTS, Deadline.none());

        assertEquals(new FanOutReport(35, 70, 0, 0, 0), report);
    }

    @Test
    void deliver_handedOnTooOften_givesUpLoudly() {
        CountingSender sender = new CountingSender(Integer.MAX_VALUE);
        RecordingDispatcher dispatcher = new RecordingDispatcher();
        FanOut fanOut = new FanOut(new InMemorySubscriptionStore(), sender, 1, 1000, dispatcher);

        FanOutReport report = fanOut.deliver(new FanOutShard("/default/a", PARTS, audience(3), FanOut.MAX_GENERATIONS),
            Deadline.none());

        assertEquals(6, report.failed());
        assertEquals(List.of(), dispatcher.shards);
    }

    @Test
    void shards_areSizedToThePayloadLimit() {
        CountingSender sender = new CountingSender(0);
        RecordingDispatcher dispatcher = new RecordingDispatcher() {
            @Override
            public int maxShardBytes() {
                return 2_000;
            }
        };
        FanOut fanOut = new FanOut(new InMemorySubscriptionStore(), sender, 1, 10, dispatcher);

        fanOut.deliver("/default/a", audience(500), PARTS, Deadline.none());

        int handed = 0;
        for (FanOutShard shard : dispatcher.shards) {
            assertTrue(shard.toJson().length <= 2_000, shard.toJson().length + " bytes");
            handed += shard.subscribers().size();
        }
        assertEquals(490, handed);
    }

    @Test
    void shard_roundTrip_keepsTheEventLiteralsVerbatim() {
        String tricky = FrameCodec.quote("{\"t\":\"\\\"quoted\\\" \\\\ \\u00e9 ✓ 😀 </script>\",\"n\":[1,2]}");
        FanOutShard shard = new FanOutShard("/default/é", List.of(FanOutShard.part(tricky)),
            List.of(new Subscriber("abc=", "s-1"), new Subscriber("x\"y", "s+2")), 4);

        byte[] json = shard.toJson();
        FanOutShard back = FanOutShard.parse(json);

        assertEquals(shard, back);
        assertTrue(new String(json, java.nio.charset.StandardCharsets.UTF_8).contains(tricky), "written once, not re-escaped");
        int estimate = FanOutShard.partsBytes(shard.channel(), shard.parts())
            + shard.subscribers().stream().mapToInt(FanOutShard::subscriberBytes).sum();
        assertTrue(estimate >= json.length && estimate - json.length < 100,
            "the size estimate bounds the payload closely: " + estimate + " for " + json.length);
    }

    @Test
    void shard_parse_refusesWhatIsNotAShard() {
        assertThrows(IllegalArgumentException.class, () -> FanOutShard.parse("[]".getBytes()));
        assertThrows(IllegalArgumentException.class, () -> FanOutShard.parse(
            "{\"fanOut\":2,\"events\":[\"1\"],\"subscribers\":[]}".getBytes()));
        assertThrows(IllegalArgumentException.class, () -> FanOutShard.parse(
            "{\"fanOut\":1,\"events\":[],\"subscribers\":[]}".getBytes()));
        assertThrows(IllegalArgumentException.class, () -> FanOutShard.parse(
            "{\"fanOut\":1,\"events\":[\"1\"],\"subscribers\":[[\"c\"]]}".getBytes()));
        assertThrows(IllegalArgumentException.class, () -> FanOutShard.parse(
            "{\"fanOut\":1,\"events\":[\"1\"],\"subscribers\":[]} x".getBytes()));
    }
}
