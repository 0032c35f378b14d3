package io.switchboard.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class JsonTest {

    @Test
    void headerSubprotocol_isBase64UrlOfCompactJsonWithoutPadding() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("host", "abc.appsync-api.us-east-1.amazonaws.com");
        headers.put("x-api-key", "da2-xxx");
        String subprotocol = Json.headerSubprotocol(headers);
        // the docs' wscat recipe: base64 | tr '+/' '-_' | tr -d '\n='
        String expected = "header-" + Base64.getEncoder()
                .encodeToString("{\"host\":\"abc.appsync-api.us-east-1.amazonaws.com\",\"x-api-key\":\"da2-xxx\"}".getBytes(StandardCharsets.UTF_8))
                .replace('+', '-').replace('/', '_').replace("=", "");
        assertEquals(expected, subprotocol);
        assertEquals("eyJob3N0IjoiYWJjLmFwcHN5bmMtYXBpLnVzLWVhc3QtMS5hbWF6b25hd3MuY29tIiwieC1hcGkta2V5IjoiZGEyLXh4eCJ9",
                subprotocol.substring("header-".length()));
    }

    @Test
    void headerSubprotocol_usesOnlyTokenCharacters() {
        // '?' and '>' encode to '/' and '+' in plain base64; the URL alphabet keeps the subprotocol a valid token
        String subprotocol = Json.headerSubprotocol(Map.of("k", "??>>??>>"));
        assertEquals(true, subprotocol.matches("header-[A-Za-z0-9_-]+"), subprotocol);
    }

    @Test
    void bodies_areCompactWithProtocolKeyOrderAndUnescapedSlashes() {
        assertEquals("{\"channel\":\"/default/chat\",\"events\":[\"{\\\"text\\\":\\\"hi/there\\\"}\",\"42\"]}",
                Json.publishBody("/default/chat", List.of("{\"text\":\"hi/there\"}", "42")));
        assertEquals("{\"channel\":\"/default/*\"}", Json.subscribeBody("/default/*"));
        assertEquals("/default/x", Json.channel("default/x"));
        assertEquals("/default/x", Json.channel("/default/x"));
    }

    @Test
    void publishResult_readsSuccessfulAndFailed() {
        PublishResult result = Json.publishResult("{\"failed\":[{\"identifier\":\"b\",\"index\":1,\"code\":401,\"message\":\"no\"}],"
                + "\"successful\":[{\"identifier\":\"a\",\"index\":0}]}");
        assertEquals(List.of(new PublishResult.Success("a", 0)), result.successful());
        assertEquals(List.of(new PublishResult.Failure("b", 1, 401, "no")), result.failed());
    }

    @Test
    void errors_readTheErrorsArrayOrApiGatewaysMessage() {
        assertEquals(List.of(new ErrorDetail("UnauthorizedException", "bad key")),
                Json.errors("{\"errors\":[{\"errorType\":\"UnauthorizedException\",\"message\":\"bad key\"}]}", null));
        assertEquals(List.of(new ErrorDetail("ForbiddenException", "Forbidden")),
                Json.errors("{\"message\":\"Forbidden\"}", "ForbiddenException:http://internal.amazon.com/coral/"));
        assertEquals(List.of(new ErrorDetail(null, "Unauthorized")), Json.errors("{\"message\":\"Unauthorized\"}", null));
        assertEquals(List.of(), Json.errors("<html>bad gateway</html>", null));
    }
}
