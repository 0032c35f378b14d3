package io.switchboard.aws;

import io.switchboard.core.spi.FanOutDispatcher;
import io.switchboard.core.spi.FanOutShard;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.RegionMetadata;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.utils.http.SdkHttpUtils;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Objects;
import java.util.Random;
import java.util.function.Supplier;

/**
 * The cloud's {@link FanOutDispatcher}: one asynchronous invocation of the fan-out function per shard — Lambda's
 * {@code Invoke} with {@code X-Amz-Invocation-Type: Event}, answered 202 once Lambda has queued it — whose payload
 * is the shard's JSON (at most 1 MB, Lambda's limit for asynchronous invocations). Throttling (429) and server errors
 * are retried here with full-jitter backoff; a network failure is retried too (Lambda may then run the shard twice:
 * a duplicate frame is better than a lost one). Anything else, or running out of attempts or time, is a
 * {@link FanOutDispatchException}.
 *
 * <p>This one call is made with the SDK's SigV4 signer, credentials chain and URL-connection client rather than the
 * SDK's Lambda client, whose model of the whole Lambda API would add some 3 MB (1,500 classes) to the functions jar
 * for it. The endpoint is the builder's (the configuration's {@code AWS_ENDPOINT_URL_LAMBDA}, e.g.
 * {@code sam local start-lambda}: the SDK applies that variable to its generated clients only, not to this signed
 * call), else {@code https://lambda.<region>.<partition domain>}. Everything is built on the first call; thread-safe.
 */
public final class LambdaFanOutDispatcher implements FanOutDispatcher {
    private static final Logger LOG = LoggerFactory.getLogger(LambdaFanOutDispatcher.class);

    private final Supplier<String> functionName;
    private final Region region;
    private final URI endpoint;
    private final AwsCredentialsProvider credentialsProvider;
    private final SdkHttpClient httpClient;
    private final int maxAttempts;
    private final long backoffBaseMillis;
    private final long backoffCapMillis;
    private volatile Parts parts;
    private volatile Random jitter;

    /** What the first call builds: the client, the signer, the credentials, where to send. */
    private record Parts(SdkHttpClient http, AwsV4HttpSigner signer, AwsCredentialsProvider credentials, Region region,
                         URI endpoint) {}

    private LambdaFanOutDispatcher(Builder b) {
        this.functionName = Objects.requireNonNull(b.functionName, "functionName");
        this.region = b.region;
        this.endpoint = b.endpoint;
        this.credentialsProvider = b.credentialsProvider;
        this.httpClient = b.httpClient;
        this.maxAttempts = b.maxAttempts;
        this.backoffBaseMillis = b.backoffBase.toMillis();
        this.backoffCapMillis = b.backoffCap.toMillis();
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public void dispatch(FanOutShard shard) {
        dispatch(shard, Long.MAX_VALUE);
    }

    /** As {@link #dispatch(FanOutShard)}; no attempt starts after {@code deadlineNanos}. */
    @Override
    public void dispatch(FanOutShard shard, long deadlineNanos) {
        byte[] payload = shard.toJson();
        if (payload.length > maxShardBytes()) {
            throw new FanOutDispatchException("shard of " + payload.length + " bytes is over the " + maxShardBytes()
                + "-byte payload limit of asynchronous invocations", null);
        }
        String function = functionName.get();
        if (function == null || function.isBlank()) {
            throw new FanOutDispatchException("no fan-out function is configured (SWITCHBOARD_FANOUT_FUNCTION)", null);
        }
        Parts p = parts();
        Exception last = null;
        for (int attempt = 1; attempt <= maxAttempts; attempt++) {
            if (deadlineNanos != Long.MAX_VALUE && deadlineNanos - System.nanoTime() < 100_000_000L) {
                break;
            }
            try {
                int status = invoke(p, function, payload);
                if (status == 202 || status == 200) {
                    return;
                }
                last = new IOException("Lambda answered " + status);
                if (!(status == 429 || status >= 500)) {
                    throw new FanOutDispatchException("Lambda refused the fan-out shard: " + status, last);
                }
            } catch (IOException | UncheckedIOException e) {
                last = e;
            }
            if (attempt < maxAttempts) {
                LOG.atDebug().addKeyValue("attempt", attempt).addKeyValue("error", String.valueOf(last))
                    .log("fan-out invocation failed; retrying");
                if (!pause(attempt)) {
                    break;
                }
            }
        }
        throw new FanOutDispatchException("could not invoke the fan-out function within " + maxAttempts
            + " attempts and the time left", last);
    }

    /** One signed {@code Invoke}; returns the HTTP status (the error type, when any, is in the message of a failure). */
    private static int invoke(Parts p, String function, byte[] payload) throws IOException {
        SdkHttpFullRequest request = SdkHttpFullRequest.builder()
            .method(SdkHttpMethod.POST)
            .uri(p.endpoint())
            .encodedPath(trimSlash(p.endpoint().getRawPath()) + "/2015-03-31/functions/"
                + SdkHttpUtils.urlEncode(function) + "/invocations")
            .putHeader("X-Amz-Invocation-Type", "Event")
            .putHeader("Content-Type", "application/json")
            .putHeader("Content-Length", String.valueOf(payload.length))
            .build();
        SignedRequest signed = p.signer().sign(r -> r.identity(p.credentials().resolveCredentials())
            .request(request)
            .payload(ContentStreamProvider.fromByteArrayUnsafe(payload))
            .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "lambda")
            .putProperty(AwsV4HttpSigner.REGION_NAME, p.region().id()));
        HttpExecuteResponse response = p.http().prepareRequest(HttpExecuteRequest.builder()
            .request(signed.request()).contentStreamProvider(signed.payload().orElse(null)).build()).call();
        if (response.responseBody().isPresent()) {
            try (InputStream body = response.responseBody().get()) {
                body.readAllBytes();
            }
        }
        int status = response.httpResponse().statusCode();
        if (status / 100 != 2) {
            LOG.atDebug().addKeyValue("status_code", status)
                .addKeyValue("error_code", response.httpResponse().firstMatchingHeader("X-Amzn-ErrorType").orElse(""))
                .log("Invoke was refused");
        }
        return status;
    }

    private static String trimSlash(String path) {
        return path == null || path.isEmpty() || path.equals("/") ? "" : path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }

    private boolean pause(int attempt) {
        long ceiling = Math.min(backoffCapMillis, backoffBaseMillis << Math.min(attempt - 1, 30));
        Random r = jitter;
        if (r == null) {
            jitter = r = new Random(new SecureRandom().nextLong()); // not a seed shared by SnapStart restores
        }
        try {
            Thread.sleep(Math.floorMod(r.nextLong(), ceiling + 1));
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private Parts parts() {
        Parts p = parts;
        if (p == null) {
            synchronized (this) {
                p = parts;
                if (p == null) {
                    Region r = region != null ? region : new DefaultAwsRegionProviderChain().getRegion();
                    parts = p = new Parts(
                        httpClient != null ? httpClient : UrlConnectionHttpClient.builder()
                            .connectionTimeout(Duration.ofSeconds(2)).socketTimeout(Duration.ofSeconds(3)).build(),
                        AwsV4HttpSigner.create(),
                        credentialsProvider != null ? credentialsProvider : DefaultCredentialsProvider.builder().build(),
                        r,
                        endpoint != null ? endpoint : endpointOf(r));
                }
            }
        }
        return p;
    }

    /** The regional Lambda endpoint of the region's partition. */
    static URI endpointOf(Region region) {
        RegionMetadata metadata = region.metadata();
        String domain = metadata != null ? metadata.domain() : "amazonaws.com";
        return URI.create("https://lambda." + region.id() + "." + domain);
    }

    /** Settings of a dispatcher; bare-noun setters as in the SDK. */
    public static final class Builder {
        private Supplier<String> functionName;
        private Region region;
        private URI endpoint;
        private AwsCredentialsProvider credentialsProvider;
        private SdkHttpClient httpClient;
        private int maxAttempts = 4;
        private Duration backoffBase = Duration.ofMillis(100);
        private Duration backoffCap = Duration.ofSeconds(2);

        private Builder() {}

        /** The fan-out function: name or ARN, with the alias (SnapStart runs only on published versions). */
        public Builder functionName(String functionName) {
            return functionName(() -> functionName);
        }

        /** The fan-out function, looked up per shard (a worker hands on to the alias it was invoked through). */
        public Builder functionName(Supplier<String> functionName) {
            this.functionName = functionName;
            return this;
        }

        /** {@code null} (the default) takes the SDK's region chain ({@code AWS_REGION} on Lambda). */
        public Builder region(Region region) {
            this.region = region;
            return this;
        }

        /** An endpoint override; {@code null} (the default): the regional endpoint. */
        public Builder endpoint(URI endpoint) {
            this.endpoint = endpoint;
            return this;
        }

        /** {@code null} (the default) takes the SDK's default credentials chain. */
        public Builder credentialsProvider(AwsCredentialsProvider credentialsProvider) {
            this.credentialsProvider = credentialsProvider;
            return this;
        }

        /** The HTTP client; default the JDK's URL connection (2 s to connect, 3 s per answer). */
        public Builder httpClient(SdkHttpClient httpClient) {
            this.httpClient = httpClient;
            return this;
        }

        /** Attempts per shard, the first included; default 4. */
        public Builder maxAttempts(int maxAttempts) {
            if (maxAttempts < 1) {
                throw new IllegalArgumentException("maxAttempts must be at least 1: " + maxAttempts);
            }
            this.maxAttempts = maxAttempts;
            return this;
        }

        /** The first retry waits up to this long; default 100 ms. */
        public Builder backoffBase(Duration backoffBase) {
            this.backoffBase = Objects.requireNonNull(backoffBase);
            return this;
        }

        /** No retry waits longer than this; default 2 s. */
        public Builder backoffCap(Duration backoffCap) {
            this.backoffCap = Objects.requireNonNull(backoffCap);
            return this;
        }

        public LambdaFanOutDispatcher build() {
            return new LambdaFanOutDispatcher(this);
        }
    }
}
