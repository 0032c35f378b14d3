package io.switchboard.client;

import java.net.URI;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;

/**
 * SigV4 with the AWS SDK's {@link AwsV4HttpSigner}: signs a {@code POST} of the exact body to the HTTP endpoint, as
 * protocol.md §4.4 says ({@code {}} to connect, {@code {"channel":…}} to subscribe, {@code {"channel":…,"events":[…]}}
 * to publish over the WebSocket, the real body over HTTP). The only class that touches the SDK: it is loaded only
 * when {@link Auth#iam} is called.
 */
final class IamAuth extends Auth {

    private static final AwsV4HttpSigner SIGNER = AwsV4HttpSigner.create();

    private final AwsCredentialsProvider credentials;
    private final String region;
    private final String service;
    private final Clock clock;

    IamAuth(AwsCredentialsProvider credentials, String region, String service, Clock clock) {
        this.credentials = credentials;
        this.region = region;
        this.service = service;
        this.clock = clock;
    }

    @Override
    Map<String, String> headers(URI endpoint, Map<String, String> headers, String body) {
        SdkHttpRequest.Builder request = SdkHttpRequest.builder().method(SdkHttpMethod.POST).uri(endpoint);
        headers.forEach(request::putHeader);
        SignedRequest signed = SIGNER.sign(r -> r
                .identity(credentials.resolveCredentials())
                .request(request.build())
                .payload(ContentStreamProvider.fromUtf8String(body))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, service)
                .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                .putProperty(HttpSigner.SIGNING_CLOCK, clock));
        Map<String, String> out = new LinkedHashMap<>();
        signed.request().forEachHeader((name, values) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            out.put(lower.equals("authorization") ? AUTHORIZATION_HEADER : lower, String.join(",", values));
        });
        return out;
    }

    @Override
    boolean signs() {
        return true;
    }

    @Override
    public String toString() {
        return "Auth[AWS_IAM " + service + " " + region + "]";
    }
}
