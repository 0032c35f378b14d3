package io.switchboard.core.auth;

import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import io.switchboard.core.config.AuthConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;

import static io.switchboard.core.auth.TestIssuer.COGNITO_ISSUER;
import static io.switchboard.core.auth.TestIssuer.COGNITO_POOL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Cognito and OIDC tokens signed with keys made here, their JWKS served from 127.0.0.1: signature, algorithm,
 * key rotation, issuer, audience, expiry with clock skew, and the identity handlers see.
 */
class JwtAuthProvidersTest {
    private static final String CLIENT = "app-client-1";

    private TestIssuer issuer;
    private CognitoAuthProvider cognito;
    private OidcAuthProvider oidc;
    private final Instant now = Instant.now();

    @BeforeEach
    void start() throws IOException {
        issuer = new TestIssuer();
        cognito = new CognitoAuthProvider(new AuthConfig.Cognito(COGNITO_POOL, "us-east-1", "app-client-[0-9]+",
            issuer.cognitoJwks()), Clock.systemUTC());
        oidc = new OidcAuthProvider(new AuthConfig.Oidc(issuer.oidcIssuer(), CLIENT, 0, 0, null), Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        issuer.close();
    }

    private static AuthRequest request(String authorization) {
        return new AuthRequest(Operation.SUBSCRIBE, Headers.of(authorization == null ? Map.of()
            : Map.of("Authorization", authorization)), "default", "/default/*", () -> "{}");
    }

    private AuthDecision cognito(String token) {
        AuthRequest request = request(token);
        assertTrue(cognito.recognizes(request), "a token of the pool's issuer is recognized");
        return cognito.authorize(request);
    }

    private AuthDecision oidc(String token) {
        AuthRequest request = request(token);
        assertTrue(oidc.recognizes(request), "a token of the issuer is recognized");
        return oidc.authorize(request);
    }

    private static void assertDenied(AuthDecision decision, String message) {
        assertFalse(decision.allowed(), () -> "expected a refusal: " + decision);
        assertEquals("UnauthorizedException", decision.errorType());
        assertEquals(message, decision.message());
    }

    // ------------------------------------------------------------------ Cognito

    @Test
    void cognito_accessTokenRs256_allowedWithAppSyncIdentity() {
        AuthDecision decision = cognito(TestIssuer.sign(issuer.rsa, TestIssuer.cognitoAccess(COGNITO_ISSUER, CLIENT, now)));
        assertTrue(decision.allowed(), decision::toString);
        assertEquals(AuthMode.AMAZON_COGNITO_USER_POOLS, decision.mode());
        Map<String, Object> identity = decision.identity();
        assertEquals("sub-alice", identity.get("sub"));
        assertEquals(COGNITO_ISSUER, identity.get("issuer"));
        assertEquals("alice", identity.get("username"));
        assertEquals(List.of("readers"), identity.get("groups"));
        assertEquals("access", ((Map<?, ?>) identity.get("claims")).get("token_use"));
        assertEquals("ALLOW", identity.get("defaultAuthStrategy"));
    }

    @Test
    void cognito_idTokenEs256WithBearer_allowed() {
        String token = TestIssuer.sign(issuer.ec, TestIssuer.cognitoId(COGNITO_ISSUER, "app-client-7", now));
        AuthDecision decision = cognito("Bearer " + token);
        assertTrue(decision.allowed(), decision::toString);
        assertEquals("alice", decision.identity().get("username"));
        assertFalse(decision.identity().containsKey("groups"), "no cognito:groups, no groups");
    }

    @Test
    void cognito_clientNotMatchingRegex_refused() {
        assertDenied(cognito(TestIssuer.sign(issuer.rsa, TestIssuer.cognitoAccess(COGNITO_ISSUER, "other-client", now))),
            "The token was issued to an app client this API does not accept");
        assertDenied(cognito(TestIssuer.sign(issuer.rsa, TestIssuer.cognitoId(COGNITO_ISSUER, "app-client-x", now))),
            "The token was issued to an app client this API does not accept");
    }

    @Test
    void cognito_tokenOfAnotherPool_notRecognized() {
        String other = TestIssuer.sign(issuer.rsa, TestIssuer.cognitoAccess(
            "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Other", CLIENT, now));
        assertFalse(cognito.recognizes(request(other)));
        assertFalse(cognito.recognizes(request("opaque-lambda-token")));
        assertFalse(cognito.recognizes(request(null)));
    }

    @Test
    void cognito_noTokenUse_refused() {
        JWTClaimsSet claims = new JWTClaimsSet.Builder(TestIssuer.cognitoAccess(COGNITO_ISSUER, CLIENT, now))
            .claim("token_use", null).build();
        assertDenied(cognito(TestIssuer.sign(issuer.rsa, claims)), "The token is not a Cognito ID or access token (token_use)");
    }

    // ------------------------------------------------------------------ signatures and keys

    @Test
    void algNone_refused() {
        assertDenied(cognito(TestIssuer.unsigned(TestIssuer.cognitoAccess(COGNITO_ISSUER, CLIENT, now))),
            "Unsigned JWT (alg none) refused");
    }

    @Test
    void hmacSignedWithThePublicKey_refused() {
        assertDenied(cognito(TestIssuer.hmacWithPublicKey(issuer.rsa, TestIssuer.cognitoAccess(COGNITO_ISSUER, CLIENT, now))),
            "JWT algorithm HS256 is not accepted: tokens must be signed with RSA or ECDSA (RS256, ES256, ...)");
    }

    @Test
    void signedByAnotherKeyWithTheSameKid_refused() {
        RSAKey impostor = TestIssuer.generateRsa("rsa-1");
        assertDenied(cognito(TestIssuer.sign(impostor, TestIssuer.cognitoAccess(COGNITO_ISSUER, CLIENT, now))),
            "The JWT signature is invalid");
    }

    @Test
    void tamperedPayload_refused() {
        String token = TestIssuer.sign(issuer.rsa, TestIssuer.cognitoAccess(COGNITO_ISSUER, CLIENT, now));
        String[] parts = token.split("\\.");
        String forged = TestIssuer.unsigned(new JWTClaimsSet.Builder(TestIssuer.cognitoAccess(COGNITO_ISSUER, CLIENT, now))
            .subject("sub-mallory").build()).split("\\.")[1];
        assertDenied(cognito(parts[0] + "." + forged + "." + parts[2]), "The JWT signature is invalid");
    }

    @Test
    void rotatedKey_newKidRefetchesTheJwks() {
        assertTrue(cognito(TestIssuer.sign(issuer.rsa, TestIssuer.cognitoAccess(COGNITO_ISSUER, CLIENT, now))).allowed());
        assertEquals(1, issuer.jwksFetches());
        assertTrue(cognito(TestIssuer.sign(issuer.rsa, TestIssuer.cognitoAccess(COGNITO_ISSUER, CLIENT, now))).allowed());
        assertEquals(1, issuer.jwksFetches(), "cached");

        RSAKey rotated = TestIssuer.generateRsa("rsa-2");
        issuer.publish(rotated, issuer.ec);
        AuthDecision decision = cognito(TestIssuer.sign(rotated, TestIssuer.cognitoAccess(COGNITO_ISSUER, CLIENT, now)));
        assertTrue(decision.allowed(), decision::toString);
        assertEquals(2, issuer.jwksFetches(), "an unknown kid refetches the JWKS once");
    }

    @Test
    void unknownKidAfterRefresh_refused_andRefetchesAreRateLimited() {
        ECKey stranger = TestIssuer.generateEc("not-published");
        for (int i = 0; i < 5; i++) {
            assertDenied(cognito(TestIssuer.sign(stranger, TestIssuer.cognitoAccess(COGNITO_ISSUER, CLIENT, now))),
                "The JWT's signing key (kid) is not in the issuer's JWKS");
        }
        assertTrue(issuer.jwksFetches() <= 2, "made-up key ids cannot hammer the issuer: " + issuer.jwksFetches());
    }

    @Test
    void jwksUnreachable_refusedWithRetryHint() {
        CognitoAuthProvider unreachable = new CognitoAuthProvider(new AuthConfig.Cognito(COGNITO_POOL, "us-east-1", null,
            "http://127.0.0.1:1/.well-known/jwks.json"), Clock.systemUTC());
        AuthDecision decision = unreachable.authorize(request(TestIssuer.sign(issuer.rsa,
            TestIssuer.cognitoAccess(COGNITO_ISSUER, CLIENT, now))));
        assertDenied(decision, "The issuer's signing keys (JWKS) could not be fetched; try again");
    }

    // ------------------------------------------------------------------ time

    @Test
    void expiry_honoursSixtySecondsOfClockSkew() {
        JWTClaimsSet justExpired = new JWTClaimsSet.Builder(TestIssuer.cognitoAccess(COGNITO_ISSUER, CLIENT, now.minusSeconds(3600)))
            .expirationTime(Date.from(now.minusSeconds(30))).build();
        assertTrue(cognito(TestIssuer.sign(issuer.rsa, justExpired)).allowed(), "30 s past exp is within the skew");
        JWTClaimsSet expired = new JWTClaimsSet.Builder(justExpired).expirationTime(Date.from(now.minusSeconds(120))).build();
        assertDenied(cognito(TestIssuer.sign(issuer.rsa, expired)), "Token has expired.");
    }

    @Test
    void issuedInTheFutureOrNotYetValid_refusedBeyondTheSkew() {
        JWTClaimsSet soon = new JWTClaimsSet.Builder(TestIssuer.cognitoAccess(COGNITO_ISSUER, CLIENT, now))
            .issueTime(Date.from(now.plusSeconds(30))).build();
        assertTrue(cognito(TestIssuer.sign(issuer.rsa, soon)).allowed());
        JWTClaimsSet future = new JWTClaimsSet.Builder(soon).issueTime(Date.from(now.plusSeconds(600))).build();
        assertDenied(cognito(TestIssuer.sign(issuer.rsa, future)), "Token was issued in the future (iat); check the clocks");
        JWTClaimsSet notYet = new JWTClaimsSet.Builder(TestIssuer.cognitoAccess(COGNITO_ISSUER, CLIENT, now))
            .notBeforeTime(Date.from(now.plusSeconds(600))).build();
        assertDenied(cognito(TestIssuer.sign(issuer.rsa, notYet)), "Token is not valid yet (nbf)");
    }

    @Test
    void noExp_refused() {
        JWTClaimsSet claims = new JWTClaimsSet.Builder(TestIssuer.cognitoAccess(COGNITO_ISSUER, CLIENT, now))
            .expirationTime(null).build();
        assertDenied(cognito(TestIssuer.sign(issuer.rsa, claims)), "The JWT has no exp claim");
    }

    // ------------------------------------------------------------------ OIDC

    @Test
    void oidc_discoveredJwks_allowedWithIdentity() {
        AuthDecision decision = oidc(TestIssuer.sign(issuer.rsa, TestIssuer.oidc(issuer.oidcIssuer(), CLIENT, now, Map.of())));
        assertTrue(decision.allowed(), decision::toString);
        assertEquals(AuthMode.OPENID_CONNECT, decision.mode());
        assertEquals("sub-bob", decision.identity().get("sub"));
        assertEquals(issuer.oidcIssuer(), decision.identity().get("issuer"));
        assertEquals(CLIENT, ((Map<?, ?>) decision.identity().get("claims")).get("aud"));
        assertEquals(Map.of("sub", "sub-bob", "issuer", issuer.oidcIssuer()).keySet(),
            Map.copyOf(decision.identity()).keySet().stream().filter(k -> !k.equals("claims")).collect(java.util.stream.Collectors.toSet()));
    }

    @Test
    void oidc_withoutDiscovery_fallsBackToWellKnownJwks() {
        issuer.discovery(false);
        AuthDecision decision = oidc(TestIssuer.sign(issuer.ec, TestIssuer.oidc(issuer.oidcIssuer(), CLIENT, now, Map.of())));
        assertTrue(decision.allowed(), decision::toString);
    }

    @Test
    void oidc_wrongAudience_refused() {
        assertDenied(oidc(TestIssuer.sign(issuer.rsa, TestIssuer.oidc(issuer.oidcIssuer(), "someone-else", now, Map.of()))),
            "The token's audience (aud) is not a client id this API accepts");
    }

    @Test
    void oidc_wrongIssuer_notRecognized() {
        String token = TestIssuer.sign(issuer.rsa, TestIssuer.oidc("https://evil.example.com", CLIENT, now, Map.of()));
        assertFalse(oidc.recognizes(request(token)));
    }

    @Test
    void oidc_iatAndAuthTtl_enforced() {
        OidcAuthProvider strict = new OidcAuthProvider(new AuthConfig.Oidc(issuer.oidcIssuer(), null, 300, 600,
            issuer.base() + "/oidc/.well-known/jwks.json"), Clock.systemUTC());
        JWTClaimsSet fresh = TestIssuer.oidc(issuer.oidcIssuer(), "any", now, Map.of("auth_time", now.getEpochSecond()));
        assertTrue(strict.authorize(request(TestIssuer.sign(issuer.rsa, fresh))).allowed());
        JWTClaimsSet old = new JWTClaimsSet.Builder(fresh).issueTime(Date.from(now.minusSeconds(1000))).build();
        assertDenied(strict.authorize(request(TestIssuer.sign(issuer.rsa, old))),
            "Token has expired (iat is more than 300 seconds ago).");
        JWTClaimsSet oldLogin = new JWTClaimsSet.Builder(fresh).claim("auth_time", now.minusSeconds(2000).getEpochSecond()).build();
        assertDenied(strict.authorize(request(TestIssuer.sign(issuer.rsa, oldLogin))),
            "Token has expired (auth_time is more than 600 seconds ago).");
        JWTClaimsSet noLogin = new JWTClaimsSet.Builder(fresh).claim("auth_time", null).build();
        assertDenied(strict.authorize(request(TestIssuer.sign(issuer.rsa, noLogin))),
            "The JWT has no auth_time claim, which this API requires");
    }

    @Test
    void garbage_isNeitherRecognizedNorEchoed() {
        for (String token : List.of("", "Bearer ", "a.b.c", "not-a-jwt", "x".repeat(20_000) + ".a.b")) {
            assertFalse(cognito.recognizes(request(token)));
            assertFalse(oidc.recognizes(request(token)));
        }
        AuthDecision decision = oidc.authorize(request("Bearer a.b.c"));
        assertDenied(decision, "The Authorization token is not a valid JWT");
        assertDenied(oidc.authorize(request(null)), "Missing Authorization token");
    }
}
