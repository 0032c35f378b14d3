package io.switchboard.functions;

import org.slf4j.MDC;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/** Small readers for API Gateway event parts that arrive as loosely typed maps, and the logging keys they give. */
final class Events {
    private Events() {}

    /**
     * Puts the invocation's logging keys in the MDC ({@code PowertoolsLogging.withLogging} clears it afterwards):
     * {@code connection_id}, {@code route} and {@code request_id} (API Gateway's {@code requestContext.requestId});
     * null values are left out.
     */
    static void logging(String connectionId, String route, String requestId) {
        if (connectionId != null) {
            MDC.put("connection_id", connectionId);
        }
        if (route != null) {
            MDC.put("route", route);
        }
        if (requestId != null) {
            MDC.put("request_id", requestId);
        }
    }

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
