package io.switchboard.core.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Text ↔ {@link Frame}, both directions, with Jackson's tree and streaming APIs (no reflection-built mappers).
 * Unknown fields are ignored; fields of the wrong JSON type are reported as {@link FrameException}s that name the
 * field. Semantic checks (id pattern, channel grammar, event limits) belong to the engine.
 */
public final class FrameCodec {

    /** Shared, thread-safe mapper for JSON trees: strict about trailing garbage, limits nesting (no stack overflow); duplicate keys are accepted (last wins), as JSON.parse does in AppSync. */
    public static final ObjectMapper JSON = JsonMapper.builder()
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .build();

    private static final JsonFactory FACTORY = JSON.getFactory();

    private FrameCodec() {}

    // ------------------------------------------------------------------ decoding

    /** Decodes any frame, client or server. */
    public static Frame decode(String text) {
        JsonNode root = parse(text);
        if (!root.isObject()) {
            throw new FrameException(null, null, ErrorTypes.BAD_REQUEST,
                "Frame must be a JSON object, got " + describe(root));
        }
        JsonNode typeNode = root.get("type");
        if (typeNode == null || typeNode.isNull()) {
            throw new FrameException(null, null, ErrorTypes.BAD_REQUEST, "Frame has no 'type' field");
        }
        if (!typeNode.isTextual()) {
            throw new FrameException(null, null, ErrorTypes.BAD_REQUEST,
                "Field 'type' must be a string, got " + describe(typeNode));
        }
        String type = typeNode.textValue();
        return switch (type) {
            case "connection_init" -> new Frame.ConnectionInit();
            case "subscribe" -> {
                String id = requiredId(root, type);
                yield new Frame.Subscribe(id, requiredString(root, "channel", type, id), authorization(root, type, id));
            }
            case "unsubscribe" -> new Frame.Unsubscribe(requiredId(root, type));
            case "publish" -> {
                String id = requiredId(root, type);
                yield new Frame.Publish(id, requiredString(root, "channel", type, id), events(root, id),
                    authorization(root, type, id));
            }
            case "connection_ack" -> new Frame.ConnectionAck(root.path("connectionTimeoutMs").asLong(0));
            case "connection_error" -> new Frame.ConnectionError(errors(root));
            case "ka" -> new Frame.KeepAlive();
            case "subscribe_success" -> new Frame.SubscribeSuccess(text(root, "id"));
            case "subscribe_error" -> new Frame.SubscribeError(text(root, "id"), errors(root));
            case "data" -> new Frame.Data(text(root, "id"), text(root, "event"));
            case "broadcast_error" -> new Frame.BroadcastError(text(root, "id"), errors(root));
            case "unsubscribe_success" -> new Frame.UnsubscribeSuccess(text(root, "id"));
            case "unsubscribe_error" -> new Frame.UnsubscribeError(text(root, "id"), errors(root));
            case "publish_success" -> new Frame.PublishSuccess(text(root, "id"), published(root), failed(root));
            case "publish_error" -> new Frame.PublishError(text(root, "id"), errors(root));
            case "error" -> new Frame.Error(text(root, "id"), errors(root));
            default -> throw new FrameException(null, null, ErrorTypes.UNSUPPORTED_OPERATION,
                "Unknown frame type '" + printable(type) + "'");
        };
    }

    /** Parses JSON text into a tree, mapping syntax errors and nesting/size limits to a {@link FrameException}. */
    public static JsonNode parse(String text) {
        if (text == null || text.isBlank()) {
            throw new FrameException(null, null, ErrorTypes.BAD_REQUEST, "Frame is empty");
        }
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new FrameException(null, null, ErrorTypes.BAD_REQUEST,
                "Frame is not valid JSON: " + e.getOriginalMessage());
        }
    }

    private static String requiredId(JsonNode root, String type) {
        JsonNode node = root.get("id");
        if (node == null || node.isNull()) {
            throw new FrameException(type, null, ErrorTypes.BAD_REQUEST, "Field 'id' is required in a " + type + " frame");
        }
        if (!node.isTextual()) {
            throw new FrameException(type, null, ErrorTypes.BAD_REQUEST,
                "Field 'id' must be a string, got " + describe(node));
        }
        return node.textValue();
    }

    private static String requiredString(JsonNode root, String field, String type, String id) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            throw new FrameException(type, id, ErrorTypes.BAD_REQUEST, "Field '" + field + "' is required in a " + type + " frame");
        }
        if (!node.isTextual()) {
            throw new FrameException(type, id, ErrorTypes.BAD_REQUEST,
                "Field '" + field + "' must be a string, got " + describe(node));
        }
        return node.textValue();
    }

    private static Map<String, String> authorization(JsonNode root, String type, String id) {
        JsonNode node = root.get("authorization");
        if (node == null || node.isNull()) {
            return Map.of();
        }
        if (!node.isObject()) {
            throw new FrameException(type, id, ErrorTypes.BAD_REQUEST,
                "Field 'authorization' must be an object of header names to strings, got " + describe(node));
        }
        Map<String, String> headers = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> entry = fields.next();
            JsonNode value = entry.getValue();
            if (value.isTextual()) {
                headers.put(entry.getKey(), value.textValue());
            } else if (value.isNumber() || value.isBoolean()) {
                headers.put(entry.getKey(), value.asText());
            } else if (!value.isNull()) {
                throw new FrameException(type, id, ErrorTypes.BAD_REQUEST,
                    "authorization['" + printable(entry.getKey()) + "'] must be a string, got " + describe(value));
            }
        }
        return headers;
    }

    /** Reads {@code events} of a publish frame or an HTTP publish body. */
    static List<String> events(JsonNode root, String id) {
        JsonNode node = root.get("events");
        String type = id == null ? null : "publish";
        if (node == null || node.isNull()) {
            throw new FrameException(type, id, ErrorTypes.INVALID_INPUT, "Field 'events' is required: an array of 1 to 5 JSON strings");
        }
        if (!node.isArray()) {
            throw new FrameException(type, id, ErrorTypes.INVALID_INPUT,
                "Field 'events' must be an array of JSON strings, got " + describe(node));
        }
        List<String> events = new ArrayList<>(node.size());
        for (int i = 0; i < node.size(); i++) {
            JsonNode event = node.get(i);
            if (!event.isTextual()) {
                throw new FrameException(type, id, ErrorTypes.INVALID_INPUT, "events[" + i
                    + "] must be a string holding JSON (e.g. \"{\\\"a\\\":1}\"), got " + describe(event));
            }
            events.add(event.textValue());
        }
        return events;
    }

    private static List<ProtocolError> errors(JsonNode root) {
        List<ProtocolError> errors = new ArrayList<>();
        for (JsonNode error : root.path("errors")) {
            errors.add(new ProtocolError(text(error, "errorType"), text(error, "message")));
        }
        return errors;
    }

    private static List<Frame.PublishedEvent> published(JsonNode root) {
        List<Frame.PublishedEvent> list = new ArrayList<>();
        for (JsonNode item : root.path("successful")) {
            list.add(new Frame.PublishedEvent(text(item, "identifier"), item.path("index").asInt()));
        }
        return list;
    }

    private static List<Frame.FailedEvent> failed(JsonNode root) {
        List<Frame.FailedEvent> list = new ArrayList<>();
        for (JsonNode item : root.path("failed")) {
            JsonNode code = item.get("code");
            list.add(new Frame.FailedEvent(text(item, "identifier"), item.path("index").asInt(),
                code == null || code.isNull() ? null : code.asInt(), text(item, "message")));
        }
        return list;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    /** A short description of a JSON value's type for error messages; never echoes the value itself. */
    public static String describe(JsonNode node) {
        if (node.isArray()) return "an array";
        if (node.isObject()) return "an object";
        if (node.isNumber()) return "a number";
        if (node.isBoolean()) return "a boolean";
        if (node.isNull()) return "null";
        if (node.isTextual()) return "a string";
        return node.getNodeType().toString().toLowerCase(java.util.Locale.ROOT);
    }

    static String printable(String raw) {
        StringBuilder out = new StringBuilder(Math.min(raw.length(), 64));
        for (int i = 0; i < raw.length() && out.length() < 64; i++) {
            char c = raw.charAt(i);
            out.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        if (raw.length() > 64) {
            out.append("...");
        }
        return out.toString();
    }

    // ------------------------------------------------------------------ encoding

    /** Encodes any frame as compact JSON text. */
    public static String encode(Frame frame) {
        StringWriter out = new StringWriter(128);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("type", frame.type());
            writeFields(g, frame);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static void writeFields(JsonGenerator g, Frame frame) throws IOException {
        if (frame instanceof Frame.ConnectionAck f) {
            g.writeNumberField("connectionTimeoutMs", f.connectionTimeoutMs());
            // The Swift SDK reads the timeout under payload; the docs and the other clients at the top level.
            g.writeObjectFieldStart("payload");
            g.writeNumberField("connectionTimeoutMs", f.connectionTimeoutMs());
            g.writeEndObject();
        } else if (frame instanceof Frame.ConnectionError f) {
            writeErrors(g, f.errors());
        } else if (frame instanceof Frame.Subscribe f) {
            g.writeStringField("id", f.id());
            g.writeStringField("channel", f.channel());
            writeAuthorization(g, f.authorization());
        } else if (frame instanceof Frame.Unsubscribe f) {
            g.writeStringField("id", f.id());
        } else if (frame instanceof Frame.Publish f) {
            g.writeStringField("id", f.id());
            g.writeStringField("channel", f.channel());
            g.writeArrayFieldStart("events");
            for (String event : f.events()) {
                g.writeString(event);
            }
            g.writeEndArray();
            writeAuthorization(g, f.authorization());
        } else if (frame instanceof Frame.SubscribeSuccess f) {
            g.writeStringField("id", f.id());
        } else if (frame instanceof Frame.SubscribeError f) {
            g.writeStringField("id", f.id());
            writeErrors(g, f.errors());
        } else if (frame instanceof Frame.Data f) {
            g.writeStringField("id", f.id());
            g.writeStringField("event", f.event());
        } else if (frame instanceof Frame.BroadcastError f) {
            g.writeStringField("id", f.id());
            writeErrors(g, f.errors());
        } else if (frame instanceof Frame.UnsubscribeSuccess f) {
            g.writeStringField("id", f.id());
        } else if (frame instanceof Frame.UnsubscribeError f) {
            g.writeStringField("id", f.id());
            writeErrors(g, f.errors());
        } else if (frame instanceof Frame.PublishSuccess f) {
            g.writeStringField("id", f.id());
            g.writeArrayFieldStart("successful");
            for (Frame.PublishedEvent e : f.successful()) {
                g.writeStartObject();
                g.writeStringField("identifier", e.identifier());
                g.writeNumberField("index", e.index());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeArrayFieldStart("failed");
            for (Frame.FailedEvent e : f.failed()) {
                g.writeStartObject();
                g.writeStringField("identifier", e.identifier());
                g.writeNumberField("index", e.index());
                if (e.code() != null) {
                    g.writeNumberField("code", e.code());
                }
                g.writeStringField("message", e.message());
                g.writeEndObject();
            }
            g.writeEndArray();
        } else if (frame instanceof Frame.PublishError f) {
            g.writeStringField("id", f.id());
            writeErrors(g, f.errors());
        } else if (frame instanceof Frame.Error f) {
            if (f.id() != null) {
                g.writeStringField("id", f.id());
            }
            writeErrors(g, f.errors());
        }
        // connection_init and ka carry nothing but their type
    }

    /** The body of an HTTP error response: {@code {"errors":[{errorType, message}]}}. */
    public static String encodeErrors(List<ProtocolError> errors) {
        StringWriter out = new StringWriter(128);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.writeStartObject();
            writeErrors(g, errors);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** Encodes a JSON string literal, quotes included (no escaping of '/' or non-ASCII). */
    public static String quote(String value) {
        StringBuilder sb = new StringBuilder(value.length() + 16);
        sb.append('"');
        JsonStringEncoder.getInstance().quoteAsString(value, sb);
        sb.append('"');
        return sb.toString();
    }

    private static void writeErrors(JsonGenerator g, List<ProtocolError> errors) throws IOException {
        g.writeArrayFieldStart("errors");
        for (ProtocolError error : errors) {
            g.writeStartObject();
            g.writeStringField("errorType", error.errorType());
            g.writeStringField("message", error.message());
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    private static void writeAuthorization(JsonGenerator g, Map<String, String> authorization) throws IOException {
        if (authorization.isEmpty()) {
            return;
        }
        g.writeObjectFieldStart("authorization");
        for (Map.Entry<String, String> e : authorization.entrySet()) {
            g.writeStringField(e.getKey(), e.getValue());
        }
        g.writeEndObject();
    }
}
