package io.switchboard.core.auth;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/** Request headers or an {@code authorization} object, with names compared case-insensitively. Immutable. */
public final class Headers {
    private static final Headers EMPTY = new Headers(new TreeMap<>(String.CASE_INSENSITIVE_ORDER));

    private final Map<String, String> values;

    private Headers(TreeMap<String, String> values) {
        this.values = Collections.unmodifiableMap(values);
    }

    public static Headers of(Map<String, String> raw) {
        if (raw == null || raw.isEmpty()) {
            return EMPTY;
        }
        TreeMap<String, String> map = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        raw.forEach((k, v) -> {
            if (k != null && v != null) {
                map.put(k, v);
            }
        });
        return new Headers(map);
    }

    public static Headers empty() {
        return EMPTY;
    }

    /** The value of a header, or {@code null}. */
    public String get(String name) {
        return values.get(name);
    }

    public boolean has(String name) {
        String value = values.get(name);
        return value != null && !value.isEmpty();
    }

    /** These headers with {@code overrides} laid over them. */
    public Headers with(Headers overrides) {
        if (overrides.values.isEmpty()) {
            return this;
        }
        TreeMap<String, String> map = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        map.putAll(values);
        map.putAll(overrides.values);
        return new Headers(map);
    }

    public Map<String, String> asMap() {
        return values;
    }

    @Override
    public String toString() {
        return "Headers" + values.keySet(); // names only: values may be secrets
    }
}
