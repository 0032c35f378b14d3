package io.switchboard.core.auth;

import io.switchboard.api.AuthorizerOperation;
import io.switchboard.api.AuthorizerRequest;
import io.switchboard.api.AuthorizerResult;
import io.switchboard.api.UnauthorizedException;
import io.switchboard.api.spi.AuthorizerPlugin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * {@code AWS_LAMBDA} mode: the application's {@code @Authorizer} decides, from the token in the
 * {@code Authorization} header (any value that is not a SigV4 signature). The identity validation expression, if
 * any, is checked first and a token that does not match is refused without calling the authorizer. Results are
 * cached per token, operation and channel for the result's {@code ttlOverride} or the authorizer's default TTL
 * (0: no caching); the cache holds a SHA-256 of the token, never the token. An allowed caller's identity is
 * {@code {"handlerContext": {...}}}, which handlers read as {@code ctx.identity()}.
 */
public final class LambdaAuthProvider implements AuthProvider {
    private static final Logger LOG = LoggerFactory.getLogger(LambdaAuthProvider.class);
    private static final String SIGV4 = "AWS4-HMAC-SHA256";
    static final int MAX_CACHE_ENTRIES = 10_000;

    private record Cached(AuthDecision decision, long expiresAtMillis) {}

    private final AuthorizerPlugin authorizer;
    private final Pattern identityValidation;
    private final Clock clock;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    public LambdaAuthProvider(AuthorizerPlugin authorizer, Clock clock) {
        this.authorizer = authorizer;
        this.identityValidation = authorizer.identityValidationExpression() == null
            ? null : Pattern.compile(authorizer.identityValidationExpression());
        this.clock = clock;
    }

    @Override
    public AuthMode mode() {
        return AuthMode.AWS_LAMBDA;
    }

    @Override
    public boolean recognizes(AuthRequest request) {
        String token = request.headers().get("Authorization");
        return token != null && !token.isEmpty() && !token.startsWith(SIGV4);
    }

    @Override
    public AuthDecision authorize(AuthRequest request) {
        String token = request.headers().get("Authorization");
        if (token == null || token.isEmpty()) {
            return AuthDecision.deny(AuthMode.AWS_LAMBDA, "Missing Authorization token");
        }
        if (identityValidation != null && !identityValidation.matcher(token).matches()) {
            return AuthDecision.deny(AuthMode.AWS_LAMBDA, "The Authorization token is not in the expected format");
        }
        AuthorizerOperation operation = switch (request.operation()) {
            case CONNECT -> AuthorizerOperation.EVENT_CONNECT;
            case SUBSCRIBE -> AuthorizerOperation.EVENT_SUBSCRIBE;
            case PUBLISH -> AuthorizerOperation.EVENT_PUBLISH;
        };
        String key = sha256(token) + '\n' + operation + '\n' + request.channel();
        long now = clock.millis();
        Cached cached = cache.get(key);
        if (cached != null) {
            if (cached.expiresAtMillis() > now) {
                return cached.decision();
            }
            cache.remove(key, cached);
        }

        AuthorizerResult result;
        try {
            result = authorizer.function().authorize(new AuthorizerRequest(token, operation, request.channel(),
                request.namespace(), request.headers().asMap()));
        } catch (UnauthorizedException e) {
            result = AuthorizerResult.deny();
        } catch (Exception | LinkageError | StackOverflowError e) {
            LOG.error("Lambda authorizer {} failed on {}", authorizer.source(), operation, e);
            return AuthDecision.deny(AuthMode.AWS_LAMBDA, "The Lambda authorizer could not decide; try again");
        }
        if (result == null) {
            LOG.error("Lambda authorizer {} returned null; return AuthorizerResult.allow(...) or deny()", authorizer.source());
            return AuthDecision.deny(AuthMode.AWS_LAMBDA, "The Lambda authorizer could not decide; try again");
        }
        AuthDecision decision;
        if (result.isAuthorized()) {
            Map<String, Object> identity = new LinkedHashMap<>();
            identity.put("handlerContext", result.handlerContext());
            decision = AuthDecision.allow(AuthMode.AWS_LAMBDA, identity);
        } else {
            decision = AuthDecision.deny(AuthMode.AWS_LAMBDA, "You are not authorized to make this call.");
        }
        int ttl = result.ttlOverride() != null ? result.ttlOverride() : authorizer.resultTtlSeconds();
        if (ttl > 0) {
            if (cache.size() >= MAX_CACHE_ENTRIES) {
                cache.values().removeIf(c -> c.expiresAtMillis() <= now);
                if (cache.size() >= MAX_CACHE_ENTRIES) {
                    cache.clear();
                }
            }
            cache.put(key, new Cached(decision, now + ttl * 1000L));
        }
        return decision;
    }

    /** Entries currently cached (for tests). */
    int cacheSize() {
        return cache.size();
    }

    private static String sha256(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java runtime", e);
        }
    }
}
