package io.switchboard.core.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class FrameCodecTest {

    private static final List<ProtocolError> ERRORS =
        List.of(new ProtocolError(ErrorTypes.BAD_REQUEST, "Invalid Channel Format"));
    private static final List<ProtocolError> TWO_ERRORS = List.of(
        new ProtocolError(ErrorTypes.UNAUTHORIZED_EXCEPTION, "You are not authorized to make this call."),
        new ProtocolError("Custom", "with \"quotes\", a \\ backslash and é"));

    /** One or more instances of every frame record, client and server side. */
    static Stream<Frame> everyFrame() {
        return Stream.of(
            // client to server
            new Frame.ConnectionInit(),
            new Frame.Subscribe("s1", "/default/*", Map.of("x-api-key", "da2-xxx", "host", "abc.appsync-api.us-east-1.amazonaws.com")),
            new Frame.Subscribe("s1", "/default/room", Map.of()),
            new Frame.Unsubscribe("ee849ef0-cf23-4cb8-9fcb-152ae4fd1e69"),
            new Frame.Publish("p1", "/default/room/1", List.of("{\"text\":\"hi\"}", "42", "\"Hola\""), Map.of("x-api-key", "da2-xxx")),
            new Frame.Publish("p2", "/default/room/1", List.of("[1,2,{\"a/b\":\"<é>\"}]"), Map.of()),
            // server to client
            new Frame.ConnectionAck(300_000),
            new Frame.ConnectionError(ERRORS),
            new Frame.ConnectionError(TWO_ERRORS),
            new Frame.KeepAlive(),
            new Frame.SubscribeSuccess("s1"),
            new Frame.SubscribeError("s1", ERRORS),
            new Frame.Data("s1", "{\"a\":1}"),
            new Frame.Data("s1", "{\n\t\"text\": \"line\\nbreak \\u00e9 \u00e9 \ud83d\ude00\"\r\n}"),
            new Frame.BroadcastError("s1", List.of(new ProtocolError(ErrorTypes.MESSAGE_PROCESSING,
                "There was an error processing the message"))),
            new Frame.UnsubscribeSuccess("s1"),
            new Frame.UnsubscribeError("s1", List.of(new ProtocolError(ErrorTypes.UNKNOWN_OPERATION, "Unknown operation id s1"))),
            new Frame.PublishSuccess("p1",
                List.of(new Frame.PublishedEvent("221b6b3f-46fd-4ac1-a327-bd2623b7402e", 0),
                    new Frame.PublishedEvent("53287bee-ae0d-42e7-8a90-e9d2a49e4bd7", 2)),
                List.of(new Frame.FailedEvent("9f0c1a52-0000-4000-8000-000000000001", 1, 401, "error"),
                    new Frame.FailedEvent("9f0c1a52-0000-4000-8000-000000000002", 3, null, "dropped"))),
            new Frame.PublishSuccess("p1", List.of(new Frame.PublishedEvent("221b6b3f-46fd-4ac1-a327-bd2623b7402e", 0)), List.of()),
            new Frame.PublishSuccess("p1", List.of(), List.of()),
            new Frame.PublishError("p1", ERRORS),
            new Frame.Error("op-1", List.of(new ProtocolError(ErrorTypes.UNSUPPORTED_OPERATION, "Unknown frame type 'x'"))),
            new Frame.Error(null, TWO_ERRORS));
    }

    @Test
    void everyFrame_coversEveryPermittedFrameRecord() {
        Set<Class<?>> covered = everyFrame().map(Object::getClass).collect(Collectors.toSet());
        Set<Class<?>> permitted = Arrays.stream(Frame.class.getPermittedSubclasses()).collect(Collectors.toSet());
        assertEquals(permitted, covered, "the round-trip table must hold every Frame record");
    }

    @ParameterizedTest
    @MethodSource("everyFrame")
    void decode_encodedFrame_givesEqualFrame(Frame frame) {
        assertEquals(frame, FrameCodec.decode(FrameCodec.encode(frame)));
    }

    @ParameterizedTest
    @MethodSource("everyFrame")
    void encode_decodedText_givesSameText(Frame frame) {
        String text = FrameCodec.encode(frame);
        assertEquals(text, FrameCodec.encode(FrameCodec.decode(text)));
    }

    @ParameterizedTest
    @MethodSource("everyFrame")
    void encode_anyFrame_writesTypeFirstAndNamesTheWireType(Frame frame) {
        String text = FrameCodec.encode(frame);
        assertTrue(text.startsWith("{\"type\":\"" + frame.type() + "\""), text);
    }

    static Stream<Arguments> exactEncodings() {
        return Stream.of(
            arguments(new Frame.Data("s1", "{\"a\":1}"), "{\"type\":\"data\",\"id\":\"s1\",\"event\":\"{\\\"a\\\":1}\"}"),
            arguments(new Frame.Data("s1", "42"), "{\"type\":\"data\",\"id\":\"s1\",\"event\":\"42\"}"),
            // no escaping of '/', '<', '>' or non-ASCII; whitespace inside the event is escaped, not dropped
            arguments(new Frame.Data("s1", "{\"u\":\"a/b<c>\u00e9\ud83d\ude00\"}"),
                "{\"type\":\"data\",\"id\":\"s1\",\"event\":\"{\\\"u\\\":\\\"a/b<c>\u00e9\ud83d\ude00\\\"}\"}"),
            arguments(new Frame.Data("s1", "{\n\t\"a\": 1\r\n}"),
                "{\"type\":\"data\",\"id\":\"s1\",\"event\":\"{\\n\\t\\\"a\\\": 1\\r\\n}\"}"),
            arguments(new Frame.ConnectionInit(), "{\"type\":\"connection_init\"}"),
            arguments(new Frame.ConnectionAck(300_000),
                "{\"type\":\"connection_ack\",\"connectionTimeoutMs\":300000,\"payload\":{\"connectionTimeoutMs\":300000}}"),
            arguments(new Frame.KeepAlive(), "{\"type\":\"ka\"}"),
            arguments(new Frame.ConnectionError(List.of(new ProtocolError("UnauthorizedException", "Invalid API key"))),
                "{\"type\":\"connection_error\",\"errors\":[{\"errorType\":\"UnauthorizedException\",\"message\":\"Invalid API key\"}]}"),
            arguments(new Frame.SubscribeSuccess("s1"), "{\"type\":\"subscribe_success\",\"id\":\"s1\"}"),
            arguments(new Frame.SubscribeError("s1", ERRORS),
                "{\"type\":\"subscribe_error\",\"id\":\"s1\",\"errors\":[{\"errorType\":\"BadRequestException\",\"message\":\"Invalid Channel Format\"}]}"),
            arguments(new Frame.UnsubscribeSuccess("s1"), "{\"type\":\"unsubscribe_success\",\"id\":\"s1\"}"),
            arguments(new Frame.PublishSuccess("p1", List.of(new Frame.PublishedEvent("u0", 0)),
                    List.of(new Frame.FailedEvent("u1", 1, 401, "no"), new Frame.FailedEvent("u2", 2, null, "dropped"))),
                "{\"type\":\"publish_success\",\"id\":\"p1\",\"successful\":[{\"identifier\":\"u0\",\"index\":0}],"
                    + "\"failed\":[{\"identifier\":\"u1\",\"index\":1,\"code\":401,\"message\":\"no\"},"
                    + "{\"identifier\":\"u2\",\"index\":2,\"message\":\"dropped\"}]}"),
            arguments(new Frame.PublishSuccess("p1", List.of(), List.of()),
                "{\"type\":\"publish_success\",\"id\":\"p1\",\"successful\":[],\"failed\":[]}"),
            arguments(new Frame.Error(null, List.of(new ProtocolError("UnsupportedOperation", "m"))),
                "{\"type\":\"error\",\"errors\":[{\"errorType\":\"UnsupportedOperation\",\"message\":\"m\"}]}"),
            arguments(new Frame.Error("x1", List.of(new ProtocolError("UnsupportedOperation", "m"))),
                "{\"type\":\"error\",\"id\":\"x1\",\"errors\":[{\"errorType\":\"UnsupportedOperation\",\"message\":\"m\"}]}"),
            arguments(new Frame.Publish("p1", "/default/a", List.of("{\"a\":1}"), Map.of()),
                "{\"type\":\"publish\",\"id\":\"p1\",\"channel\":\"/default/a\",\"events\":[\"{\\\"a\\\":1}\"]}"),
            arguments(new Frame.Subscribe("s1", "/default/*", Map.of("x-api-key", "k")),
                "{\"type\":\"subscribe\",\"id\":\"s1\",\"channel\":\"/default/*\",\"authorization\":{\"x-api-key\":\"k\"}}"));
    }

    @ParameterizedTest
    @MethodSource("exactEncodings")
    void encode_keyFrame_writesExactText(Frame frame, String expected) {
        assertEquals(expected, FrameCodec.encode(frame));
    }

    @Test
    void encodeErrors_oneError_writesFlatErrorObjectsWithoutPayloadWrapper() {
        assertEquals("{\"errors\":[{\"errorType\":\"BadRequestException\",\"message\":\"Invalid Channel Format\"}]}",
            FrameCodec.encodeErrors(ERRORS));
    }

    @Test
    void quote_eventText_escapesOnlyWhatJsonRequires() {
        assertEquals("\"{\\\"a\\\":\\\"x/y<\u00e9>\\n\\\\\\u0001\\\"}\"", FrameCodec.quote("{\"a\":\"x/y<\u00e9>\n\\\u0001\"}"));
    }

    @Test
    void decode_connectionAckWithPayloadDuplicate_readsTopLevelTimeout() {
        Frame frame = FrameCodec.decode("{\"type\":\"connection_ack\",\"connectionTimeoutMs\":300000,\"payload\":{\"connectionTimeoutMs\":1}}");
        assertEquals(new Frame.ConnectionAck(300_000), frame);
    }

    static Stream<Arguments> framesWithExtraFields() {
        return Stream.of(
            // Amplify JS subscribe: legacy payload with extensions, extra authorization keys
            arguments("{\"type\":\"subscribe\",\"id\":\"s1\",\"channel\":\"/default/*\","
                    + "\"authorization\":{\"x-api-key\":\"da2-xxx\",\"host\":\"h\",\"x-amz-user-agent\":\"aws-amplify/6\"},"
                    + "\"payload\":{\"channel\":\"/default/*\",\"events\":null,"
                    + "\"extensions\":{\"authorization\":{\"x-api-key\":\"da2-xxx\"}}}}",
                new Frame.Subscribe("s1", "/default/*", Map.of("x-api-key", "da2-xxx", "host", "h", "x-amz-user-agent", "aws-amplify/6"))),
            arguments("{\"type\":\"subscribe\",\"id\":\"s1\",\"channel\":\"/default/*\",\"events\":null}",
                new Frame.Subscribe("s1", "/default/*", Map.of())),
            arguments("{\"type\":\"subscribe\",\"id\":\"s1\",\"channel\":\"/a\",\"authorization\":null}",
                new Frame.Subscribe("s1", "/a", Map.of())),
            // numbers and booleans in authorization are kept as text, nulls dropped
            arguments("{\"type\":\"subscribe\",\"id\":\"s1\",\"channel\":\"/a\",\"authorization\":{\"n\":1,\"b\":true,\"z\":null}}",
                new Frame.Subscribe("s1", "/a", Map.of("n", "1", "b", "true"))),
            arguments("{\"type\":\"publish\",\"id\":\"p1\",\"channel\":\"/a/b\",\"events\":[\"1\"],"
                    + "\"payload\":{\"extensions\":{}},\"unknown\":[1,2,3]}",
                new Frame.Publish("p1", "/a/b", List.of("1"), Map.of())),
            arguments("{\"payload\":{},\"type\":\"connection_init\"}", new Frame.ConnectionInit()),
            arguments("{\"type\":\"unsubscribe\",\"id\":\"s1\",\"authorization\":{\"x-api-key\":\"k\"}}", new Frame.Unsubscribe("s1")),
            arguments(" \n{\"type\":\"ka\"}\n ", new Frame.KeepAlive()));
    }

    @ParameterizedTest
    @MethodSource("framesWithExtraFields")
    void decode_unknownFields_areIgnored(String text, Frame expected) {
        assertEquals(expected, FrameCodec.decode(text));
    }

    static Stream<Arguments> wronglyTypedFields() {
        return Stream.of(
            arguments("{\"type\":1}", null, null, ErrorTypes.BAD_REQUEST, "'type' must be a string, got a number"),
            arguments("{\"type\":[\"subscribe\"]}", null, null, ErrorTypes.BAD_REQUEST, "'type' must be a string, got an array"),
            arguments("{\"id\":\"s1\"}", null, null, ErrorTypes.BAD_REQUEST, "no 'type'"),
            arguments("{\"type\":null}", null, null, ErrorTypes.BAD_REQUEST, "no 'type'"),
            arguments("{\"type\":\"subscribe\",\"id\":7,\"channel\":\"/a\"}", "subscribe", null, ErrorTypes.BAD_REQUEST,
                "'id' must be a string, got a number"),
            arguments("{\"type\":\"unsubscribe\",\"id\":true}", "unsubscribe", null, ErrorTypes.BAD_REQUEST,
                "'id' must be a string, got a boolean"),
            arguments("{\"type\":\"publish\",\"id\":{},\"channel\":\"/a\",\"events\":[\"1\"]}", "publish", null,
                ErrorTypes.BAD_REQUEST, "'id' must be a string, got an object"),
            arguments("{\"type\":\"subscribe\",\"channel\":\"/a\"}", "subscribe", null, ErrorTypes.BAD_REQUEST,
                "'id' is required"),
            arguments("{\"type\":\"subscribe\",\"id\":\"s1\",\"channel\":{\"path\":\"/a\"}}", "subscribe", "s1",
                ErrorTypes.BAD_REQUEST, "'channel' must be a string, got an object"),
            arguments("{\"type\":\"subscribe\",\"id\":\"s1\"}", "subscribe", "s1", ErrorTypes.BAD_REQUEST,
                "'channel' is required"),
            arguments("{\"type\":\"publish\",\"id\":\"p1\",\"channel\":5,\"events\":[\"1\"]}", "publish", "p1",
                ErrorTypes.BAD_REQUEST, "'channel' must be a string, got a number"),
            arguments("{\"type\":\"subscribe\",\"id\":\"s1\",\"channel\":\"/a\",\"authorization\":[\"x-api-key\"]}",
                "subscribe", "s1", ErrorTypes.BAD_REQUEST, "'authorization' must be an object"),
            arguments("{\"type\":\"publish\",\"id\":\"p1\",\"channel\":\"/a\",\"events\":[\"1\"],\"authorization\":\"k\"}",
                "publish", "p1", ErrorTypes.BAD_REQUEST, "'authorization' must be an object"),
            arguments("{\"type\":\"subscribe\",\"id\":\"s1\",\"channel\":\"/a\",\"authorization\":{\"x-api-key\":{\"k\":1}}}",
                "subscribe", "s1", ErrorTypes.BAD_REQUEST, "authorization['x-api-key'] must be a string, got an object"),
            arguments("{\"type\":\"publish\",\"id\":\"p1\",\"channel\":\"/a\",\"events\":\"{}\"}", "publish", "p1",
                ErrorTypes.INVALID_INPUT, "'events' must be an array of JSON strings, got a string"),
            arguments("{\"type\":\"publish\",\"id\":\"p1\",\"channel\":\"/a\",\"events\":{\"0\":\"1\"}}", "publish", "p1",
                ErrorTypes.INVALID_INPUT, "'events' must be an array of JSON strings, got an object"),
            arguments("{\"type\":\"publish\",\"id\":\"p1\",\"channel\":\"/a\"}", "publish", "p1",
                ErrorTypes.INVALID_INPUT, "'events' is required"),
            arguments("{\"type\":\"publish\",\"id\":\"p1\",\"channel\":\"/a\",\"events\":null}", "publish", "p1",
                ErrorTypes.INVALID_INPUT, "'events' is required"),
            arguments("{\"type\":\"publish\",\"id\":\"p1\",\"channel\":\"/a\",\"events\":[\"1\",2]}", "publish", "p1",
                ErrorTypes.INVALID_INPUT, "events[1] must be a string holding JSON"),
            arguments("{\"type\":\"publish\",\"id\":\"p1\",\"channel\":\"/a\",\"events\":[{\"a\":1}]}", "publish", "p1",
                ErrorTypes.INVALID_INPUT, "events[0] must be a string holding JSON (e.g. \"{\\\"a\\\":1}\"), got an object"),
            arguments("{\"type\":\"publish\",\"id\":\"p1\",\"channel\":\"/a\",\"events\":[null]}", "publish", "p1",
                ErrorTypes.INVALID_INPUT, "events[0] must be a string holding JSON"));
    }

    @ParameterizedTest
    @MethodSource("wronglyTypedFields")
    void decode_wronglyTypedField_throwsNamingTheField(String text, String frameType, String frameId, String errorType,
                                                         String messagePart) {
        FrameException e = assertThrows(FrameException.class, () -> FrameCodec.decode(text));
        assertEquals(frameType, e.frameType(), "frameType");
        assertEquals(frameId, e.frameId(), "frameId");
        assertEquals(errorType, e.errorType(), "errorType");
        assertTrue(e.getMessage().contains(messagePart), () -> "message '" + e.getMessage() + "' lacks '" + messagePart + "'");
        assertEquals(new ProtocolError(errorType, e.getMessage()), e.toError());
    }

    @Test
    void decode_duplicateKeys_lastWinsLikeJsonParse() {
        assertEquals(new Frame.ConnectionInit(), FrameCodec.decode("{\"type\":\"ka\",\"type\":\"connection_init\"}"));
    }

    static Stream<Arguments> notAFrame() {
        return Stream.of(
            arguments("", "empty"),
            arguments("   \n", "empty"),
            arguments(null, "empty"),
            arguments("{\"type\":\"ka\"", "not valid JSON"),
            arguments("{type:\"ka\"}", "not valid JSON"),
            arguments("{\"type\":\"ka\"} {\"type\":\"ka\"}", "not valid JSON"),
            arguments("hello", "not valid JSON"),
            arguments("[{\"type\":\"ka\"}]", "must be a JSON object, got an array"),
            arguments("42", "must be a JSON object, got a number"),
            arguments("\"ka\"", "must be a JSON object, got a string"),
            arguments("null", "must be a JSON object, got null"),
            arguments("true", "must be a JSON object, got a boolean"));
    }

    @ParameterizedTest
    @MethodSource("notAFrame")
    void decode_notAJsonObject_throwsBadRequestWithoutTypeOrId(String text, String messagePart) {
        FrameException e = assertThrows(FrameException.class, () -> FrameCodec.decode(text));
        assertNull(e.frameType());
        assertNull(e.frameId());
        assertEquals(ErrorTypes.BAD_REQUEST, e.errorType());
        assertTrue(e.getMessage().contains(messagePart), () -> "message '" + e.getMessage() + "' lacks '" + messagePart + "'");
    }

    static Stream<String> deeplyNested() {
        int depth = 100_000;
        return Stream.of(
            "[".repeat(depth),
            "[".repeat(depth) + "]".repeat(depth),
            "{\"a\":".repeat(depth) + "1" + "}".repeat(depth),
            "{\"type\":\"publish\",\"id\":\"p1\",\"channel\":\"/a\",\"events\":[\"1\"],\"x\":"
                + "[".repeat(depth) + "]".repeat(depth) + "}");
    }

    @ParameterizedTest
    @MethodSource("deeplyNested")
    void decode_deeplyNestedJson_failsCleanlyWithoutStackOverflow(String text) {
        FrameException e = assertThrows(FrameException.class, () -> FrameCodec.decode(text));
        assertEquals(ErrorTypes.BAD_REQUEST, e.errorType());
        assertTrue(e.getMessage().startsWith("Frame is not valid JSON"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"subscribe_all", "SUBSCRIBE", "start", "connection_terminate", ""})
    void decode_unknownType_throwsUnsupportedOperationNamingTheType(String type) {
        FrameException e = assertThrows(FrameException.class,
            () -> FrameCodec.decode("{\"type\":" + FrameCodec.quote(type) + ",\"id\":\"s1\"}"));
        assertEquals(ErrorTypes.UNSUPPORTED_OPERATION, e.errorType());
        assertNull(e.frameType());
        assertNull(e.frameId());
        assertEquals("Unknown frame type '" + type + "'", e.getMessage());
    }

    @Test
    void decode_unknownTypeWithControlCharacters_doesNotEchoThemRaw() {
        FrameException e = assertThrows(FrameException.class,
            () -> FrameCodec.decode("{\"type\":\"bad\\n\\u0000type" + "x".repeat(200) + "\"}"));
        assertEquals(ErrorTypes.UNSUPPORTED_OPERATION, e.errorType());
        assertTrue(e.getMessage().startsWith("Unknown frame type 'bad??type"), e.getMessage());
        assertTrue(e.getMessage().length() < 100, e.getMessage());
    }

    @Test
    void parse_validJson_returnsTree() {
        JsonNode node = FrameCodec.parse("{\"a\":[1,\"x\"]}");
        assertEquals(1, node.path("a").get(0).intValue());
    }

    static Stream<Arguments> descriptions() {
        return Stream.of(
            arguments("[]", "an array"), arguments("{}", "an object"), arguments("1.5", "a number"),
            arguments("false", "a boolean"), arguments("null", "null"), arguments("\"s\"", "a string"));
    }

    @ParameterizedTest
    @MethodSource("descriptions")
    void describe_jsonValue_namesItsTypeOnly(String json, String expected) {
        assertEquals(expected, FrameCodec.describe(FrameCodec.parse(json)));
    }
}
