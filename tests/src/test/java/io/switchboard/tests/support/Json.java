package io.switchboard.tests.support;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * JSON for the suites: parsing, building frames, and {@link #assertFrame whole-frame comparison} of trees in which
 * the expected side may say {@code "<uuid>"} (a random UUID), {@code "<string>"} (any non-empty string) or
 * {@code "<any>"} where the server chooses the value.
 */
public final class Json {

    public static final ObjectMapper MAPPER = new ObjectMapper();
    public static final String UUID_PLACEHOLDER = "<uuid>";
    public static final String STRING_PLACEHOLDER = "<string>";
    public static final String ANY_PLACEHOLDER = "<any>";
    private static final Pattern UUID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    private Json() {
    }

    /** The tree of {@code text}; an {@link AssertionError} naming it when it is not JSON. */
    public static JsonNode parse(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }

    public static String text(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code value} as a JSON string literal, quotes included. */
    public static String quote(String value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    public static ObjectNode subscribe(String id, String channel, String apiKey) {
        ObjectNode frame = object().put("type", "subscribe").put("id", id).put("channel", channel);
        frame.putObject("authorization").put("x-api-key", apiKey);
        return frame;
    }

    public static ObjectNode publish(String id, String channel, String apiKey, String... events) {
        ObjectNode frame = object().put("type", "publish").put("id", id).put("channel", channel);
        ArrayNode array = frame.putArray("events");
        for (String event : events) {
            array.add(event);
        }
        frame.putObject("authorization").put("x-api-key", apiKey);
        return frame;
    }

    /** The HTTP publish body: {@code {"channel":..., "events":[...]}}. */
    public static String publishBody(String channel, String... events) {
        ObjectNode body = object().put("channel", channel);
        ArrayNode array = body.putArray("events");
        for (String event : events) {
            array.add(event);
        }
        return text(body);
    }

    // ------------------------------------------------------------------ comparison

    /** Asserts that {@code actual} is exactly the tree {@code expected} (JSON text with placeholders). */
    public static void assertFrame(String expected, JsonNode actual) {
        JsonNode want = parse(expected);
        List<String> problems = new ArrayList<>();
        compare("$", want, actual, problems);
        if (!problems.isEmpty()) {
            fail("frame differs: " + String.join("; ", problems) + "\n  expected: " + text(want) + "\n  actual:   " + text(actual));
        }
    }

    public static void assertFrame(String expected, String actual) {
        assertFrame(expected, parse(actual));
    }

    private static void compare(String path, JsonNode want, JsonNode got, List<String> problems) {
        if (want.isTextual()) {
            switch (want.textValue()) {
                case ANY_PLACEHOLDER -> {
                    if (got == null || got.isMissingNode()) {
                        problems.add(path + " is missing");
                    }
                    return;
                }
                case STRING_PLACEHOLDER -> {
                    if (got == null || !got.isTextual() || got.textValue().isBlank()) {
                        problems.add(path + " should be a non-empty string, is " + got);
                    }
                    return;
                }
                case UUID_PLACEHOLDER -> {
                    if (got == null || !got.isTextual() || !UUID.matcher(got.textValue()).matches()) {
                        problems.add(path + " should be a UUID, is " + got);
                    }
                    return;
                }
                default -> {
                    // compared below
                }
            }
        }
        if (got == null || got.isMissingNode()) {
            problems.add(path + " is missing");
            return;
        }
        if (want.isObject()) {
            if (!got.isObject()) {
                problems.add(path + " should be an object, is " + got);
                return;
            }
            TreeSet<String> extra = new TreeSet<>();
            got.fieldNames().forEachRemaining(extra::add);
            for (Iterator<Map.Entry<String, JsonNode>> it = want.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                extra.remove(field.getKey());
                compare(path + "." + field.getKey(), field.getValue(), got.get(field.getKey()), problems);
            }
            if (!extra.isEmpty()) {
                problems.add(path + " has unexpected fields " + extra);
            }
        } else if (want.isArray()) {
            if (!got.isArray() || got.size() != want.size()) {
                problems.add(path + " should be an array of " + want.size() + ", is " + got);
                return;
            }
            for (int i = 0; i < want.size(); i++) {
                compare(path + "[" + i + "]", want.get(i), got.get(i), problems);
            }
        } else if (!want.equals(got)) {
            problems.add(path + " should be " + want + ", is " + got);
        }
    }
}
