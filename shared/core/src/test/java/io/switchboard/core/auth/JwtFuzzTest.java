package io.switchboard.core.auth;

import com.code_intelligence.jazzer.api.BugDetectors;
import com.code_intelligence.jazzer.api.SilentCloseable;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.ECKey;
import io.switchboard.core.config.AuthConfig;
import org.junit.jupiter.api.AfterAll;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Set;

import static io.switchboard.core.auth.TestIssuer.COGNITO_ISSUER;
import static io.switchboard.core.auth.TestIssuer.COGNITO_POOL;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * Fuzzes JWT handling of the Cognito and OIDC modes, with a {@link TestIssuer} serving the JWKS on 127.0.0.1.
 * {@link #authorizationHeader}: the input is an {@code Authorization} value (garbage, {@code Bearer }, three dots,
 * broken base64, huge) given to {@link AuthService} with Cognito, OIDC and Lambda-less providers — no exception may
 * escape, a denial never echoes the token. {@link #signedClaims}: the input is a JWS payload (claims JSON or not),
 * correctly signed with the issuer's key, so that the claim checks after the signature (iss, exp, nbf, iat,
 * token_use, aud, client_id, groups) are fuzzed too.
 *
 * <p>Seeds: {@code src/test/resources/io/switchboard/core/auth/JwtFuzzTestInputs/<method>/}.
 */
class JwtFuzzTest {
    /** The claims seeds are valid around this instant (exp 2030-01-01). */
    static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    private static final TestIssuer ISSUER;
    private static final ECKey KEY = TestIssuer.generateEc("fuzz-ec");
    private static final AuthService AUTH;

    static {
        try {
            ISSUER = new TestIssuer();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ISSUER.publish(KEY);
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        CognitoAuthProvider cognito = new CognitoAuthProvider(new AuthConfig.Cognito(COGNITO_POOL, "us-east-1",
            "app-client-[0-9]+", ISSUER.cognitoJwks()), clock);
        OidcAuthProvider oidc = new OidcAuthProvider(new AuthConfig.Oidc(ISSUER.oidcIssuer(), "client-1", 3600, 3600,
            null), clock);
        AUTH = new AuthService(java.util.List.of(cognito, oidc));
    }

    @AfterAll
    static void stop() {
        ISSUER.close();
    }

    /**
     * Jazzer's SSRF detector stays on: the only connection a token may cause is the JWKS fetch from the configured
     * issuer (found by fuzzing: without this the detector reports that expected fetch); a token that made the
     * verifier connect anywhere else (a {@code jku} or {@code x5u} header, say) would be a finding.
     */
    private static SilentCloseable onlyTheIssuer() {
        int port = java.net.URI.create(ISSUER.base()).getPort();
        return BugDetectors.allowNetworkConnections((host, p) -> p == port
            && (host.equals("127.0.0.1") || host.equals("localhost")));
    }

    @FuzzTest
    void authorizationHeader(byte[] input) {
        try (SilentCloseable allowed = onlyTheIssuer()) {
            authorizationHeaderOf(input);
        }
    }

    private void authorizationHeaderOf(byte[] input) {
        String authorization = new String(input, StandardCharsets.UTF_8);
        JwtVerifier.token(authorization);
        JwtVerifier.unverifiedIssuer(authorization);
        AuthDecision decision = authorize(authorization);
        if (!decision.allowed()) {
            String token = JwtVerifier.token(authorization);
            if (token != null && token.length() >= 24) {
                assertFalse(decision.message().contains(token), "a denial never echoes the token");
            }
        }
    }

    @FuzzTest
    void signedClaims(byte[] payload) throws JOSEException {
        try (SilentCloseable allowed = onlyTheIssuer()) {
            signedClaimsOf(payload);
        }
    }

    private void signedClaimsOf(byte[] payload) throws JOSEException {
        JWSObject jws = new JWSObject(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(KEY.getKeyID()).build(),
            new Payload(payload));
        jws.sign(new ECDSASigner(KEY));
        authorize(jws.serialize());
        authorize("Bearer " + jws.serialize());
    }

    private static AuthDecision authorize(String authorization) {
        AuthRequest request = new AuthRequest(Operation.SUBSCRIBE, Headers.of(Map.of("Authorization", authorization)),
            "default", "/default/*", () -> "{}");
        AuthDecision decision = AUTH.authorize(request, Set.of(AuthMode.AMAZON_COGNITO_USER_POOLS, AuthMode.OPENID_CONNECT));
        assertNotNull(decision);
        if (!decision.allowed()) {
            assertNotNull(decision.errorType());
            assertNotNull(decision.message());
        } else {
            assertNotNull(decision.identity());
        }
        return decision;
    }
}
