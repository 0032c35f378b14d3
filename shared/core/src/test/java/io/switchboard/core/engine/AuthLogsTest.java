package io.switchboard.core.engine;

import io.switchboard.api.spi.AuthorizerPlugin;
import io.switchboard.core.auth.AuthMode;
import io.switchboard.core.auth.AuthProviders;
import io.switchboard.core.auth.SigV4TestSigner;
import io.switchboard.core.auth.TestIssuer;
import io.switchboard.core.config.SwitchboardConfig;
import io.switchboard.core.memory.InMemorySubscriptionStore;
import io.switchboard.core.memory.RecordingConnectionSender;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs every auth mode and failure of {@link AuthMatrixTest}, plus the failures that log (a throwing Lambda
 * authorizer, an unreachable JWKS, an unreachable OIDC issuer), with every log record captured at every level
 * (SLF4J over java.util.logging in the tests), and checks that no API key, token, signature, secret or
 * {@code Authorization} value reaches a log line, an exception logged, or a reply.
 */
class AuthLogsTest {
    private final List<String> logged = new ArrayList<>();
    private final Set<String> secrets = new LinkedHashSet<>();
    private final List<String> replies = new ArrayList<>();
    private final Logger root = Logger.getLogger("");
    private Level previousLevel;
    private final Handler capture = new Handler() {
        @Override
        public synchronized void publish(LogRecord record) {
            if (record.getLoggerName() != null && record.getLoggerName().startsWith("software.amazon.awssdk")) {
                return; // the AWS SDK signing on the test's client side logs its canonical requests at DEBUG
            }
            StringBuilder sb = new StringBuilder(record.getLevel() + " " + record.getLoggerName() + " " + record.getMessage());
            if (record.getParameters() != null) {
                for (Object p : record.getParameters()) {
                    sb.append(' ').append(p);
                }
            }
            if (record.getThrown() != null) {
                StringWriter trace = new StringWriter();
                record.getThrown().printStackTrace(new PrintWriter(trace));
                sb.append('\n').append(trace);
            }
            logged.add(sb.toString());
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private TestIssuer issuer;

    @BeforeEach
    void capture() throws IOException {
        previousLevel = root.getLevel();
        root.setLevel(Level.ALL);
        capture.setLevel(Level.ALL);
        root.addHandler(capture);
        issuer = new TestIssuer();
        AuthMatrixTest.issuer = issuer;
    }

    @AfterEach
    void release() {
        root.removeHandler(capture);
        root.setLevel(previousLevel);
        issuer.close();
        AuthMatrixTest.issuer = null;
    }

    private void remember(Map<String, String> credentials) {
        credentials.forEach((name, value) -> {
            String lower = name.toLowerCase();
            if (value != null && value.length() > 8 && (lower.equals("authorization") || lower.equals("x-api-key")
                || lower.equals("x-amz-security-token"))) {
                secrets.add(value);
                if (value.startsWith("AWS4-HMAC-SHA256")) {
                    secrets.add(value.substring(value.indexOf("Signature=") + "Signature=".length()));
                }
                for (String part : value.replaceFirst("^Bearer ", "").split("\\.")) {
                    if (part.length() > 16) {
                        secrets.add(part); // each part of a JWT, the signature above all
                    }
                }
            }
        });
    }

    @Test
    void noSecretReachesLogsOrReplies() {
        for (AuthMode mode : AuthMode.values()) {
            Map<String, String> env = AuthMatrixTest.environment(mode, mode);
            SwitchboardConfig config = SwitchboardConfig.from(env::get);
            Engine engine = new Engine(config, new InMemorySubscriptionStore(), new RecordingConnectionSender(),
                AuthProviders.create(config, Optional.of(AuthMatrixTest.AUTHORIZER), Clock.systemUTC()));
            for (AuthMatrixTest.Case c : AuthMatrixTest.Case.values()) {
                String body = "{\"channel\":\"/ns/a\",\"events\":[\"1\"]}";
                Map<String, String> credentials = AuthMatrixTest.credentials(mode, c, body);
                if (credentials == null) {
                    continue;
                }
                remember(credentials);
                ConnectionAuth auth = engine.authorizeConnect(credentials);
                replies.addAll(engine.message("c1", "{\"type\":\"connection_init\"}", auth).replies());
                replies.add(engine.publishHttp(credentials, body).body());
                replies.addAll(engine.message("c1", "{\"type\":\"publish\",\"id\":\"p\",\"channel\":\"/ns/a\",\"events\":[\"1\"],"
                    + "\"authorization\":" + AuthMatrixTest.json(credentials) + "}", auth).replies());
            }
        }
        secrets.add(SigV4TestSigner.SECRET_KEY);
        secrets.add(SigV4TestSigner.SESSION_TOKEN);

        // failures that log: a throwing authorizer, an unreachable JWKS, an unreachable OIDC issuer
        Map<String, String> env = AuthMatrixTest.environment(AuthMode.AWS_LAMBDA, AuthMode.AWS_LAMBDA);
        env.put("SWITCHBOARD_COGNITO_JWKS_URI", "http://127.0.0.1:1/.well-known/jwks.json");
        env.put("SWITCHBOARD_OIDC_ISSUER", "http://127.0.0.1:1/oidc");
        env.put("SWITCHBOARD_NAMESPACE_AUTH", "ns:publish=AWS_LAMBDA|AMAZON_COGNITO_USER_POOLS|OPENID_CONNECT");
        SwitchboardConfig config = SwitchboardConfig.from(env::get);
        AuthorizerPlugin throwing = AuthorizerPlugin.of("ThrowingAuthorizer", null, 0, request -> {
            throw new IllegalStateException("authorizer bug");
        });
        Engine engine = new Engine(config, new InMemorySubscriptionStore(), new RecordingConnectionSender(),
            AuthProviders.create(config, Optional.of(throwing), Clock.systemUTC()));
        String body = "{\"channel\":\"/ns/a\",\"events\":[\"1\"]}";
        String cognitoToken = TestIssuer.sign(issuer.rsa, TestIssuer.cognitoAccess(TestIssuer.COGNITO_ISSUER, "app-client-1",
            java.time.Instant.now()));
        String oidcToken = TestIssuer.sign(issuer.rsa, TestIssuer.oidc("http://127.0.0.1:1/oidc", "app-client-1",
            java.time.Instant.now(), Map.of()));
        for (String authorization : List.of("lambda-secret-token", cognitoToken, "Bearer " + oidcToken)) {
            Map<String, String> headers = new HashMap<>(Map.of("Authorization", authorization));
            remember(headers);
            replies.add(engine.publishHttp(headers, body).body());
        }

        assertTrue(logged.stream().anyMatch(l -> l.contains("Lambda authorizer ThrowingAuthorizer failed")), logged::toString);
        assertTrue(logged.stream().anyMatch(l -> l.contains("JWKS of issuer")), logged::toString);
        assertTrue(logged.stream().anyMatch(l -> l.contains("OIDC discovery")), logged::toString);
        assertEquals(3, replies.stream().filter(r -> r.contains("try again")).count(), replies::toString);
        for (String secret : secrets) {
            for (String line : logged) {
                assertFalse(line.contains(secret), () -> "a log line holds a secret: " + line);
            }
            for (String reply : replies) {
                assertFalse(reply.contains(secret), () -> "a reply holds a secret: " + reply);
            }
        }
        assertTrue(secrets.size() > 20, secrets::toString);
    }
}
