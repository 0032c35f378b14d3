package io.switchboard.core.engine;

import io.switchboard.core.protocol.Frame;
import io.switchboard.core.protocol.FrameCodec;
import io.switchboard.core.spi.ConnectionSender;
import io.switchboard.core.spi.ConnectionSender.SendResult;
import io.switchboard.core.spi.SubscriptionStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Sends {@code {"type":"ka"}} to every stored connection. API Gateway cannot push on a timer and closes sockets that
 * stay idle, and AppSync clients drop a connection that hears nothing for {@code connectionTimeoutMs}, so a scheduled
 * function runs this walk: the store lists the connections shard by shard (queries, never a scan), frames go out
 * through the {@link ConnectionSender} with bounded parallelism, and connections found gone are purged from the
 * store. May touch the store (read, and delete gone connections) and the sender; nothing else.
 */
public final class KeepAlive {
    private static final Logger LOG = LoggerFactory.getLogger(KeepAlive.class);
    static final String FRAME = FrameCodec.encode(new Frame.KeepAlive());

    /**
     * What one walk did.
     *
     * @param connections connections listed by the store
     * @param delivered {@code ka} frames the gateway accepted
     * @param gone connections found gone (and purged)
     * @param failed sends that failed otherwise (the connection is kept)
     * @param skipped connections listed after the deadline, not sent to
     * @param millis how long the walk took
     */
    public record Report(long connections, long delivered, long gone, long failed, long skipped, long millis) {}

    private final SubscriptionStore store;
    private final ConnectionSender sender;
    private final int parallelism;

    /** @param parallelism concurrent sends (the fan-out's {@code SWITCHBOARD_FANOUT_PARALLELISM} suits) */
    public KeepAlive(SubscriptionStore store, ConnectionSender sender, int parallelism) {
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism must be at least 1: " + parallelism);
        }
        this.store = Objects.requireNonNull(store, "store");
        this.sender = Objects.requireNonNull(sender, "sender");
        this.parallelism = parallelism;
    }

    /** The frame every connection gets: {@code {"type":"ka"}}. */
    public static String frame() {
        return FRAME;
    }

    /**
     * Walks {@code shard} of {@code shards} (see {@link SubscriptionStore#forEachConnection}) and sends each
     * connection a {@code ka}; connections listed once {@code deadlineNanos} ({@link System#nanoTime()} time) has
     * passed are counted as skipped, so that a walk that runs out of time still ends cleanly.
     */
    public Report run(int shard, int shards, long deadlineNanos) {
        long started = System.nanoTime();
        LongAdder listed = new LongAdder();
        LongAdder delivered = new LongAdder();
        LongAdder gone = new LongAdder();
        LongAdder failed = new LongAdder();
        LongAdder skipped = new LongAdder();
        int window = parallelism * 2;
        Semaphore inFlight = new Semaphore(window);
        AtomicInteger threads = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(parallelism, task -> {
            Thread thread = new Thread(task, "switchboard-keepalive-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        try {
            store.forEachConnection(shard, shards, connectionId -> {
                listed.increment();
                if (System.nanoTime() - deadlineNanos > 0) {
                    skipped.increment();
                    return;
                }
                inFlight.acquireUninterruptibly();
                try {
                    pool.execute(() -> {
                        try {
                            send(connectionId, delivered, gone, failed);
                        } finally {
                            inFlight.release();
                        }
                    });
                } catch (RuntimeException e) {
                    inFlight.release();
                    throw e;
                }
            });
        } finally {
            inFlight.acquireUninterruptibly(window); // every send started has finished
            pool.shutdown();
        }
        Report report = new Report(listed.sum(), delivered.sum(), gone.sum(), failed.sum(), skipped.sum(),
            (System.nanoTime() - started) / 1_000_000);
        if (report.failed() > 0 || report.skipped() > 0) {
            LOG.warn("Keep-alive walk of shard {} of {}: {} connections, {} delivered, {} gone, {} failed, {} skipped "
                + "(out of time)", shard, shards, report.connections(), report.delivered(), report.gone(),
                report.failed(), report.skipped());
        }
        return report;
    }

    private void send(String connectionId, LongAdder delivered, LongAdder gone, LongAdder failed) {
        SendResult result;
        try {
            result = sender.send(connectionId, FRAME);
        } catch (RuntimeException e) { // a sender breaking its contract must not end the walk
            LOG.warn("Keep-alive send to connection {} threw {}", connectionId, e.toString());
            result = SendResult.FAILED;
        }
        switch (result) {
            case DELIVERED -> delivered.increment();
            case FAILED -> failed.increment();
            case GONE -> {
                gone.increment();
                try {
                    store.removeConnection(connectionId);
                } catch (RuntimeException e) {
                    LOG.warn("Could not purge gone connection {}: {}", connectionId, e.toString());
                }
            }
        }
    }
}
