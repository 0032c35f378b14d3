package io.switchboard.core.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.jwk.source.RateLimitReachedException;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URL;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Set;

/**
 * Verifies JWTs of one issuer: an asymmetric JWS signature (RSA or EC; {@code alg: none} and HMAC are refused, so a
 * public key can never serve as an HMAC secret) with a key of the issuer's JWKS, then {@code iss}, {@code exp},
 * {@code nbf} and {@code iat} with {@link #CLOCK_SKEW} of tolerance. The JWKS is fetched when first needed and
 * cached ({@link #CACHE_TTL}); a token whose {@code kid} is not in the cached set makes it refetch (rotation), at
 * most twice per {@link #REFETCH_INTERVAL}, so tokens with made-up key ids cannot hammer the issuer. Failure
 * messages never contain the token.
 */
final class JwtVerifier {
    private static final Logger LOG = LoggerFactory.getLogger(JwtVerifier.class);
    static final Duration CLOCK_SKEW = Duration.ofSeconds(60);
    static final Duration CACHE_TTL = Duration.ofMinutes(15);
    static final Duration REFETCH_INTERVAL = Duration.ofSeconds(30);
    static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512,
        JWSAlgorithm.PS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512, JWSAlgorithm.ES256, JWSAlgorithm.ES384,
        JWSAlgorithm.ES512);
    /** Longer tokens are not parsed at all. */
    static final int MAX_TOKEN_LENGTH = 16 * 1024;

    /** A refused token; the message is safe to show and to log. */
    static final class Rejected extends Exception {
        Rejected(String message) {
            super(message, null, false, false);
        }
    }

    /** Where the issuer's JWKS is; may fetch (OIDC discovery), so it is asked only when the keys are first needed. */
    @FunctionalInterface
    interface JwksLocation {
        URL url() throws Rejected;
    }

    private final String issuer;
    private final JwksLocation location;
    private final Clock clock;
    private volatile JWKSource<SecurityContext> keys;

    JwtVerifier(String issuer, JwksLocation location, Clock clock) {
        this.issuer = issuer;
        this.location = location;
        this.clock = clock;
    }

    String issuer() {
        return issuer;
    }

    /** The token of an {@code Authorization} value: the value itself, or what follows {@code Bearer }. */
    static String token(String authorization) {
        if (authorization == null) {
            return null;
        }
        String value = authorization.trim();
        if (value.regionMatches(true, 0, "Bearer ", 0, 7)) {
            value = value.substring(7).trim();
        }
        return value.isEmpty() ? null : value;
    }

    /** The {@code iss} of a JWT, read without verifying anything (to pick the mode); {@code null} if not a JWT. */
    static String unverifiedIssuer(String token) {
        if (token == null || token.length() > MAX_TOKEN_LENGTH || token.chars().filter(c -> c == '.').count() != 2) {
            return null;
        }
        try {
            JWT jwt = JWTParser.parse(token);
            return jwt.getJWTClaimsSet().getIssuer();
        } catch (ParseException | RuntimeException e) {
            return null;
        }
    }

    /** Verifies the signature and the time claims; returns the claims. */
    JWTClaimsSet verify(String token) throws Rejected {
        if (token == null) {
            throw new Rejected("Missing Authorization token");
        }
        if (token.length() > MAX_TOKEN_LENGTH) {
            throw new Rejected("The Authorization token is longer than " + MAX_TOKEN_LENGTH + " characters");
        }
        JWT parsed;
        try {
            parsed = JWTParser.parse(token);
        } catch (ParseException | RuntimeException e) {
            throw new Rejected("The Authorization token is not a valid JWT");
        }
        if (parsed instanceof PlainJWT) {
            throw new Rejected("Unsigned JWT (alg none) refused");
        }
        if (!(parsed instanceof SignedJWT jwt)) {
            throw new Rejected("Encrypted JWTs are not accepted; send the signed ID or access token");
        }
        JWSHeader header = jwt.getHeader();
        if (!ALGORITHMS.contains(header.getAlgorithm())) {
            throw new Rejected("JWT algorithm " + printable(header.getAlgorithm().getName())
                + " is not accepted: tokens must be signed with RSA or ECDSA (RS256, ES256, ...)");
        }
        List<JWK> candidates = keys(header);
        if (candidates.isEmpty()) {
            throw new Rejected("The JWT's signing key (kid) is not in the issuer's JWKS");
        }
        boolean verified = false;
        for (JWK key : candidates) {
            try {
                JWSVerifier verifier = key instanceof RSAKey rsa ? new RSASSAVerifier(rsa)
                    : key instanceof ECKey ec ? new ECDSAVerifier(ec) : null;
                if (verifier != null && jwt.verify(verifier)) {
                    verified = true;
                    break;
                }
            } catch (JOSEException | IllegalStateException e) {
                // a key of the wrong shape for this algorithm: try the next one
            }
        }
        if (!verified) {
            throw new Rejected("The JWT signature is invalid");
        }
        JWTClaimsSet claims;
        try {
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            throw new Rejected("The JWT claims are not a JSON object");
        }
        if (!issuer.equals(claims.getIssuer())) {
            throw new Rejected("The JWT was not issued by " + issuer);
        }
        Instant now = clock.instant();
        Date exp = claims.getExpirationTime();
        if (exp == null) {
            throw new Rejected("The JWT has no exp claim");
        }
        if (now.isAfter(exp.toInstant().plus(CLOCK_SKEW))) {
            throw new Rejected("Token has expired.");
        }
        Date nbf = claims.getNotBeforeTime();
        if (nbf != null && now.plus(CLOCK_SKEW).isBefore(nbf.toInstant())) {
            throw new Rejected("Token is not valid yet (nbf)");
        }
        Date iat = claims.getIssueTime();
        if (iat != null && now.plus(CLOCK_SKEW).isBefore(iat.toInstant())) {
            throw new Rejected("Token was issued in the future (iat); check the clocks");
        }
        return claims;
    }

    /** Checks {@code now} against {@code time + ttl}, with the clock skew; for the OIDC iat and auth TTLs. */
    void requireWithin(Date time, long ttlSeconds, String claim) throws Rejected {
        if (ttlSeconds <= 0) {
            return;
        }
        if (time == null) {
            throw new Rejected("The JWT has no " + claim + " claim, which this API requires");
        }
        if (clock.instant().isAfter(time.toInstant().plusSeconds(ttlSeconds).plus(CLOCK_SKEW))) {
            throw new Rejected("Token has expired (" + claim + " is more than " + ttlSeconds + " seconds ago).");
        }
    }

    private List<JWK> keys(JWSHeader header) throws Rejected {
        JWKMatcher matcher = JWKMatcher.forJWSHeader(header);
        if (matcher == null) {
            return List.of();
        }
        try {
            return source().get(new JWKSelector(matcher), null);
        } catch (RateLimitReachedException e) {
            LOG.debug("JWKS of issuer {} not refetched for an unknown key id: refetch rate limit reached", issuer);
            return List.of();
        } catch (KeySourceException e) {
            LOG.warn("JWKS of issuer {} unavailable: {}", issuer, e.getMessage());
            throw new Rejected("The issuer's signing keys (JWKS) could not be fetched; try again");
        }
    }

    private JWKSource<SecurityContext> source() throws Rejected {
        JWKSource<SecurityContext> source = keys;
        if (source == null) {
            synchronized (this) {
                source = keys;
                if (source == null) {
                    URL url = location.url();
                    keys = source = JWKSourceBuilder.<SecurityContext>create(url, new DefaultResourceRetriever(2_000, 2_000, 512 * 1024))
                        .cache(CACHE_TTL.toMillis(), 15_000)
                        .refreshAheadCache(false)
                        .rateLimited(REFETCH_INTERVAL.toMillis())
                        .retrying(false)
                        .outageTolerant(false)
                        .build();
                }
            }
        }
        return source;
    }

    private static String printable(String value) {
        String cleaned = value.replaceAll("[^\\x20-\\x7e]", "?");
        return cleaned.length() > 20 ? cleaned.substring(0, 20) + "..." : cleaned;
    }
}
