package io.switchboard.core.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * {@code API_KEY} mode: the {@code x-api-key} header against a set of keys kept only as SHA-256 digests, each
 * with an optional expiry. Digests are compared in constant time; several keys may be valid at once, so a key
 * is rotated by adding the new digest before removing the old one.
 */
public final class ApiKeyAuthProvider implements AuthProvider {

    /** A valid key as configured: its SHA-256 digest and when it expires (epoch seconds, 0 = never). */
    public record ApiKey(byte[] sha256, long expiresAtEpochSeconds) {}

    private final List<ApiKey> keys;
    private final Clock clock;

    public ApiKeyAuthProvider(List<ApiKey> keys, Clock clock) {
        this.keys = List.copyOf(keys);
        this.clock = clock;
    }

    /**
     * Parses the configured list: comma-separated {@code <sha256 hex>} entries, each optionally followed by
     * {@code @<expiry epoch seconds>}.
     */
    public static List<ApiKey> parseDigests(String spec) {
        List<ApiKey> keys = new ArrayList<>();
        if (spec == null || spec.isBlank()) {
            return keys;
        }
        for (String entry : spec.split(",")) {
            String trimmed = entry.trim();
            if (trimmed.isEmpty()) {
                continue;
            }
            String digest = trimmed;
            long expiry = 0;
            int at = trimmed.indexOf('@');
            if (at >= 0) {
                digest = trimmed.substring(0, at);
                try {
                    expiry = Long.parseLong(trimmed.substring(at + 1));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("API key entry has a bad expiry after '@' (epoch seconds expected)", e);
                }
            }
            if (!digest.matches("[0-9a-fA-F]{64}")) {
                throw new IllegalArgumentException(
                    "API key entries must be SHA-256 hex digests (64 hex characters), optionally followed by @<epoch seconds>");
            }
            keys.add(new ApiKey(HexFormat.of().parseHex(digest), expiry));
        }
        return keys;
    }

    /** The SHA-256 hex digest of a key, as configured in {@code SWITCHBOARD_API_KEYS}. */
    public static String digestHex(String key) {
        return HexFormat.of().formatHex(sha256(key));
    }

    @Override
    public AuthMode mode() {
        return AuthMode.API_KEY;
    }

    @Override
    public boolean recognizes(AuthRequest request) {
        return request.headers().has("x-api-key");
    }

    @Override
    public AuthDecision authorize(AuthRequest request) {
        String presented = request.headers().get("x-api-key");
        if (presented == null || presented.isEmpty()) {
            return AuthDecision.deny(AuthMode.API_KEY, "Missing x-api-key");
        }
        byte[] digest = sha256(presented);
        ApiKey match = null;
        for (ApiKey key : keys) {
            // no early exit: the time taken does not depend on which key matched
            if (MessageDigest.isEqual(key.sha256(), digest) && match == null) {
                match = key;
            }
        }
        if (match == null) {
            return AuthDecision.deny(AuthMode.API_KEY, "Invalid API key");
        }
        if (match.expiresAtEpochSeconds() != 0 && clock.instant().getEpochSecond() >= match.expiresAtEpochSeconds()) {
            return AuthDecision.deny(AuthMode.API_KEY, "API key has expired");
        }
        return AuthDecision.allow(AuthMode.API_KEY, Map.of());
    }

    private static byte[] sha256(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java runtime", e);
        }
    }
}
