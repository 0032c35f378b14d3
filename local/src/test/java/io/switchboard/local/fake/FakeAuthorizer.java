package io.switchboard.local.fake;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;

/**
 * A REQUEST authorizer whose verdict is the {@code x-api-key} inside the {@code header-...}
 * subprotocol: {@code allow}, {@code deny}, {@code unauthorized} (throws "Unauthorized"),
 * {@code boom} (throws), {@code nested} (a non-scalar context value).
 */
public class FakeAuthorizer implements RequestHandler<Map<String, Object>, Map<String, Object>> {

    public static final BlockingQueue<Map<String, Object>> EVENTS = new LinkedBlockingQueue<>();

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
        EVENTS.add(event);
        String verdict = apiKey(event);
        switch (verdict) {
            case "unauthorized" -> throw new RuntimeException("Unauthorized");
            case "boom" -> throw new IllegalStateException("authorizer exploded");
            default -> {
            }
        }
        Map<String, Object> statement = new LinkedHashMap<>();
        statement.put("Action", "execute-api:Invoke");
        statement.put("Effect", verdict.equals("deny") ? "Deny" : "Allow");
        statement.put("Resource", String.valueOf(event.get("methodArn")).replaceAll("/\\$connect$", "/*"));
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("principalId", "user-123");
        result.put("policyDocument", Map.of("Version", "2012-10-17", "Statement", List.of(statement)));
        Map<String, Object> authContext = new LinkedHashMap<>();
        authContext.put("tenant", "acme");
        authContext.put("quota", 100);
        authContext.put("admin", false);
        if (verdict.equals("nested")) {
            authContext.put("roles", List.of("a", "b"));
        }
        result.put("context", authContext);
        return result;
    }

    @SuppressWarnings("unchecked")
    private static String apiKey(Map<String, Object> event) {
        Map<String, Object> headers = (Map<String, Object>) event.get("headers");
        for (Map.Entry<String, Object> header : headers.entrySet()) {
            if (!header.getKey().equalsIgnoreCase("Sec-WebSocket-Protocol")) {
                continue;
            }
            for (String protocol : String.valueOf(header.getValue()).split(",")) {
                protocol = protocol.trim();
                if (protocol.startsWith("header-")) {
                    String json = new String(Base64.getUrlDecoder().decode(protocol.substring(7)), StandardCharsets.UTF_8);
                    int at = json.indexOf("\"x-api-key\":\"");
                    if (at >= 0) {
                        int start = at + "\"x-api-key\":\"".length();
                        return json.substring(start, json.indexOf('"', start));
                    }
                }
            }
        }
        return "allow";
    }
}
