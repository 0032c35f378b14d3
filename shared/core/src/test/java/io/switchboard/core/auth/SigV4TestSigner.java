package io.switchboard.core.auth;

import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Signs what AppSync clients sign, with the AWS SDK's own SigV4 signer: {@code POST https://<host>/event} with the
 * headers of {@code protocol.md} §4.4 and the operation's body. The result is the header map a client sends (the
 * {@code authorization} object of a frame, or HTTP headers).
 */
public final class SigV4TestSigner {
    public static final String ACCESS_KEY = "AKIDSWITCHBOARDTEST1";
    public static final String SECRET_KEY = "switchboard/test/secret+key/0123456789abcdef";
    public static final String SESSION_TOKEN = "IQoJb3JpZ2luX2VjEXAMPLE-session-token//test";
    public static final String REGION = "us-east-1";
    public static final String HOST = "abc.appsync-api.us-east-1.amazonaws.com";

    private final String accessKey;
    private final String secretKey;
    private final String sessionToken;
    private String service = "appsync";
    private String region = REGION;
    private String host = HOST;
    private Instant at;

    private SigV4TestSigner(String accessKey, String secretKey, String sessionToken) {
        this.accessKey = accessKey;
        this.secretKey = secretKey;
        this.sessionToken = sessionToken;
    }

    /** The test credentials, as temporary credentials (with a session token). */
    public static SigV4TestSigner session() {
        return new SigV4TestSigner(ACCESS_KEY, SECRET_KEY, SESSION_TOKEN);
    }

    public static SigV4TestSigner with(String accessKey, String secretKey, String sessionToken) {
        return new SigV4TestSigner(accessKey, secretKey, sessionToken);
    }

    public static IamCredentials credentials() {
        return IamCredentials.of(ACCESS_KEY, SECRET_KEY, SESSION_TOKEN);
    }

    public SigV4TestSigner service(String service) {
        this.service = service;
        return this;
    }

    public SigV4TestSigner region(String region) {
        this.region = region;
        return this;
    }

    public SigV4TestSigner host(String host) {
        this.host = host;
        return this;
    }

    /** Signs as at {@code instant} instead of now. */
    public SigV4TestSigner at(Instant instant) {
        this.at = instant;
        return this;
    }

    /** The headers of {@code POST /event} with {@code body}, signed. */
    public Map<String, String> sign(String body) {
        SdkHttpRequest request = SdkHttpRequest.builder()
            .method(SdkHttpMethod.POST)
            .uri(URI.create("https://" + host + "/event"))
            .putHeader("accept", "application/json, text/javascript")
            .putHeader("content-encoding", "amz-1.0")
            .putHeader("content-type", "application/json; charset=UTF-8")
            .putHeader("host", host)
            .build();
        AwsCredentialsIdentity identity = sessionToken == null ? AwsCredentialsIdentity.create(accessKey, secretKey)
            : AwsSessionCredentialsIdentity.create(accessKey, secretKey, sessionToken);
        Clock clock = at == null ? Clock.systemUTC() : Clock.fixed(at, ZoneOffset.UTC);
        SignedRequest signed = AwsV4HttpSigner.create().sign(r -> r
            .identity(identity)
            .request(request)
            .payload(ContentStreamProvider.fromUtf8String(body))
            .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, service)
            .putProperty(AwsV4HttpSigner.REGION_NAME, region)
            .putProperty(HttpSigner.SIGNING_CLOCK, clock));
        Map<String, String> headers = new LinkedHashMap<>();
        signed.request().headers().forEach((name, values) -> headers.put(name, String.join(",", values)));
        return headers;
    }
}
