package io.switchboard.aws;

import io.switchboard.core.spi.ConnectionSender;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.apigatewaymanagementapi.ApiGatewayManagementApiClient;
import software.amazon.awssdk.services.apigatewaymanagementapi.ApiGatewayManagementApiClientBuilder;
import software.amazon.awssdk.services.apigatewaymanagementapi.model.GoneException;
import software.amazon.awssdk.services.apigatewaymanagementapi.model.LimitExceededException;

import java.net.URI;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiConsumer;

/**
 * The {@link ConnectionSender} of the cloud (and of the local gateway, which serves the same API): API Gateway's
 * {@code @connections} management API through the SDK client on the JDK's URL connection.
 *
 * <p>410 {@code GoneException} is reported as {@link SendResult#GONE}. Throttling (429 {@code LimitExceededException})
 * is retried here with full-jitter exponential backoff; the SDK's own retries are off, so the backoff and the
 * counters are ours. A frame still throttled after {@code maxAttempts} is reported as {@link SendResult#THROTTLED}
 * (the fan-out tries it again later). A call that got no answer at all (timeout, connection failure) is tried once
 * more: a post whose answer was lost may have been delivered, but losing the frame is worse than sending it twice.
 * Other failures (5xx, 403) are not retried and end as {@link SendResult#FAILED}. Every outcome is counted ({@link #stats()}); failures are logged
 * with the connection id and error code, never the frame.
 *
 * <p>Every call first takes a slot from an {@link AdaptiveRateLimiter} shared by all threads of this sender (one per
 * function instance): it backs off as a whole when API Gateway answers 429 and grows back while it does not, up to
 * the account's {@code @connections} quota ({@link Builder#maxRate}), so that many instances fanning out at once
 * stay near the quota instead of collapsing under retries. The SDK client is built on the first call and then
 * shared; thread-safe.
 */
public final class ApiGatewayConnectionSender implements ConnectionSender {

    /**
     * Counters since the sender was built: outcomes of {@link #send} ({@code throttled}: still throttled after every
     * attempt) and throttled calls retried (sends and closes).
     */
    public record SendStats(long delivered, long gone, long failed, long retries, long throttled) {}

    private static final Logger LOG = LoggerFactory.getLogger(ApiGatewayConnectionSender.class);

    private final URI endpoint;
    private final Region region;
    private final AwsCredentialsProvider credentialsProvider;
    private final Duration connectTimeout;
    private final Duration requestTimeout;
    private final long backoffBaseMillis;
    private final long backoffCapMillis;
    private final int maxAttempts;
    private final SdkHttpClient httpClient;
    private final AdaptiveRateLimiter limiter;
    private volatile ApiGatewayManagementApiClient client;
    private volatile Random jitter;

    private final LongAdder delivered = new LongAdder();
    private final LongAdder gone = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final LongAdder retries = new LongAdder();
    private final LongAdder throttled = new LongAdder();

    private ApiGatewayConnectionSender(Builder b) {
        this.endpoint = b.client != null ? b.endpoint : Objects.requireNonNull(b.endpoint, "endpoint");
        this.client = b.client;
        this.region = b.region;
        this.credentialsProvider = b.credentialsProvider;
        this.connectTimeout = b.connectTimeout;
        this.requestTimeout = b.requestTimeout;
        this.backoffBaseMillis = b.backoffBase.toMillis();
        this.backoffCapMillis = b.backoffCap.toMillis();
        this.maxAttempts = b.maxAttempts;
        this.httpClient = b.httpClient;
        this.limiter = b.maxRate > 0 ? new AdaptiveRateLimiter(b.maxRate, Math.max(1, b.maxRate / 200.0)) : null;
    }

    /**
     * A sender for the management endpoint (see {@link ApiGatewayEndpoints}) in {@code region} (the SDK's region
     * chain when {@code null}), with the default credentials chain, timeouts and backoff.
     */
    public static ApiGatewayConnectionSender create(URI endpoint, Region region) {
        return builder().endpoint(endpoint).region(region).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public SendResult send(String connectionId, String frame) {
        return send(connectionId, frame, Long.MAX_VALUE);
    }

    /**
     * Posts the frame, returning by {@code deadlineNanos}: no attempt starts, and no backoff sleeps, past it; each
     * attempt's timeout is cut to the time left. A frame not tried again in time is {@link SendResult#THROTTLED}.
     */
    @Override
    public SendResult send(String connectionId, String frame, long deadlineNanos) {
        SdkBytes data = SdkBytes.fromUtf8String(frame);
        SendResult result = execute("PostToConnection", connectionId, deadlineNanos,
            (c, timeout) -> c.postToConnection(b -> b.connectionId(connectionId).data(data)
                .overrideConfiguration(o -> o.apiCallTimeout(timeout))));
        switch (result) {
            case DELIVERED -> delivered.increment();
            case GONE -> gone.increment();
            case FAILED -> failed.increment();
            case THROTTLED -> throttled.increment();
        }
        return result;
    }

    /** Deletes the connection; one already gone is fine, other failures are logged, never thrown. */
    @Override
    public void close(String connectionId) {
        execute("DeleteConnection", connectionId, Long.MAX_VALUE,
            (c, timeout) -> c.deleteConnection(b -> b.connectionId(connectionId)
                .overrideConfiguration(o -> o.apiCallTimeout(timeout))));
    }

    /** A snapshot of the counters. */
    public SendStats stats() {
        return new SendStats(delivered.sum(), gone.sum(), failed.sum(), retries.sum(), throttled.sum());
    }

    /** Time an attempt needs at the least; with less left before the deadline, none is started. */
    private static final long MIN_ATTEMPT_NANOS = 50_000_000L;

    private SendResult execute(String operation, String connectionId, long deadlineNanos,
                               BiConsumer<ApiGatewayManagementApiClient, Duration> call) {
        ApiGatewayManagementApiClient c = client();
        boolean clientRetried = false;
        for (int attempt = 1; ; attempt++) {
            if (limiter != null && !limiter.acquire()) {
                logFailure(operation, connectionId, attempt, 0, "Interrupted", null);
                return SendResult.FAILED;
            }
            long left = deadlineNanos == Long.MAX_VALUE ? Long.MAX_VALUE : deadlineNanos - System.nanoTime();
            if (left < MIN_ATTEMPT_NANOS) {
                LOG.atDebug().addKeyValue("operation", operation).addKeyValue("connection_id", connectionId)
                    .addKeyValue("attempts", attempt - 1).log("no time left to try; handing the frame back");
                return SendResult.THROTTLED;
            }
            try {
                call.accept(c, left < requestTimeout.toNanos() ? Duration.ofNanos(left) : requestTimeout);
                if (attempt > 1) {
                    // DEBUG: a 100,000-subscriber fan-out near the quota retries thousands of sends; the fan-out's
                    // summary and stats() count them, one WARN line each would flood the logs
                    LOG.atDebug().addKeyValue("operation", operation).addKeyValue("connection_id", connectionId)
                        .addKeyValue("attempts", attempt).log("throttled call succeeded after retries");
                }
                return SendResult.DELIVERED;
            } catch (GoneException e) {
                LOG.atWarn().addKeyValue("operation", operation).addKeyValue("connection_id", connectionId)
                    .log("connection is gone");
                return SendResult.GONE;
            } catch (AwsServiceException e) {
                boolean throttling = isThrottling(e);
                if (throttling && limiter != null) {
                    limiter.onThrottled();
                }
                if (throttling && attempt < maxAttempts) {
                    retries.increment();
                    LOG.atDebug().addKeyValue("operation", operation).addKeyValue("connection_id", connectionId)
                        .addKeyValue("attempt", attempt).log("throttled; retrying");
                    if (pause(attempt, deadlineNanos)) {
                        continue;
                    }
                }
                if (throttling) {
                    LOG.atDebug().addKeyValue("operation", operation).addKeyValue("connection_id", connectionId)
                        .addKeyValue("attempts", attempt).log("still throttled; handing the frame back");
                    return SendResult.THROTTLED;
                }
                logFailure(operation, connectionId, attempt, e.statusCode(), errorCode(e), e);
                return SendResult.FAILED;
            } catch (SdkException e) {
                // No answer at all (timeout, connection failure): tried once more, because losing the frame is worse
                // than the rare duplicate when the first post did arrive. A CPU-starved instance's first calls are
                // where this happens.
                if (!clientRetried && attempt < maxAttempts) {
                    clientRetried = true;
                    retries.increment();
                    LOG.atWarn().addKeyValue("operation", operation).addKeyValue("connection_id", connectionId)
                        .addKeyValue("error_code", e.getClass().getSimpleName()).log("no answer from @connections; retrying once");
                    if (pause(attempt, deadlineNanos)) {
                        continue;
                    }
                    return SendResult.THROTTLED; // no time to try again here: the fan-out hands it on
                }
                logFailure(operation, connectionId, attempt, 0, e.getClass().getSimpleName(), e);
                return SendResult.FAILED;
            }
        }
    }

    private static boolean isThrottling(AwsServiceException e) {
        return e instanceof LimitExceededException || e.isThrottlingException(); // the latter covers any 429
    }

    /**
     * Sleeps a random time up to {@code min(cap, base * 2^(attempt-1))}; {@code false} when interrupted or when the
     * sleep and another attempt would not fit before {@code deadlineNanos}.
     */
    private boolean pause(int attempt, long deadlineNanos) {
        long ceiling = Math.min(backoffCapMillis, backoffBaseMillis << Math.min(attempt - 1, 30));
        long sleep = Math.floorMod(jitter().nextLong(), ceiling + 1);
        if (deadlineNanos != Long.MAX_VALUE
            && System.nanoTime() + sleep * 1_000_000L + MIN_ATTEMPT_NANOS > deadlineNanos) {
            return false;
        }
        try {
            Thread.sleep(sleep);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * The jitter source, seeded on first use from {@link SecureRandom}: a sender built before a SnapStart snapshot
     * and restored in many instances must not back off in lockstep, as a {@code ThreadLocalRandom} seeded before the
     * snapshot would.
     */
    private Random jitter() {
        Random r = jitter;
        if (r == null) {
            r = new Random(new SecureRandom().nextLong());
            jitter = r;
        }
        return r;
    }

    private static void logFailure(String operation, String connectionId, int attempts, int statusCode, String errorCode,
                                   SdkException e) {
        // The SDK's messages name the service, status and request id, never the request body.
        LOG.atWarn().addKeyValue("operation", operation).addKeyValue("connection_id", connectionId)
            .addKeyValue("attempts", attempts).addKeyValue("status_code", statusCode).addKeyValue("error_code", errorCode)
            .addKeyValue("error", e == null ? errorCode : e.getMessage()).log("call to @connections failed");
    }

    private static String errorCode(AwsServiceException e) {
        return e.awsErrorDetails() == null ? e.getClass().getSimpleName() : e.awsErrorDetails().errorCode();
    }

    private ApiGatewayManagementApiClient client() {
        ApiGatewayManagementApiClient c = client;
        if (c == null) {
            synchronized (this) {
                c = client;
                if (c == null) {
                    c = buildClient();
                    client = c;
                }
            }
        }
        return c;
    }

    /** The SDK's retries are off: throttled calls are retried by {@link #execute}, nothing else is. */
    private ApiGatewayManagementApiClient buildClient() {
        ApiGatewayManagementApiClientBuilder builder = ApiGatewayManagementApiClient.builder()
            .endpointOverride(endpoint)
            .httpClient(httpClient != null ? httpClient : UrlConnectionHttpClient.builder()
                .connectionTimeout(connectTimeout)
                .socketTimeout(requestTimeout)
                .build())
            .overrideConfiguration(o -> o
                .retryStrategy(AwsRetryStrategy.doNotRetry())
                .apiCallTimeout(requestTimeout));
        if (region != null) {
            builder.region(region);
        }
        if (credentialsProvider != null) {
            builder.credentialsProvider(credentialsProvider);
        }
        return builder.build();
    }

    /** Settings of a sender; bare-noun setters as in the SDK. */
    public static final class Builder {
        private URI endpoint;
        private Region region;
        private AwsCredentialsProvider credentialsProvider;
        private Duration connectTimeout = Duration.ofSeconds(2);
        private Duration requestTimeout = Duration.ofSeconds(5);
        private Duration backoffBase = Duration.ofMillis(50);
        private Duration backoffCap = Duration.ofSeconds(2);
        private int maxAttempts = 6;
        private SdkHttpClient httpClient;
        private int maxRate = 10_000;
        private ApiGatewayManagementApiClient client;

        private Builder() {}

        /** The management API's base URI, e.g. {@code https://abc123.execute-api.eu-west-1.amazonaws.com/prod}. */
        public Builder endpoint(URI endpoint) {
            this.endpoint = endpoint;
            return this;
        }

        /** The signing region; {@code null} (the default) takes the SDK's region chain ({@code AWS_REGION} on Lambda). */
        public Builder region(Region region) {
            this.region = region;
            return this;
        }

        /** {@code null} (the default) takes the SDK's default credentials chain. */
        public Builder credentialsProvider(AwsCredentialsProvider credentialsProvider) {
            this.credentialsProvider = credentialsProvider;
            return this;
        }

        /** Time to open a connection; default 2 s. */
        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = positive(connectTimeout, "connectTimeout");
            return this;
        }

        /** Time for one call, from sending to the complete answer; default 5 s. */
        public Builder requestTimeout(Duration requestTimeout) {
            this.requestTimeout = positive(requestTimeout, "requestTimeout");
            return this;
        }

        /** The first retry of a throttled call waits up to this long; default 50 ms. */
        public Builder backoffBase(Duration backoffBase) {
            this.backoffBase = positive(backoffBase, "backoffBase");
            return this;
        }

        /** No retry waits longer than this; default 2 s. */
        public Builder backoffCap(Duration backoffCap) {
            this.backoffCap = positive(backoffCap, "backoffCap");
            return this;
        }

        /** Attempts per throttled call, the first included; default 6. */
        public Builder maxAttempts(int maxAttempts) {
            if (maxAttempts < 1) {
                throw new IllegalArgumentException("maxAttempts must be at least 1: " + maxAttempts);
            }
            this.maxAttempts = maxAttempts;
            return this;
        }

        /**
         * The most calls per second this sender makes, and where its adaptive rate starts: the account's
         * {@code @connections} quota ({@code SWITCHBOARD_CONNECTIONS_RPS}); default 10,000. 0 turns pacing off.
         */
        public Builder maxRate(int maxRate) {
            if (maxRate < 0) {
                throw new IllegalArgumentException("maxRate must not be negative: " + maxRate);
            }
            this.maxRate = maxRate;
            return this;
        }

        /**
         * The HTTP client under the SDK client; default: the JDK's URL connection with the timeouts above. Benchmarks
         * and tests put a simulated {@code @connections} endpoint here.
         */
        public Builder httpClient(SdkHttpClient httpClient) {
            this.httpClient = httpClient;
            return this;
        }

        /**
         * A ready-made SDK client instead of the one this sender would build (the endpoint, region, credentials,
         * timeouts and HTTP client above are then not used): benchmarks model {@code @connections} behind the SDK
         * client's interface with it.
         */
        public Builder client(ApiGatewayManagementApiClient client) {
            this.client = client;
            return this;
        }

        public ApiGatewayConnectionSender build() {
            return new ApiGatewayConnectionSender(this);
        }

        private static Duration positive(Duration d, String name) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " must be positive: " + d);
            }
            return d;
        }
    }
}
