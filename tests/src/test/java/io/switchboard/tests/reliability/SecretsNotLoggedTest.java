package io.switchboard.tests.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.core.auth.SigV4TestSigner;
import io.switchboard.tests.support.Json;
import io.switchboard.tests.support.WsClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Runs the real gateway with {@code --trace} and every log level on, and exercises each auth mode that works
 * locally — API key, IAM (SigV4 on connect, subscribe and publish) and a Lambda-style token — accepted and refused,
 * over WebSocket and HTTP; then checks that no API key, token, secret, session token, signature or
 * {@code header-} subprotocol value appears in anything logged: the functions' log events (all levels, with MDC
 * and exceptions), the gateway's own lines (stderr) and stdout.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SecretsNotLoggedTest {
    static final String WRONG_KEY = "da2-wrongwrongwrongwrongwrong99";
    static final String LAMBDA_TOKEN = "lambda-token-Zm9vYmFyLXNlY3JldC12YWx1ZQ";
    static final String JWT_LIKE = "eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJodHRwczovL2V4YW1wbGUifQ.c2lnbmF0dXJlLXNlY3JldA";

    @Test
    void noSecretReachesAnyLog() throws Exception {
        Set<String> secrets = new LinkedHashSet<>(List.of(Gateway.API_KEY, WRONG_KEY, LAMBDA_TOKEN, JWT_LIKE,
            SigV4TestSigner.SECRET_KEY, SigV4TestSigner.SESSION_TOKEN));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream previousOut = System.out;
        PrintStream previousErr = System.err;
        List<String> logged;
        System.setOut(new PrintStream(new TeeStream(out, previousOut), true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(new TeeStream(err, previousErr), true, StandardCharsets.UTF_8));
        try (LogCapture logs = LogCapture.start(true)) {
            Map<String, String> env = new LinkedHashMap<>();
            env.put("AWS_ACCESS_KEY_ID", SigV4TestSigner.ACCESS_KEY);
            env.put("AWS_SECRET_ACCESS_KEY", SigV4TestSigner.SECRET_KEY);
            env.put("AWS_SESSION_TOKEN", SigV4TestSigner.SESSION_TOKEN);
            env.put("SWITCHBOARD_SUBSCRIBE_AUTH_MODES", "API_KEY,AWS_IAM");
            try (Gateway gateway = Gateway.start(env, null, true)) {
                exercise(gateway, secrets);
            }
            logged = new ArrayList<>(logs.lines());
        } finally {
            System.setOut(previousOut);
            System.setErr(previousErr);
        }
        logged.add(out.toString(StandardCharsets.UTF_8));
        logged.add(err.toString(StandardCharsets.UTF_8));
        String all = String.join("\n", logged);
        assertTrue(all.contains("subscribe_success") && all.contains("UnauthorizedException"),
            "the capture saw the run (trace lines and refusals)");
        for (String secret : secrets) {
            assertFalse(all.contains(secret), () -> "logged: " + secret + " in\n" + lineWith(all, secret));
        }
    }

    private static void exercise(Gateway gateway, Set<String> secrets) {
        // API key: header- subprotocol (Amplify) and x-api-key on frames and HTTP; accepted and refused
        secrets.add(gateway.apiKeyProtocol());
        try (WsClient ws = gateway.connect()) {
            ws.send("{\"type\":\"connection_init\"}");
            ws.next(f -> "connection_ack".equals(f.path("type").asText()), "ack");
            ws.send(BadInputCatalogue.subscribe("k1", "/default/secrets"));
            assertEquals("subscribe_success", ws.next(f -> "k1".equals(f.path("id").asText()), "k1").path("type").asText());
            ws.send(BadInputCatalogue.publish("k2", "/default/secrets", "[\"1\"]"));
            assertEquals("publish_success", ws.next(f -> "k2".equals(f.path("id").asText()), "k2").path("type").asText());
            ws.send(BadInputCatalogue.subscribe("k3", "/default/secrets").replace(Gateway.API_KEY, WRONG_KEY));
            assertEquals("subscribe_error", ws.next(f -> "k3".equals(f.path("id").asText()), "k3").path("type").asText());
            // a Lambda-style token and a JWT-looking one in Authorization: no provider takes them, refused
            List<String> tokens = List.of(LAMBDA_TOKEN, "Bearer " + JWT_LIKE);
            for (int i = 0; i < tokens.size(); i++) {
                String token = tokens.get(i);
                String id = "t" + i;
                ws.send("{\"type\":\"publish\",\"id\":\"" + id + "\",\"channel\":\"/default/secrets\",\"events\":[\"1\"],"
                    + "\"authorization\":{\"Authorization\":" + Json.quote(token) + "}}");
                assertEquals("publish_error", ws.next(f -> id.equals(f.path("id").asText()), id).path("type").asText());
            }
        }
        String wrongProtocol = Gateway.headerProtocol(Map.of("host", gateway.host(), "x-api-key", WRONG_KEY));
        secrets.add(wrongProtocol);
        try (WsClient refused = WsClient.open(gateway.http, gateway.ws(), Gateway.WAIT, Map.of(), "aws-appsync-event-ws", wrongProtocol)) {
            refused.send("{\"type\":\"connection_init\"}");
            assertEquals("connection_error", refused.next().path("type").asText());
        }
        HttpResponse<String> published = gateway.publish("{\"channel\":\"/default/secrets\",\"events\":[\"2\"]}");
        assertEquals(200, published.statusCode());
        HttpResponse<String> refusedHttp = gateway.post("{\"channel\":\"/default/secrets\",\"events\":[\"2\"]}",
            Map.of("content-type", "application/json", "x-api-key", WRONG_KEY, "Authorization", LAMBDA_TOKEN));
        assertEquals(401, refusedHttp.statusCode());

        // IAM: SigV4 over the connect headers ({} body), a subscribe and a publish; then a tampered signature
        SigV4TestSigner signer = SigV4TestSigner.session().host(gateway.host());
        Map<String, String> connect = signer.sign("{}");
        String iamProtocol = Gateway.headerProtocol(connect);
        secrets.add(iamProtocol);
        secrets.add(signature(connect));
        try (WsClient ws = WsClient.open(gateway.http, gateway.ws(), Gateway.WAIT, Map.of(), "aws-appsync-event-ws", iamProtocol)) {
            ws.send("{\"type\":\"connection_init\"}");
            assertEquals("connection_ack", ws.next().path("type").asText());
            Map<String, String> sub = signer.sign("{\"channel\":\"/default/iam\"}");
            secrets.add(signature(sub));
            ws.send("{\"type\":\"subscribe\",\"id\":\"i1\",\"channel\":\"/default/iam\",\"authorization\":" + object(sub) + "}");
            JsonNode subscribed = ws.next(f -> "i1".equals(f.path("id").asText()), "i1");
            assertEquals("subscribe_success", subscribed.path("type").asText(), subscribed::toString);
            Map<String, String> pub = signer.sign("{\"channel\":\"/default/iam\",\"events\":[\"3\"]}");
            secrets.add(signature(pub));
            ws.send("{\"type\":\"publish\",\"id\":\"i2\",\"channel\":\"/default/iam\",\"events\":[\"3\"],\"authorization\":"
                + object(pub) + "}");
            assertEquals("publish_success", ws.next(f -> "i2".equals(f.path("id").asText()), "i2").path("type").asText());
            Map<String, String> tampered = new LinkedHashMap<>(signer.sign("{\"channel\":\"/default/other\"}"));
            secrets.add(signature(tampered));
            ws.send("{\"type\":\"subscribe\",\"id\":\"i3\",\"channel\":\"/default/iam\",\"authorization\":" + object(tampered) + "}");
            JsonNode refusedIam = ws.next(f -> "i3".equals(f.path("id").asText()), "i3");
            assertEquals("subscribe_error", refusedIam.path("type").asText());
            assertFalse(refusedIam.toString().contains(signature(tampered)), "the refusal does not echo the signature");
        }
    }

    static String signature(Map<String, String> headers) {
        String authorization = headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase("authorization"))
            .map(Map.Entry::getValue).findFirst().orElseThrow();
        return authorization.substring(authorization.indexOf("Signature=") + "Signature=".length());
    }

    static String object(Map<String, String> headers) {
        StringBuilder json = new StringBuilder("{");
        headers.forEach((k, v) -> json.append(json.length() > 1 ? "," : "").append(Json.quote(k)).append(':').append(Json.quote(v)));
        return json.append('}').toString();
    }

    private static String lineWith(String all, String secret) {
        for (String line : all.split("\n")) {
            if (line.contains(secret)) {
                return line.length() > 600 ? line.substring(0, 600) : line;
            }
        }
        return "";
    }

    /** Writes to the capture and to the original stream (so the surefire report still has the output). */
    static final class TeeStream extends java.io.OutputStream {
        private final java.io.OutputStream capture;
        private final java.io.OutputStream original;

        TeeStream(java.io.OutputStream capture, java.io.OutputStream original) {
            this.capture = capture;
            this.original = original;
        }

        @Override
        public synchronized void write(int b) throws java.io.IOException {
            capture.write(b);
            original.write(b);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) throws java.io.IOException {
            capture.write(b, off, len);
            original.write(b, off, len);
        }

        @Override
        public void flush() throws java.io.IOException {
            original.flush();
        }
    }
}
