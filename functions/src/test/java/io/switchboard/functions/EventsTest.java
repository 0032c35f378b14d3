package io.switchboard.functions;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketResponse;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.factories.JacksonFactory;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link Events} reads every event fixture into the same objects the Lambda runtime's own serializer
 * (aws-lambda-java-serialization) makes of it, and writes responses as the runtime would have written them: compared
 * field by field through the runtime's serializer.
 */
class EventsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    static List<String> webSocketFixtures() throws IOException {
        return fixtures("ConnectFunction", "MessageFunction", "DisconnectFunction");
    }

    static List<String> httpFixtures() throws IOException {
        return fixtures("PublishFunction");
    }

    private static List<String> fixtures(String... functions) throws IOException {
        JsonNode index = JSON.readTree(LambdaRuntime.event("index.json"));
        List<String> files = new ArrayList<>();
        for (String function : functions) {
            index.get(function).forEach(f -> files.add(f.asText()));
        }
        assertFalse(files.isEmpty());
        return files;
    }

    @ParameterizedTest
    @MethodSource("webSocketFixtures")
    void webSocketEvent_readAsTheRuntimeReadsIt(String fixture) throws IOException {
        String json = LambdaRuntime.event(fixture);
        APIGatewayV2WebSocketEvent ours = Events.webSocket(stream(json));
        APIGatewayV2WebSocketEvent runtimes = serializer(APIGatewayV2WebSocketEvent.class).fromJson(json);
        assertEquals(runtimeJson(runtimes), runtimeJson(ours), fixture);
    }

    @ParameterizedTest
    @MethodSource("httpFixtures")
    void httpEvent_readAsTheRuntimeReadsIt(String fixture) throws IOException {
        String json = LambdaRuntime.event(fixture);
        APIGatewayV2HTTPEvent ours = Events.http(stream(json));
        APIGatewayV2HTTPEvent runtimes = serializer(APIGatewayV2HTTPEvent.class).fromJson(json);
        assertEquals(runtimeJson(runtimes), runtimeJson(ours), fixture);
    }

    @Test
    void responses_writtenAsTheRuntimeWritesThem() throws IOException {
        APIGatewayV2WebSocketResponse connect = new APIGatewayV2WebSocketResponse();
        connect.setStatusCode(200);
        connect.setHeaders(Map.of("Sec-WebSocket-Protocol", "aws-appsync-event-ws"));
        APIGatewayV2WebSocketResponse message = new APIGatewayV2WebSocketResponse();
        message.setStatusCode(200);
        message.setBody("{\"type\":\"subscribe_success\",\"id\":\"s1\",\"text\":\"é \\u2028 \\\"q\\\"\"}");
        for (APIGatewayV2WebSocketResponse response : List.of(connect, message)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            Events.write(response, out);
            assertEquals(runtimeJson(response), JSON.readTree(out.toByteArray()));
        }
        APIGatewayV2HTTPResponse http = APIGatewayV2HTTPResponse.builder().withStatusCode(400)
            .withHeaders(Map.of("content-type", "application/json")).withBody("{\"errors\":[]}")
            .withIsBase64Encoded(false).build();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Events.write(http, out);
        assertEquals(runtimeJson(http), JSON.readTree(out.toByteArray()));
    }

    @Test
    void anEventThatIsNotAJsonObject_isAClearError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Events.webSocket(stream("[1]")));
        assertTrue(e.getMessage().contains("not a JSON object"), e.getMessage());
        assertThrows(IOException.class, () -> Events.http(stream("{\"body\":")));
    }

    private static ByteArrayInputStream stream(String json) {
        return new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8));
    }

    @SuppressWarnings("unchecked")
    private static <T> PojoSerializer<T> serializer(Class<T> type) {
        return (PojoSerializer<T>) JacksonFactory.getInstance().getSerializer(type);
    }

    @SuppressWarnings("unchecked")
    private static JsonNode runtimeJson(Object value) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        serializer((Class<Object>) value.getClass()).toJson(value, out);
        return JSON.readTree(out.toByteArray());
    }
}
