package io.switchboard.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketEvent;
import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.local.TestClients.Ws;
import io.switchboard.local.fake.FakeAuthorizer;
import io.switchboard.local.fake.FakeConnect;
import io.switchboard.local.fake.FakeDisconnect;
import io.switchboard.local.fake.FakeMessage;
import io.switchboard.local.fake.FakePublish;
import io.switchboard.testing.RawWebSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.apigatewaymanagementapi.ApiGatewayManagementApiClient;
import software.amazon.awssdk.services.apigatewaymanagementapi.model.GetConnectionResponse;
import software.amazon.awssdk.services.apigatewaymanagementapi.model.GoneException;

/** The gateway end to end with the fake functions of {@code test-template.yaml} and real java.net.http clients. */
class LocalGatewayTest {

    static final String API_KEY = "da2-abcdefghijklmnopqrstuvwxyz";

    @TempDir
    static Path tls;
    static LocalGateway gateway;
    static HttpClient client;
    static String host;

    @BeforeAll
    static void start() throws Exception {
        gateway = LocalGateway.start(Options.builder()
                .port(0)
                .template(Path.of("src/test/resources/test-template.yaml"))
                .tlsDirectory(tls)
                .apiKey(API_KEY)
                .workerThreads(8)
                .build());
        client = TestClients.http(gateway.certificatePath());
        host = "127.0.0.1:" + gateway.port();
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @BeforeEach
    void clear() {
        FakeAuthorizer.EVENTS.clear();
        FakeConnect.EVENTS.clear();
        FakeMessage.EVENTS.clear();
        FakeDisconnect.EVENTS.clear();
        FakePublish.EVENTS.clear();
    }

    static Ws connect(String verdict) {
        return Ws.open(client, URI.create("ws://" + host + "/event/realtime"),
                "aws-appsync-event-ws", TestClients.headerProtocol(host, verdict));
    }

    static APIGatewayV2WebSocketEvent connectEvent() throws InterruptedException {
        APIGatewayV2WebSocketEvent event = FakeConnect.EVENTS.poll(5, TimeUnit.SECONDS);
        assertNotNull(event, "$connect was not invoked");
        return event;
    }

    /** The $disconnect event of {@code connectionId} (earlier tests' connections may still be closing). */
    static Map<String, Object> disconnectEvent(String connectionId) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            Map<String, Object> event = FakeDisconnect.EVENTS.poll(100, TimeUnit.MILLISECONDS);
            if (event != null && connectionId.equals(requestContext(event).get("connectionId"))) {
                return event;
            }
        }
        throw new AssertionError("$disconnect was not invoked for " + connectionId);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> requestContext(Map<String, Object> event) {
        return (Map<String, Object>) event.get("requestContext");
    }

    static int handshakeStatus(String uri, String... subprotocols) {
        CompletionException failure = assertThrows(CompletionException.class, () -> Ws.open(client, URI.create(uri), subprotocols));
        WebSocketHandshakeException handshake = assertInstanceOf(WebSocketHandshakeException.class, failure.getCause());
        return handshake.getResponse().statusCode();
    }

    static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return client.send(request.timeout(TestClients.WAIT).build(), HttpResponse.BodyHandlers.ofString());
    }

    static String connectionsUrl(String id) {
        return "http://" + host + "/test/@connections/" + URLEncoder.encode(id, StandardCharsets.UTF_8);
    }

    // ------------------------------------------------------------------ handshake

    @Test
    @SuppressWarnings("unchecked")
    void upgrade_allowed_echoesAppSyncSubprotocolAndCarriesAuthorizerContext() throws Exception {
        Ws ws = connect("allow");
        assertEquals("aws-appsync-event-ws", ws.socket.getSubprotocol());

        Map<String, Object> authorizerEvent = FakeAuthorizer.EVENTS.poll(5, TimeUnit.SECONDS);
        assertNotNull(authorizerEvent);
        assertEquals("REQUEST", authorizerEvent.get("type"));
        assertTrue(String.valueOf(authorizerEvent.get("methodArn")).matches("arn:aws:execute-api:[a-z0-9-]+:\\d{12}:[a-z0-9]{10}/test/\\$connect"));
        Map<String, Object> authorizerHeaders = (Map<String, Object>) authorizerEvent.get("headers");
        assertTrue(authorizerHeaders.containsKey("Upgrade") || authorizerHeaders.containsKey("upgrade"), authorizerHeaders.toString());
        assertEquals(Map.of(), authorizerEvent.get("stageVariables"));

        APIGatewayV2WebSocketEvent connect = connectEvent();
        APIGatewayV2WebSocketEvent.RequestContext context = connect.getRequestContext();
        assertEquals(requestContext(authorizerEvent).get("connectionId"), context.getConnectionId());
        assertEquals("$connect", context.getRouteKey());
        assertEquals("CONNECT", context.getEventType());
        assertEquals("test", context.getStage());
        assertEquals(host, context.getDomainName());
        assertEquals("127.0.0.1", context.getIdentity().getSourceIp());
        assertEquals(context.getRequestId(), context.getExtendedRequestId());
        assertTrue(context.getConnectedAt() > 0 && context.getRequestTimeEpoch() >= context.getConnectedAt());
        assertTrue(context.getConnectionId().matches("[A-Za-z0-9]{15}="), context.getConnectionId());
        assertEquals("user-123", context.getAuthorizer().get("principalId"));
        assertEquals("100", context.getAuthorizer().get("quota"));
        assertEquals("false", context.getAuthorizer().get("admin"));
        // Client casing, and no Connection/Upgrade in the integration event.
        assertTrue(connect.getHeaders().get("Sec-WebSocket-Protocol").contains("header-"));
        assertFalse(connect.getHeaders().containsKey("Upgrade") || connect.getHeaders().containsKey("Connection"));
        assertEquals(List.of(connect.getHeaders().get("Sec-WebSocket-Key")), connect.getMultiValueHeaders().get("Sec-WebSocket-Key"));
        assertEquals("http", connect.getHeaders().get("X-Forwarded-Proto"));

        ws.send("{\"type\":\"echo\"}");
        ws.next();
        APIGatewayV2WebSocketEvent message = FakeMessage.EVENTS.poll(5, TimeUnit.SECONDS);
        assertNotNull(message);
        assertEquals("acme", message.getRequestContext().getAuthorizer().get("tenant"));
        assertEquals("MESSAGE", message.getRequestContext().getEventType());
        assertNotNull(message.getRequestContext().getMessageId());
        assertNull(message.getHeaders());
        ws.socket.sendClose(1000, "done").join();
        Map<String, Object> disconnect = disconnectEvent(context.getConnectionId());
        Map<String, Object> disconnectAuthorizer = (Map<String, Object>) requestContext(disconnect).get("authorizer");
        assertEquals("user-123", disconnectAuthorizer.get("principalId"));
    }

    @Test
    void upgrade_passesHeadersWithTheClientsCasingAndTheQuery() throws Exception {
        Ws ws = Ws.open(client, URI.create("ws://" + host + "/event/realtime?token=a%2Bb&token=c&plain"),
                Map.of("x-api-key", "k1", "X-Mixed-Case", "v"), "aws-appsync-event-ws", TestClients.headerProtocol(host, "allow"));
        APIGatewayV2WebSocketEvent connect = connectEvent();
        assertEquals("k1", connect.getHeaders().get("x-api-key"));
        assertEquals("v", connect.getHeaders().get("X-Mixed-Case"));
        assertFalse(connect.getHeaders().containsKey("X-Api-Key"));
        assertEquals("c", connect.getQueryStringParameters().get("token"));
        assertEquals(List.of("a+b", "c"), connect.getMultiValueQueryStringParameters().get("token"));
        assertEquals("", connect.getQueryStringParameters().get("plain"));
        ws.socket.sendClose(1000, "").join();
    }

    @Test
    void upgrade_withoutIdentitySource_is401AndSkipsTheAuthorizer() throws Exception {
        assertEquals(401, handshakeStatus("ws://" + host + "/event/realtime"));
        assertTrue(FakeAuthorizer.EVENTS.isEmpty());
        assertTrue(FakeConnect.EVENTS.isEmpty());
    }

    @ParameterizedTest
    @CsvSource({"deny, 403", "unauthorized, 401", "boom, 500", "nested, 500"})
    void upgrade_authorizerRejects_withApiGatewayStatus(String verdict, int status) throws Exception {
        assertEquals(status, handshakeStatus("ws://" + host + "/event/realtime",
                "aws-appsync-event-ws", TestClients.headerProtocol(host, verdict)));
        assertNotNull(FakeAuthorizer.EVENTS.poll(1, TimeUnit.SECONDS));
        assertTrue(FakeConnect.EVENTS.isEmpty(), "$connect must not run after a failed authorizer");
    }

    @ParameterizedTest
    @CsvSource({"status=400, 400", "status=403, 403", "boom, 500", "protocol=other, 500"})
    void upgrade_connectRejects_withItsStatus(String query, int status) throws Exception {
        assertEquals(status, handshakeStatus("ws://" + host + "/event/realtime?" + query,
                "aws-appsync-event-ws", TestClients.headerProtocol(host, "allow")));
        connectEvent();
    }

    @Test
    void upgrade_atRootAndStagePaths_forWscatUsers() throws Exception {
        for (String path : List.of("/", "/test")) {
            Ws ws = Ws.open(client, URI.create("ws://" + host + path), "aws-appsync-event-ws", TestClients.headerProtocol(host, "allow"));
            ws.send("{\"type\":\"echo\"}");
            assertEquals("echo:{\"type\":\"echo\"}", ws.next());
            ws.socket.sendClose(1000, "").join();
        }
    }

    @Test
    void upgrade_overTls_onTheSamePort() throws Exception {
        Ws ws = Ws.open(client, URI.create("wss://" + host + "/event/realtime"),
                "aws-appsync-event-ws", TestClients.headerProtocol(host, "allow"));
        assertEquals("aws-appsync-event-ws", ws.socket.getSubprotocol());
        assertEquals("https", connectEvent().getHeaders().get("X-Forwarded-Proto"));
        ws.send("{\"type\":\"echo\"}");
        assertEquals("echo:{\"type\":\"echo\"}", ws.next());
        ws.socket.sendClose(1000, "").join();
    }

    // ------------------------------------------------------------------ messages

    @Test
    void message_routesByTypeAndSendsRouteResponses() throws Exception {
        Ws ws = connect("allow");
        ws.send("{\"type\":\"echo\",\"id\":\"1\"}");
        assertEquals("echo:{\"type\":\"echo\",\"id\":\"1\"}", ws.next());
        ws.send("ping");
        assertEquals("$default:ping", ws.next());
        ws.send("{\"type\":\"unknown\"}");
        assertEquals("$default:{\"type\":\"unknown\"}", ws.next());
        ws.send("{\"type\":\"echo\",\"action\":\"silent\"}");
        ws.send("{\"type\":\"quiet\"}");
        ws.assertNothingWithin(Duration.ofMillis(300));
        List<String> routes = List.of(take().getRequestContext().getRouteKey(), take().getRequestContext().getRouteKey(),
                take().getRequestContext().getRouteKey(), take().getRequestContext().getRouteKey(), take().getRequestContext().getRouteKey());
        assertEquals(List.of("echo", "$default", "$default", "echo", "quiet"), routes);
    }

    private static APIGatewayV2WebSocketEvent take() throws InterruptedException {
        APIGatewayV2WebSocketEvent event = FakeMessage.EVENTS.poll(5, TimeUnit.SECONDS);
        assertNotNull(event);
        return event;
    }

    @Test
    void message_functionThrows_sendsInternalServerErrorFrame() throws Exception {
        Ws ws = connect("allow");
        String connectionId = connectEvent().getRequestContext().getConnectionId();
        ws.send("{\"type\":\"echo\",\"action\":\"boom\"}");
        JsonNode frame = Json.parse(ws.next());
        assertEquals("Internal server error", frame.path("message").asText());
        assertEquals(connectionId, frame.path("connectionId").asText());
        assertTrue(frame.path("requestId").asText().endsWith("="));
        ws.send("{\"type\":\"echo\"}");
        assertEquals("echo:{\"type\":\"echo\"}", ws.next(), "the socket stays usable");
    }

    @Test
    void messages_ofOneConnection_runInOrder() throws Exception {
        Ws ws = connect("allow");
        ws.send("{\"type\":\"echo\",\"action\":\"slow\"}");
        ws.send("{\"type\":\"echo\",\"n\":2}");
        assertEquals("echo:{\"type\":\"echo\",\"action\":\"slow\"}", ws.next());
        assertEquals("echo:{\"type\":\"echo\",\"n\":2}", ws.next());
    }

    @Test
    @SuppressWarnings("unchecked")
    void clientClose_runsDisconnectAfterPendingMessages() throws Exception {
        Ws ws = connect("allow");
        String id = connectEvent().getRequestContext().getConnectionId();
        ws.send("{\"type\":\"quiet\",\"action\":\"slow\"}");
        ws.socket.sendClose(4000, "bye").join();
        Map<String, Object> disconnect = disconnectEvent(id);
        assertTrue(FakeMessage.EVENTS.stream().anyMatch(e -> e.getRequestContext().getConnectionId().equals(id)),
                "the pending message ran before $disconnect");
        Map<String, Object> context = requestContext(disconnect);
        assertEquals("$disconnect", context.get("routeKey"));
        assertEquals("DISCONNECT", context.get("eventType"));
        assertEquals(4000, context.get("disconnectStatusCode"));
        assertEquals("bye", context.get("disconnectReason"));
        Map<String, Object> headers = (Map<String, Object>) disconnect.get("headers");
        assertEquals(Map.of("Host", host, "x-api-key", "", "X-Forwarded-For", "", "x-restapi", ""), headers);
    }

    @Test
    void frameOf32KB_isAccepted_andOneByteMoreClosesWith1009() throws Exception {
        String protocols = "aws-appsync-event-ws, " + TestClients.headerProtocol(host, "allow");
        String prefix = "{\"type\":\"echo\",\"pad\":\"";
        try (RawWebSocket ws = RawWebSocket.upgrade(gateway.port(), "/event/realtime", protocols, Duration.ofSeconds(5))) {
            String largest = prefix + "x".repeat(WebSocketApi.MAX_FRAME_BYTES - prefix.length() - 2) + "\"}";
            ws.send(0x1, largest.getBytes(StandardCharsets.UTF_8));
            RawWebSocket.Frame first = ws.readFrame();
            assertEquals(0x1, first.opcode());
            assertFalse(first.fin(), "a reply over 32 KB goes out in two frames");
            assertEquals(WebSocketApi.MAX_FRAME_BYTES, first.payload().length);
            RawWebSocket.Frame second = ws.readFrame();
            assertEquals(0x0, second.opcode());
            assertTrue(second.fin());
            assertEquals("echo:" + largest, new String(first.payload(), StandardCharsets.UTF_8)
                    + new String(second.payload(), StandardCharsets.UTF_8));
            ws.send(0x1, (largest + " ").getBytes(StandardCharsets.UTF_8));
            RawWebSocket.Frame close = ws.readFrame();
            assertEquals(0x8, close.opcode());
            assertEquals(1009, close.closeCode());
        }
        String id = connectEvent().getRequestContext().getConnectionId();
        assertEquals(1009, requestContext(disconnectEvent(id)).get("disconnectStatusCode"));
        assertEquals(1, FakeMessage.EVENTS.stream().filter(e -> e.getRequestContext().getConnectionId().equals(id)).count(),
                "the oversized frame never reached a function");
    }

    @Test
    void messageOver128KB_inSmallFrames_closesWith1009() throws Exception {
        Ws ws = connect("allow");
        String chunk = "x".repeat(30_000);
        for (int i = 0; i < 5; i++) {
            ws.socket.sendText(chunk, false).join();
        }
        ws.socket.sendText("", true).join();
        assertEquals(1009, ws.awaitClose().code());
    }

    @Test
    void messageOf100KB_inSmallFrames_isAccepted() throws Exception {
        Ws ws = connect("allow");
        String pad = "x".repeat(25_000);
        ws.socket.sendText("{\"type\":\"quiet\",\"pad\":\"", false).join();
        for (int i = 0; i < 4; i++) {
            ws.socket.sendText(pad, false).join();
        }
        ws.socket.sendText("\"}", true).join();
        assertEquals(100_000 + 25, take().getBody().length());
    }

    @Test
    void binaryFrame_closesWith1003() throws Exception {
        Ws ws = connect("allow");
        String id = connectEvent().getRequestContext().getConnectionId();
        ws.socket.sendBinary(ByteBuffer.wrap(new byte[] {1, 2, 3}), true).join();
        assertEquals(1003, ws.awaitClose().code());
        assertEquals(1003, requestContext(disconnectEvent(id)).get("disconnectStatusCode"));
    }

    // ------------------------------------------------------------------ @connections

    @Test
    void connections_postGetDelete() throws Exception {
        Ws ws = connect("allow");
        APIGatewayV2WebSocketEvent.RequestContext connected = connectEvent().getRequestContext();
        String id = connected.getConnectionId();

        HttpResponse<String> post = send(HttpRequest.newBuilder(URI.create(connectionsUrl(id)))
                .POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"ka\"}")));
        assertEquals(200, post.statusCode());
        assertEquals("{\"type\":\"ka\"}", ws.next());

        HttpResponse<String> get = send(HttpRequest.newBuilder(URI.create(connectionsUrl(id))).GET());
        assertEquals(200, get.statusCode());
        JsonNode info = Json.parse(get.body());
        assertEquals(Instant.ofEpochMilli(connected.getConnectedAt()), Instant.parse(info.path("connectedAt").asText()));
        assertEquals("127.0.0.1", info.path("identity").path("sourceIp").asText());
        Instant.parse(info.path("lastActiveAt").asText());

        HttpResponse<String> delete = send(HttpRequest.newBuilder(URI.create(connectionsUrl(id))).DELETE());
        assertEquals(204, delete.statusCode());
        TestClients.Ws.Close close = ws.awaitClose();
        assertEquals(1000, close.code());
        Map<String, Object> context = requestContext(disconnectEvent(id));
        assertEquals(1000, context.get("disconnectStatusCode"));
        assertEquals("Connection Closed Normally", context.get("disconnectReason"));

        HttpResponse<String> gone = send(HttpRequest.newBuilder(URI.create(connectionsUrl(id)))
                .POST(HttpRequest.BodyPublishers.ofString("late")));
        assertEquals(410, gone.statusCode());
        assertEquals("GoneException", gone.headers().firstValue("x-amzn-ErrorType").orElse(null));
        assertEquals("{\"message\":null}", gone.body());
        assertEquals(410, send(HttpRequest.newBuilder(URI.create(connectionsUrl(id))).GET()).statusCode());
        assertEquals(410, send(HttpRequest.newBuilder(URI.create(connectionsUrl(id))).DELETE()).statusCode());
    }

    @Test
    void connections_acceptsPercentEncodedAtAndId_andChecksStageAndSize() throws Exception {
        Ws ws = connect("allow");
        String id = connectEvent().getRequestContext().getConnectionId();
        String encoded = id.replace("=", "%3D");
        HttpResponse<String> post = send(HttpRequest.newBuilder(URI.create("http://" + host + "/test/%40connections/" + encoded))
                .POST(HttpRequest.BodyPublishers.ofString("hi")));
        assertEquals(200, post.statusCode());
        assertEquals("hi", ws.next());

        HttpResponse<String> wrongStage = send(HttpRequest.newBuilder(URI.create("http://" + host + "/prod/@connections/" + encoded))
                .POST(HttpRequest.BodyPublishers.ofString("hi")));
        assertEquals(403, wrongStage.statusCode());
        assertEquals("ForbiddenException", wrongStage.headers().firstValue("x-amzn-ErrorType").orElse(null));

        HttpResponse<String> tooLarge = send(HttpRequest.newBuilder(URI.create(connectionsUrl(id)))
                .POST(HttpRequest.BodyPublishers.ofString("x".repeat(ConnectionsApi.MAX_POST_BYTES + 1))));
        assertEquals(413, tooLarge.statusCode());
        assertEquals("PayloadTooLargeException", tooLarge.headers().firstValue("x-amzn-ErrorType").orElse(null));

        HttpResponse<String> largest = send(HttpRequest.newBuilder(URI.create(connectionsUrl(id)))
                .POST(HttpRequest.BodyPublishers.ofString("y".repeat(ConnectionsApi.MAX_POST_BYTES))));
        assertEquals(200, largest.statusCode());
        assertEquals(ConnectionsApi.MAX_POST_BYTES, ws.next().length());

        HttpResponse<String> unknown = send(HttpRequest.newBuilder(URI.create(connectionsUrl("Nope0000000000A=")))
                .POST(HttpRequest.BodyPublishers.ofString("hi")));
        assertEquals(410, unknown.statusCode());
    }

    @Test
    void connections_throughTheAwsSdk() throws Exception {
        Ws ws = connect("allow");
        String id = connectEvent().getRequestContext().getConnectionId();
        try (ApiGatewayManagementApiClient sdk = ApiGatewayManagementApiClient.builder()
                .endpointOverride(gateway.connectionsEndpoint())
                .build()) {
            sdk.postToConnection(r -> r.connectionId(id).data(SdkBytes.fromUtf8String("from sdk")));
            assertEquals("from sdk", ws.next());
            GetConnectionResponse info = sdk.getConnection(r -> r.connectionId(id));
            assertNotNull(info.connectedAt());
            assertEquals("127.0.0.1", info.identity().sourceIp());
            sdk.deleteConnection(r -> r.connectionId(id));
            assertEquals(1000, ws.awaitClose().code());
            GoneException gone = assertThrows(GoneException.class,
                    () -> sdk.postToConnection(r -> r.connectionId(id).data(SdkBytes.fromUtf8String("late"))));
            assertEquals(410, gone.statusCode());
        }
    }

    @Test
    void function_reachesItsConnectionThroughTheSdkAndTheGatewayEndpoint() throws Exception {
        Ws ws = connect("allow");
        ws.send("{\"type\":\"echo\",\"action\":\"post\"}");
        assertEquals("pushed", ws.next());
        assertEquals("echo:{\"type\":\"echo\",\"action\":\"post\"}", ws.next());
    }

    // ------------------------------------------------------------------ HTTP API and the rest of the port

    @Test
    void plainHttpAndHttps_onTheSamePort() throws Exception {
        for (String scheme : List.of("http", "https")) {
            HttpResponse<String> console = send(HttpRequest.newBuilder(URI.create(scheme + "://" + host + "/")).GET());
            assertEquals(200, console.statusCode(), scheme);
            assertTrue(console.body().contains("<title>Switchboard console</title>"), scheme);
            HttpResponse<String> publish = send(HttpRequest.newBuilder(URI.create(scheme + "://" + host + "/event"))
                    .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"n\":1}")));
            assertEquals(202, publish.statusCode(), scheme);
            assertEquals(scheme, FakePublish.EVENTS.poll(5, TimeUnit.SECONDS).getHeaders().get("x-forwarded-proto"));
        }
    }

    @Test
    void publish_sendsAnHttpApi20EventAndMapsTheResponse() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create("http://" + host + "/event?channel=a&channel=b"))
                .header("Content-Type", "application/json; charset=UTF-8")
                .header("X-Api-Key", API_KEY)
                .header("Cookie", "a=1; b=2")
                .POST(HttpRequest.BodyPublishers.ofString("{\"channel\":\"/default/x\",\"events\":[\"{}\"]}")));
        assertEquals(202, response.statusCode());
        assertEquals("{\"received\":{\"channel\":\"/default/x\",\"events\":[\"{}\"]}}", response.body());
        assertEquals("PublishFunction", response.headers().firstValue("x-function").orElse(null));
        assertEquals("sid=abc; HttpOnly", response.headers().firstValue("set-cookie").orElse(null));
        assertTrue(response.headers().firstValue("apigw-requestid").isPresent());

        APIGatewayV2HTTPEvent event = FakePublish.EVENTS.poll(5, TimeUnit.SECONDS);
        assertNotNull(event);
        assertEquals("2.0", event.getVersion());
        assertEquals("POST /event", event.getRouteKey());
        assertEquals("/event", event.getRawPath());
        assertEquals("channel=a&channel=b", event.getRawQueryString());
        assertEquals("a,b", event.getQueryStringParameters().get("channel"));
        assertEquals(API_KEY, event.getHeaders().get("x-api-key"));
        assertFalse(event.getHeaders().containsKey("cookie"));
        assertEquals(List.of("a=1", "b=2"), event.getCookies());
        assertEquals("POST", event.getRequestContext().getHttp().getMethod());
        assertEquals("$default", event.getRequestContext().getStage());
        assertEquals("127.0.0.1", event.getRequestContext().getHttp().getSourceIp());
        assertFalse(event.getIsBase64Encoded());
    }

    @Test
    void publish_otherMethodsAre404_andPreflightIsPermissive() throws Exception {
        HttpResponse<String> get = send(HttpRequest.newBuilder(URI.create("http://" + host + "/event")).GET());
        assertEquals(404, get.statusCode());
        assertEquals("{\"message\":\"Not Found\"}", get.body());

        HttpResponse<String> preflight = send(HttpRequest.newBuilder(URI.create("http://" + host + "/event"))
                .header("Origin", "http://localhost:5173")
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "content-type,x-api-key")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()));
        assertEquals(204, preflight.statusCode());
        assertEquals("*", preflight.headers().firstValue("access-control-allow-origin").orElse(null));
        assertEquals("content-type,x-api-key", preflight.headers().firstValue("access-control-allow-headers").orElse(null));
        assertTrue(preflight.headers().firstValue("access-control-allow-methods").orElse("").contains("POST"));

        HttpResponse<String> cors = send(HttpRequest.newBuilder(URI.create("http://" + host + "/event"))
                .header("Origin", "http://localhost:5173").POST(HttpRequest.BodyPublishers.ofString("{}")));
        assertEquals("*", cors.headers().firstValue("access-control-allow-origin").orElse(null));

        assertEquals(404, send(HttpRequest.newBuilder(URI.create("http://" + host + "/nowhere")).GET()).statusCode());
    }

    @Test
    void iamRoute_needsASigV4Header_andPassesTheCallerToTheFunction() throws Exception {
        HttpResponse<String> unsigned = send(HttpRequest.newBuilder(URI.create("http://" + host + "/iam/event"))
                .POST(HttpRequest.BodyPublishers.ofString("{}")));
        assertEquals(403, unsigned.statusCode());
        assertEquals("{\"message\":\"Forbidden\"}", unsigned.body());
        assertTrue(FakePublish.EVENTS.isEmpty());

        HttpResponse<String> signed = send(HttpRequest.newBuilder(URI.create("http://" + host + "/iam/event"))
                .header("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDLOCAL/20240120/us-east-1/execute-api/aws4_request, "
                        + "SignedHeaders=host;x-amz-date, Signature=abc")
                .POST(HttpRequest.BodyPublishers.ofString("{}")));
        assertEquals(202, signed.statusCode());
        APIGatewayV2HTTPEvent event = FakePublish.EVENTS.poll(5, TimeUnit.SECONDS);
        assertEquals("POST /iam/event", event.getRouteKey());
        assertEquals("AKIDLOCAL", event.getRequestContext().getAuthorizer().getIam().getAccessKey());
        assertEquals("000000000000", event.getRequestContext().getAuthorizer().getIam().getAccountId());
    }

    @Test
    void publish_functionThrows_is500() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create("http://" + host + "/event"))
                .POST(HttpRequest.BodyPublishers.ofString("boom")));
        assertEquals(500, response.statusCode());
        assertEquals("{\"message\":\"Internal Server Error\"}", response.body());
    }

    @Test
    void systemProperties_configureTheFunctions() {
        assertEquals(gateway.connectionsEndpoint().toString(), System.getProperty("SWITCHBOARD_CONNECTIONS_ENDPOINT"));
        assertEquals("http://" + host + "/test", System.getProperty("SWITCHBOARD_CONNECTIONS_ENDPOINT"));
        assertEquals(Ids.sha256Hex(API_KEY), System.getProperty("SWITCHBOARD_API_KEYS"));
        assertEquals("memory", System.getProperty("SWITCHBOARD_STORE"));
        assertEquals("true", System.getProperty("SWITCHBOARD_LOCAL"));
        assertEquals("hello", System.getProperty("FAKE_GREETING"));
        assertEquals(System.getProperty("AWS_REGION") + "-x", System.getProperty("FAKE_REGION"));
        assertEquals("yes-message", System.getProperty("FAKE_ONLY_MESSAGE"));
        assertNull(System.getProperty("TABLE_NAME"), "a !Ref to a resource does not resolve locally");
        assertNotNull(System.getProperty("aws.region"));
    }
}
