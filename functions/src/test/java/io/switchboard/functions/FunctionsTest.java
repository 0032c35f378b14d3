package io.switchboard.functions;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.core.auth.ApiKeyAuthProvider;
import io.switchboard.core.config.SwitchboardConfig;
import io.switchboard.core.memory.InMemorySubscriptionStore;
import io.switchboard.core.memory.RecordingConnectionSender;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.switchboard.functions.LambdaRuntime.invoke;
import static io.switchboard.functions.LambdaRuntime.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every function driven with the API Gateway events in {@code events/}, through the Lambda runtime's own
 * serialization, asserting the whole response and every frame sent through {@code @connections}.
 */
class FunctionsTest {
    /** The key the fixtures in events/ carry. */
    static final String FIXTURE_KEY = "da2-switchboardexamplekey0001";
    static final String CONNECTION = "R1kmxc2VNjMCFIA=";

    private InMemorySubscriptionStore store;
    private RecordingConnectionSender sender;
    private SwitchboardRuntime runtime;

    @BeforeEach
    void setUp() {
        store = new InMemorySubscriptionStore();
        sender = new RecordingConnectionSender();
        SwitchboardConfig config = SwitchboardConfig.from(
            Map.of("SWITCHBOARD_API_KEYS", ApiKeyAuthProvider.digestHex(FIXTURE_KEY))::get);
        runtime = SwitchboardRuntime.of(config, store, sender);
    }

    @Test
    void authorizer_validKeyInHeaderSubprotocol_allowsWithContext() {
        JsonNode policy = invoke(new ConnectAuthorizerFunction(runtime), "connect-authorizer.json");
        assertEquals("API_KEY", policy.path("principalId").asText());
        JsonNode statement = policy.path("policyDocument").path("Statement").get(0);
        assertEquals("2012-10-17", policy.path("policyDocument").path("Version").asText());
        assertEquals("Allow", statement.path("Effect").asText());
        assertEquals("execute-api:Invoke", statement.path("Action").asText());
        assertEquals("arn:aws:execute-api:us-east-1:123456789012:a1b2c3d4e5/prod/$connect", statement.path("Resource").asText());
        assertEquals(json("{\"sbAuth\":\"allowed\",\"sbMode\":\"API_KEY\"}"), policy.path("context"));
    }

    @Test
    void authorizer_validKeyInPlainHeaders_allows() {
        JsonNode policy = invoke(new ConnectAuthorizerFunction(runtime), "connect-authorizer-plain-headers.json");
        assertEquals("allowed", policy.path("context").path("sbAuth").asText());
    }

    @Test
    void authorizer_badKey_stillAllowsUpgradeButRecordsRefusal() {
        JsonNode policy = invoke(new ConnectAuthorizerFunction(runtime), "connect-authorizer-bad-key.json");
        assertEquals("Allow", policy.path("policyDocument").path("Statement").get(0).path("Effect").asText());
        assertEquals("unauthorized", policy.path("principalId").asText());
        assertEquals(json("{\"sbAuth\":\"denied\",\"sbMode\":\"API_KEY\",\"sbErrorType\":\"UnauthorizedException\","
            + "\"sbMessage\":\"Invalid API key\"}"), policy.path("context"));
    }

    @Test
    void connect_authorized_selectsSubprotocolAndRecordsConnection() {
        JsonNode response = invoke(new ConnectFunction(runtime), "connect.json");
        assertEquals(json("{\"statusCode\":200,\"headers\":{\"Sec-WebSocket-Protocol\":\"aws-appsync-event-ws\"},"
            + "\"isBase64Encoded\":false}"), response);
        assertNotNull(store.connection(CONNECTION));
        assertEquals(1705751697419L, store.connection(CONNECTION).connectedAtMillis());
    }

    @Test
    void connect_plainHeaders_selectsSubprotocol() {
        JsonNode response = invoke(new ConnectFunction(runtime), "connect-plain-headers.json");
        assertEquals(200, response.path("statusCode").asInt());
        assertEquals("aws-appsync-event-ws", response.path("headers").path("Sec-WebSocket-Protocol").asText());
    }

    @Test
    void connect_refusedByAuthorizer_acceptsUpgradeButStoresNothing() {
        JsonNode response = invoke(new ConnectFunction(runtime), "connect-refused.json");
        assertEquals(200, response.path("statusCode").asInt());
        assertNull(store.connection(CONNECTION));
    }

    @Test
    void connectionInit_acksThenKeepAliveAsRouteResponse() {
        invoke(new ConnectFunction(runtime), "connect.json");
        JsonNode response = invoke(new MessageFunction(runtime), "connection-init.json");
        assertEquals(200, response.path("statusCode").asInt());
        assertEquals(json("{\"type\":\"ka\"}"), json(response.path("body").asText()));
        assertEquals(List.of("{\"type\":\"connection_ack\",\"connectionTimeoutMs\":300000,\"payload\":{\"connectionTimeoutMs\":300000}}"),
            sender.sent(CONNECTION));
    }

    @Test
    void subscribePublishUnsubscribe_fullRoundTrip() {
        invoke(new ConnectFunction(runtime), "connect.json");
        JsonNode subscribed = invoke(new MessageFunction(runtime), "subscribe.json");
        assertEquals(json("{\"type\":\"subscribe_success\",\"id\":\"ee849ef0-cf23-4cb8-9fcb-152ae4fd1e69\"}"),
            json(subscribed.path("body").asText()));
        assertTrue(sender.sent(CONNECTION).isEmpty(), "a single reply travels as the route response");

        JsonNode published = json(invoke(new MessageFunction(runtime), "publish.json").path("body").asText());
        assertEquals("publish_success", published.path("type").asText());
        assertEquals("221b6b3f-46fd-4ac1-a327-bd2623b7402e", published.path("id").asText());
        assertEquals(2, published.path("successful").size());
        assertEquals(0, published.path("successful").get(0).path("index").asInt());
        assertEquals(1, published.path("successful").get(1).path("index").asInt());
        assertTrue(published.path("successful").get(0).path("identifier").asText()
            .matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"));
        assertEquals(0, published.path("failed").size());
        assertEquals(List.of(
            "{\"type\":\"data\",\"id\":\"ee849ef0-cf23-4cb8-9fcb-152ae4fd1e69\",\"event\":\"{\\\"message\\\":\\\"hello world\\\"}\"}",
            "{\"type\":\"data\",\"id\":\"ee849ef0-cf23-4cb8-9fcb-152ae4fd1e69\",\"event\":\"42\"}"),
            sender.drain(CONNECTION));

        JsonNode unsubscribed = invoke(new MessageFunction(runtime), "unsubscribe.json");
        assertEquals(json("{\"type\":\"unsubscribe_success\",\"id\":\"ee849ef0-cf23-4cb8-9fcb-152ae4fd1e69\"}"),
            json(unsubscribed.path("body").asText()));
        invoke(new MessageFunction(runtime), "publish.json");
        assertTrue(sender.sent(CONNECTION).isEmpty(), "nothing delivered after unsubscribe");
    }

    @Test
    void subscribe_badKey_subscribeErrorAndConnectionKeepsWorking() {
        invoke(new ConnectFunction(runtime), "connect.json");
        JsonNode refused = json(invoke(new MessageFunction(runtime), "subscribe-bad-key.json").path("body").asText());
        assertEquals(json("{\"type\":\"subscribe_error\",\"id\":\"5d3e1a2b-0000-4cb8-9fcb-152ae4fd1e69\",\"errors\":"
            + "[{\"errorType\":\"UnauthorizedException\",\"message\":\"Invalid API key\"}]}"), refused);
        JsonNode ok = json(invoke(new MessageFunction(runtime), "subscribe.json").path("body").asText());
        assertEquals("subscribe_success", ok.path("type").asText());
    }

    @Test
    void subscribe_unknownNamespace_resourceNotFound() {
        invoke(new ConnectFunction(runtime), "connect.json");
        JsonNode refused = json(invoke(new MessageFunction(runtime), "subscribe-unknown-namespace.json").path("body").asText());
        assertEquals("subscribe_error", refused.path("type").asText());
        assertEquals("ResourceNotFound", refused.path("errors").get(0).path("errorType").asText());
        // chat is declared by the example app's @ChannelNamespace classes, default and sample by configuration
        assertEquals("Namespace 'nowhere' not found; declared namespaces: chat, default, sample",
            refused.path("errors").get(0).path("message").asText());
    }

    @Test
    void publish_wildcardChannel_badRequest() {
        invoke(new ConnectFunction(runtime), "connect.json");
        JsonNode refused = json(invoke(new MessageFunction(runtime), "publish-wildcard.json").path("body").asText());
        assertEquals("publish_error", refused.path("type").asText());
        assertEquals("331b6b3f-46fd-4ac1-a327-bd2623b7402e", refused.path("id").asText());
        assertEquals("BadRequestException", refused.path("errors").get(0).path("errorType").asText());
    }

    @Test
    void defaultRoute_unknownTypeAndNonJson_errorFrames() {
        invoke(new ConnectFunction(runtime), "connect.json");
        assertEquals(json("{\"type\":\"error\",\"errors\":[{\"errorType\":\"UnsupportedOperation\","
            + "\"message\":\"Unknown frame type 'ping'\"}]}"),
            json(invoke(new MessageFunction(runtime), "message-unknown-type.json").path("body").asText()));
        JsonNode notJson = json(invoke(new MessageFunction(runtime), "message-not-json.json").path("body").asText());
        assertEquals("error", notJson.path("type").asText());
        assertEquals("BadRequestException", notJson.path("errors").get(0).path("errorType").asText());
    }

    @Test
    void message_onRefusedConnection_connectionErrorThenClose() {
        JsonNode response = invoke(new MessageFunction(runtime), "message-refused-connection.json");
        assertEquals(200, response.path("statusCode").asInt());
        assertTrue(response.path("body").isMissingNode() || response.path("body").isNull());
        assertEquals(List.of("{\"type\":\"connection_error\",\"errors\":[{\"errorType\":\"UnauthorizedException\","
            + "\"message\":\"Invalid API key\"}]}"), sender.sent(CONNECTION));
        assertTrue(sender.wasClosed(CONNECTION));
    }

    @Test
    void disconnect_removesConnectionAndSubscriptions() {
        invoke(new ConnectFunction(runtime), "connect.json");
        invoke(new MessageFunction(runtime), "subscribe.json");
        JsonNode response = invoke(new DisconnectFunction(runtime), "disconnect.json");
        assertEquals(200, response.path("statusCode").asInt());
        assertNull(store.connection(CONNECTION));
        assertTrue(store.findSubscribers(io.switchboard.core.channel.ChannelPath.parse("/sample/channel/x")).isEmpty());
    }

    @Test
    void httpPublish_reachesWebSocketSubscriber() {
        invoke(new ConnectFunction(runtime), "connect.json");
        invoke(new MessageFunction(runtime), "subscribe.json");
        JsonNode response = invoke(new PublishFunction(runtime), "http-publish.json");
        assertEquals(200, response.path("statusCode").asInt());
        assertEquals("application/json", response.path("headers").path("content-type").asText());
        assertFalse(response.path("isBase64Encoded").asBoolean());
        JsonNode body = json(response.path("body").asText());
        assertEquals(0, body.path("failed").size());
        assertEquals(1, body.path("successful").size());
        assertEquals(0, body.path("successful").get(0).path("index").asInt());
        assertEquals(List.of("{\"type\":\"data\",\"id\":\"ee849ef0-cf23-4cb8-9fcb-152ae4fd1e69\","
            + "\"event\":\"{\\\"message\\\":\\\"hello from curl\\\"}\"}"), sender.sent(CONNECTION));
    }

    @Test
    void httpPublish_badKey_401() {
        JsonNode response = invoke(new PublishFunction(runtime), "http-publish-bad-key.json");
        assertEquals(401, response.path("statusCode").asInt());
        assertEquals(json("{\"errors\":[{\"errorType\":\"UnauthorizedException\",\"message\":\"Invalid API key\"}]}"),
            json(response.path("body").asText()));
    }

    @Test
    void httpPublish_badBody_400() {
        JsonNode response = invoke(new PublishFunction(runtime), "http-publish-bad-body.json");
        assertEquals(400, response.path("statusCode").asInt());
        JsonNode error = json(response.path("body").asText()).path("errors").get(0);
        assertEquals("BadRequestException", error.path("errorType").asText());
        assertEquals("Field 'events' must be an array of JSON strings, got a string", error.path("message").asText());
    }
}
