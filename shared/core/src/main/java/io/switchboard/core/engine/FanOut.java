package io.switchboard.core.engine;

import io.switchboard.core.spi.ConnectionSender;
import io.switchboard.core.spi.ConnectionSender.SendResult;
import io.switchboard.core.spi.FanOutDispatcher;
import io.switchboard.core.spi.FanOutDispatcher.FanOutDispatchException;
import io.switchboard.core.spi.FanOutShard;
import io.switchboard.core.spi.Subscriber;
import io.switchboard.core.spi.SubscriptionStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Delivers the events of one publish to every matching subscription: one {@code data} frame per event per
 * subscription, each subscription's events in publish order. Frames are serialised once per event; only the
 * subscription id is spliced in per delivery. Small audiences are sent on the calling thread; larger ones with
 * bounded parallelism. Connections found gone are purged from the store, once each.
 *
 * <p>Large audiences: above {@code shardSize} subscribers, and when a {@link FanOutDispatcher} is set, the first
 * {@code shardSize} are delivered here and the rest is handed to workers in shards (at most {@code shardSize}
 * subscribers and {@link FanOutDispatcher#maxShardBytes()} each). Whatever this invocation cannot finish before
 * {@link #HAND_OFF_RESERVE_MILLIS} of its {@link Deadline} — subscribers not started yet, sends that stayed
 * throttled — is handed on the same way; nothing is dropped without an error log and a count.
 */
final class FanOut {
    private static final Logger LOG = LoggerFactory.getLogger(FanOut.class);
    private static final int INLINE_LIMIT = 4;
    /** Passes over throttled deliveries within one invocation before they are handed on (or count as failed). */
    private static final int MAX_ROUNDS = 4;
    /** How often the same work may be handed on before the engine gives up on it. */
    static final int MAX_GENERATIONS = 8;
    /**
     * Time kept back from the deadline to finish in-flight sends (a throttled send backs off for up to about 1.5 s
     * in all), hand off the rest and answer; a quarter of the time at the start when that is less.
     */
    static final long HAND_OFF_RESERVE_MILLIS = 5_000;
    static final String DATA_PREFIX = "{\"type\":\"data\",\"id\":\"";
    /** Shards handed off at the same time (an asynchronous Invoke takes tens of milliseconds). */
    private static final int DISPATCH_CONCURRENCY = 16;

    private final SubscriptionStore store;
    private final ConnectionSender sender;
    private final int parallelism;
    private final int shardSize;
    private final FanOutDispatcher dispatcher;
    private volatile ExecutorService executor;

    FanOut(SubscriptionStore store, ConnectionSender sender, int parallelism) {
        this(store, sender, parallelism, Integer.MAX_VALUE, null);
    }

    /** {@code dispatcher} null: every subscriber is delivered here, whatever the audience. */
    FanOut(SubscriptionStore store, ConnectionSender sender, int parallelism, int shardSize, FanOutDispatcher dispatcher) {
        this.store = store;
        this.sender = sender;
        this.parallelism = parallelism;
        this.shardSize = shardSize;
        this.dispatcher = dispatcher;
    }

    /** The part of a data frame after the subscription id, for one event: {@code ","event":"…"}}. */
    static String dataSuffix(String quotedEvent) {
        return FanOutShard.part(quotedEvent);
    }

    FanOutReport deliver(List<Subscriber> subscribers, List<String> dataSuffixes) {
        return deliver(null, subscribers, dataSuffixes, Deadline.none());
    }

    /** A publish: delivers to {@code subscribers} (shards above the shard size go to workers). */
    FanOutReport deliver(String channel, List<Subscriber> subscribers, List<String> dataSuffixes, Deadline deadline) {
        return run(channel, subscribers, dataSuffixes, 0, deadline);
    }

    /** A worker's share: delivers one shard (handing on what it cannot finish in time). */
    FanOutReport deliver(FanOutShard shard, Deadline deadline) {
        return run(shard.channel(), shard.subscribers(), shard.parts(), shard.generation(), deadline);
    }

    // ------------------------------------------------------------------ one invocation's work

    /** A delivery still to make: every part from {@code fromPart} on, to one subscriber. */
    private record Pending(Subscriber subscriber, int fromPart) {}

    /**
     * Counters of one invocation, shared by its threads, and its time limits ({@link System#nanoTime()}):
     * {@code sendBy} bounds every send (a send in flight when new subscribers stop being started has half the
     * reserve to finish), {@code dispatchBy} bounds handing off (the last fifth of the reserve is for answering).
     */
    private static final class Tally {
        long sendBy = Long.MAX_VALUE;
        long dispatchBy = Long.MAX_VALUE;
        final LongAdder delivered = new LongAdder();
        final LongAdder failed = new LongAdder();
        final Set<String> gone = ConcurrentHashMap.newKeySet();
        final AtomicInteger handedOff = new AtomicInteger();
    }

    private FanOutReport run(String channel, List<Subscriber> subscribers, List<String> parts, int generation,
                             Deadline deadline) {
        if (subscribers.isEmpty() || parts.isEmpty()) {
            return new FanOutReport(subscribers.size(), 0, 0, 0, 0);
        }
        Tally tally = new Tally();
        // a function with little time overall keeps a quarter of it back, so that every invocation makes progress
        long remaining = deadline.bounded() ? deadline.remainingMillis() : Long.MAX_VALUE;
        long reserveFloor = deadline.bounded() ? Math.max(0, remaining / 4) : 0;
        if (deadline.bounded() && dispatcher != null) {
            long reserve = Math.min(HAND_OFF_RESERVE_MILLIS, reserveFloor);
            long now = System.nanoTime();
            tally.sendBy = now + (remaining - reserve / 2) * 1_000_000L;
            tally.dispatchBy = now + (remaining - reserve / 5) * 1_000_000L;
        }
        List<Subscriber> mine = subscribers;
        Future<List<Subscriber>> handing = null;
        if (dispatcher != null && subscribers.size() > shardSize) {
            mine = subscribers.subList(0, shardSize);
            // the shards go out while this invocation delivers its own share
            handing = handOffAsync(channel, parts, 0, subscribers.subList(shardSize, subscribers.size()), generation,
                tally, false);
        }

        List<Pending> leftover = new ArrayList<>();
        deliverInRounds(mine, parts, deadline, reserveFloor, tally, leftover);
        if (handing != null) {
            List<Subscriber> refused = await(handing);
            if (!refused.isEmpty()) {
                // the dispatcher refused them: deliver them here while time allows
                deliverInRounds(refused, parts, deadline, reserveFloor, tally, leftover);
            }
        }
        if (!leftover.isEmpty()) {
            handOnOrFail(channel, parts, leftover, generation, tally);
        }

        for (String connectionId : tally.gone) {
            try {
                store.removeConnection(connectionId);
            } catch (RuntimeException e) {
                LOG.warn("Could not purge gone connection {}: {}", connectionId, e.toString());
            }
        }
        FanOutReport report = new FanOutReport(subscribers.size(), tally.delivered.sum(), tally.gone.size(),
            tally.failed.sum(), tally.handedOff.get());
        if (report.failed() > 0) {
            LOG.atWarn().addKeyValue("channel", channel).addKeyValue("subscribers", report.subscribers())
                .addKeyValue("delivered", report.delivered()).addKeyValue("failed", report.failed())
                .addKeyValue("gone", report.goneConnections()).addKeyValue("handed_off", report.handedOff())
                .log("fan-out finished with failed deliveries");
        }
        return report;
    }

    /** Passes over {@code subscribers} until all are sent, or the deadline or the rounds run out (into {@code leftover}). */
    private void deliverInRounds(List<Subscriber> subscribers, List<String> parts, Deadline deadline, long reserveFloor,
                                 Tally tally, List<Pending> leftover) {
        List<Pending> pending = new ArrayList<>(subscribers.size());
        for (Subscriber s : subscribers) {
            pending.add(new Pending(s, 0));
        }
        for (int round = 1; !pending.isEmpty(); round++) {
            Queue<Pending> throttled = new ConcurrentLinkedQueue<>();
            Queue<Pending> unstarted = new ConcurrentLinkedQueue<>();
            pass(pending, parts, deadline, reserveFloor, tally, throttled, unstarted);
            leftover.addAll(unstarted);
            pending = new ArrayList<>(throttled);
            if (!unstarted.isEmpty() || round >= MAX_ROUNDS) {
                leftover.addAll(pending);
                break;
            }
        }
    }

    private static <T> T await(Future<T> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted during fan-out", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("Fan-out hand-off failed", e.getCause());
        }
    }

    /** One pass over {@code pending}: sends, and collects what stayed throttled and what the deadline left unstarted. */
    private void pass(List<Pending> pending, List<String> parts, Deadline deadline, long reserveFloor, Tally tally,
                      Queue<Pending> throttled, Queue<Pending> unstarted) {
        AtomicInteger next = new AtomicInteger();
        AtomicBoolean stopped = new AtomicBoolean();
        // Stop early only when someone can take over; without a worker, keep going as long as the function runs.
        boolean canStop = dispatcher != null && deadline.bounded();
        long reserve = canStop ? Math.min(HAND_OFF_RESERVE_MILLIS, reserveFloor) : 0;
        Runnable worker = () -> {
            long[] counts = new long[2]; // delivered, failed: added to the shared tally once per worker
            try {
                for (int i = next.getAndIncrement(); i < pending.size(); i = next.getAndIncrement()) {
                    if (stopped.get() || canStop && deadline.remainingMillis() < reserve) {
                        stopped.set(true);
                        unstarted.add(pending.get(i));
                        continue;
                    }
                    deliverTo(pending.get(i), parts, tally, counts, throttled);
                }
            } finally {
                tally.delivered.add(counts[0]);
                tally.failed.add(counts[1]);
            }
        };
        if (pending.size() <= INLINE_LIMIT || parallelism == 1) {
            worker.run();
        } else {
            runOnPool(Math.min(parallelism, pending.size()), worker);
        }
    }

    private void deliverTo(Pending pending, List<String> parts, Tally tally, long[] counts, Queue<Pending> throttled) {
        String connectionId = pending.subscriber().connectionId();
        String subscriptionId = pending.subscriber().subscriptionId();
        for (int e = pending.fromPart(); e < parts.size(); e++) {
            if (!tally.gone.isEmpty() && tally.gone.contains(connectionId)) {
                return;
            }
            SendResult result;
            try {
                result = sender.send(connectionId, DATA_PREFIX + subscriptionId + parts.get(e), tally.sendBy);
            } catch (RuntimeException ex) { // a sender breaking its contract must not leave the publish unanswered
                LOG.warn("Send to connection {} threw {}", connectionId, ex.toString());
                result = SendResult.FAILED;
            }
            switch (result) {
                case DELIVERED -> counts[0]++;
                case GONE -> {
                    tally.gone.add(connectionId);
                    return;
                }
                case FAILED -> counts[1]++;
                case THROTTLED -> {
                    throttled.add(e == pending.fromPart() ? pending : new Pending(pending.subscriber(), e));
                    return;
                }
            }
        }
    }

    // ------------------------------------------------------------------ handing off

    /**
     * Hands {@code subscribers} (each still owed every part from {@code fromPart}) to workers, in shards. Returns
     * the subscribers whose shards the dispatcher refused when {@code failRefused} is false; counts them as failed
     * when it is true.
     */
    private List<Subscriber> handOff(String channel, List<String> parts, int fromPart, List<Subscriber> subscribers,
                                     int generation, Tally tally, boolean failRefused) {
        return await(handOffAsync(channel, parts, fromPart, subscribers, generation, tally, failRefused));
    }

    /**
     * As {@link #handOff}, on the dispatch threads (at most {@link #DISPATCH_CONCURRENCY} shards at a time), so that
     * the caller can deliver its own share meanwhile.
     */
    private Future<List<Subscriber>> handOffAsync(String channel, List<String> parts, int fromPart,
                                                  List<Subscriber> subscribers, int generation, Tally tally,
                                                  boolean failRefused) {
        List<String> shardParts = parts.subList(fromPart, parts.size());
        List<FanOutShard> shards = new ArrayList<>();
        int budget = dispatcher.maxShardBytes() - FanOutShard.partsBytes(channel, shardParts);
        List<Subscriber> current = new ArrayList<>();
        int bytes = 0;
        for (Subscriber s : subscribers) {
            int size = FanOutShard.subscriberBytes(s);
            if (!current.isEmpty() && (current.size() >= shardSize || bytes + size > budget)) {
                shards.add(new FanOutShard(channel, shardParts, current, generation));
                current = new ArrayList<>();
                bytes = 0;
            }
            current.add(s);
            bytes += size;
        }
        if (!current.isEmpty()) {
            shards.add(new FanOutShard(channel, shardParts, current, generation));
        }

        Queue<FanOutShard> refused = new ConcurrentLinkedQueue<>();
        AtomicInteger next = new AtomicInteger();
        Runnable worker = () -> {
            for (int i = next.getAndIncrement(); i < shards.size(); i = next.getAndIncrement()) {
                FanOutShard shard = shards.get(i);
                try {
                    dispatcher.dispatch(shard, tally.dispatchBy);
                    tally.handedOff.addAndGet(shard.subscribers().size());
                } catch (FanOutDispatchException | IllegalArgumentException e) {
                    LOG.atError().addKeyValue("channel", channel).addKeyValue("subscribers", shard.subscribers().size())
                        .addKeyValue("generation", shard.generation()).addKeyValue("error", e.toString())
                        .log("could not hand a fan-out shard to a worker");
                    refused.add(shard);
                }
            }
        };
        Callable<List<Subscriber>> collect = () -> {
            List<Subscriber> notHanded = new ArrayList<>();
            for (FanOutShard shard : refused) {
                if (failRefused) {
                    tally.failed.add((long) shard.subscribers().size() * shardParts.size());
                } else {
                    notHanded.addAll(shard.subscribers());
                }
            }
            return notHanded;
        };
        int dispatchers = Math.min(Math.min(DISPATCH_CONCURRENCY, parallelism), shards.size());
        if (dispatchers <= 1) {
            worker.run();
            return CompletableFuture.completedFuture(callUnchecked(collect));
        }
        CompletableFuture<?>[] running = new CompletableFuture<?>[dispatchers];
        for (int d = 0; d < dispatchers; d++) {
            running[d] = CompletableFuture.runAsync(worker, dispatchExecutor());
        }
        return CompletableFuture.allOf(running).thenApply(done -> callUnchecked(collect));
    }

    private static <T> T callUnchecked(Callable<T> callable) {
        try {
            return callable.call();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** What this invocation could not deliver goes to workers; without a dispatcher, or after too many hand-offs, it fails loudly. */
    private void handOnOrFail(String channel, List<String> parts, List<Pending> leftover, int generation, Tally tally) {
        Map<Integer, List<Subscriber>> byPart = new TreeMap<>();
        for (Pending p : leftover) {
            byPart.computeIfAbsent(p.fromPart(), k -> new ArrayList<>()).add(p.subscriber());
        }
        if (dispatcher == null || generation + 1 > MAX_GENERATIONS) {
            long frames = 0;
            for (Pending p : leftover) {
                frames += parts.size() - p.fromPart();
            }
            tally.failed.add(frames);
            LOG.atError().addKeyValue("channel", channel).addKeyValue("subscribers", leftover.size())
                .addKeyValue("frames", frames).addKeyValue("generation", generation)
                .log(dispatcher == null ? "fan-out ran out of time or retries and has no worker to hand the rest to"
                    : "fan-out handed on too many times; giving up on the rest");
            return;
        }
        byPart.forEach((fromPart, subscribers) ->
            handOff(channel, parts, fromPart, subscribers, generation + 1, tally, true));
    }

    // ------------------------------------------------------------------ threads

    private void runOnPool(int workers, Runnable worker) {
        ExecutorService pool = executor();
        List<Future<?>> futures = new ArrayList<>(workers);
        for (int w = 0; w < workers; w++) {
            futures.add(pool.submit(worker));
        }
        for (Future<?> future : futures) {
            try {
                future.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted during fan-out", e);
            } catch (ExecutionException e) {
                throw new IllegalStateException("Fan-out worker failed", e.getCause());
            }
        }
    }

    private volatile ExecutorService dispatchExecutor;

    private ExecutorService dispatchExecutor() {
        ExecutorService pool = dispatchExecutor;
        if (pool == null) {
            synchronized (this) {
                pool = dispatchExecutor;
                if (pool == null) {
                    dispatchExecutor = pool = threads(DISPATCH_CONCURRENCY, "switchboard-fanout-dispatch-");
                }
            }
        }
        return pool;
    }

    private static ExecutorService threads(int size, String prefix) {
        AtomicInteger counter = new AtomicInteger();
        ThreadPoolExecutor tpe = new ThreadPoolExecutor(size, size, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, prefix + counter.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        tpe.allowCoreThreadTimeOut(true);
        return tpe;
    }

    private ExecutorService executor() {
        ExecutorService pool = executor;
        if (pool == null) {
            synchronized (this) {
                pool = executor;
                if (pool == null) {
                    executor = pool = threads(parallelism, "switchboard-fanout-");
                }
            }
        }
        return pool;
    }
}
