package io.switchboard.functions;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.factories.JacksonFactory;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

/**
 * Invokes a handler the way the Lambda Java runtime (and {@code sam local invoke}) does: the event JSON goes
 * through the runtime's own serializer (aws-lambda-java-serialization) into the handler's declared input type,
 * and the result comes back out through it.
 */
final class LambdaRuntime {
    private static final ObjectMapper JSON = new ObjectMapper();

    private LambdaRuntime() {}

    static Path eventsDir() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isDirectory(dir.resolve("events"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("events/ folder not found above " + Path.of("").toAbsolutePath());
        }
        return dir.resolve("events");
    }

    static String event(String name) {
        try {
            return Files.readString(eventsDir().resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs the handler on the event file and returns the serialized response as a JSON tree. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    static JsonNode invoke(RequestHandler<?, ?> handler, String eventFile) {
        Type input = inputType(handler);
        PojoSerializer<Object> in = JacksonFactory.getInstance().getSerializer(input);
        Object event = in.fromJson(event(eventFile));
        Object result = ((RequestHandler) handler).handleRequest(event, new TestContext());
        if (result == null) {
            return JSON.nullNode();
        }
        PojoSerializer<Object> out = (PojoSerializer<Object>) JacksonFactory.getInstance().getSerializer(result.getClass());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        out.toJson(result, bytes);
        try {
            return JSON.readTree(bytes.toString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs a stream handler on the event file's bytes, as the runtime does, and reads what it wrote as JSON. */
    static JsonNode invoke(RequestStreamHandler handler, String eventFile) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            handler.handleRequest(new ByteArrayInputStream(event(eventFile).getBytes(StandardCharsets.UTF_8)), out,
                new TestContext());
            return out.size() == 0 ? JSON.nullNode() : JSON.readTree(out.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Type inputType(RequestHandler<?, ?> handler) {
        for (Method m : handler.getClass().getMethods()) {
            if (m.getName().equals("handleRequest") && !m.isBridge() && m.getParameterCount() == 2) {
                return m.getGenericParameterTypes()[0];
            }
        }
        throw new IllegalArgumentException("No handleRequest on " + handler.getClass());
    }

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static final class TestContext implements Context {
        private final String requestId = UUID.randomUUID().toString();

        @Override public String getAwsRequestId() { return requestId; }
        @Override public String getLogGroupName() { return "/aws/lambda/test"; }
        @Override public String getLogStreamName() { return "test"; }
        @Override public String getFunctionName() { return "test-function"; }
        @Override public String getFunctionVersion() { return "$LATEST"; }
        @Override public String getInvokedFunctionArn() { return "arn:aws:lambda:us-east-1:123456789012:function:test-function"; }
        @Override public CognitoIdentity getIdentity() { return null; }
        @Override public ClientContext getClientContext() { return null; }
        @Override public int getRemainingTimeInMillis() { return 29_000; }
        @Override public int getMemoryLimitInMB() { return 1024; }
        @Override public LambdaLogger getLogger() {
            return new LambdaLogger() {
                @Override public void log(String message) { System.err.println(message); }
                @Override public void log(byte[] message) { System.err.println(new String(message, StandardCharsets.UTF_8)); }
            };
        }
    }
}
