package io.switchboard.core.auth;

import io.switchboard.core.protocol.ErrorTypes;
import io.switchboard.core.protocol.FrameException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class ConnectHeadersTest {

    /** Chosen so that its base64 has '+' and '/' in the standard alphabet and needs padding. */
    private static final String KEY = "da2-??~~>>?";
    private static final String JSON = "{\"host\":\"abc.appsync-api.us-east-1.amazonaws.com\",\"x-api-key\":\"" + KEY + "\"}";

    private static Headers upgrade(String secWebSocketProtocol) {
        return Headers.of(Map.of("Sec-WebSocket-Protocol", secWebSocketProtocol, "Host", "abc.appsync-realtime-api.example"));
    }

    private static String encode(String json, Function<byte[], String> encoder) {
        return encoder.apply(json.getBytes(StandardCharsets.UTF_8));
    }

    static Stream<Arguments> encodings() {
        Base64.Encoder url = Base64.getUrlEncoder();
        Base64.Encoder std = Base64.getEncoder();
        return Stream.of(
            arguments("base64url without padding (Amplify, wscat recipe)", (Function<byte[], String>) url.withoutPadding()::encodeToString),
            arguments("base64url with padding", (Function<byte[], String>) url::encodeToString),
            arguments("standard alphabet with padding", (Function<byte[], String>) std::encodeToString),
            arguments("standard alphabet without padding", (Function<byte[], String>) std.withoutPadding()::encodeToString));
    }

    @Test
    void encodings_testValue_exercisesAlphabetAndPaddingDifferences() {
        String standard = Base64.getEncoder().encodeToString(JSON.getBytes(StandardCharsets.UTF_8));
        assertTrue(standard.contains("+") && standard.contains("/") && standard.endsWith("="), standard);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("encodings")
    void resolve_headerSubprotocolInAnyBase64Flavour_decodesHeaders(String flavour, Function<byte[], String> encoder) {
        Headers headers = ConnectHeaders.resolve(upgrade("aws-appsync-event-ws, header-" + encode(JSON, encoder)));
        assertEquals(KEY, headers.get("x-api-key"));
        assertEquals("abc.appsync-api.us-east-1.amazonaws.com", headers.get("host"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "aws-appsync-event-ws, header-{}",
        "header-{}, aws-appsync-event-ws",
        "header-{},aws-appsync-event-ws",
        "  header-{}  ",
        "graphql-ws, header-{}, aws-appsync-event-ws",
    })
    void resolve_subprotocolsInAnyOrder_findsHeaderEntry(String offered) {
        String encoded = Base64.getUrlEncoder().withoutPadding().encodeToString(JSON.getBytes(StandardCharsets.UTF_8));
        Headers headers = ConnectHeaders.resolve(upgrade(offered.replace("{}", encoded)));
        assertEquals(KEY, headers.get("x-api-key"));
    }

    @Test
    void resolve_docsExampleFromProtocolConversation_decodesHostAndKey() {
        Headers headers = ConnectHeaders.resolve(upgrade("aws-appsync-event-ws, "
            + "header-eyJob3N0IjoiYWJjLmFwcHN5bmMtYXBpLnVzLWVhc3QtMS5hbWF6b25hd3MuY29tIiwieC1hcGkta2V5IjoiZGEyLXh4eCJ9"));
        assertEquals("da2-xxx", headers.get("x-api-key"));
        assertEquals("abc.appsync-api.us-east-1.amazonaws.com", headers.get("host"));
    }

    @Test
    void resolve_headerSubprotocol_overridesUpgradeHeadersAndKeepsTheRest() {
        String encoded = Base64.getUrlEncoder().withoutPadding()
            .encodeToString("{\"HOST\":\"api.example.com\",\"X-Api-Key\":\"from-subprotocol\",\"n\":1,\"nested\":{}}".getBytes(StandardCharsets.UTF_8));
        Headers upgrade = Headers.of(Map.of(
            "sec-websocket-protocol", "header-" + encoded + ",aws-appsync-event-ws",
            "host", "realtime.example.com",
            "x-api-key", "from-upgrade",
            "User-Agent", "test"));
        Headers headers = ConnectHeaders.resolve(upgrade);
        assertEquals("from-subprotocol", headers.get("x-api-key"));
        assertEquals("api.example.com", headers.get("Host"));
        assertEquals("test", headers.get("user-agent"));
        assertEquals("1", headers.get("n"));
        assertNull(headers.get("nested"), "objects are not header values");
    }

    @Test
    void resolve_plainUpgradeHeadersOnly_returnsThemUnchanged() {
        Headers upgrade = Headers.of(Map.of("Sec-WebSocket-Protocol", "aws-appsync-event-ws", "X-API-KEY", "da2-native"));
        Headers headers = ConnectHeaders.resolve(upgrade);
        assertSame(upgrade, headers);
        assertEquals("da2-native", headers.get("x-api-key"));
    }

    static Stream<Arguments> badHeaderSubprotocols() {
        Base64.Encoder url = Base64.getUrlEncoder().withoutPadding();
        return Stream.of(
            arguments("header-!!!!", "not valid base64url"),
            arguments("header-a", "not valid base64url"),
            arguments("header-eyJ=a", "not valid base64url"),
            arguments("header-", "does not hold JSON"),
            arguments("header-" + url.encodeToString("hello".getBytes(StandardCharsets.UTF_8)), "does not hold JSON"),
            arguments("header-" + url.encodeToString("{\"x-api-key\":".getBytes(StandardCharsets.UTF_8)), "does not hold JSON"),
            arguments("header-" + url.encodeToString("[\"x-api-key\",\"k\"]".getBytes(StandardCharsets.UTF_8)),
                "must hold a JSON object of header names to strings, got an array"),
            arguments("header-" + url.encodeToString("\"k\"".getBytes(StandardCharsets.UTF_8)),
                "must hold a JSON object of header names to strings, got a string"),
            arguments("header-" + "A".repeat(16 * 1024 + 1), "is 16385 characters long; the maximum is 16384"));
    }

    @ParameterizedTest
    @MethodSource("badHeaderSubprotocols")
    void resolve_badHeaderSubprotocol_throwsBadRequest(String protocol, String messagePart) {
        FrameException e = assertThrows(FrameException.class,
            () -> ConnectHeaders.resolve(upgrade("aws-appsync-event-ws, " + protocol)));
        assertEquals(ErrorTypes.BAD_REQUEST, e.errorType());
        assertTrue(e.getMessage().startsWith("The header- subprotocol "), e.getMessage());
        assertTrue(e.getMessage().contains(messagePart), () -> "message '" + e.getMessage() + "' lacks '" + messagePart + "'");
    }

    @Test
    void resolve_headerSubprotocolAtTheSizeLimit_isDecoded() {
        String padded = "{\"x-api-key\":\"k\",\"pad\":\"" + "p".repeat(12_000) + "\"}";
        String encoded = Base64.getUrlEncoder().withoutPadding().encodeToString(padded.getBytes(StandardCharsets.UTF_8));
        assertTrue(encoded.length() <= 16 * 1024, "precondition: " + encoded.length());
        assertEquals("k", ConnectHeaders.resolve(upgrade("header-" + encoded)).get("x-api-key"));
    }

    static Stream<Arguments> offered() {
        return Stream.of(
            arguments(Map.of("Sec-WebSocket-Protocol", "aws-appsync-event-ws, header-abc"), List.of("aws-appsync-event-ws", "header-abc")),
            arguments(Map.of("sec-websocket-protocol", " header-abc ,aws-appsync-event-ws,, "), List.of("header-abc", "aws-appsync-event-ws")),
            arguments(Map.of("SEC-WEBSOCKET-PROTOCOL", "aws-appsync-event-ws"), List.of("aws-appsync-event-ws")),
            arguments(Map.of("Host", "h"), List.of()));
    }

    @ParameterizedTest
    @MethodSource("offered")
    void offeredSubprotocols_headerInAnyCase_splitsAndTrims(Map<String, String> raw, List<String> expected) {
        assertEquals(expected, ConnectHeaders.offeredSubprotocols(Headers.of(raw)));
    }

    @ParameterizedTest
    @CsvSource({"x-api-key", "X-Api-Key", "X-API-KEY", "x-API-key"})
    void headers_anyCaseOfName_findsValue(String name) {
        Headers headers = Headers.of(Map.of("X-Api-Key", "da2-1", "authorization", "token"));
        assertEquals("da2-1", headers.get(name));
        assertTrue(headers.has(name));
        assertEquals("token", headers.get(name.replaceAll("(?i)x-api-key", "AUTHORIZATION")));
    }

    @Test
    void headers_emptyOrNullValues_areNotPresent() {
        java.util.HashMap<String, String> raw = new java.util.HashMap<>();
        raw.put("x-api-key", "");
        raw.put("authorization", null);
        raw.put(null, "v");
        Headers headers = Headers.of(raw);
        assertFalse(headers.has("x-api-key"));
        assertFalse(headers.has("authorization"));
        assertEquals("", headers.get("x-api-key"));
        assertTrue(Headers.of(null).asMap().isEmpty());
    }

    @Test
    void headers_with_laysOverridesOverCaseInsensitively() {
        Headers merged = Headers.of(Map.of("X-Api-Key", "old", "host", "h"))
            .with(Headers.of(Map.of("x-api-key", "new")));
        assertEquals("new", merged.get("X-API-KEY"));
        assertEquals("h", merged.get("Host"));
        assertEquals(2, merged.asMap().size());
    }

    @Test
    void headers_toString_namesHeadersWithoutValues() {
        String text = Headers.of(Map.of("x-api-key", "da2-secret")).toString();
        assertTrue(text.contains("x-api-key"), text);
        assertFalse(text.contains("da2-secret"), text);
    }
}
