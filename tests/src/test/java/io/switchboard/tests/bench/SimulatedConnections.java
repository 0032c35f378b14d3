package io.switchboard.tests.bench;

import com.sun.net.httpserver.HttpServer;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.services.apigatewaymanagementapi.ApiGatewayManagementApiClient;
import software.amazon.awssdk.services.apigatewaymanagementapi.model.DeleteConnectionRequest;
import software.amazon.awssdk.services.apigatewaymanagementapi.model.DeleteConnectionResponse;
import software.amazon.awssdk.services.apigatewaymanagementapi.model.LimitExceededException;
import software.amazon.awssdk.services.apigatewaymanagementapi.model.PostToConnectionRequest;
import software.amazon.awssdk.services.apigatewaymanagementapi.model.PostToConnectionResponse;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * A model of API Gateway's {@code @connections} endpoint under the account throttle: a token bucket of
 * {@code rate} requests per second holding at most {@code burst}, admission decided when a request arrives, every
 * call (accepted or not) taking {@code latency}; an empty bucket answers 429 {@code LimitExceededException} in
 * {@code x-amzn-ErrorType} with a JSON body, as API Gateway does. Accepted posts are counted per connection id.
 *
 * <p>Three transports: behind the SDK client's interface ({@link #asClient()}: the sender's logic runs, the SDK's
 * per-call CPU does not), in-process under the real SDK client ({@link SdkHttpClient}: marshalling, SigV4 and error
 * unmarshalling run for every call) and real HTTP on 127.0.0.1 ({@link #serveHttp}) with the JDK's server.
 */
final class SimulatedConnections implements SdkHttpClient {
    private static final byte[] THROTTLED = "{\"message\":\"Rate exceeded\"}".getBytes(StandardCharsets.UTF_8);

    private final double rate;
    private final double burst;
    private final long latencyNanos;
    private double tokens;
    private long refilled = System.nanoTime();

    final Map<String, AtomicInteger> delivered = new ConcurrentHashMap<>();
    final LongAdder accepted = new LongAdder();
    final LongAdder throttled = new LongAdder();
    final AtomicInteger inFlight = new AtomicInteger();
    final AtomicInteger maxInFlight = new AtomicInteger();
    final AtomicLong firstAccepted = new AtomicLong();
    final AtomicLong lastAccepted = new AtomicLong();
    /** Accepted and throttled calls per 100 ms since the last {@link #reset()}, for the shape of a run. */
    final java.util.concurrent.atomic.AtomicIntegerArray acceptedPerTick = new java.util.concurrent.atomic.AtomicIntegerArray(3000);
    final java.util.concurrent.atomic.AtomicIntegerArray throttledPerTick = new java.util.concurrent.atomic.AtomicIntegerArray(3000);
    private volatile long epoch = System.nanoTime();
    private HttpServer server;
    private ExecutorService serverThreads;

    SimulatedConnections(double rate, double burst, long latencyMillis) {
        this.rate = rate;
        this.burst = burst;
        this.tokens = burst;
        this.latencyNanos = latencyMillis * 1_000_000L;
    }

    private synchronized boolean admit() {
        long now = System.nanoTime();
        tokens = Math.min(burst, tokens + (now - refilled) * rate / 1e9);
        refilled = now;
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }

    /** Forgets what was counted and refills the bucket (after a warm-up). */
    synchronized void reset() {
        delivered.clear();
        accepted.reset();
        throttled.reset();
        maxInFlight.set(0);
        firstAccepted.set(0);
        lastAccepted.set(0);
        tokens = burst;
        refilled = System.nanoTime();
        epoch = refilled;
        for (int i = 0; i < acceptedPerTick.length(); i++) {
            acceptedPerTick.set(i, 0);
            throttledPerTick.set(i, 0);
        }
    }

    private int tick() {
        return (int) Math.min(acceptedPerTick.length() - 1, (System.nanoTime() - epoch) / 100_000_000L);
    }

    /** Accepted calls per second, second by second (from the per-100 ms counts). */
    String perSecond(java.util.concurrent.atomic.AtomicIntegerArray ticks) {
        StringBuilder sb = new StringBuilder();
        int last = ticks.length() - 1;
        while (last > 0 && ticks.get(last) == 0) {
            last--;
        }
        for (int s = 0; s * 10 <= last; s++) {
            int sum = 0;
            for (int t = s * 10; t < s * 10 + 10 && t < ticks.length(); t++) {
                sum += ticks.get(t);
            }
            sb.append(s == 0 ? "" : ", ").append(sum);
        }
        return sb.toString();
    }

    /** One call on a raw {@code @connections/{id}} path. Returns the HTTP status. */
    int handle(String method, String rawPath) {
        return handleId(method, URLDecoder.decode(rawPath.substring(rawPath.lastIndexOf('/') + 1), StandardCharsets.UTF_8));
    }

    /** One call: admission, the call's latency, the count. Returns the HTTP status. */
    int handleId(String method, String id) {
        int now = inFlight.incrementAndGet();
        maxInFlight.accumulateAndGet(now, Math::max);
        try {
            boolean ok = admit();
            LockSupport.parkNanos(latencyNanos);
            if (!ok) {
                throttled.increment();
                throttledPerTick.incrementAndGet(tick());
                return 429;
            }
            acceptedPerTick.incrementAndGet(tick());
            if ("POST".equals(method)) {
                delivered.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
                accepted.increment();
                long t = System.nanoTime();
                firstAccepted.compareAndSet(0, t);
                lastAccepted.accumulateAndGet(t, Math::max);
            }
            return 200;
        } finally {
            inFlight.decrementAndGet();
        }
    }

    // ------------------------------------------------------------------ in-process transport

    @Override
    public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
        request.contentStreamProvider().ifPresent(p -> {
            try (InputStream in = p.newStream()) {
                in.readAllBytes();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        String method = request.httpRequest().method().name();
        String path = request.httpRequest().encodedPath();
        return new ExecutableHttpRequest() {
            @Override
            public HttpExecuteResponse call() {
                int status = handle(method, path);
                byte[] body = status == 429 ? THROTTLED : new byte[0];
                SdkHttpResponse.Builder response = SdkHttpResponse.builder().statusCode(status)
                    .putHeader("Content-Length", String.valueOf(body.length))
                    .putHeader("Content-Type", "application/json");
                if (status == 429) {
                    response.putHeader("x-amzn-ErrorType", "LimitExceededException");
                }
                return HttpExecuteResponse.builder().response(response.build())
                    .responseBody(AbortableInputStream.create(new ByteArrayInputStream(body))).build();
            }

            @Override
            public void abort() {
            }
        };
    }

    @Override
    public void close() {
    }

    // ------------------------------------------------------------------ SDK-interface transport

    /**
     * The model behind the SDK client's own interface: what the real client would return or throw (a
     * {@link LimitExceededException} with status 429 and error code), without its marshalling and SigV4 signing, whose
     * CPU cost per call is measured separately.
     */
    ApiGatewayManagementApiClient asClient() {
        return new ApiGatewayManagementApiClient() {
            @Override
            public PostToConnectionResponse postToConnection(PostToConnectionRequest request) {
                request.data().asByteArrayUnsafe();
                if (handleId("POST", request.connectionId()) == 429) {
                    throw LimitExceededException.builder().statusCode(429).message("Rate exceeded")
                        .awsErrorDetails(AwsErrorDetails.builder().errorCode("LimitExceededException")
                            .errorMessage("Rate exceeded").serviceName("ApiGatewayManagementApi").build())
                        .build();
                }
                return PostToConnectionResponse.builder().build();
            }

            @Override
            public DeleteConnectionResponse deleteConnection(DeleteConnectionRequest request) {
                handleId("DELETE", request.connectionId());
                return DeleteConnectionResponse.builder().build();
            }

            @Override
            public String serviceName() {
                return "ApiGatewayManagementApi";
            }

            @Override
            public void close() {
            }
        };
    }

    // ------------------------------------------------------------------ HTTP transport

    /** Serves the same model over HTTP on 127.0.0.1; returns the port. */
    int serveHttp(int threads) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4096);
        serverThreads = Executors.newFixedThreadPool(threads);
        server.setExecutor(serverThreads);
        server.createContext("/", exchange -> {
            try (exchange; InputStream in = exchange.getRequestBody()) {
                in.readAllBytes();
                int status = handle(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath());
                byte[] body = status == 429 ? THROTTLED : new byte[0];
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                if (status == 429) {
                    exchange.getResponseHeaders().add("x-amzn-ErrorType", "LimitExceededException");
                }
                exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
                if (body.length > 0) {
                    try (OutputStream out = exchange.getResponseBody()) {
                        out.write(body);
                    }
                }
            }
        });
        server.start();
        return server.getAddress().getPort();
    }

    void stopHttp() {
        if (server != null) {
            server.stop(0);
            serverThreads.shutdownNow();
        }
    }
}
