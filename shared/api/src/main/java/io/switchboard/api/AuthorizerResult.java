package io.switchboard.api;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * An {@link Authorizer}'s answer: whether the request is allowed, the handler context that handlers see as the
 * caller's identity ({@code ctx.identity().handlerContext}), and optionally how long to cache this answer.
 */
public final class AuthorizerResult {
    private final boolean authorized;
    private final Map<String, String> handlerContext;
    private final Integer ttlOverride;

    private AuthorizerResult(boolean authorized, Map<String, String> handlerContext, Integer ttlOverride) {
        this.authorized = authorized;
        this.handlerContext = handlerContext;
        this.ttlOverride = ttlOverride;
    }

    public static AuthorizerResult allow() {
        return new AuthorizerResult(true, Map.of(), null);
    }

    /** Allowed; {@code handlerContext} (string values) becomes the caller's identity for handlers. */
    public static AuthorizerResult allow(Map<String, String> handlerContext) {
        Map<String, String> copy = new LinkedHashMap<>();
        handlerContext.forEach((k, v) -> copy.put(Objects.requireNonNull(k, "handlerContext key"),
            Objects.requireNonNull(v, "handlerContext value")));
        return new AuthorizerResult(true, Collections.unmodifiableMap(copy), null);
    }

    public static AuthorizerResult deny() {
        return new AuthorizerResult(false, Map.of(), null);
    }

    /** This result, cached for {@code seconds} (0–3600; 0 = do not cache) instead of the configured TTL. */
    public AuthorizerResult ttlOverride(int seconds) {
        if (seconds < 0 || seconds > 3600) {
            throw new IllegalArgumentException("ttlOverride must be 0 to 3600 seconds, got " + seconds);
        }
        return new AuthorizerResult(authorized, handlerContext, seconds);
    }

    public boolean isAuthorized() {
        return authorized;
    }

    public Map<String, String> handlerContext() {
        return handlerContext;
    }

    /** Seconds to cache this result, or {@code null} for the configured default. */
    public Integer ttlOverride() {
        return ttlOverride;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AuthorizerResult other && other.authorized == authorized
            && other.handlerContext.equals(handlerContext) && Objects.equals(other.ttlOverride, ttlOverride);
    }

    @Override
    public int hashCode() {
        return Objects.hash(authorized, handlerContext, ttlOverride);
    }

    @Override
    public String toString() {
        return "AuthorizerResult[authorized=" + authorized + ", handlerContext=" + handlerContext.keySet()
            + ", ttlOverride=" + ttlOverride + "]";
    }
}
