package io.switchboard.aws;

import io.switchboard.core.spi.ConnectionSender;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.apigatewaymanagementapi.ApiGatewayManagementApiClient;
import software.amazon.awssdk.services.apigatewaymanagementapi.ApiGatewayManagementApiClientBuilder;
import software.amazon.awssdk.services.apigatewaymanagementapi.model.GoneException;
import software.amazon.awssdk.services.apigatewaymanagementapi.model.LimitExceededException;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * The {@link ConnectionSender} of the cloud (and of the local gateway, which serves the same API): API Gateway's
 * {@code @connections} management API through the SDK client on the JDK's URL connection.
 *
 * <p>410 {@code GoneException} is reported as {@link SendResult#GONE}. Throttling (429 {@code LimitExceededException})
 * is retried here with full-jitter exponential backoff; the SDK's own retries are off, so the backoff and the
 * counters are ours. Other failures are not retried — a post whose answer was lost may have been delivered — and end
 * as {@link SendResult#FAILED}. Every outcome is counted ({@link #stats()}); failures are logged with the connection
 * id and error code, never the frame. The SDK client is built on the first call and then shared; thread-safe.
 */
public final class ApiGatewayConnectionSender implements ConnectionSender {

    /** Counters since the sender was built: outcomes of {@link #send} and throttled calls retried (sends and closes). */
    public record SendStats(long delivered, long gone, long failed, long retries) {}

    private static final Logger LOG = LoggerFactory.getLogger(ApiGatewayConnectionSender.class);

    private final URI endpoint;
    private final Region region;
    private final AwsCredentialsProvider credentialsProvider;
    private final Duration connectTimeout;
    private final Duration requestTimeout;
    private final long backoffBaseMillis;
    private final long backoffCapMillis;
    private final int maxAttempts;
    private volatile ApiGatewayManagementApiClient client;

    private final LongAdder delivered = new LongAdder();
    private final LongAdder gone = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final LongAdder retries = new LongAdder();

    private ApiGatewayConnectionSender(Builder b) {
        this.endpoint = Objects.requireNonNull(b.endpoint, "endpoint");
        this.region = b.region;
        this.credentialsProvider = b.credentialsProvider;
        this.connectTimeout = b.connectTimeout;
        this.requestTimeout = b.requestTimeout;
        this.backoffBaseMillis = b.backoffBase.toMillis();
        this.backoffCapMillis = b.backoffCap.toMillis();
        this.maxAttempts = b.maxAttempts;
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
        SdkBytes data = SdkBytes.fromUtf8String(frame);
        SendResult result = execute("PostToConnection", connectionId,
            c -> c.postToConnection(b -> b.connectionId(connectionId).data(data)));
        switch (result) {
            case DELIVERED -> delivered.increment();
            case GONE -> gone.increment();
            case FAILED -> failed.increment();
        }
        return result;
    }

    /** Deletes the connection; one already gone is fine, other failures are logged, never thrown. */
    @Override
    public void close(String connectionId) {
        execute("DeleteConnection", connectionId, c -> c.deleteConnection(b -> b.connectionId(connectionId)));
    }

    /** A snapshot of the counters. */
    public SendStats stats() {
        return new SendStats(delivered.sum(), gone.sum(), failed.sum(), retries.sum());
    }

    private SendResult execute(String operation, String connectionId, Consumer<ApiGatewayManagementApiClient> call) {
        ApiGatewayManagementApiClient c = client();
        for (int attempt = 1; ; attempt++) {
            try {
                call.accept(c);
                if (attempt > 1) {
                    LOG.atWarn().addKeyValue("operation", operation).addKeyValue("connection_id", connectionId)
                        .addKeyValue("attempts", attempt).log("throttled call succeeded after retries");
                }
                return SendResult.DELIVERED;
            } catch (GoneException e) {
                LOG.atWarn().addKeyValue("operation", operation).addKeyValue("connection_id", connectionId)
                    .log("connection is gone");
                return SendResult.GONE;
            } catch (AwsServiceException e) {
                if (isThrottling(e) && attempt < maxAttempts) {
                    retries.increment();
                    LOG.atDebug().addKeyValue("operation", operation).addKeyValue("connection_id", connectionId)
                        .addKeyValue("attempt", attempt).log("throttled; retrying");
                    if (pause(attempt)) {
                        continue;
                    }
                }
                logFailure(operation, connectionId, attempt, e.statusCode(), errorCode(e), e);
                return SendResult.FAILED;
            } catch (SdkException e) {
                logFailure(operation, connectionId, attempt, 0, e.getClass().getSimpleName(), e);
                return SendResult.FAILED;
            }
        }
    }

    private static boolean isThrottling(AwsServiceException e) {
        return e instanceof LimitExceededException || e.isThrottlingException(); // the latter covers any 429
    }

    /** Sleeps a random time up to {@code min(cap, base * 2^(attempt-1))}; {@code false} when interrupted. */
    private boolean pause(int attempt) {
        long ceiling = Math.min(backoffCapMillis, backoffBaseMillis << Math.min(attempt - 1, 30));
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(ceiling + 1));
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void logFailure(String operation, String connectionId, int attempts, int statusCode, String errorCode,
                                   SdkException e) {
        // The SDK's messages name the service, status and request id, never the request body.
        LOG.atWarn().addKeyValue("operation", operation).addKeyValue("connection_id", connectionId)
            .addKeyValue("attempts", attempts).addKeyValue("status_code", statusCode).addKeyValue("error_code", errorCode)
            .addKeyValue("error", e.getMessage()).log("call to @connections failed");
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
            .httpClient(UrlConnectionHttpClient.builder()
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
