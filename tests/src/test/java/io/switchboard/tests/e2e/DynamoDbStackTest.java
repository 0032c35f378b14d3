package io.switchboard.tests.e2e;

import static io.switchboard.tests.support.Json.assertFrame;
import static io.switchboard.tests.e2e.Stack.API_KEY;
import static io.switchboard.tests.e2e.Stack.TABLE;
import static io.switchboard.tests.e2e.Stack.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

import io.switchboard.tests.support.Json;
import io.switchboard.tests.support.WsClient;

/**
 * The DynamoDB store as the functions use it, on dynalite, seen from the table itself: the raw items a subscribe
 * writes (connection and subscription, each with a {@code ttl}) and their removal; and the {@code sam local
 * invoke} flow without Docker — the functions driven one by one with the Lambda event fixtures of {@code events/},
 * in the gateway's JVM, against the same table the gateway's own invocations use.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class DynamoDbStackTest {

    /** The connection of the fixtures in {@code events/}. */
    static final String FIXTURE_CONNECTION = "R1kmxc2VNjMCFIA=";
    static final String FIXTURE_SUBSCRIPTION = "ee849ef0-cf23-4cb8-9fcb-152ae4fd1e69";
    /** API Gateway's 2 h limit plus 10 minutes (DynamoDbSubscriptionStore.EXPIRY_AFTER_CONNECT). */
    static final long EXPIRY_SECONDS = 2 * 3600 + 600;

    static Stack stack;
    static DynamoDbClient dynamo;

    @BeforeAll
    static void start() {
        stack = Stack.start(Store.DYNALITE);
        dynamo = stack.dynamoDb();
        assertEquals("DynamoDbSubscriptionStore", stack.storeClass());
    }

    @AfterAll
    static void stop() {
        if (dynamo != null) {
            dynamo.close();
        }
        Stack.closeAll(stack);
    }

    // ------------------------------------------------------------------ raw items

    @Test
    void subscribe_writesConnectionAndSubscriptionItemsWithTtl_unsubscribeAndDisconnectRemoveThem() {
        String pattern = "/default/" + unique("items") + "/*";
        long before = System.currentTimeMillis();
        WsClient ws = stack.connect();
        ws.subscribe("sub-1", pattern, API_KEY);
        assertFrame("{\"type\":\"subscribe_success\",\"id\":\"sub-1\"}", ws.nextFrame());
        ws.subscribe("sub-2", pattern, API_KEY);
        assertFrame("{\"type\":\"subscribe_success\",\"id\":\"sub-2\"}", ws.nextFrame());

        // the channel index names the connection
        List<Map<String, AttributeValue>> indexed = dynamo.query(q -> q.tableName(TABLE).indexName("gsi1")
                .keyConditionExpression("gsi1pk = :p")
                .expressionAttributeValues(Map.of(":p", AttributeValue.fromS("CH#" + pattern)))).items();
        assertEquals(2, indexed.size(), "one index entry per subscription: " + indexed);
        String gsi1sk = indexed.get(0).get("gsi1sk").s();
        String connectionId = gsi1sk.substring(0, gsi1sk.lastIndexOf('#'));
        assertEquals(connectionId, stack.connectionIdOf(pattern.replace("*", "x"), "sub-1"));

        // the connection item
        Map<String, AttributeValue> meta = item(connectionId, "META");
        assertNotNull(meta, "connection item C#" + connectionId + "/META");
        long connectedAt = Long.parseLong(meta.get("connectedAt").n());
        assertTrue(connectedAt >= before - 5_000 && connectedAt <= System.currentTimeMillis(), "connectedAt " + connectedAt);
        assertEquals("2", meta.get("subCount").n(), "the subscription counter");
        long ttl = Long.parseLong(meta.get("ttl").n());
        assertEquals(connectedAt / 1000 + EXPIRY_SECONDS, ttl, "ttl: 2 h 10 min after the connect");

        // the subscription item
        Map<String, AttributeValue> subscription = item(connectionId, "S#sub-1");
        assertNotNull(subscription, "subscription item C#" + connectionId + "/S#sub-1");
        assertEquals(pattern, subscription.get("pattern").s());
        assertEquals("CH#" + pattern, subscription.get("gsi1pk").s());
        assertEquals(connectionId + "#sub-1", subscription.get("gsi1sk").s());
        assertEquals(String.valueOf(ttl), subscription.get("ttl").n(), "a subscription expires with its connection");
        assertEquals(3, itemsOf(connectionId).size());

        // unsubscribe deletes the item and gives the slot back
        ws.send("{\"type\":\"unsubscribe\",\"id\":\"sub-1\"}");
        assertFrame("{\"type\":\"unsubscribe_success\",\"id\":\"sub-1\"}", ws.nextFrame());
        assertEquals(null, item(connectionId, "S#sub-1"));
        assertEquals("1", item(connectionId, "META").get("subCount").n());

        // $disconnect deletes everything of the connection
        ws.closeAndAwait();
        Stack.await("$disconnect to delete the connection's items", () -> itemsOf(connectionId).isEmpty());
        assertTrue(dynamo.query(q -> q.tableName(TABLE).indexName("gsi1").keyConditionExpression("gsi1pk = :p")
                .expressionAttributeValues(Map.of(":p", AttributeValue.fromS("CH#" + pattern)))).items().isEmpty());
    }

    @Test
    void onlyAnAuthorizedConnection_isWritten() {
        Stack.await("the sockets of earlier tests to be gone", () -> stack.gateway.connectionCount() == 0);
        Stack.await("the items of earlier tests to be gone", () -> dynamo.scan(s -> s.tableName(TABLE)).items().isEmpty());
        // $connect has run (and written whatever it writes) before the upgrade completes
        try (WsClient refused = WsClient.open(stack.http, stack.ws(), Stack.WAIT, Map.of(), "aws-appsync-event-ws",
                stack.headerProtocol("da2-notthekey00000000000000"))) {
            // the gateway counts a socket once Jetty reports it open, which may be just after the client saw the 101
            Stack.await("the refused socket to be open at the gateway", () -> stack.gateway.connectionCount() == 1);
            assertTrue(dynamo.scan(s -> s.tableName(TABLE)).items().isEmpty(), "a refused connection is not stored");
            try (WsClient accepted = stack.connect()) {
                List<Map<String, AttributeValue>> items = dynamo.scan(s -> s.tableName(TABLE)).items();
                assertEquals(1, items.size(), items.toString());
                assertEquals("META", items.get(0).get("sk").s());
                assertEquals("API_KEY", items.get(0).get("attrs").m().get("authMode").s(), items.toString());
            }
            refused.send("{\"type\":\"connection_init\"}");
            assertEquals("connection_error", refused.next().path("type").asText());
            assertEquals(1000, refused.awaitClose().code());
        }
        Stack.await("$disconnect of the accepted socket", () -> dynamo.scan(s -> s.tableName(TABLE)).items().isEmpty());
    }

    // ------------------------------------------------------------------ sam local, without Docker

    @Test
    void samLocalLikeFlow_theFixturesDriveTheFunctionsAgainstTheSameTable() throws IOException {
        try (WsClient live = stack.connect()) {
            // a real client subscribed through the gateway, to see the fixtures' publishes
            live.subscribe("live", "/sample/channel/*", API_KEY);
            assertFrame("{\"type\":\"subscribe_success\",\"id\":\"live\"}", live.nextFrame());

            // sam local invoke ConnectAuthorizerFunction -e events/connect-authorizer.json
            Map<String, Object> policy = invokeMap("io.switchboard.functions.ConnectAuthorizerFunction", "connect-authorizer.json");
            assertEquals("API_KEY", policy.get("principalId"), policy.toString());
            assertTrue(policy.toString().contains("Effect=Allow"), policy.toString());
            assertEquals("allowed", ((Map<?, ?>) policy.get("context")).get("sbAuth"), policy.toString());

            // ConnectFunction -e events/connect.json: the connection item
            JsonNode connect = invokeStream("io.switchboard.functions.ConnectFunction", "connect.json");
            assertEquals(200, connect.path("statusCode").asInt(), connect.toString());
            assertEquals("aws-appsync-event-ws", connect.path("headers").path("Sec-WebSocket-Protocol").asText());
            assertNotNull(item(FIXTURE_CONNECTION, "META"), "ConnectFunction wrote the connection item");

            // MessageFunction -e events/subscribe.json: subscribe_success as the route response, the subscription item
            JsonNode subscribe = invokeStream("io.switchboard.functions.MessageFunction", "subscribe.json");
            assertEquals(200, subscribe.path("statusCode").asInt(), subscribe.toString());
            assertFrame("{\"type\":\"subscribe_success\",\"id\":\"" + FIXTURE_SUBSCRIPTION + "\"}",
                    subscribe.path("body").asText());
            assertEquals("/sample/channel/*", item(FIXTURE_CONNECTION, "S#" + FIXTURE_SUBSCRIPTION).get("pattern").s());
            assertEquals(2, stack.subscribers("/sample/channel/test").size(), "the fixture's and the live client's");

            // MessageFunction -e events/publish.json: publish_success; the fan-out reaches the live client through
            // the gateway, and the fixture's connection, which the gateway does not know (410), is deleted
            JsonNode publish = invokeStream("io.switchboard.functions.MessageFunction", "publish.json");
            assertFrame("{\"type\":\"publish_success\",\"id\":\"221b6b3f-46fd-4ac1-a327-bd2623b7402e\",\"successful\":["
                    + "{\"identifier\":\"<uuid>\",\"index\":0},{\"identifier\":\"<uuid>\",\"index\":1}],\"failed\":[]}",
                    publish.path("body").asText());
            assertFrame("{\"type\":\"data\",\"id\":\"live\",\"event\":\"{\\\"message\\\":\\\"hello world\\\"}\"}", live.nextFrame());
            assertFrame("{\"type\":\"data\",\"id\":\"live\",\"event\":\"42\"}", live.nextFrame());
            Stack.await("the gone fixture connection to be deleted", () -> itemsOf(FIXTURE_CONNECTION).isEmpty());

            // PublishFunction -e events/http-publish.json: the HTTP API's response
            JsonNode http = invokeStream("io.switchboard.functions.PublishFunction", "http-publish.json");
            assertEquals(200, http.path("statusCode").asInt(), http.toString());
            assertFrame("{\"failed\":[],\"successful\":[{\"identifier\":\"<uuid>\",\"index\":0}]}",
                    http.path("body").asText());
            assertFrame("{\"type\":\"data\",\"id\":\"live\",\"event\":\"{\\\"message\\\":\\\"hello from curl\\\"}\"}",
                    live.nextFrame());

            // DisconnectFunction -e events/disconnect.json: idempotent
            JsonNode disconnect = invokeStream("io.switchboard.functions.DisconnectFunction", "disconnect.json");
            assertEquals(200, disconnect.path("statusCode").asInt(), disconnect.toString());
            assertTrue(itemsOf(FIXTURE_CONNECTION).isEmpty());
            assertEquals(1, stack.subscribers("/sample/channel/test").size(), "only the live client is left");
            live.assertNothingWithin(java.time.Duration.ofMillis(200));
        }
    }

    // ------------------------------------------------------------------ helpers

    private static Map<String, AttributeValue> item(String connectionId, String sortKey) {
        Map<String, AttributeValue> item = dynamo.getItem(g -> g.tableName(TABLE).consistentRead(true)
                .key(Map.of("pk", AttributeValue.fromS("C#" + connectionId), "sk", AttributeValue.fromS(sortKey)))).item();
        return item == null || item.isEmpty() ? null : item;
    }

    private static List<Map<String, AttributeValue>> itemsOf(String connectionId) {
        QueryResponse response = dynamo.query(q -> q.tableName(TABLE).consistentRead(true)
                .keyConditionExpression("pk = :pk")
                .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS("C#" + connectionId))));
        return response.items();
    }

    private static Path fixture(String name) {
        return Stack.root().resolve("events").resolve(name);
    }

    /** Invokes a stream-handler function class as the Lambda Java runtime would: the event's bytes in, JSON out. */
    private static JsonNode invokeStream(String handlerClass, String fixture) throws IOException {
        byte[] json = Files.readAllBytes(fixture(fixture));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        stack.inFunctions(() -> {
            RequestStreamHandler handler = (RequestStreamHandler) stack.functions.loadClass(handlerClass)
                    .getConstructor().newInstance();
            handler.handleRequest(new ByteArrayInputStream(json), out, new FixtureContext(handlerClass));
            return null;
        });
        return Json.MAPPER.readTree(out.toByteArray());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> invokeMap(String handlerClass, String fixture) throws IOException {
        Map<String, Object> event = Json.MAPPER.readValue(fixture(fixture).toFile(), new TypeReference<Map<String, Object>>() { });
        Object result = stack.inFunctions(() -> {
            RequestHandler<Object, Object> handler = (RequestHandler<Object, Object>)
                    stack.functions.loadClass(handlerClass).getConstructor().newInstance();
            return handler.handleRequest(event, new FixtureContext(handlerClass));
        });
        JsonNode tree = Json.MAPPER.valueToTree(result);
        return Json.MAPPER.convertValue(tree, new TypeReference<Map<String, Object>>() { });
    }

    /** The Lambda context of a fixture invocation. */
    private record FixtureContext(String handlerClass) implements Context {
        @Override
        public String getAwsRequestId() {
            return java.util.UUID.randomUUID().toString();
        }

        @Override
        public String getLogGroupName() {
            return "/aws/lambda/" + getFunctionName();
        }

        @Override
        public String getLogStreamName() {
            return "fixtures";
        }

        @Override
        public String getFunctionName() {
            return handlerClass.substring(handlerClass.lastIndexOf('.') + 1);
        }

        @Override
        public String getFunctionVersion() {
            return "$LATEST";
        }

        @Override
        public String getInvokedFunctionArn() {
            return "arn:aws:lambda:us-east-1:000000000000:function:" + getFunctionName();
        }

        @Override
        public CognitoIdentity getIdentity() {
            return null;
        }

        @Override
        public ClientContext getClientContext() {
            return null;
        }

        @Override
        public int getRemainingTimeInMillis() {
            return 29_000;
        }

        @Override
        public int getMemoryLimitInMB() {
            return 1024;
        }

        @Override
        public LambdaLogger getLogger() {
            return new LambdaLogger() {
                @Override
                public void log(String message) {
                    System.err.print(message);
                }

                @Override
                public void log(byte[] message) {
                    System.err.print(new String(message, StandardCharsets.UTF_8));
                }
            };
        }
    }
}
