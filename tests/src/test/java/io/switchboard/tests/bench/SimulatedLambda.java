package io.switchboard.tests.bench;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.sun.net.httpserver.HttpServer;
import io.switchboard.functions.FanOutFunction;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * A model of Lambda's asynchronous invocations of {@code FanOutFunction}, on 127.0.0.1: the real SDK Lambda client
 * (through {@code LambdaFanOutDispatcher}) posts {@code Invoke} with {@code X-Amz-Invocation-Type: Event}; this
 * server answers 202, waits {@code queueMillis} (the async queue) and runs the real handler on a free instance, or
 * on a new one after {@code coldStartMillis} (a SnapStart restore). One instance runs one invocation at a time, as
 * in Lambda, with a {@link Context} whose remaining time counts down from {@code timeoutMillis}. Every invocation's
 * duration is recorded, to check that none ran into its timeout.
 */
final class SimulatedLambda implements AutoCloseable {
    record Invocation(long startNanos, long millis, boolean cold, String answer) {}

    private final Supplier<FanOutFunction> newInstance;
    private final long queueMillis;
    private final long coldStartMillis;
    private final int timeoutMillis;
    private final Queue<FanOutFunction> idle = new ConcurrentLinkedQueue<>();
    /** Instances built ahead (see {@link #prebuild}); the first invocation of each still waits for a restore. */
    private final Queue<FanOutFunction> prebuilt = new ConcurrentLinkedQueue<>();
    private final ExecutorService invocations = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "lambda-invocation");
        t.setDaemon(true);
        return t;
    });
    private final HttpServer server;
    final List<Invocation> done = new CopyOnWriteArrayList<>();
    final AtomicInteger instances = new AtomicInteger();
    final AtomicInteger running = new AtomicInteger();
    final AtomicInteger maxPayload = new AtomicInteger();

    SimulatedLambda(Supplier<FanOutFunction> newInstance, long queueMillis, long coldStartMillis, int timeoutMillis)
        throws IOException {
        this.newInstance = newInstance;
        this.queueMillis = queueMillis;
        this.coldStartMillis = coldStartMillis;
        this.timeoutMillis = timeoutMillis;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 256);
        server.setExecutor(Executors.newFixedThreadPool(8));
        server.createContext("/2015-03-31/functions/", exchange -> {
            try (exchange; InputStream in = exchange.getRequestBody()) {
                byte[] payload = in.readAllBytes();
                String type = exchange.getRequestHeaders().getFirst("X-Amz-Invocation-Type");
                if (!"Event".equals(type) || payload.length > 1_048_576) {
                    exchange.sendResponseHeaders(400, -1);
                    return;
                }
                maxPayload.accumulateAndGet(payload.length, Math::max);
                String path = exchange.getRequestURI().getRawPath();
                String function = java.net.URLDecoder.decode(path.substring("/2015-03-31/functions/".length(),
                    path.length() - "/invocations".length()), StandardCharsets.UTF_8);
                running.incrementAndGet();
                invocations.execute(() -> invoke(function, payload));
                exchange.sendResponseHeaders(202, -1);
            }
        });
        server.start();
    }

    String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void invoke(String functionArn, byte[] payload) {
        try {
            Thread.sleep(queueMillis);
            FanOutFunction function = idle.poll();
            boolean cold = function == null;
            if (cold) {
                instances.incrementAndGet();
                function = prebuilt.poll();
                if (function == null) {
                    function = newInstance.get();
                }
                Thread.sleep(coldStartMillis);
            }
            long start = System.nanoTime();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            function.handleRequest(new ByteArrayInputStream(payload), out, context(functionArn, start));
            done.add(new Invocation(start, (System.nanoTime() - start) / 1_000_000, cold,
                out.toString(StandardCharsets.UTF_8)));
            idle.add(function);
        } catch (IOException | RuntimeException e) {
            done.add(new Invocation(System.nanoTime(), -1, false, "failed: " + e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            running.decrementAndGet();
        }
    }

    /**
     * Builds {@code count} instances ahead, so that building the Java objects of 50 instances in this one JVM (in
     * Lambda, each restores on its own CPU) does not compete with the measured run; each is still "new" to its first
     * invocation, which waits {@code coldStartMillis} for it.
     */
    void prebuild(int count) {
        for (int i = 0; i < count; i++) {
            prebuilt.add(newInstance.get());
        }
    }

    /** Drops the idle instances and the record (after a warm-up): the next invocations start new instances. */
    void reset() {
        idle.clear();
        done.clear();
        instances.set(0);
        maxPayload.set(0);
    }

    /** Waits until no invocation is queued or running; {@code false} on timeout. */
    boolean awaitIdle(long millis) throws InterruptedException {
        long end = System.currentTimeMillis() + millis;
        while (running.get() > 0) {
            if (System.currentTimeMillis() > end) {
                return false;
            }
            Thread.sleep(10);
        }
        return true;
    }

    /** A Lambda context whose remaining time counts down from the timeout from {@code startNanos}. */
    static Context context(String functionArn, long startNanos, int timeoutMillis) {
        String requestId = UUID.randomUUID().toString();
        return new Context() {
            @Override public String getAwsRequestId() { return requestId; }
            @Override public String getLogGroupName() { return "/aws/lambda/bench"; }
            @Override public String getLogStreamName() { return "bench"; }
            @Override public String getFunctionName() { return "bench"; }
            @Override public String getFunctionVersion() { return "1"; }
            @Override public String getInvokedFunctionArn() { return functionArn; }
            @Override public CognitoIdentity getIdentity() { return null; }
            @Override public ClientContext getClientContext() { return null; }
            @Override public int getRemainingTimeInMillis() {
                return (int) (timeoutMillis - (System.nanoTime() - startNanos) / 1_000_000);
            }
            @Override public int getMemoryLimitInMB() { return 1024; }
            @Override public LambdaLogger getLogger() {
                return new LambdaLogger() {
                    @Override public void log(String message) { }
                    @Override public void log(byte[] message) { }
                };
            }
        };
    }

    private Context context(String functionArn, long startNanos) {
        return context(functionArn, startNanos, timeoutMillis);
    }

    @Override
    public void close() {
        server.stop(0);
        invocations.shutdownNow();
    }
}
