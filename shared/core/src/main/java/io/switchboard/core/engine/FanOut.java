package io.switchboard.core.engine;

import io.switchboard.core.spi.ConnectionSender;
import io.switchboard.core.spi.ConnectionSender.SendResult;
import io.switchboard.core.spi.Subscriber;
import io.switchboard.core.spi.SubscriptionStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Delivers the events of one publish to every matching subscription: one {@code data} frame per event per
 * subscription, each subscription's events in publish order. Frames are serialised once per event; only the
 * subscription id is spliced in per delivery. Small audiences are sent on the calling thread; larger ones with
 * bounded parallelism. Connections found gone are purged from the store, once each.
 */
final class FanOut {
    private static final Logger LOG = LoggerFactory.getLogger(FanOut.class);
    private static final int INLINE_LIMIT = 4;
    static final String DATA_PREFIX = "{\"type\":\"data\",\"id\":\"";

    private final SubscriptionStore store;
    private final ConnectionSender sender;
    private final int parallelism;
    private volatile ExecutorService executor;

    FanOut(SubscriptionStore store, ConnectionSender sender, int parallelism) {
        this.store = store;
        this.sender = sender;
        this.parallelism = parallelism;
    }

    /** The part of a data frame after the subscription id, for one event: {@code ","event":"…"}}. */
    static String dataSuffix(String quotedEvent) {
        return "\",\"event\":" + quotedEvent + "}";
    }

    FanOutReport deliver(List<Subscriber> subscribers, List<String> dataSuffixes) {
        if (subscribers.isEmpty() || dataSuffixes.isEmpty()) {
            return new FanOutReport(subscribers.size(), 0, 0, 0);
        }
        LongAdder delivered = new LongAdder();
        LongAdder failed = new LongAdder();
        Set<String> gone = ConcurrentHashMap.newKeySet();
        if (subscribers.size() <= INLINE_LIMIT || parallelism == 1) {
            for (Subscriber subscriber : subscribers) {
                deliverTo(subscriber, dataSuffixes, delivered, failed, gone);
            }
        } else {
            runParallel(subscribers, dataSuffixes, delivered, failed, gone);
        }
        for (String connectionId : gone) {
            try {
                store.removeConnection(connectionId);
            } catch (RuntimeException e) {
                LOG.warn("Could not purge gone connection {}: {}", connectionId, e.toString());
            }
        }
        if (failed.sum() > 0) {
            LOG.warn("Fan-out to {} subscriptions: {} frames delivered, {} failed, {} connections gone",
                subscribers.size(), delivered.sum(), failed.sum(), gone.size());
        }
        return new FanOutReport(subscribers.size(), delivered.sum(), gone.size(), failed.sum());
    }

    private void runParallel(List<Subscriber> subscribers, List<String> suffixes, LongAdder delivered,
                             LongAdder failed, Set<String> gone) {
        ExecutorService pool = executor();
        int workers = Math.min(parallelism, subscribers.size());
        AtomicInteger next = new AtomicInteger();
        List<Future<?>> futures = new ArrayList<>(workers);
        for (int w = 0; w < workers; w++) {
            futures.add(pool.submit(() -> {
                for (int i = next.getAndIncrement(); i < subscribers.size(); i = next.getAndIncrement()) {
                    deliverTo(subscribers.get(i), suffixes, delivered, failed, gone);
                }
            }));
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

    private void deliverTo(Subscriber subscriber, List<String> suffixes, LongAdder delivered, LongAdder failed,
                           Set<String> gone) {
        String connectionId = subscriber.connectionId();
        String head = DATA_PREFIX + subscriber.subscriptionId();
        for (int e = 0; e < suffixes.size(); e++) {
            if (gone.contains(connectionId)) {
                return;
            }
            SendResult result;
            try {
                result = sender.send(connectionId, head + suffixes.get(e));
            } catch (RuntimeException ex) { // a sender breaking its contract must not leave the publish unanswered
                LOG.warn("Send to connection {} threw {}", connectionId, ex.toString());
                result = SendResult.FAILED;
            }
            switch (result) {
                case DELIVERED -> delivered.increment();
                case GONE -> {
                    gone.add(connectionId);
                    return;
                }
                case FAILED -> failed.increment();
            }
        }
    }

    private ExecutorService executor() {
        ExecutorService pool = executor;
        if (pool == null) {
            synchronized (this) {
                pool = executor;
                if (pool == null) {
                    AtomicInteger counter = new AtomicInteger();
                    ThreadPoolExecutor tpe = new ThreadPoolExecutor(parallelism, parallelism, 30, TimeUnit.SECONDS,
                        new LinkedBlockingQueue<>(), r -> {
                            Thread t = new Thread(r, "switchboard-fanout-" + counter.incrementAndGet());
                            t.setDaemon(true);
                            return t;
                        });
                    tpe.allowCoreThreadTimeOut(true);
                    executor = pool = tpe;
                }
            }
        }
        return pool;
    }
}
