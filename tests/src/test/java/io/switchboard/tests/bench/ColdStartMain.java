package io.switchboard.tests.bench;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import io.switchboard.functions.ConnectFunction;
import io.switchboard.functions.MessageFunction;
import io.switchboard.functions.SwitchboardRuntime;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

/**
 * The program each cold-start run starts in a fresh JVM ({@link ColdStartBenchmarkTest}): the event bytes are handed
 * to a stream handler as the Lambda runtime hands them, on the DynamoDB store against dynalite. The third argument
 * says which: {@code connect} ({@code ConnectFunction}, {@code events/connect.json}: one PutItem), {@code subscribe}
 * ({@code MessageFunction}, {@code events/subscribe.json} on a connection the parent has stored: UpdateItem and
 * PutItem) — each route is a Lambda function of its own, with its own cold starts — or {@code both}, one after the
 * other (the AppCDS archive's training run), or {@code engine}, the shared runtime's engine built and nothing
 * handled ({@code ColdStartClassesTest}). The baseline is {@link ColdStartBaseline}. Prints
 * {@code CONNECT <status>} and {@code SUBSCRIBE <reply>} as each is handled (the parent times the lines), then
 * {@code RSS <VmHWM kB>} just before exiting.
 */
public final class ColdStartMain {
    private ColdStartMain() {}

    public static void main(String[] args) throws IOException {
        Path events = Path.of(args[0]);
        String connectionId = args[1];
        String route = args[2];
        if (route.equals("engine")) {
            // only the runtime and its engine, as a cold start builds them before its first event (ColdStartClassesTest)
            SwitchboardRuntime.shared().engine();
            ColdStartBaseline.line("ENGINE");
            return;
        }
        // the functions are RequestStreamHandlers: the runtime hands them the event's bytes, as here
        if (route.equals("connect") || route.equals("both")) {
            ByteArrayOutputStream connected = new ByteArrayOutputStream();
            new ConnectFunction().handleRequest(bytes(ColdStartBaseline.event(events, "connect.json", connectionId)), connected, context());
            ColdStartBaseline.line("CONNECT " + status(connected));
        }
        if (route.equals("subscribe") || route.equals("both")) {
            ByteArrayOutputStream subscribed = new ByteArrayOutputStream();
            new MessageFunction().handleRequest(bytes(ColdStartBaseline.event(events, "subscribe.json", connectionId)), subscribed, context());
            ColdStartBaseline.line("SUBSCRIBE " + subscribed.toString(StandardCharsets.UTF_8));
        }
        ColdStartBaseline.rss();
    }

    private static ByteArrayInputStream bytes(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }

    /** The response's statusCode, read from the bytes the function wrote (no JSON library: nothing to warm up). */
    private static String status(ByteArrayOutputStream response) {
        return response.toString(StandardCharsets.UTF_8).replaceAll("(?s).*\"statusCode\":(\\d+).*", "$1");
    }

    /** A Lambda context as the runtime hands one to a function: function "coldstart", a fresh request id. */
    public static Context context() {
        String requestId = UUID.randomUUID().toString();
        return new Context() {
            @Override public String getAwsRequestId() { return requestId; }
            @Override public String getLogGroupName() { return "/aws/lambda/coldstart"; }
            @Override public String getLogStreamName() { return "coldstart"; }
            @Override public String getFunctionName() { return "coldstart"; }
            @Override public String getFunctionVersion() { return "1"; }
            @Override public String getInvokedFunctionArn() { return "arn:aws:lambda:us-east-1:000000000000:function:coldstart:live"; }
            @Override public CognitoIdentity getIdentity() { return null; }
            @Override public ClientContext getClientContext() { return null; }
            @Override public int getRemainingTimeInMillis() { return 10_000; }
            @Override public int getMemoryLimitInMB() { return 1024; }
            @Override public LambdaLogger getLogger() {
                return new LambdaLogger() {
                    @Override public void log(String message) { System.err.println(message); }
                    @Override public void log(byte[] message) { System.err.println(new String(message)); }
                };
            }
        };
    }
}
