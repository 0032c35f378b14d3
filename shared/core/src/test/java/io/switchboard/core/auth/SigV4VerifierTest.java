package io.switchboard.core.auth;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.switchboard.core.auth.SigV4TestSigner.ACCESS_KEY;
import static io.switchboard.core.auth.SigV4TestSigner.SECRET_KEY;
import static io.switchboard.core.auth.SigV4TestSigner.SESSION_TOKEN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** SigV4 signatures made by the AWS SDK's signer, verified (or refused) by {@link SigV4Verifier}. */
class SigV4VerifierTest {
    private static final String SUBSCRIBE = "{\"channel\":\"/default/*\"}";
    private static final String PUBLISH = "{\"channel\":\"/default/a\",\"events\":[\"{\\\"a\\\":1}\"]}";

    private final SigV4Verifier verifier = new SigV4Verifier(SigV4TestSigner.credentials(), "us-east-1", Clock.systemUTC());

    private SigV4Verifier.Signature verify(Map<String, String> headers, String body) throws SigV4Verifier.Failure {
        return verifier.verify("POST", "/event", null, Headers.of(headers), List.of(body));
    }

    private SigV4Verifier.Failure refused(Map<String, String> headers, String body) {
        SigV4Verifier.Failure f = assertThrows(SigV4Verifier.Failure.class, () -> verify(headers, body));
        assertFalse(f.getMessage().contains(SECRET_KEY) || f.getMessage().contains(SESSION_TOKEN), f.getMessage());
        return f;
    }

    @ParameterizedTest
    @ValueSource(strings = {"{}", SUBSCRIBE, PUBLISH, ""})
    void verify_sdkSignedForAppSync_accepted(String body) throws Exception {
        SigV4Verifier.Signature signature = verify(SigV4TestSigner.session().sign(body), body);
        assertEquals(ACCESS_KEY, signature.accessKeyId());
        assertEquals("appsync", signature.service());
        assertTrue(signature.signedHeaders().containsAll(List.of("accept", "content-encoding", "content-type", "host",
            "x-amz-date", "x-amz-security-token")), signature.signedHeaders().toString());
    }

    @Test
    void verify_executeApiServiceAndLowercasedHeaders_accepted() throws Exception {
        Map<String, String> lower = new HashMap<>();
        SigV4TestSigner.session().service("execute-api").sign(PUBLISH).forEach((k, v) -> lower.put(k.toLowerCase(), v));
        assertEquals("execute-api", verify(lower, PUBLISH).service());
    }

    @Test
    void verify_longTermCredentials_acceptedWithoutToken() throws Exception {
        SigV4Verifier longTerm = new SigV4Verifier(IamCredentials.of(ACCESS_KEY, SECRET_KEY, null), null, Clock.systemUTC());
        Map<String, String> headers = SigV4TestSigner.with(ACCESS_KEY, SECRET_KEY, null).region("eu-west-3").sign("{}");
        assertEquals("eu-west-3", longTerm.verify("POST", "/event", null, Headers.of(headers), List.of("{}")).region());
    }

    @Test
    void verify_tamperedBody_refused() {
        Map<String, String> headers = SigV4TestSigner.session().sign(PUBLISH);
        SigV4Verifier.Failure f = refused(headers, PUBLISH.replace("1", "2"));
        assertEquals(SigV4Verifier.Reason.MISMATCH, f.reason());
        assertTrue(f.getMessage().startsWith("The request signature we calculated does not match"), f.getMessage());
    }

    @Test
    void verify_tamperedSignedHeader_refused() {
        Map<String, String> headers = new HashMap<>(SigV4TestSigner.session().sign(PUBLISH));
        headers.put("Host", "evil.example.com");
        assertEquals(SigV4Verifier.Reason.MISMATCH, refused(headers, PUBLISH).reason());
    }

    @Test
    void verify_wrongSecret_refused() {
        Map<String, String> headers = SigV4TestSigner.with(ACCESS_KEY, "another-secret", SESSION_TOKEN).sign("{}");
        assertEquals(SigV4Verifier.Reason.MISMATCH, refused(headers, "{}").reason());
    }

    @Test
    void verify_staleOrFutureDate_refused() {
        Instant now = Instant.now();
        for (Instant at : List.of(now.minus(Duration.ofMinutes(6)), now.plus(Duration.ofMinutes(6)))) {
            SigV4Verifier.Failure f = refused(SigV4TestSigner.session().at(at).sign("{}"), "{}");
            assertEquals(SigV4Verifier.Reason.EXPIRED, f.reason());
            assertTrue(f.getMessage().startsWith("Signature expired"), f.getMessage());
        }
    }

    @Test
    void verify_dateWithinFiveMinutes_accepted() throws Exception {
        Instant now = Instant.now();
        verify(SigV4TestSigner.session().at(now.minus(Duration.ofMinutes(4))).sign("{}"), "{}");
        verify(SigV4TestSigner.session().at(now.plus(Duration.ofMinutes(4))).sign("{}"), "{}");
    }

    @Test
    void verify_wrongServiceOrRegion_refused() {
        SigV4Verifier.Failure service = refused(SigV4TestSigner.session().service("s3").sign("{}"), "{}");
        assertEquals(SigV4Verifier.Reason.WRONG_SCOPE, service.reason());
        assertEquals("Credential should be scoped to service 'appsync' or 'execute-api', not 's3'", service.getMessage());
        SigV4Verifier.Failure region = refused(SigV4TestSigner.session().region("eu-west-1").sign("{}"), "{}");
        assertEquals("Credential should be scoped to this API's region 'us-east-1', not 'eu-west-1'", region.getMessage());
    }

    @Test
    void verify_unknownAccessKeyOrToken_refused() {
        assertEquals(SigV4Verifier.Reason.UNKNOWN_ACCESS_KEY,
            refused(SigV4TestSigner.with("AKIDSOMEONEELSE", SECRET_KEY, SESSION_TOKEN).sign("{}"), "{}").reason());
        assertEquals(SigV4Verifier.Reason.BAD_SECURITY_TOKEN,
            refused(SigV4TestSigner.with(ACCESS_KEY, SECRET_KEY, "other-token").sign("{}"), "{}").reason());
        assertEquals(SigV4Verifier.Reason.BAD_SECURITY_TOKEN,
            refused(SigV4TestSigner.with(ACCESS_KEY, SECRET_KEY, null).sign("{}"), "{}").reason());
    }

    @Test
    void verify_noCredentialsConfigured_refused() {
        SigV4Verifier none = new SigV4Verifier(null, null, Clock.systemUTC());
        SigV4Verifier.Failure f = assertThrows(SigV4Verifier.Failure.class, () -> none.verify("POST", "/event", null,
            Headers.of(SigV4TestSigner.session().sign("{}")), List.of("{}")));
        assertEquals(SigV4Verifier.Reason.NO_CREDENTIALS, f.reason());
    }

    @Test
    void verify_malformedAuthorization_refusedWithoutEchoingIt() {
        Map<String, String> signed = SigV4TestSigner.session().sign("{}");
        for (String bad : List.of("AWS4-HMAC-SHA256", "AWS4-HMAC-SHA256 Credential=x", "AWS4-HMAC-SHA256x Credential=a/b/c/d/e",
            "AWS4-HMAC-SHA256 Credential=AKID/2024/us-east-1/appsync/aws4_request, SignedHeaders=host;x-amz-date, Signature=abc",
            "AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1/appsync/aws4_request, SignedHeaders=Host, Signature="
                + "a".repeat(64))) {
            Map<String, String> headers = new HashMap<>(signed);
            headers.remove("Authorization");
            headers.put("authorization", bad);
            SigV4Verifier.Failure f = refused(headers, "{}");
            assertEquals(SigV4Verifier.Reason.MALFORMED, f.reason(), bad);
            if (bad.length() > SigV4Verifier.ALGORITHM.length() + 1) {
                assertFalse(f.getMessage().contains(bad.substring(SigV4Verifier.ALGORITHM.length() + 1)), f.getMessage());
            }
        }
    }

    @Test
    void verify_signedHeaderMissing_refused() {
        Map<String, String> headers = new HashMap<>(SigV4TestSigner.session().sign("{}"));
        headers.remove("Content-Encoding");
        headers.remove("content-encoding");
        SigV4Verifier.Failure f = refused(headers, "{}");
        assertEquals("Signed header 'content-encoding' is missing from the request", f.getMessage());
    }

    @Test
    void verify_badDate_refused() {
        Map<String, String> headers = new HashMap<>(SigV4TestSigner.session().sign("{}"));
        headers.remove("X-Amz-Date");
        headers.put("x-amz-date", "2024-01-20T11:55:00Z");
        assertEquals(SigV4Verifier.Reason.MALFORMED, refused(headers, "{}").reason());
    }

    @Test
    void verify_secondCandidateBody_accepted() throws Exception {
        String escaped = PUBLISH.replace("1", "\\u0031");
        Map<String, String> headers = SigV4TestSigner.session().sign(escaped);
        verifier.verify("POST", "/event", null, Headers.of(headers), List.of(PUBLISH, escaped));
    }

    @Test
    void iamAuthProviderBodies_htmlEscapedFormsAfterTheFaithfulOne() {
        assertEquals(List.of("{}"), IamAuthProvider.bodies("{}"));
        assertEquals(List.of("{\"e\":\"<b>&\"}", "{\"e\":\"\\u003cb\\u003e&\"}", "{\"e\":\"\\u003cb\\u003e\\u0026\"}"),
            IamAuthProvider.bodies("{\"e\":\"<b>&\"}"));
    }

    @Test
    void canonicalUriAndQuery_followSigV4() {
        assertEquals("/event", SigV4Verifier.canonicalUri("/event"));
        assertEquals("/", SigV4Verifier.canonicalUri(""));
        assertEquals("/a%2520b", SigV4Verifier.canonicalUri("/a%20b"));
        assertEquals("", SigV4Verifier.canonicalQuery(null));
        assertEquals("a=1&a=2&b=x%20y&c=", SigV4Verifier.canonicalQuery("b=x%20y&a=2&c&a=1"));
    }

    @Test
    void toString_neverShowsSecrets() {
        String text = verifier + " " + SigV4TestSigner.credentials();
        assertFalse(text.contains(SECRET_KEY) || text.contains(SESSION_TOKEN) || text.contains(ACCESS_KEY), text);
    }

    @Test
    void verify_fixedClock_usesIt() throws Exception {
        Instant then = Instant.parse("2024-01-20T11:55:00Z");
        SigV4Verifier past = new SigV4Verifier(SigV4TestSigner.credentials(), "us-east-1", Clock.fixed(then, ZoneOffset.UTC));
        past.verify("POST", "/event", null, Headers.of(SigV4TestSigner.session().at(then).sign("{}")), List.of("{}"));
    }
}
