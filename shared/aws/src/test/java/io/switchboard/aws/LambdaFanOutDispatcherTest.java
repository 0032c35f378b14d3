package io.switchboard.aws;

import io.switchboard.core.protocol.FrameCodec;
import io.switchboard.core.spi.FanOutDispatcher.FanOutDispatchException;
import io.switchboard.core.spi.FanOutShard;
import io.switchboard.core.spi.Subscriber;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.regions.Region;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The dispatcher's Invoke requests and its handling of Lambda's answers, against a scripted HTTP client. */
class LambdaFanOutDispatcherTest {
    private static final String ALIAS = "arn:aws:lambda:us-east-1:123456789012:function:sb-FanOutFunction-X:live";
    private static final FanOutShard SHARD = new FanOutShard("/default/a",
        List.of(FanOutShard.part(FrameCodec.quote("{\"a\":1}"))), List.of(new Subscriber("c1=", "s1")), 0);

    record Call(String method, String path, String invocationType, byte[] body) {}

    /** Answers with the scripted statuses in order (202 when the script runs out); records every request. */
    static final class ScriptedLambda implements SdkHttpClient {
        final Deque<Integer> statuses = new ArrayDeque<>();
        final List<Call> calls = new ArrayList<>();
        final List<String> authorizations = new ArrayList<>();

        @Override
        public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
            byte[] body = request.contentStreamProvider().map(p -> {
                try (InputStream in = p.newStream()) {
                    return in.readAllBytes();
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }).orElse(new byte[0]);
            synchronized (this) {
                authorizations.add(request.httpRequest().firstMatchingHeader("Authorization").orElse(""));
                calls.add(new Call(request.httpRequest().method().name(), request.httpRequest().encodedPath(),
                    request.httpRequest().firstMatchingHeader("X-Amz-Invocation-Type").orElse(null), body));
            }
            int status = statuses.isEmpty() ? 202 : statuses.poll();
            String error = status == 429 ? "TooManyRequestsException" : status >= 500 ? "ServiceException"
                : status >= 400 ? "InvalidRequestContentException" : null;
            byte[] answer = (error == null ? "" : "{\"Type\":\"User\",\"message\":\"scripted\"}").getBytes(StandardCharsets.UTF_8);
            SdkHttpResponse.Builder response = SdkHttpResponse.builder().statusCode(status)
                .putHeader("Content-Length", String.valueOf(answer.length));
            if (error != null) {
                response.putHeader("X-Amzn-ErrorType", error);
            }
            HttpExecuteResponse result = HttpExecuteResponse.builder().response(response.build())
                .responseBody(AbortableInputStream.create(new ByteArrayInputStream(answer))).build();
            return new ExecutableHttpRequest() {
                @Override
                public HttpExecuteResponse call() {
                    return result;
                }

                @Override
                public void abort() {
                }
            };
        }

        @Override
        public void close() {
        }
    }

    private static LambdaFanOutDispatcher dispatcher(ScriptedLambda lambda) {
        return LambdaFanOutDispatcher.builder().functionName(ALIAS).region(Region.US_EAST_1)
            .credentialsProvider(TestClients.FAKE_CREDENTIALS).httpClient(lambda)
            .backoffBase(Duration.ofMillis(1)).backoffCap(Duration.ofMillis(5)).build();
    }

    @Test
    void dispatch_invokesTheAliasAsynchronouslyWithTheShardAsPayload() {
        ScriptedLambda lambda = new ScriptedLambda();

        dispatcher(lambda).dispatch(SHARD);

        assertEquals(1, lambda.calls.size());
        Call call = lambda.calls.get(0);
        assertEquals("POST", call.method());
        assertTrue(call.path().startsWith("/2015-03-31/functions/") && call.path().endsWith("/invocations"), call.path());
        assertTrue(call.path().contains(software.amazon.awssdk.utils.http.SdkHttpUtils.urlEncode(ALIAS)), call.path());
        assertEquals("Event", call.invocationType());
        assertArrayEquals(SHARD.toJson(), call.body());
        assertEquals(SHARD, FanOutShard.parse(call.body()));
    }

    @Test
    void dispatch_throttledOrServerError_isRetried() {
        ScriptedLambda lambda = new ScriptedLambda();
        lambda.statuses.addAll(List.of(429, 500, 202));

        dispatcher(lambda).dispatch(SHARD);

        assertEquals(3, lambda.calls.size());
    }

    @Test
    void dispatch_throttledEveryTime_failsAfterMaxAttempts() {
        ScriptedLambda lambda = new ScriptedLambda();
        lambda.statuses.addAll(List.of(429, 429, 429, 429, 429, 429));

        assertThrows(FanOutDispatchException.class, () -> dispatcher(lambda).dispatch(SHARD));
        assertEquals(4, lambda.calls.size());
    }

    @Test
    void dispatch_refused_failsAtOnce() {
        ScriptedLambda lambda = new ScriptedLambda();
        lambda.statuses.add(400);

        assertThrows(FanOutDispatchException.class, () -> dispatcher(lambda).dispatch(SHARD));
        assertEquals(1, lambda.calls.size());
    }

    @Test
    void dispatch_overThePayloadLimit_failsWithoutACall() {
        ScriptedLambda lambda = new ScriptedLambda();
        List<Subscriber> many = new ArrayList<>();
        for (int i = 0; i < 40_000; i++) {
            many.add(new Subscriber("connection-" + i, "subscription-" + i));
        }

        assertThrows(FanOutDispatchException.class, () -> dispatcher(lambda).dispatch(SHARD.withSubscribers(many, 0)));
        assertEquals(0, lambda.calls.size());
    }

    @Test
    void dispatch_isSignedForLambdaInTheRegion() {
        ScriptedLambda lambda = new ScriptedLambda();
        dispatcher(lambda).dispatch(SHARD);
        assertTrue(lambda.authorizations.get(0).startsWith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/"), lambda.authorizations.get(0));
        assertTrue(lambda.authorizations.get(0).contains("/us-east-1/lambda/aws4_request"), lambda.authorizations.get(0));
        assertEquals("https://lambda.us-east-1.amazonaws.com", LambdaFanOutDispatcher.endpointOf(Region.US_EAST_1).toString());
        assertEquals("https://lambda.cn-north-1.amazonaws.com.cn", LambdaFanOutDispatcher.endpointOf(Region.CN_NORTH_1).toString());
    }

    @Test
    void rateLimiter_cutsTheRateInAThrottledWindowAndGrowsItBackOtherwise() throws InterruptedException {
        AdaptiveRateLimiter limiter = new AdaptiveRateLimiter(1000, 10);
        long end = System.nanoTime() + 150_000_000L;
        while (System.nanoTime() < end) {
            limiter.acquire();
        }
        assertEquals(1000, limiter.rate(), 1e-9, "at the ceiling while nothing is throttled");
        limiter.onThrottled();
        Thread.sleep(110);
        limiter.acquire(); // closes the throttled window
        assertTrue(limiter.rate() <= 700, "cut to at most 70 % of what was sent: " + limiter.rate());
        double cut = limiter.rate();
        end = System.nanoTime() + 350_000_000L;
        while (System.nanoTime() < end) {
            limiter.acquire();
        }
        assertTrue(limiter.rate() > cut, "grows back while not throttled: " + limiter.rate() + " after " + cut);
    }
}
