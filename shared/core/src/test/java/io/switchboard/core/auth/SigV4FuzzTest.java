package io.switchboard.core.auth;

import com.code_intelligence.jazzer.junit.FuzzTest;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fuzzes SigV4 header parsing and verification: only {@link SigV4Verifier.Failure} may escape, and a failure's
 * message never contains the configured secret, session token or the presented signature.
 *
 * <p>{@link #parse}: the input is an {@code Authorization} value. {@link #verify}: the input is a request in lines
 * — {@code Authorization}, {@code x-amz-date}, {@code x-amz-security-token}, path, query, body — checked against
 * the test credentials of {@link SigV4TestSigner} and a fixed clock (2026-01-01T00:00:00Z). Seeds hold correctly signed
 * requests (made by the AWS SDK's signer, {@link SigV4FuzzSeeds}), so the fuzzer starts from inside the verifier.
 *
 * <p>Seeds: {@code src/test/resources/io/switchboard/core/auth/SigV4FuzzTestInputs/<method>/}.
 */
class SigV4FuzzTest {
    static final String SECRET = SigV4TestSigner.SECRET_KEY;
    static final String TOKEN = SigV4TestSigner.SESSION_TOKEN;
    static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    private static final SigV4Verifier VERIFIER = new SigV4Verifier(SigV4TestSigner.credentials(),
        SigV4TestSigner.REGION, Clock.fixed(NOW, ZoneOffset.UTC));

    private static final java.util.concurrent.atomic.AtomicInteger failures = new java.util.concurrent.atomic.AtomicInteger();

    /** The seeds are correctly signed: the verify target reaches the end of the verifier, not only its checks. */
    @Test
    void seedsVerify() throws Exception {
        Path dir = Path.of("src/test/resources/io/switchboard/core/auth/SigV4FuzzTestInputs/verify");
        for (String name : List.of("connect", "subscribe", "publish")) {
            int before = failures.get();
            verify(Files.readAllBytes(dir.resolve(name)));
            assertEquals(before, failures.get(), name + " must verify");
        }
        int before = failures.get();
        verify(Files.readAllBytes(dir.resolve("expired")));
        assertEquals(before + 1, failures.get(), "expired is refused");
    }

    /** Found by fuzzing: {@code SignedHeaders=;} parsed as an empty list of signed headers instead of malformed. */
    @Test
    void parse_emptySignedHeaderNames_areMalformed() {
        String sig = "0123456789abcdef".repeat(4);
        for (String headers : List.of(";", ";;", "host;", ";host", "host;;x-amz-date")) {
            SigV4Verifier.Failure failure = org.junit.jupiter.api.Assertions.assertThrows(SigV4Verifier.Failure.class,
                () -> SigV4Verifier.parse("AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/appsync/aws4_request, "
                    + "SignedHeaders=" + headers + ", Signature=" + sig), headers);
            assertEquals(SigV4Verifier.Reason.MALFORMED, failure.reason());
        }
    }

    private static String sha256(String body) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest(body.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @FuzzTest
    void parse(byte[] input) {
        String authorization = new String(input, StandardCharsets.UTF_8);
        try {
            SigV4Verifier.Signature signature = SigV4Verifier.parse(authorization);
            assertTrue(signature.signature().matches("[0-9a-f]{64}"));
            assertFalse(signature.signedHeaders().isEmpty());
            // toString shows only what identifies the scope, never the signature field (found by fuzzing: comparing
            // with contains() fails when a client repeats the signature's text as a signed header name)
            assertEquals("Signature[" + signature.service() + " " + signature.region() + " " + signature.date() + " "
                + signature.signedHeaders() + "]", signature.toString());
        } catch (SigV4Verifier.Failure e) {
            assertNotNull(e.reason());
            assertNotNull(e.getMessage());
        }
    }

    @FuzzTest
    void verify(byte[] input) {
        String[] lines = new String(input, StandardCharsets.UTF_8).split("\n", 6);
        String authorization = lines[0];
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Authorization", authorization);
        headers.put("accept", "application/json, text/javascript");
        headers.put("content-encoding", "amz-1.0");
        headers.put("content-type", "application/json; charset=UTF-8");
        headers.put("host", SigV4TestSigner.HOST);
        if (lines.length > 1) {
            headers.put("x-amz-date", lines[1]);
        }
        if (lines.length > 2 && !lines[2].isEmpty()) {
            headers.put("x-amz-security-token", lines[2]);
        }
        String path = lines.length > 3 ? lines[3] : "/event";
        String query = lines.length > 4 ? lines[4] : null;
        String body = lines.length > 5 ? lines[5] : "{}";
        headers.put("x-amz-content-sha256", sha256(body));
        try {
            VERIFIER.verify("POST", path, query, Headers.of(headers), List.of(body));
        } catch (SigV4Verifier.Failure e) {
            assertNotNull(e.reason());
            failures.incrementAndGet();
            String message = e.getMessage();
            assertFalse(message.contains(SECRET), "secret in a failure message");
            assertFalse(message.contains(TOKEN), "session token in a failure message");
            int at = authorization.indexOf("Signature=");
            if (at >= 0 && authorization.length() >= at + 10 + 16) {
                String presented = authorization.substring(at + 10).trim();
                if (presented.length() >= 16) {
                    assertFalse(message.contains(presented), "presented signature in a failure message");
                }
            }
        }
    }
}
