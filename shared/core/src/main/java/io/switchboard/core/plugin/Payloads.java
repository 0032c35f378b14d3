package io.switchboard.core.plugin;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.switchboard.core.protocol.FrameCodec;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON text ↔ the plain Java values handlers see: {@code Map<String, Object>} (insertion-ordered, mutable),
 * {@code List<Object>} (mutable), {@code String}, {@code Integer}/{@code Long}/{@code BigInteger},
 * {@code Double}/{@code BigDecimal}, {@code Boolean} and {@code null}. Reading and writing stream through Jackson
 * without a tree or reflection; only values of other types (a handler's own record, say) go through Jackson
 * data binding, and only when a handler returns one.
 */
public final class Payloads {
    private static final JsonFactory FACTORY = FrameCodec.JSON.getFactory();

    private Payloads() {}

    /** Parses JSON text that is already known to be valid. */
    public static Object read(String json) {
        try (JsonParser p = FACTORY.createParser(json)) {
            JsonToken token = p.nextToken();
            if (token == null) {
                throw new IllegalArgumentException("empty JSON text");
            }
            return value(p, token);
        } catch (IOException e) {
            throw new IllegalArgumentException("not valid JSON: " + e.getMessage(), e);
        }
    }

    private static Object value(JsonParser p, JsonToken token) throws IOException {
        switch (token) {
            case START_OBJECT: {
                Map<String, Object> map = new LinkedHashMap<>();
                for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
                    String name = p.currentName();
                    map.put(name, value(p, p.nextToken()));
                }
                return map;
            }
            case START_ARRAY: {
                List<Object> list = new ArrayList<>();
                for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
                    list.add(value(p, t));
                }
                return list;
            }
            case VALUE_STRING:
                return p.getText();
            case VALUE_NUMBER_INT:
                return p.getNumberValue();
            case VALUE_NUMBER_FLOAT: {
                double d = p.getDoubleValue();
                return Double.isFinite(d) ? (Object) d : p.getDecimalValue();
            }
            case VALUE_TRUE:
                return Boolean.TRUE;
            case VALUE_FALSE:
                return Boolean.FALSE;
            case VALUE_NULL:
                return null;
            default:
                throw new IllegalArgumentException("unexpected JSON token " + token);
        }
    }

    /**
     * Writes a payload as compact JSON text (no escaping of {@code /}).
     *
     * @throws IllegalArgumentException when a value cannot be represented as JSON
     */
    public static String write(Object value) {
        StringWriter out = new StringWriter(64);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            write(g, value, 0);
        } catch (IOException e) {
            throw new IllegalArgumentException("payload cannot be written as JSON: " + e.getMessage(), e);
        }
        return out.toString();
    }

    private static void write(JsonGenerator g, Object value, int depth) throws IOException {
        if (depth > 1000) {
            throw new IllegalArgumentException("payload is nested more than 1000 levels deep (a cycle?)");
        }
        if (value == null) {
            g.writeNull();
        } else if (value instanceof String s) {
            g.writeString(s);
        } else if (value instanceof Boolean b) {
            g.writeBoolean(b);
        } else if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            g.writeNumber(((Number) value).longValue());
        } else if (value instanceof Double d) {
            writeDouble(g, d);
        } else if (value instanceof Float f) {
            writeDouble(g, f.doubleValue());
        } else if (value instanceof BigDecimal d) {
            g.writeNumber(d);
        } else if (value instanceof BigInteger i) {
            g.writeNumber(i);
        } else if (value instanceof Map<?, ?> map) {
            g.writeStartObject();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                g.writeFieldName(String.valueOf(e.getKey()));
                write(g, e.getValue(), depth + 1);
            }
            g.writeEndObject();
        } else if (value instanceof Iterable<?> list) {
            g.writeStartArray();
            for (Object item : list) {
                write(g, item, depth + 1);
            }
            g.writeEndArray();
        } else if (value instanceof Object[] array) {
            write(g, List.of(array), depth);
        } else {
            // a handler's own type (record, bean, enum…): Jackson data binding, only on this path
            FrameCodec.JSON.writeValue(g, value);
        }
    }

    private static void writeDouble(JsonGenerator g, double d) throws IOException {
        if (!Double.isFinite(d)) {
            throw new IllegalArgumentException("payload holds a number JSON cannot represent: " + d);
        }
        g.writeNumber(d);
    }

    /**
     * {@code value} as plain Java values (deep): unchanged when it already is one, else converted by Jackson data
     * binding (records, beans).
     */
    public static Object toPlain(Object value) {
        if (isPlain(value, 0)) {
            return value;
        }
        return read(write(value));
    }

    private static boolean isPlain(Object value, int depth) {
        if (depth > 1000) {
            return false;
        }
        if (value == null || value instanceof String || value instanceof Boolean || value instanceof Integer
            || value instanceof Long || value instanceof Double || value instanceof BigDecimal || value instanceof BigInteger) {
            return true;
        }
        if (value instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (!(e.getKey() instanceof String) || !isPlain(e.getValue(), depth + 1)) {
                    return false;
                }
            }
            return true;
        }
        if (value instanceof List<?> list) {
            for (Object item : list) {
                if (!isPlain(item, depth + 1)) {
                    return false;
                }
            }
            return true;
        }
        return false;
    }
}
