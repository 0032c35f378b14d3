package io.switchboard.functions;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/** Small readers for API Gateway event parts that arrive as loosely typed maps. */
final class Events {
    private Events() {}

    /** A JSON object of scalar values as a map of strings; anything else is an empty map. */
    static Map<String, String> stringMap(Object value) {
        Map<String, String> result = new LinkedHashMap<>();
        if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> {
                if (k != null && v != null && !(v instanceof Map) && !(v instanceof Iterable)) {
                    result.put(String.valueOf(k), String.valueOf(v));
                }
            });
        }
        return result;
    }

    /**
     * Single-value headers merged with multi-value ones (repeated headers joined with ", "), so a
     * {@code Sec-WebSocket-Protocol} sent twice is seen whole.
     */
    static Map<String, String> headers(Map<String, String> single, Map<String, ? extends Iterable<String>> multi) {
        Map<String, String> result = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        if (single != null) {
            result.putAll(single);
        }
        if (multi != null) {
            multi.forEach((name, values) -> {
                if (values != null) {
                    String joined = String.join(", ", values);
                    if (!joined.isEmpty()) {
                        result.put(name, joined);
                    }
                }
            });
        }
        return result;
    }
}
