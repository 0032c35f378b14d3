package io.switchboard.tests.bench;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketResponse;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.functions.ConnectFunction;
import io.switchboard.functions.MessageFunction;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;

/**
 * The program each cold-start run starts in a fresh JVM ({@link ColdStartBenchmarkTest}). {@code functions}: the
 * events are read as the Lambda runtime reads them (aws-lambda-java-serialization), then {@code ConnectFunction}
 * handles {@code events/connect.json} and {@code MessageFunction} {@code events/subscribe.json}, on the DynamoDB
 * store against dynalite. {@code baseline}: the same connect event parsed with plain Jackson and one DynamoDB
 * {@code PutItem}. Prints {@code CONNECT <status>} and {@code SUBSCRIBE <reply>} as each is handled (the parent
 * times the lines), then {@code RSS <VmHWM kB>} just before exiting.
 */
public final class ColdStartMain {
    private ColdStartMain() {}

    public static void main(String[] args) throws IOException {
        String mode = args[0];
        Path events = Path.of(args[1]);
        String connectionId = args[2];
        String connect = withConnection(Files.readString(events.resolve("connect.json")), connectionId);
        if (mode.equals("baseline")) {
            JsonNode event = new ObjectMapper().readTree(connect);
            String id = event.path("requestContext").path("connectionId").asText();
            try (DynamoDbClient dynamoDb = DynamoDbClient.builder().httpClient(UrlConnectionHttpClient.create())
                    .region(Region.of(System.getenv("AWS_REGION")))
                    .endpointOverride(URI.create(System.getenv("SWITCHBOARD_DYNAMODB_ENDPOINT"))).build()) {
                dynamoDb.putItem(b -> b.tableName(System.getenv("TABLE_NAME")).item(Map.of(
                    "pk", AttributeValue.fromS("C#" + id), "sk", AttributeValue.fromS("META"))));
                line("CONNECT 200");
            }
        } else {
            PojoSerializer<APIGatewayV2WebSocketEvent> serializer =
                LambdaEventSerializers.serializerFor(APIGatewayV2WebSocketEvent.class, ColdStartMain.class.getClassLoader());
            APIGatewayV2WebSocketResponse connected = new ConnectFunction().handleRequest(serializer.fromJson(connect),
                context());
            line("CONNECT " + connected.getStatusCode());
            String subscribe = withConnection(Files.readString(events.resolve("subscribe.json")), connectionId);
            APIGatewayV2WebSocketResponse subscribed = new MessageFunction().handleRequest(serializer.fromJson(subscribe),
                context());
            line("SUBSCRIBE " + subscribed.getBody());
        }
        String status = Files.readString(Path.of("/proc/self/status"));
        line("RSS " + status.replaceAll("(?s).*VmHWM:\\s*(\\d+) kB.*", "$1"));
    }

    private static String withConnection(String event, String connectionId) {
        return event.replaceAll("\"connectionId\": *\"[^\"]*\"", "\"connectionId\": \"" + connectionId + "\"");
    }

    private static void line(String text) {
        System.out.println(text);
        System.out.flush();
    }

    private static Context context() {
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
