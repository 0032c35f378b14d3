package io.switchboard.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.switchboard.core.spi.ConnectionSender;
import io.switchboard.core.spi.ConnectionSender.SendResult;
import io.switchboard.functions.SwitchboardRuntime;
import io.switchboard.local.TestClients.Ws;
import io.switchboard.local.fake.FakeConnect;
import io.switchboard.local.fake.FakeDisconnect;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sender the gateway gives its functions: frames handed to the connection in this JVM, with the rules of a POST
 * to {@code @connections} (real java.net.http WebSocket clients on a gateway with the fake functions).
 */
class InProcessConnectionSenderTest {

    private static final String FRAME = "{\"type\":\"data\",\"id\":\"s1\",\"event\":\"{\\\"n\\\":1}\"}";

    @TempDir
    static Path tls;
    static LocalGateway gateway;
    static HttpClient client;

    @BeforeAll
    static void start() throws Exception {
        gateway = LocalGateway.start(Options.builder()
                .port(0)
                .template(Path.of("src/test/resources/test-template.yaml"))
                .tlsDirectory(tls)
                .apiKey(LocalGatewayTest.API_KEY)
                .workerThreads(4)
                .build());
        client = TestClients.http(gateway.certificatePath());
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @BeforeEach
    void clear() {
        FakeConnect.EVENTS.clear();
        FakeDisconnect.EVENTS.clear();
    }

    /** An accepted socket and its connection id. */
    private record Socket(Ws ws, String connectionId) {
    }

    private static Options.Builder options() {
        return Options.builder().port(0).template(Path.of("src/test/resources/test-template.yaml")).tlsDirectory(tls);
    }

    private static Socket connect() throws Exception {
        return connect(gateway);
    }

    private static Socket connect(LocalGateway gateway) throws Exception {
        String host = "127.0.0.1:" + gateway.port();
        FakeConnect.EVENTS.clear();
        Ws ws = Ws.open(client, URI.create("ws://" + host + "/event/realtime"),
                "aws-appsync-event-ws", TestClients.headerProtocol(host, "allow"));
        var event = FakeConnect.EVENTS.poll(TestClients.WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertNotNull(event, "$connect was not invoked");
        String id = event.getRequestContext().getConnectionId();
        awaitOpen(gateway, id);
        return new Socket(ws, id);
    }

    /** Until the gateway has {@code id} open (the client may see its 101 a moment before): what @connections GET says. */
    private static void awaitOpen(LocalGateway gateway, String id) throws Exception {
        URI describe = URI.create(gateway.connectionsEndpoint() + "/@connections/" + id);
        long deadline = System.nanoTime() + TestClients.WAIT.toNanos();
        while (client.send(HttpRequest.newBuilder(describe).GET().build(), HttpResponse.BodyHandlers.discarding()).statusCode() != 200) {
            assertTrue(System.nanoTime() < deadline, "connection " + id + " never opened");
            Thread.sleep(10);
        }
    }

    @Test
    void send_toAnOpenConnection_isDeliveredToTheClient() throws Exception {
        Socket socket = connect();
        ConnectionSender sender = gateway.inProcessSender();
        assertEquals(SendResult.DELIVERED, sender.send(socket.connectionId(), FRAME));
        assertEquals(FRAME, socket.ws().next());
        assertEquals(SendResult.DELIVERED, sender.send(socket.connectionId(), "second", System.nanoTime() + 1_000_000_000L));
        assertEquals("second", socket.ws().next());
    }

    @Test
    void send_theLargestFrame_arrivesWhole_andOneByteMoreIsRefusedAsByAPost() throws Exception {
        Socket socket = connect();
        ConnectionSender sender = gateway.inProcessSender();
        // over 32 KB: the gateway fragments it as API Gateway does; the client reassembles one message
        assertEquals(SendResult.DELIVERED, sender.send(socket.connectionId(), "y".repeat(ConnectionsApi.MAX_POST_BYTES)));
        assertEquals(ConnectionsApi.MAX_POST_BYTES, socket.ws().next().length());
        // counted in UTF-8 bytes, as the POST body is: 43,691 three-byte characters are 131,073 bytes
        String threeByteChars = "€".repeat(ConnectionsApi.MAX_POST_BYTES / 3 + 1);
        assertEquals(SendResult.FAILED, sender.send(socket.connectionId(), threeByteChars));
        assertEquals(SendResult.FAILED, sender.send(socket.connectionId(), "x".repeat(ConnectionsApi.MAX_POST_BYTES + 1)));
        socket.ws().assertNothingWithin(Duration.ofMillis(300));
        assertEquals(SendResult.DELIVERED, sender.send(socket.connectionId(), "still open"));
        assertEquals("still open", socket.ws().next());
    }

    @Test
    void send_toAnUnknownConnection_isGone() {
        assertEquals(SendResult.GONE, gateway.inProcessSender().send("Nope0000000000A=", FRAME));
    }

    @Test
    void send_afterTheClientClosed_isGone() throws Exception {
        Socket socket = connect();
        socket.ws().socket.sendClose(1000, "bye").join();
        socket.ws().awaitClose();
        LocalGatewayTest.disconnectEvent(socket.connectionId());
        assertEquals(SendResult.GONE, gateway.inProcessSender().send(socket.connectionId(), FRAME));
    }

    @Test
    void close_closesTheSocketAsADeleteDoes_andLaterSendsAreGone() throws Exception {
        Socket socket = connect();
        ConnectionSender sender = gateway.inProcessSender();
        sender.close(socket.connectionId());
        Ws.Close close = socket.ws().awaitClose();
        assertEquals(1000, close.code());
        assertEquals(WebSocketApi.DELETE_REASON,
                LocalGatewayTest.requestContext(LocalGatewayTest.disconnectEvent(socket.connectionId())).get("disconnectReason"));
        assertEquals(SendResult.GONE, sender.send(socket.connectionId(), FRAME));
        sender.close(socket.connectionId()); // already gone: nothing happens
    }

    @Test
    void aGateway_handsItsSenderToTheFunctionsRuntime_andTakesItBackOnClose() throws Exception {
        try (LocalGateway own = LocalGateway.start(options().build())) {
            assertNotNull(own.inProcessSender());
            assertSame(own.inProcessSender(), hostSender(SwitchboardRuntime.class));
        }
        assertNull(hostSender(SwitchboardRuntime.class));
        try (LocalGateway overHttp = LocalGateway.start(options().connectionsOverHttp(true).build())) {
            assertNull(overHttp.inProcessSender());
            assertNull(hostSender(SwitchboardRuntime.class));
            // the HTTP endpoint is there for the functions' SDK client (and for everyone else) either way
            Socket socket = connect(overHttp);
            HttpResponse<String> post = client.send(HttpRequest.newBuilder(
                            URI.create(overHttp.connectionsEndpoint() + "/@connections/" + socket.connectionId()))
                    .POST(HttpRequest.BodyPublishers.ofString("over http")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, post.statusCode());
            assertEquals("over http", socket.ws().next());
        }
    }

    @Test
    void theFunctionsEngine_followsTheHostSender_acrossAGatewayRestart() throws Exception {
        try (URLClassLoader functions = new ChildFirst(SwitchboardRuntime.class, ConnectionSender.class)) {
            Runnable detach = gateway.inProcessSender().install(functions);
            Class<?> runtime = Class.forName(SwitchboardRuntime.class.getName(), true, functions);
            Object engine = runtime.getMethod("engine").invoke(runtime.getMethod("shared").invoke(null));
            Object engineSender = engine.getClass().getMethod("sender").invoke(engine);
            Method send = Class.forName(ConnectionSender.class.getName(), false, functions)
                    .getMethod("send", String.class, String.class);

            Socket before = connect();
            assertEquals("DELIVERED", ((Enum<?>) send.invoke(engineSender, before.connectionId(), FRAME)).name());
            assertEquals(FRAME, before.ws().next());
            detach.run(); // the gateway stops: no host, no connection
            assertEquals("GONE", ((Enum<?>) send.invoke(engineSender, before.connectionId(), FRAME)).name());

            try (LocalGateway restarted = LocalGateway.start(options().build())) {
                restarted.inProcessSender().install(functions);
                Socket after = connect(restarted);
                assertEquals("DELIVERED", ((Enum<?>) send.invoke(engineSender, after.connectionId(), FRAME)).name());
                assertEquals(FRAME, after.ws().next());
            }
        }
    }

    @Test
    void install_inFunctionsWithAClassLoaderOfTheirOwn_bridgesToTheirConnectionSender() throws Exception {
        Object ours = hostSender(SwitchboardRuntime.class);
        Socket socket = connect();
        try (URLClassLoader functions = new ChildFirst(SwitchboardRuntime.class, ConnectionSender.class)) {
            Class<?> runtime = Class.forName(SwitchboardRuntime.class.getName(), true, functions);
            Class<?> theirSender = Class.forName(ConnectionSender.class.getName(), false, functions);
            assertTrue(runtime != SwitchboardRuntime.class && theirSender != ConnectionSender.class, "not isolated");

            Runnable detach = gateway.inProcessSender().install(functions);
            Object bridged = hostSender(runtime);
            assertTrue(theirSender.isInstance(bridged));
            Method send = theirSender.getMethod("send", String.class, String.class);
            Method sendBy = theirSender.getMethod("send", String.class, String.class, long.class);
            Object delivered = send.invoke(bridged, socket.connectionId(), FRAME);
            assertEquals(theirSender.getName() + "$SendResult", delivered.getClass().getName());
            assertEquals("DELIVERED", ((Enum<?>) delivered).name());
            assertEquals(FRAME, socket.ws().next());
            assertEquals("GONE", ((Enum<?>) sendBy.invoke(bridged, "Nope0000000000A=", FRAME, Long.MAX_VALUE)).name());
            theirSender.getMethod("close", String.class).invoke(bridged, socket.connectionId());
            assertEquals(1000, socket.ws().awaitClose().code());

            detach.run();
            assertNull(hostSender(runtime));
        }
        assertSame(ours, hostSender(SwitchboardRuntime.class), "the test JVM's own runtime is untouched");
    }

    /** What {@code SwitchboardRuntime.useHostSender} last set in this copy of the class. */
    private static Object hostSender(Class<?> runtime) throws ReflectiveOperationException {
        Field field = runtime.getDeclaredField("hostSender");
        field.setAccessible(true);
        return field.get(null);
    }

    /** Its own copy of the functions' and core's classes, as the test suites give each gateway (child-first for them). */
    private static final class ChildFirst extends URLClassLoader {
        ChildFirst(Class<?>... anchors) throws Exception {
            super("functions", urls(anchors), InProcessConnectionSenderTest.class.getClassLoader());
        }

        private static URL[] urls(Class<?>... anchors) throws Exception {
            URL[] urls = new URL[anchors.length];
            for (int i = 0; i < anchors.length; i++) {
                urls[i] = anchors[i].getProtectionDomain().getCodeSource().getLocation();
            }
            return urls;
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!name.startsWith("io.switchboard.functions.") && !name.startsWith("io.switchboard.core.")) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> type = findLoadedClass(name);
                if (type == null) {
                    try {
                        type = findClass(name);
                    } catch (ClassNotFoundException e) {
                        return super.loadClass(name, resolve);
                    }
                }
                return type;
            }
        }
    }
}
