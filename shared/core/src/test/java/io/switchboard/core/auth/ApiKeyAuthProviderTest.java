package io.switchboard.core.auth;

import io.switchboard.core.protocol.ErrorTypes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class ApiKeyAuthProviderTest {

    private static final long NOW = 1_767_225_600L; // 2026-01-01T00:00:00Z
    private static final Clock CLOCK = Clock.fixed(Instant.ofEpochSecond(NOW), ZoneOffset.UTC);
    private static final String OLD_KEY = "da2-old-key";
    private static final String NEW_KEY = "da2-new-key";

    private static AuthRequest request(Map<String, String> headers) {
        return new AuthRequest(Operation.PUBLISH, Headers.of(headers), "default", "/default/a", () -> "{}");
    }

    private static ApiKeyAuthProvider provider(String spec) {
        return new ApiKeyAuthProvider(ApiKeyAuthProvider.parseDigests(spec), CLOCK);
    }

    @Test
    void digestHex_knownInput_isSha256Hex() {
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", ApiKeyAuthProvider.digestHex("abc"));
    }

    static Stream<Arguments> decisions() {
        String oldDigest = ApiKeyAuthProvider.digestHex(OLD_KEY);
        String newDigest = ApiKeyAuthProvider.digestHex(NEW_KEY);
        String both = oldDigest + "," + newDigest;
        return Stream.of(
            arguments("matching key", oldDigest, OLD_KEY, null),
            arguments("upper-case digest", oldDigest.toUpperCase(), OLD_KEY, null),
            arguments("wrong key", oldDigest, NEW_KEY, "Invalid API key"),
            arguments("key differing in case", oldDigest, OLD_KEY.toUpperCase(), "Invalid API key"),
            arguments("key with whitespace", oldDigest, OLD_KEY + " ", "Invalid API key"),
            arguments("no keys configured", "", OLD_KEY, "Invalid API key"),
            arguments("rotation: old key", both, OLD_KEY, null),
            arguments("rotation: new key", both, NEW_KEY, null),
            arguments("rotation: other key", both, "da2-other", "Invalid API key"),
            arguments("expired exactly now", oldDigest + "@" + NOW, OLD_KEY, "API key has expired"),
            arguments("expired before", oldDigest + "@" + (NOW - 1), OLD_KEY, "API key has expired"),
            arguments("expires in a second", oldDigest + "@" + (NOW + 1), OLD_KEY, null),
            arguments("rotation: old expired, new valid, old key", oldDigest + "@" + (NOW - 1) + "," + newDigest, OLD_KEY,
                "API key has expired"),
            arguments("rotation: old expired, new valid, new key", oldDigest + "@" + (NOW - 1) + "," + newDigest, NEW_KEY, null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("decisions")
    void authorize_presentedKey_decidesAgainstDigests(String name, String spec, String key, String denial) {
        AuthDecision decision = provider(spec).authorize(request(Map.of("x-api-key", key)));
        assertEquals(AuthMode.API_KEY, decision.mode());
        if (denial == null) {
            assertTrue(decision.allowed(), decision.toString());
            assertNull(decision.errorType());
            assertTrue(decision.identity().isEmpty(), "API_KEY has no identity");
        } else {
            assertFalse(decision.allowed());
            assertEquals(ErrorTypes.UNAUTHORIZED_EXCEPTION, decision.errorType());
            assertEquals(denial, decision.message());
        }
    }

    @ParameterizedTest
    @CsvSource({"x-api-key", "X-Api-Key", "X-API-KEY"})
    void authorize_headerNameInAnyCase_isRecognizedAndAllowed(String name) {
        ApiKeyAuthProvider provider = provider(ApiKeyAuthProvider.digestHex(OLD_KEY));
        AuthRequest request = request(Map.of(name, OLD_KEY));
        assertTrue(provider.recognizes(request));
        assertTrue(provider.authorize(request).allowed());
    }

    @Test
    void recognizes_noOrEmptyKey_isFalseAndAuthorizeDenies() {
        ApiKeyAuthProvider provider = provider(ApiKeyAuthProvider.digestHex(OLD_KEY));
        AuthRequest none = request(Map.of("authorization", "token"));
        AuthRequest empty = request(Map.of("x-api-key", ""));
        assertFalse(provider.recognizes(none));
        assertFalse(provider.recognizes(empty));
        assertEquals("Missing x-api-key", provider.authorize(none).message());
        assertFalse(provider.authorize(empty).allowed());
    }

    @Test
    void parseDigests_spacesEmptyEntriesAndExpiry_areParsed() {
        String a = ApiKeyAuthProvider.digestHex("a");
        String b = ApiKeyAuthProvider.digestHex("b");
        List<ApiKeyAuthProvider.ApiKey> keys = ApiKeyAuthProvider.parseDigests(" " + a + " ,, " + b + "@1800000000 ,");
        assertEquals(2, keys.size());
        assertArrayEquals(HexFormat.of().parseHex(a), keys.get(0).sha256());
        assertEquals(0, keys.get(0).expiresAtEpochSeconds());
        assertArrayEquals(HexFormat.of().parseHex(b), keys.get(1).sha256());
        assertEquals(1_800_000_000L, keys.get(1).expiresAtEpochSeconds());
        assertTrue(ApiKeyAuthProvider.parseDigests(null).isEmpty());
        assertTrue(ApiKeyAuthProvider.parseDigests("  ").isEmpty());
    }

    static Stream<Arguments> badDigests() {
        String digest = ApiKeyAuthProvider.digestHex("a");
        return Stream.of(
            arguments("da2-plain-key-not-a-digest", "must be SHA-256 hex digests (64 hex characters)"),
            arguments(digest.substring(1), "must be SHA-256 hex digests (64 hex characters)"),
            arguments(digest + "0", "must be SHA-256 hex digests (64 hex characters)"),
            arguments(digest.substring(1) + "g", "must be SHA-256 hex digests (64 hex characters)"),
            arguments(digest + "@tomorrow", "bad expiry after '@' (epoch seconds expected)"),
            arguments(digest + "@", "bad expiry after '@' (epoch seconds expected)"),
            arguments(digest + "," + "zz", "must be SHA-256 hex digests"));
    }

    @ParameterizedTest
    @MethodSource("badDigests")
    void parseDigests_badEntry_throwsClearErrorWithoutEchoingIt(String spec, String messagePart) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ApiKeyAuthProvider.parseDigests(spec));
        assertTrue(e.getMessage().contains(messagePart), e.getMessage());
        assertFalse(e.getMessage().contains("da2-plain-key"), "never echo what may be a plain key: " + e.getMessage());
    }

    // ------------------------------------------------------------------ AuthService: which provider decides

    private static final AuthProvider REFUSING_LAMBDA = new AuthProvider() {
        @Override
        public AuthMode mode() {
            return AuthMode.AWS_LAMBDA;
        }

        @Override
        public boolean recognizes(AuthRequest request) {
            return request.headers().has("authorization");
        }

        @Override
        public AuthDecision authorize(AuthRequest request) {
            return AuthDecision.deny(AuthMode.AWS_LAMBDA, "lambda says no");
        }
    };

    static Stream<Arguments> serviceDecisions() {
        Set<AuthMode> apiKey = EnumSet.of(AuthMode.API_KEY);
        Set<AuthMode> lambda = EnumSet.of(AuthMode.AWS_LAMBDA);
        Set<AuthMode> both = EnumSet.of(AuthMode.API_KEY, AuthMode.AWS_LAMBDA);
        return Stream.of(
            arguments(Map.of("x-api-key", OLD_KEY), apiKey, true, AuthMode.API_KEY, null),
            arguments(Map.of("x-api-key", OLD_KEY), both, true, AuthMode.API_KEY, null),
            arguments(Map.of("x-api-key", OLD_KEY, "authorization", "t"), both, true, AuthMode.API_KEY, null),
            arguments(Map.of("authorization", "t"), both, false, AuthMode.AWS_LAMBDA, "lambda says no"),
            arguments(Map.of("x-api-key", OLD_KEY), lambda, false, AuthMode.API_KEY,
                "API_KEY is not allowed to publish in namespace 'default' (allowed auth modes: AWS_LAMBDA)"),
            arguments(Map.of(), both, false, null, "No valid credentials to publish (allowed auth modes: API_KEY, AWS_LAMBDA)"),
            arguments(Map.of("x-api-key", OLD_KEY), EnumSet.noneOf(AuthMode.class), false, AuthMode.API_KEY,
                "API_KEY is not allowed to publish in namespace 'default' (allowed auth modes: )"));
    }

    @ParameterizedTest
    @MethodSource("serviceDecisions")
    void authServiceAuthorize_credentialsAndAllowedModes_firstAllowedRecognizingProviderDecides(
        Map<String, String> headers, Set<AuthMode> allowed, boolean expectedAllowed, AuthMode expectedMode, String message) {
        AuthService service = new AuthService(List.of(REFUSING_LAMBDA, provider(ApiKeyAuthProvider.digestHex(OLD_KEY))));
        AuthDecision decision = service.authorize(request(headers), allowed);
        assertEquals(expectedAllowed, decision.allowed());
        assertEquals(expectedMode, decision.mode());
        assertEquals(message, decision.message());
        if (!expectedAllowed) {
            assertEquals(ErrorTypes.UNAUTHORIZED_EXCEPTION, decision.errorType());
        }
    }

    @ParameterizedTest
    @CsvSource({"CONNECT, connect", "SUBSCRIBE, subscribe", "PUBLISH, publish"})
    void authServiceAuthorize_noCredentials_namesTheOperation(Operation operation, String word) {
        AuthService service = new AuthService(List.of(provider("")));
        AuthDecision decision = service.authorize(new AuthRequest(operation, Headers.empty(), null, null, () -> "{}"),
            EnumSet.of(AuthMode.API_KEY));
        assertEquals("No valid credentials to " + word + " (allowed auth modes: API_KEY)", decision.message());
    }
}
