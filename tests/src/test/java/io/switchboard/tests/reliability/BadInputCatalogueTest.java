package io.switchboard.tests.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.testing.RawWebSocket;
import io.switchboard.tests.reliability.BadInput.Closed;
import io.switchboard.tests.reliability.BadInput.ConnectionError;
import io.switchboard.tests.reliability.BadInput.Expect;
import io.switchboard.tests.reliability.BadInput.HttpAnswer;
import io.switchboard.tests.reliability.BadInput.Reply;
import io.switchboard.tests.reliability.BadInput.UpgradeRefused;
import io.switchboard.tests.support.Json;
import io.switchboard.tests.support.WsClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs the bad-input catalogue ({@link BadInputCatalogue#CASES}) against the real local gateway with
 * {@code java.net.http}: each case must get exactly its answer; afterwards the offending connection must still
 * subscribe and publish (unless the case closes it, as API Gateway does), and a witness subscription on
 * {@code /default/*}, open for the whole class, must still receive a publish. Also writes the README table,
 * {@code target/bad-input-catalogue.md}, from the same list.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class BadInputCatalogueTest {

    static Gateway gateway;
    static WsClient witness;

    @BeforeAll
    static void start() {
        gateway = Gateway.start();
        witness = gateway.connect();
        witness.send(BadInputCatalogue.subscribe("witness", "/default/*"));
        assertEquals("subscribe_success", witness.next().path("type").asText());
    }

    @AfterAll
    static void stop() {
        if (witness != null) {
            witness.close();
        }
        if (gateway != null) {
            gateway.close();
        }
    }

    static Stream<BadInput> cases() {
        return BadInputCatalogue.CASES.stream();
    }

    @Test
    void catalogueHasAtLeastSixtyDistinctCases() {
        Set<String> names = new LinkedHashSet<>();
        Set<String> inputs = new LinkedHashSet<>();
        for (BadInput c : BadInputCatalogue.CASES) {
            assertTrue(names.add(c.name()), "duplicate case name: " + c.name());
            String input = c.transport() + "|" + c.method() + "|" + c.headers() + "|" + c.setup() + "|" + c.text() + "|"
                + (c.bytes() == null ? "" : new String(c.bytes(), StandardCharsets.ISO_8859_1));
            assertTrue(inputs.add(input), "duplicate input: " + c);
        }
        assertTrue(names.size() >= 60, "only " + names.size() + " cases");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void answersExactlyAndEverythingElseKeepsWorking(BadInput c) throws Exception {
        WsClient offender = switch (c.transport()) {
            case WS_TEXT -> text(c);
            case WS_BINARY -> binary(c);
            case WS_RAW -> {
                raw(c);
                yield null;
            }
            case UPGRADE -> {
                upgrade(c);
                yield null;
            }
            case HTTP -> {
                http(c);
                yield null;
            }
        };
        if (offender != null) {
            try {
                if (c.expect() instanceof Reply r && "MaxSubscriptionsReachedError".equals(r.errorType())) {
                    // at the limit: one unsubscribe frees a place again
                    offender.send("{\"type\":\"unsubscribe\",\"id\":\"m0\"}");
                    assertEquals("unsubscribe_success", offender.next(f -> "m0".equals(f.path("id").asText()), "unsubscribe m0")
                        .path("type").asText());
                }
                if (c.expect().connectionSurvives()) {
                    stillWorks(offender, c.number());
                }
            } finally {
                offender.close();
            }
        }
        witnessStillReceives(c.number());
    }

    // ------------------------------------------------------------------ transports

    private static WsClient text(BadInput c) {
        WsClient ws = gateway.connect();
        for (String frame : c.setup()) {
            ws.send(frame);
            JsonNode reply = ws.next(f -> !f.path("type").asText().equals("ka"), "setup reply");
            assertFalse(reply.has("errors"), () -> "setup frame refused: " + reply);
        }
        ws.send(c.text());
        expectOnSocket(ws, c.expect());
        return ws;
    }

    private static WsClient binary(BadInput c) {
        WsClient ws = gateway.connect();
        ws.sendBinary(c.bytes());
        expectOnSocket(ws, c.expect());
        return ws;
    }

    private static void expectOnSocket(WsClient ws, Expect expect) {
        if (expect instanceof Reply reply) {
            JsonNode frame = ws.next(f -> !f.path("type").asText().equals("ka"), "reply");
            assertReply(reply, frame);
        } else if (expect instanceof Closed closed) {
            WsClient.Close close = ws.awaitClose();
            assertEquals(closed.code(), close.code(), () -> "close " + close);
            assertEquals(closed.reason(), close.reason(), () -> "close " + close);
        } else {
            throw new AssertionError("not a socket expectation: " + expect);
        }
    }

    private static void raw(BadInput c) throws IOException {
        Closed closed = (Closed) c.expect();
        try (RawWebSocket ws = RawWebSocket.upgrade(gateway.port(), "/event/realtime",
            "aws-appsync-event-ws, " + gateway.apiKeyProtocol(), Gateway.WAIT)) {
            ws.send(RawWebSocket.TEXT, c.bytes());
            RawWebSocket.Frame close = ws.readClose();
            assertEquals(closed.code(), close.closeCode(), () -> "close frame " + close.text());
            assertEquals(closed.reason(), close.closeReason());
        }
    }

    private static void upgrade(BadInput c) {
        String[] protocols = c.text() == null ? new String[] {"aws-appsync-event-ws"}
            : new String[] {"aws-appsync-event-ws", c.text()};
        if (c.expect() instanceof UpgradeRefused refused) {
            AssertionError failure = assertThrows(AssertionError.class,
                () -> WsClient.open(gateway.http, gateway.ws(), Gateway.WAIT, c.headers(), protocols));
            WebSocketHandshakeException handshake = assertInstanceOf(WebSocketHandshakeException.class, failure.getCause());
            assertEquals(refused.status(), handshake.getResponse().statusCode());
            return;
        }
        ConnectionError expected = (ConnectionError) c.expect();
        try (WsClient ws = WsClient.open(gateway.http, gateway.ws(), Gateway.WAIT, c.headers(), protocols)) {
            ws.send("{\"type\":\"connection_init\"}");
            JsonNode frame = ws.next();
            assertEquals("connection_error", frame.path("type").asText(), frame::toString);
            assertEquals(1, frame.path("errors").size(), frame::toString);
            assertEquals(expected.errorType(), frame.path("errors").get(0).path("errorType").asText(), frame::toString);
            assertMessage(expected.message(), frame.path("errors").get(0).path("message").asText());
            ws.awaitClose();
        }
    }

    private static void http(BadInput c) {
        HttpAnswer expected = (HttpAnswer) c.expect();
        HttpRequest.BodyPublisher body = c.bytes().length == 0 ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofByteArray(c.bytes());
        HttpResponse<String> response = gateway.request(c.method(), body, c.headers());
        assertEquals(expected.status(), response.statusCode(), response::body);
        if (expected.rawBody() != null) {
            assertEquals(expected.rawBody(), response.body());
        } else if (expected.errorType() != null) {
            JsonNode answer = Json.parse(response.body());
            assertEquals(1, answer.size(), response::body);
            assertEquals(1, answer.path("errors").size(), response::body);
            assertEquals(expected.errorType(), answer.path("errors").get(0).path("errorType").asText(), response::body);
            assertMessage(expected.message(), answer.path("errors").get(0).path("message").asText());
        } else {
            JsonNode answer = Json.parse(response.body());
            assertTrue(answer.path("successful").isArray() && answer.path("failed").isArray(), response::body);
        }
    }

    // ------------------------------------------------------------------ assertions

    static void assertReply(Reply expected, JsonNode frame) {
        assertEquals(expected.type(), frame.path("type").asText(), frame::toString);
        if (expected.id() == null) {
            assertFalse(frame.has("id"), () -> "no id expected: " + frame);
        } else {
            assertEquals(expected.id(), frame.path("id").asText(), frame::toString);
        }
        if (expected.errorType() == null) {
            assertFalse(frame.has("errors"), frame::toString);
            return;
        }
        assertEquals(1, frame.path("errors").size(), frame::toString);
        JsonNode error = frame.path("errors").get(0);
        assertEquals(expected.errorType(), error.path("errorType").asText(), frame::toString);
        assertMessage(expected.message(), error.path("message").asText());
    }

    /** Exact, or a prefix when the expected message ends with "…" ("…" alone: any non-empty message). */
    static void assertMessage(String expected, String actual) {
        assertNotNull(actual);
        assertFalse(actual.isBlank(), "empty message");
        if (expected.endsWith("…")) {
            String prefix = expected.substring(0, expected.length() - 1);
            assertTrue(actual.startsWith(prefix), () -> "message <" + actual + "> does not start with <" + prefix + ">");
        } else {
            assertEquals(expected, actual);
        }
    }

    /** The offending connection still subscribes, publishes and receives. */
    private static void stillWorks(WsClient ws, int number) {
        assertTrue(ws.isOpen(), "the connection must survive");
        String id = "after-" + number;
        String channel = "/default/after/c" + number;
        ws.send(BadInputCatalogue.subscribe(id, channel));
        JsonNode subscribed = ws.next(f -> id.equals(f.path("id").asText()), "subscribe reply of " + id);
        assertEquals("subscribe_success", subscribed.path("type").asText(), subscribed::toString);
        ws.send(BadInputCatalogue.publish("pub-" + number, channel, "[" + Json.quote("{\"after\":" + number + "}") + "]"));
        JsonNode published = ws.next(f -> ("pub-" + number).equals(f.path("id").asText()), "publish reply");
        assertEquals("publish_success", published.path("type").asText(), published::toString);
        JsonNode data = ws.next(f -> "data".equals(f.path("type").asText()) && id.equals(f.path("id").asText()), "data for " + id);
        assertEquals("{\"after\":" + number + "}", data.path("event").asText());
    }

    private static void witnessStillReceives(int number) {
        String event = "{\"witness\":" + number + "}";
        HttpResponse<String> response = gateway.publish("{\"channel\":\"/default/witness/c" + number + "\",\"events\":["
            + Json.quote(event) + "]}");
        assertEquals(200, response.statusCode(), response::body);
        JsonNode data = witness.next(f -> "data".equals(f.path("type").asText()) && event.equals(f.path("event").asText()),
            "the witness's event " + event);
        assertEquals("witness", data.path("id").asText());
        assertTrue(witness.isOpen());
        witness.forgetSkipped(); // events of the cases themselves on /default/...
    }

    // ------------------------------------------------------------------ README table

    @Test
    void writesTheReadmeTable() throws IOException {
        Path target = Path.of("target", "bad-input-catalogue.md");
        Files.createDirectories(target.getParent());
        Files.writeString(target, table(), StandardCharsets.UTF_8);
        assertTrue(Files.size(target) > 1000);
    }

    static String table() {
        StringBuilder md = new StringBuilder();
        md.append("| # | Area | Bad input | Switchboard answers | Afterwards |\n|---|---|---|---|---|\n");
        for (BadInput c : BadInputCatalogue.CASES) {
            String afterwards = c.expect().connectionSurvives()
                ? "connection keeps working" : c.transport() == BadInput.Transport.HTTP ? "—" : "connection closed";
            md.append("| ").append(c.number()).append(" | ").append(cell(c.category())).append(" | ")
                .append(cell(c.name())).append(": `").append(code(c.shown())).append("` | ")
                .append(cell(c.expect().describe())).append(" | ").append(afterwards).append(" |\n");
        }
        md.append("\nA witness subscription on `/default/*` receives a publish after every case. Messages ending in "
            + "\"…\" continue with the JSON parser's own words.\n");
        return md.toString();
    }

    private static String cell(String text) {
        return text.replace("|", "\\|").replace("\n", " ");
    }

    private static String code(String text) {
        String shown = text.length() > 110 ? text.substring(0, 100) + "…" : text;
        return shown.replace("`", "'").replace("|", "\\|");
    }

    static List<String> names() {
        List<String> names = new ArrayList<>();
        BadInputCatalogue.CASES.forEach(c -> names.add(c.name()));
        return names;
    }

    static Map<String, String> none() {
        return Map.of();
    }
}
