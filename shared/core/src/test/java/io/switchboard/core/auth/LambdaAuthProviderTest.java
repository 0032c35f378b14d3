package io.switchboard.core.auth;

import io.switchboard.api.AuthorizerOperation;
import io.switchboard.api.AuthorizerRequest;
import io.switchboard.api.AuthorizerResult;
import io.switchboard.api.UnauthorizedException;
import io.switchboard.api.spi.AuthorizerPlugin;
import io.switchboard.core.protocol.ErrorTypes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LambdaAuthProviderTest {

    /** A clock the test moves by hand. */
    static final class ManualClock extends Clock {
        long millis = 1_767_225_600_000L;

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis);
        }
    }

    private final ManualClock clock = new ManualClock();
    private final List<AuthorizerRequest> calls = new ArrayList<>();

    /** Allows "good-*" tokens with the token's suffix as userId; "ttl-N" tokens are allowed for N seconds. */
    private LambdaAuthProvider provider(String regex, int defaultTtl) {
        AuthorizerPlugin plugin = AuthorizerPlugin.of("Test", regex, defaultTtl, request -> {
            calls.add(request);
            String token = request.token();
            if (token.equals("boom")) {
                throw new IllegalStateException("authorizer bug");
            }
            if (token.equals("unauthorized")) {
                throw new UnauthorizedException();
            }
            if (token.startsWith("ttl-")) {
                return AuthorizerResult.allow(Map.of("userId", "t")).ttlOverride(Integer.parseInt(token.substring(4)));
            }
            return token.startsWith("good-") ? AuthorizerResult.allow(Map.of("userId", token.substring(5)))
                : AuthorizerResult.deny();
        });
        return new LambdaAuthProvider(plugin, clock);
    }

    private static AuthRequest request(Operation operation, String channel, Map<String, String> headers) {
        String namespace = channel == null ? null : channel.replaceFirst("^/?([^/]+).*$", "$1");
        return new AuthRequest(operation, Headers.of(headers), namespace, channel, () -> "{}");
    }

    private static AuthRequest subscribe(String token) {
        return request(Operation.SUBSCRIBE, "/chat/private/bob", Map.of("Authorization", token, "host", "h"));
    }

    @ParameterizedTest
    @CsvSource(nullValues = "none", textBlock = """
        Authorization, tok-123,                                                 true
        authorization, eyJhbGciOi.x.y,                                          true
        Authorization, 'AWS4-HMAC-SHA256 Credential=AKIA/20250101/us-east-1/appsync/aws4_request', false
        x-api-key,     da2-xxx,                                                 false
        Authorization, '',                                                      false
        """)
    void recognizes_anAuthorizationHeaderThatIsNotSigV4(String header, String value, boolean expected) {
        assertEquals(expected, provider(null, 0).recognizes(request(Operation.PUBLISH, "/a/b", Map.of(header, value))));
    }

    @Test
    void allowed_identityIsTheHandlerContext_andTheAuthorizerSeesTheRequest() {
        AuthDecision decision = provider(null, 0).authorize(subscribe("good-bob"));
        assertTrue(decision.allowed());
        assertEquals(AuthMode.AWS_LAMBDA, decision.mode());
        assertEquals(Map.of("handlerContext", Map.of("userId", "bob")), decision.identity());
        AuthorizerRequest seen = calls.get(0);
        assertEquals("good-bob", seen.token());
        assertEquals(AuthorizerOperation.EVENT_SUBSCRIBE, seen.operation());
        assertEquals("/chat/private/bob", seen.channel());
        assertEquals("chat", seen.namespace());
        assertEquals("h", seen.requestHeaders().get("HOST"));
    }

    @Test
    void connect_hasNoChannel() {
        provider(null, 0).authorize(request(Operation.CONNECT, null, Map.of("Authorization", "good-x")));
        assertEquals(AuthorizerOperation.EVENT_CONNECT, calls.get(0).operation());
        assertNull(calls.get(0).channel());
        assertNull(calls.get(0).namespace());
    }

    @Test
    void denied_isUnauthorizedException_forThrownUnauthorizedToo() {
        LambdaAuthProvider provider = provider(null, 0);
        for (String token : List.of("nope", "unauthorized")) {
            AuthDecision decision = provider.authorize(subscribe(token));
            assertFalse(decision.allowed());
            assertEquals(ErrorTypes.UNAUTHORIZED_EXCEPTION, decision.errorType());
        }
    }

    @Test
    void identityValidationExpression_refusesWithoutCallingTheAuthorizer() {
        LambdaAuthProvider provider = provider("good-[a-z]+", 0);
        assertFalse(provider.authorize(subscribe("good-B0B")).allowed());
        assertEquals(0, calls.size());
        assertTrue(provider.authorize(subscribe("good-bob")).allowed());
        assertEquals(1, calls.size());
    }

    @Test
    void failingAuthorizer_deniesWithoutInternals_andIsNotCached() {
        LambdaAuthProvider provider = provider(null, 300);
        AuthDecision decision = provider.authorize(subscribe("boom"));
        assertFalse(decision.allowed());
        assertFalse(decision.message().contains("authorizer bug"));
        provider.authorize(subscribe("boom"));
        assertEquals(2, calls.size());
        assertEquals(0, provider.cacheSize());
    }

    @Test
    void noTtl_noCaching() {
        LambdaAuthProvider provider = provider(null, 0);
        provider.authorize(subscribe("good-bob"));
        provider.authorize(subscribe("good-bob"));
        assertEquals(2, calls.size());
    }

    @Test
    void defaultTtl_cachesPerTokenOperationAndChannel_untilItExpires() {
        LambdaAuthProvider provider = provider(null, 60);
        provider.authorize(subscribe("good-bob"));
        provider.authorize(subscribe("good-bob"));
        provider.authorize(subscribe("nope"));
        provider.authorize(subscribe("nope")); // denials are cached too
        assertEquals(2, calls.size());
        provider.authorize(request(Operation.PUBLISH, "/chat/private/bob", Map.of("Authorization", "good-bob")));
        provider.authorize(request(Operation.SUBSCRIBE, "/chat/private/eve", Map.of("Authorization", "good-bob")));
        assertEquals(4, calls.size());
        clock.millis += 59_999;
        assertTrue(provider.authorize(subscribe("good-bob")).allowed());
        assertEquals(4, calls.size());
        clock.millis += 1;
        provider.authorize(subscribe("good-bob"));
        assertEquals(5, calls.size());
    }

    @Test
    void ttlOverride_winsOverTheDefault() {
        LambdaAuthProvider provider = provider(null, 3600);
        provider.authorize(subscribe("ttl-10"));
        clock.millis += 9_000;
        provider.authorize(subscribe("ttl-10"));
        assertEquals(1, calls.size());
        clock.millis += 1_000;
        provider.authorize(subscribe("ttl-10"));
        assertEquals(2, calls.size());
        provider.authorize(subscribe("ttl-0"));
        provider.authorize(subscribe("ttl-0"));
        assertEquals(4, calls.size(), "ttlOverride 0 disables caching");
    }

    @Test
    void throughAuthService_lambdaIsPickedForATokenWhenAllowed() {
        AuthService service = new AuthService(List.of(new ApiKeyAuthProvider(List.of(), clock), provider(null, 0)));
        assertTrue(service.authorize(subscribe("good-bob"), java.util.EnumSet.of(AuthMode.API_KEY, AuthMode.AWS_LAMBDA)).allowed());
        assertFalse(service.authorize(subscribe("good-bob"), java.util.EnumSet.of(AuthMode.API_KEY)).allowed());
    }
}
