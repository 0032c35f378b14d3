package io.switchboard.core.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.JWTClaimsSet;
import io.switchboard.api.AuthorizerResult;
import io.switchboard.api.spi.AuthorizerPlugin;
import io.switchboard.core.auth.ApiKeyAuthProvider;
import io.switchboard.core.auth.AuthMode;
import io.switchboard.core.auth.AuthProviders;
import io.switchboard.core.auth.AuthService;
import io.switchboard.core.auth.SigV4TestSigner;
import io.switchboard.core.auth.TestIssuer;
import io.switchboard.core.auth.VerifiedIamCaller;
import io.switchboard.core.config.SwitchboardConfig;
import io.switchboard.core.memory.InMemorySubscriptionStore;
import io.switchboard.core.memory.RecordingConnectionSender;
import io.switchboard.core.protocol.FrameCodec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Every auth mode × every operation (connect, subscribe, WebSocket publish, HTTP publish) × every kind of bad
 * credential, through the engine (in-memory store, recording sender) with the providers {@link AuthProviders}
 * builds from configuration. Each engine allows one mode in namespace {@code ns} (and on connect) and another in
 * namespace {@code other}. Asserts the exact error frame or HTTP answer, and that the connection keeps working
 * after a refused subscribe or publish.
 */
class AuthMatrixTest {
    enum Op { CONNECT, SUBSCRIBE, PUBLISH_WS, PUBLISH_HTTP }

    enum Case { VALID, MISSING, MALFORMED, EXPIRED, WRONG_ISSUER, WRONG_AUDIENCE, WRONG_SIGNATURE, NOT_ALLOWED }

    private static final String KEY = "da2-matrixvalidkey0000000000";
    private static final String EXPIRED_KEY = "da2-matrixexpiredkey00000000";
    private static final String CLIENT = "app-client-1";
    private static final String EVENT = "{\"a\":1}";
    private static final String INIT = "{\"type\":\"connection_init\"}";

    static TestIssuer issuer; // AuthLogsTest sets its own
    private static final Map<AuthMode, Engine> ENGINES = new EnumMap<>(AuthMode.class);
    private static final Map<AuthMode, Engine> CONNECT_ELSEWHERE = new EnumMap<>(AuthMode.class);

    @BeforeAll
    static void start() throws IOException {
        issuer = new TestIssuer();
        for (AuthMode mode : AuthMode.values()) {
            ENGINES.put(mode, engine(mode, mode));
            CONNECT_ELSEWHERE.put(mode, engine(mode, other(mode)));
        }
    }

    @AfterAll
    static void stop() {
        issuer.close();
    }

    /** The mode namespace {@code other} allows. */
    static AuthMode other(AuthMode mode) {
        return mode == AuthMode.API_KEY ? AuthMode.AWS_LAMBDA : AuthMode.API_KEY;
    }

    static final AuthorizerPlugin AUTHORIZER = AuthorizerPlugin.of("MatrixAuthorizer", null, 0, request ->
        request.token().startsWith("allow-") ? AuthorizerResult.allow(Map.of("userId", request.token().substring(6)))
            : AuthorizerResult.deny());

    static Map<String, String> environment(AuthMode mode, AuthMode connect) {
        Map<String, String> env = new HashMap<>();
        env.put("SWITCHBOARD_AUTH_PROVIDERS", "API_KEY,AWS_IAM,AMAZON_COGNITO_USER_POOLS,OPENID_CONNECT,AWS_LAMBDA");
        env.put("SWITCHBOARD_API_KEYS", ApiKeyAuthProvider.digestHex(KEY) + "," + ApiKeyAuthProvider.digestHex(EXPIRED_KEY) + "@1");
        env.put("SWITCHBOARD_CONNECT_AUTH_MODES", connect.name());
        env.put("SWITCHBOARD_NAMESPACES", "ns,other");
        env.put("SWITCHBOARD_NAMESPACE_AUTH", "ns:publish=" + mode + ";subscribe=" + mode
            + ", other:publish=" + other(mode) + ";subscribe=" + other(mode));
        env.put("SWITCHBOARD_COGNITO_USER_POOL_ID", TestIssuer.COGNITO_POOL);
        env.put("SWITCHBOARD_COGNITO_APP_ID_CLIENT_REGEX", CLIENT);
        env.put("SWITCHBOARD_COGNITO_JWKS_URI", issuer.cognitoJwks());
        env.put("SWITCHBOARD_OIDC_ISSUER", issuer.oidcIssuer());
        env.put("SWITCHBOARD_OIDC_CLIENT_ID", CLIENT);
        env.put("SWITCHBOARD_LAMBDA_IDENTITY_VALIDATION_REGEX", "[a-z-]+");
        env.put("AWS_ACCESS_KEY_ID", SigV4TestSigner.ACCESS_KEY);
        env.put("AWS_SECRET_ACCESS_KEY", SigV4TestSigner.SECRET_KEY);
        env.put("AWS_SESSION_TOKEN", SigV4TestSigner.SESSION_TOKEN);
        env.put("AWS_REGION", SigV4TestSigner.REGION);
        env.put("SWITCHBOARD_LOCAL", "true");
        env.put("SWITCHBOARD_STORE", "memory");
        return env;
    }

    private static Engine engine(AuthMode mode, AuthMode connect) {
        SwitchboardConfig config = SwitchboardConfig.from(environment(mode, connect)::get);
        AuthService auth = AuthProviders.create(config, Optional.of(AUTHORIZER), Clock.systemUTC());
        return new Engine(config, new InMemorySubscriptionStore(), new RecordingConnectionSender(), auth);
    }

    // ------------------------------------------------------------------ credentials

    private static String jwtIssuer(AuthMode mode) {
        return mode == AuthMode.AMAZON_COGNITO_USER_POOLS ? TestIssuer.COGNITO_ISSUER : issuer.oidcIssuer();
    }

    private static JWTClaimsSet claims(AuthMode mode, String iss, String client, Instant now) {
        return mode == AuthMode.AMAZON_COGNITO_USER_POOLS ? TestIssuer.cognitoAccess(iss, client, now)
            : TestIssuer.oidc(iss, client, now, Map.of());
    }

    /** The credentials of {@code mode} for {@code c}; {@code signedBody} is what an IAM signature covers. */
    static Map<String, String> credentials(AuthMode mode, Case c, String signedBody) {
        Instant now = Instant.now();
        Map<String, String> none = new LinkedHashMap<>();
        none.put("host", SigV4TestSigner.HOST);
        switch (mode) {
            case API_KEY:
                return switch (c) {
                    case VALID, NOT_ALLOWED -> Map.of("x-api-key", KEY, "host", SigV4TestSigner.HOST);
                    case MISSING -> Map.of("x-api-key", "", "host", SigV4TestSigner.HOST);
                    case MALFORMED -> Map.of("x-api-key", "not-an-api-key");
                    case EXPIRED -> Map.of("x-api-key", EXPIRED_KEY);
                    default -> null;
                };
            case AWS_IAM:
                return switch (c) {
                    case VALID, NOT_ALLOWED -> SigV4TestSigner.session().sign(signedBody);
                    case MISSING -> Map.of("host", SigV4TestSigner.HOST, "x-amz-date", "20240120T115500Z");
                    case MALFORMED -> Map.of("host", SigV4TestSigner.HOST, "Authorization", "AWS4-HMAC-SHA256 Credential=oops");
                    case EXPIRED -> SigV4TestSigner.session().at(now.minus(Duration.ofMinutes(10))).sign(signedBody);
                    case WRONG_AUDIENCE -> SigV4TestSigner.session().service("s3").sign(signedBody);
                    case WRONG_SIGNATURE -> SigV4TestSigner.with(SigV4TestSigner.ACCESS_KEY, "not-the-secret",
                        SigV4TestSigner.SESSION_TOKEN).sign(signedBody);
                    default -> null;
                };
            case AMAZON_COGNITO_USER_POOLS:
            case OPENID_CONNECT:
                String iss = jwtIssuer(mode);
                return switch (c) {
                    case VALID, NOT_ALLOWED -> Map.of("Authorization", TestIssuer.sign(issuer.rsa, claims(mode, iss, CLIENT, now)));
                    case MISSING -> none;
                    case MALFORMED -> Map.of("Authorization", TestIssuer.unsigned(claims(mode, iss, CLIENT, now)));
                    case EXPIRED -> Map.of("Authorization", "Bearer " + TestIssuer.sign(issuer.ec, new JWTClaimsSet.Builder(
                        claims(mode, iss, CLIENT, now.minusSeconds(7200))).expirationTime(Date.from(now.minusSeconds(300))).build()));
                    case WRONG_ISSUER -> Map.of("Authorization", TestIssuer.sign(issuer.rsa,
                        claims(mode, "https://issuer.example.com", CLIENT, now)));
                    case WRONG_AUDIENCE -> Map.of("Authorization", TestIssuer.sign(issuer.rsa, claims(mode, iss, "app-client-2", now)));
                    case WRONG_SIGNATURE -> Map.of("Authorization", TestIssuer.sign(TestIssuer.generateRsa("rsa-1"),
                        claims(mode, iss, CLIENT, now)));
                };
            case AWS_LAMBDA:
                return switch (c) {
                    case VALID, NOT_ALLOWED -> Map.of("Authorization", "allow-alice");
                    case MISSING -> none;
                    case MALFORMED -> Map.of("Authorization", "Not A Token!");
                    case EXPIRED -> Map.of("Authorization", "expired-token");
                    default -> null;
                };
            default:
                throw new IllegalArgumentException(mode.name());
        }
    }

    /** The refusal message for {@code mode} and {@code c}; {@code null} for VALID. */
    static String expectedMessage(AuthMode mode, Case c, Op op) {
        String verb = switch (op) {
            case CONNECT -> "connect";
            case SUBSCRIBE -> "subscribe";
            default -> "publish";
        };
        String where = op == Op.CONNECT ? "" : " in namespace 'other'";
        String jwt = mode == AuthMode.AMAZON_COGNITO_USER_POOLS
            ? "The token was issued to an app client this API does not accept"
            : "The token's audience (aud) is not a client id this API accepts";
        return switch (c) {
            case VALID -> null;
            case MISSING -> "No valid credentials to " + verb + " (allowed auth modes: " + mode + ")";
            case NOT_ALLOWED -> mode + " is not allowed to " + verb + where + " (allowed auth modes: " + other(mode) + ")";
            case MALFORMED -> switch (mode) {
                case API_KEY -> "Invalid API key";
                case AWS_IAM -> "The AWS4-HMAC-SHA256 Authorization header needs Credential, SignedHeaders and Signature";
                case AWS_LAMBDA -> "The Authorization token is not in the expected format";
                default -> "Unsigned JWT (alg none) refused";
            };
            case EXPIRED -> switch (mode) {
                case API_KEY -> "API key has expired";
                case AWS_IAM -> "Signature expired";
                case AWS_LAMBDA -> "You are not authorized to make this call.";
                default -> "Token has expired.";
            };
            // a JWT of an unknown issuer is not a JWT of a JWT mode: it is a Lambda token, and Lambda is not allowed
            case WRONG_ISSUER -> "AWS_LAMBDA is not allowed to " + verb + (op == Op.CONNECT ? "" : " in namespace 'ns'")
                + " (allowed auth modes: " + mode + ")";
            case WRONG_AUDIENCE -> mode == AuthMode.AWS_IAM
                ? "Credential should be scoped to service 'appsync' or 'execute-api', not 's3'" : jwt;
            case WRONG_SIGNATURE -> mode == AuthMode.AWS_IAM
                ? "The request signature we calculated does not match the signature you provided. Check your AWS Secret "
                + "Access Key and signing method." : "The JWT signature is invalid";
        };
    }

    static Stream<Arguments> matrix() {
        List<Arguments> rows = new ArrayList<>();
        for (AuthMode mode : AuthMode.values()) {
            for (Case c : Case.values()) {
                if (credentials(mode, c, "{}") == null) {
                    continue; // not a failure this mode can have (an API key has no audience, ...)
                }
                for (Op op : Op.values()) {
                    rows.add(arguments(mode, c, op));
                }
            }
        }
        return rows.stream();
    }

    // ------------------------------------------------------------------ the matrix

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("matrix")
    void authorize_modeCaseOperation_exactOutcome(AuthMode mode, Case c, Op op) {
        String expected = expectedMessage(mode, c, op);
        String namespace = c == Case.NOT_ALLOWED ? "other" : "ns";
        String channel = "/" + namespace + "/room";
        Engine engine = ENGINES.get(mode);
        switch (op) {
            case CONNECT -> connect(c == Case.NOT_ALLOWED ? CONNECT_ELSEWHERE.get(mode) : engine, mode, c, expected);
            case SUBSCRIBE -> {
                String connection = open(engine, mode);
                String frame = "{\"type\":\"subscribe\",\"id\":\"s1\",\"channel\":\"" + channel + "\",\"authorization\":"
                    + json(credentials(mode, c, "{\"channel\":\"" + channel + "\"}")) + "}";
                String reply = timeless(one(engine, connection, frame));
                assertEquals(expected == null ? "{\"type\":\"subscribe_success\",\"id\":\"s1\"}"
                    : errorFrame("subscribe_error", "s1", expected), reply);
                stillWorks(engine, mode, connection);
            }
            case PUBLISH_WS -> {
                String connection = open(engine, mode);
                String body = "{\"channel\":\"" + channel + "\",\"events\":[" + FrameCodec.quote(EVENT) + "]}";
                String frame = "{\"type\":\"publish\",\"id\":\"p1\",\"channel\":\"" + channel + "\",\"events\":["
                    + FrameCodec.quote(EVENT) + "],\"authorization\":" + json(credentials(mode, c, body)) + "}";
                String reply = timeless(one(engine, connection, frame));
                if (expected == null) {
                    JsonNode node = FrameCodec.parse(reply);
                    assertEquals("publish_success", node.path("type").asText(), reply);
                    assertEquals(1, node.path("successful").size(), reply);
                } else {
                    assertEquals(errorFrame("publish_error", "p1", expected), reply);
                }
                stillWorks(engine, mode, connection);
            }
            case PUBLISH_HTTP -> {
                String body = "{\"channel\":\"" + channel + "\",\"events\":[" + FrameCodec.quote(EVENT) + "]}";
                Map<String, String> headers = new HashMap<>(credentials(mode, c, body));
                headers.putIfAbsent("content-type", "application/json; charset=UTF-8");
                HttpResult result = engine.publishHttp(headers, body);
                if (expected == null) {
                    assertEquals(200, result.status(), result.body());
                } else {
                    assertEquals(401, result.status(), result.body());
                    assertEquals("{\"errors\":[{\"errorType\":\"UnauthorizedException\",\"message\":"
                        + FrameCodec.quote(expected) + "}]}", timeless(result.body()));
                }
            }
        }
    }

    private static void connect(Engine engine, AuthMode mode, Case c, String expected) {
        Map<String, String> credentials = credentials(mode, c, "{}");
        // as Amplify sends them: base64url JSON in the header- subprotocol
        String header = "header-" + Base64.getUrlEncoder().withoutPadding()
            .encodeToString(json(credentials).getBytes(StandardCharsets.UTF_8));
        Map<String, String> upgrade = Map.of("Sec-WebSocket-Protocol", "aws-appsync-event-ws, " + header);
        ConnectionAuth auth = engine.authorizeConnect(upgrade);
        ConnectResult result = engine.connect("c-" + mode + c, 0, auth, upgrade);
        assertEquals(200, result.status(), "the upgrade is never refused");
        MessageResult first = engine.message("c-" + mode + c, INIT, auth);
        if (expected == null) {
            assertTrue(auth.authorized(), auth::toString);
            assertEquals(mode, auth.mode());
            assertFalse(first.close());
            assertEquals("connection_ack", FrameCodec.parse(first.replies().get(0)).path("type").asText());
        } else {
            assertFalse(auth.authorized());
            assertEquals(List.of("{\"type\":\"connection_error\",\"errors\":[{\"errorType\":\"UnauthorizedException\","
                + "\"message\":" + FrameCodec.quote(expected) + "}]}"), first.replies().stream().map(AuthMatrixTest::timeless).toList());
            assertTrue(first.close(), "a refused connection is closed after connection_error");
        }
    }

    private static int connections;

    private static String open(Engine engine, AuthMode mode) {
        String id = "conn-" + (++connections);
        Map<String, String> upgrade = new HashMap<>(credentials(mode, Case.VALID, "{}"));
        upgrade.put("Sec-WebSocket-Protocol", "aws-appsync-event-ws");
        ConnectionAuth auth = engine.authorizeConnect(upgrade);
        assertTrue(auth.authorized(), auth::toString);
        engine.connect(id, 0, auth, upgrade);
        return id;
    }

    private static String one(Engine engine, String connection, String frame) {
        MessageResult result = engine.message(connection, frame, ConnectionAuth.of(
            io.switchboard.core.auth.AuthDecision.allow(null, Map.of())));
        assertFalse(result.close(), "a refused subscribe or publish never closes the connection");
        assertEquals(1, result.replies().size(), result.replies()::toString);
        return result.replies().get(0);
    }

    /** After a refusal the same connection still subscribes and publishes with valid credentials. */
    private static void stillWorks(Engine engine, AuthMode mode, String connection) {
        String sub = "{\"type\":\"subscribe\",\"id\":\"ok\",\"channel\":\"/ns/ok\",\"authorization\":"
            + json(credentials(mode, Case.VALID, "{\"channel\":\"/ns/ok\"}")) + "}";
        assertEquals("{\"type\":\"subscribe_success\",\"id\":\"ok\"}", one(engine, connection, sub));
        String body = "{\"channel\":\"/ns/ok\",\"events\":[\"1\"]}";
        String pub = "{\"type\":\"publish\",\"id\":\"okp\",\"channel\":\"/ns/ok\",\"events\":[\"1\"],\"authorization\":"
            + json(credentials(mode, Case.VALID, body)) + "}";
        assertEquals("publish_success", FrameCodec.parse(one(engine, connection, pub)).path("type").asText());
    }

    /** Drops the times from "Signature expired: x-amz-date ... server's time ...", which change every run. */
    private static String timeless(String text) {
        return text.replaceAll("Signature expired: x-amz-date [0-9TZ]+ is more than 5 minutes away from the server's time [0-9TZ]+",
            "Signature expired");
    }

    private static String errorFrame(String type, String id, String message) {
        return "{\"type\":\"" + type + "\",\"id\":\"" + id + "\",\"errors\":[{\"errorType\":\"UnauthorizedException\","
            + "\"message\":" + FrameCodec.quote(message) + "}]}";
    }

    static String json(Map<String, String> map) {
        StringBuilder sb = new StringBuilder("{");
        map.forEach((k, v) -> sb.append(sb.length() > 1 ? "," : "").append(FrameCodec.quote(k)).append(':')
            .append(FrameCodec.quote(v)));
        return sb.append('}').toString();
    }

    // ------------------------------------------------------------------ IAM verified by API Gateway

    private static final VerifiedIamCaller CALLER = new VerifiedIamCaller("ASIAEXAMPLE", "123456789012",
        "AROAEXAMPLEID:publisher", "arn:aws:sts::123456789012:assumed-role/publisher/publisher", "AROAEXAMPLEID:publisher",
        "o-abc123def4", null, null, null, null, List.of("203.0.113.7"));

    @Test
    void publishHttp_callerVerifiedByApiGateway_isAuthorizedAsIam() {
        Engine engine = ENGINES.get(AuthMode.AWS_IAM);
        // the signature is for execute-api and made with a secret this process does not hold: API Gateway checked it
        Map<String, String> headers = Map.of("authorization", "AWS4-HMAC-SHA256 Credential=ASIAEXAMPLE/20240120/us-east-1/"
            + "execute-api/aws4_request, SignedHeaders=host;x-amz-date, Signature=" + "0".repeat(64));
        assertEquals(200, engine.publishHttp(headers, "{\"channel\":\"/ns/a\",\"events\":[\"1\"]}", CALLER).status());
        HttpResult other = engine.publishHttp(headers, "{\"channel\":\"/other/a\",\"events\":[\"1\"]}", CALLER);
        assertEquals(401, other.status());
        assertEquals("{\"errors\":[{\"errorType\":\"UnauthorizedException\",\"message\":\"AWS_IAM is not allowed to publish "
            + "in namespace 'other' (allowed auth modes: API_KEY)\"}]}", other.body());
        // without the verified caller, the same headers are a signature this process must check, and cannot
        assertEquals(401, engine.publishHttp(headers, "{\"channel\":\"/ns/a\",\"events\":[\"1\"]}").status());
    }

    @Test
    void verifiedCaller_identityIsAppSyncs() {
        assertEquals(Map.of("accountId", "123456789012", "sourceIp", List.of("203.0.113.7"),
            "username", "AROAEXAMPLEID:publisher", "userArn", "arn:aws:sts::123456789012:assumed-role/publisher/publisher"),
            CALLER.identity());
    }

    @Test
    void cloud_iamSignatureWithUnknownKey_refusedWithTheDeviation() {
        Map<String, String> env = environment(AuthMode.AWS_IAM, AuthMode.AWS_IAM);
        env.put("SWITCHBOARD_LOCAL", "false");
        SwitchboardConfig config = SwitchboardConfig.from(env::get);
        Engine cloud = new Engine(config, new InMemorySubscriptionStore(), new RecordingConnectionSender(),
            AuthProviders.create(config, Optional.of(AUTHORIZER), Clock.systemUTC()));
        Map<String, String> signed = SigV4TestSigner.with("AKIDCALLERSOWNKEY", "callers-secret", null).sign("{}");
        ConnectionAuth auth = cloud.authorizeConnect(signed);
        assertFalse(auth.authorized());
        assertTrue(auth.message().startsWith("IAM (SigV4) signatures are verified by API Gateway on POST /iam/event only"),
            auth.message());
        // the configured credentials themselves still verify (they are the process's own)
        assertTrue(cloud.authorizeConnect(SigV4TestSigner.session().sign("{}")).authorized());
    }

    @Test
    void webSocketPublish_htmlEscapedSignedBody_accepted() {
        Engine engine = ENGINES.get(AuthMode.AWS_IAM);
        String connection = open(engine, AuthMode.AWS_IAM);
        String event = "{\"html\":\"<b>bold</b>\"}";
        String escaped = ("{\"channel\":\"/ns/a\",\"events\":[" + FrameCodec.quote(event) + "]}")
            .replace("<", "\\u003c").replace(">", "\\u003e");
        String frame = "{\"type\":\"publish\",\"id\":\"h1\",\"channel\":\"/ns/a\",\"events\":[" + FrameCodec.quote(event)
            + "],\"authorization\":" + json(SigV4TestSigner.session().sign(escaped)) + "}";
        assertEquals("publish_success", FrameCodec.parse(one(engine, connection, frame)).path("type").asText());
    }
}
