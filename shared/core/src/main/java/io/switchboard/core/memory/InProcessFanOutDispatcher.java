package io.switchboard.core.memory;

import io.switchboard.core.spi.FanOutDispatcher;
import io.switchboard.core.spi.FanOutShard;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The fan-out worker of the local gateway: shards run on a small pool in this JVM, as the cloud's asynchronous
 * invocations of the fan-out function would. Each shard goes through its payload bytes ({@link FanOutShard#toJson()}
 * and {@link FanOutShard#parse}) and the same size limit, so the local path is the cloud's. Accepting never blocks.
 */
public final class InProcessFanOutDispatcher implements FanOutDispatcher {
    private static final Logger LOG = LoggerFactory.getLogger(InProcessFanOutDispatcher.class);

    private final Consumer<FanOutShard> worker;
    private final ExecutorService pool;
    private final AtomicInteger running = new AtomicInteger();

    /**
     * @param worker delivers one shard (the engine's {@code deliver(shard, deadline)})
     * @param concurrency shards delivered at the same time (the cloud's concurrent worker invocations)
     */
    public InProcessFanOutDispatcher(Consumer<FanOutShard> worker, int concurrency) {
        this.worker = worker;
        AtomicInteger counter = new AtomicInteger();
        ThreadPoolExecutor tpe = new ThreadPoolExecutor(concurrency, concurrency, 30, TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(), r -> {
                Thread t = new Thread(r, "switchboard-fanout-worker-" + counter.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
        tpe.allowCoreThreadTimeOut(true);
        this.pool = tpe;
    }

    @Override
    public void dispatch(FanOutShard shard) {
        byte[] payload = shard.toJson();
        if (payload.length > maxShardBytes()) {
            throw new FanOutDispatchException("shard of " + payload.length + " bytes is over the "
                + maxShardBytes() + "-byte payload limit", null);
        }
        running.incrementAndGet();
        pool.execute(() -> {
            try {
                worker.accept(FanOutShard.parse(payload));
            } catch (RuntimeException e) {
                LOG.atError().addKeyValue("channel", shard.channel()).addKeyValue("subscribers", shard.subscribers().size())
                    .setCause(e).log("fan-out worker failed");
            } finally {
                running.decrementAndGet();
            }
        });
    }

    /** Waits until no shard is queued or running (tests, benchmarks); {@code false} on timeout. */
    public boolean awaitIdle(long timeoutMillis) throws InterruptedException {
        long end = System.nanoTime() + timeoutMillis * 1_000_000L;
        while (running.get() > 0) {
            if (System.nanoTime() > end) {
                return false;
            }
            Thread.sleep(5);
        }
        return true;
    }
}
