package io.switchboard.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketResponse;
import org.junit.jupiter.api.Test;

/** Handler discovery and (de)serialization as the Lambda Java runtime does them. */
class LambdaFunctionTest {

    public abstract static class Base<T> implements RequestHandler<T, String> {
        @Override
        public String handleRequest(T input, Context context) {
            return input.getClass().getSimpleName() + ":" + context.getFunctionName() + ":" + (context.getRemainingTimeInMillis() > 0);
        }
    }

    public static class Generic extends Base<Map<String, Object>> {
    }

    public static class Stream implements RequestStreamHandler {
        @Override
        public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
            output.write(("[" + new String(input.readAllBytes(), StandardCharsets.UTF_8) + "]").getBytes(StandardCharsets.UTF_8));
        }
    }

    public static class Methods {
        public static String greet(Map<String, String> input) {
            return "hi " + input.get("name");
        }

        public void nothing(Map<String, Object> input, Context context) {
        }

        public String fail(Map<String, Object> input) {
            throw new IllegalStateException("nope");
        }
    }

    public static class WebSocket implements RequestHandler<APIGatewayV2WebSocketEvent, APIGatewayV2WebSocketResponse> {
        @Override
        public APIGatewayV2WebSocketResponse handleRequest(APIGatewayV2WebSocketEvent event, Context context) {
            APIGatewayV2WebSocketResponse response = new APIGatewayV2WebSocketResponse();
            response.setStatusCode(200);
            response.setBody(event.getRequestContext().getConnectionId() + "/" + event.getBody());
            return response;
        }
    }

    public static class NoDefaultConstructor implements RequestHandler<Object, Object> {
        public NoDefaultConstructor(String value) {
        }

        @Override
        public Object handleRequest(Object input, Context context) {
            return input;
        }
    }

    private static String invoke(String handler, String event) throws Exception {
        LambdaFunction function = LambdaFunction.load(new SamTemplate.FunctionSpec("Fn", handler, 3, 128, Map.of()),
                LambdaFunctionTest.class.getClassLoader(), "us-east-1", "000000000000");
        return new String(function.invoke(event.getBytes(StandardCharsets.UTF_8), "req-1"), StandardCharsets.UTF_8);
    }

    @Test
    void classWithoutMethod_resolvesRequestHandlerTypesThroughGenericSuperclass() throws Exception {
        assertEquals("\"LinkedHashMap:Fn:true\"", invoke(Generic.class.getName(), "{\"a\":1}"));
    }

    @Test
    void streamHandler_getsTheRawEvent() throws Exception {
        assertEquals("[{\"a\":1}]", invoke(Stream.class.getName(), "{\"a\":1}"));
    }

    @Test
    void namedMethods_staticOrVoid() throws Exception {
        assertEquals("\"hi bob\"", invoke(Methods.class.getName() + "::greet", "{\"name\":\"bob\"}"));
        assertEquals("null", invoke(Methods.class.getName() + "::nothing", "{}"));
    }

    @Test
    void webSocketEvent_readWithTheRuntimeSerializer_unknownFieldsIgnored_nullsOmitted() throws Exception {
        String out = invoke(WebSocket.class.getName() + "::handleRequest",
                "{\"requestContext\":{\"connectionId\":\"c1=\",\"disconnectStatusCode\":1000},\"body\":\"b\",\"extra\":true}");
        JsonNodeAssert.equalJson("{\"statusCode\":200,\"body\":\"c1=/b\",\"isBase64Encoded\":false}", out);
    }

    @Test
    void thrownException_isTheCause() {
        LambdaFunction.InvocationException error = assertThrows(LambdaFunction.InvocationException.class,
                () -> invoke(Methods.class.getName() + "::fail", "{}"));
        assertInstanceOf(IllegalStateException.class, error.getCause());
        assertEquals("nope", error.getCause().getMessage());
    }

    @Test
    void unloadableHandlers_failAtLoad() {
        assertThrows(ClassNotFoundException.class, () -> invoke("no.such.Handler::handleRequest", "{}"));
        assertThrows(NoSuchMethodException.class, () -> invoke(Methods.class.getName() + "::missing", "{}"));
        NoSuchMethodException constructor = assertThrows(NoSuchMethodException.class,
                () -> invoke(NoDefaultConstructor.class.getName() + "::handleRequest", "{}"));
        assertTrue(constructor.getMessage().contains("no public zero-argument constructor"));
    }

    /** Compares JSON texts as trees. */
    static final class JsonNodeAssert {
        static void equalJson(String expected, String actual) {
            assertEquals(Json.parse(expected), Json.parse(actual), actual);
        }
    }
}
