package io.switchboard.core.config;

import io.switchboard.core.auth.ApiKeyAuthProvider;
import io.switchboard.core.auth.AuthMode;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Everything configurable, read once from one source (environment variables in Lambda; the local gateway sets
 * the same names as system properties) into typed values. Invalid values fail fast with a message naming the
 * variable.
 *
 * @param namespaces declared namespaces by name ({@code SWITCHBOARD_NAMESPACES}, default {@code default,sample})
 * @param apiKeys valid API keys as digests ({@code SWITCHBOARD_API_KEYS})
 * @param connectionAuthModes modes accepted on connect ({@code SWITCHBOARD_CONNECT_AUTH_MODES}, default API_KEY)
 * @param connectionTimeoutMs advertised in {@code connection_ack} ({@code SWITCHBOARD_CONNECTION_TIMEOUT_MS})
 * @param maxSubscriptionsPerConnection {@code SWITCHBOARD_MAX_SUBSCRIPTIONS}, default 200
 * @param maxEventBytes the largest event, JSON-escaped as in a data frame ({@code SWITCHBOARD_MAX_EVENT_BYTES})
 * @param fanOutParallelism concurrent sends during one fan-out ({@code SWITCHBOARD_FANOUT_PARALLELISM})
 * @param store {@code dynamodb} or {@code memory} ({@code SWITCHBOARD_STORE})
 * @param tableName DynamoDB table ({@code TABLE_NAME})
 * @param dynamoDbEndpoint optional endpoint override ({@code SWITCHBOARD_DYNAMODB_ENDPOINT})
 * @param connectionsEndpoint optional {@code @connections} endpoint override ({@code SWITCHBOARD_CONNECTIONS_ENDPOINT})
 * @param region AWS region ({@code AWS_REGION})
 * @param local running inside the local gateway ({@code SWITCHBOARD_LOCAL})
 */
public record SwitchboardConfig(
    Map<String, NamespaceConfig> namespaces,
    List<ApiKeyAuthProvider.ApiKey> apiKeys,
    Set<AuthMode> connectionAuthModes,
    long connectionTimeoutMs,
    int maxSubscriptionsPerConnection,
    int maxEventBytes,
    int fanOutParallelism,
    String store,
    String tableName,
    String dynamoDbEndpoint,
    String connectionsEndpoint,
    String region,
    boolean local) {

    /** API Gateway's WebSocket message limit: 128 KB. */
    public static final int API_GATEWAY_MESSAGE_BYTES = 128 * 1024;
    /**
     * Default largest event: 120 KiB once JSON-escaped, so that a {@code data} frame with the longest
     * subscription id (128 characters) stays well inside API Gateway's 128 KB message limit.
     */
    public static final int DEFAULT_MAX_EVENT_BYTES = 120 * 1024;

    /** Every variable {@link #from} reads, for documentation and for the template check. */
    public static final List<String> VARIABLES = List.of(
        "SWITCHBOARD_NAMESPACES", "SWITCHBOARD_API_KEYS", "SWITCHBOARD_CONNECT_AUTH_MODES",
        "SWITCHBOARD_PUBLISH_AUTH_MODES", "SWITCHBOARD_SUBSCRIBE_AUTH_MODES", "SWITCHBOARD_CONNECTION_TIMEOUT_MS",
        "SWITCHBOARD_MAX_SUBSCRIPTIONS", "SWITCHBOARD_MAX_EVENT_BYTES", "SWITCHBOARD_FANOUT_PARALLELISM",
        "SWITCHBOARD_STORE", "TABLE_NAME", "SWITCHBOARD_DYNAMODB_ENDPOINT", "SWITCHBOARD_CONNECTIONS_ENDPOINT",
        "AWS_REGION", "SWITCHBOARD_LOCAL");

    public SwitchboardConfig {
        namespaces = Map.copyOf(namespaces);
        apiKeys = List.copyOf(apiKeys);
        connectionAuthModes = Set.copyOf(connectionAuthModes);
    }

    /** Reads the configuration; {@code lookup} returns {@code null} for unset names. */
    public static SwitchboardConfig from(Function<String, String> lookup) {
        Set<AuthMode> defaultModes = EnumSet.of(AuthMode.API_KEY);
        Set<AuthMode> connectModes = modes(lookup, "SWITCHBOARD_CONNECT_AUTH_MODES", defaultModes);
        Set<AuthMode> publishModes = modes(lookup, "SWITCHBOARD_PUBLISH_AUTH_MODES", defaultModes);
        Set<AuthMode> subscribeModes = modes(lookup, "SWITCHBOARD_SUBSCRIBE_AUTH_MODES", defaultModes);

        Map<String, NamespaceConfig> namespaces = new LinkedHashMap<>();
        for (String name : list(lookup.apply("SWITCHBOARD_NAMESPACES"), List.of("default", "sample"))) {
            if (!name.matches("[A-Za-z0-9](?:[A-Za-z0-9-]{0,48}[A-Za-z0-9])?")) {
                throw new IllegalArgumentException("SWITCHBOARD_NAMESPACES: '" + name
                    + "' is not a valid namespace name (1-50 letters, digits or '-', not starting or ending with '-')");
            }
            namespaces.put(name, new NamespaceConfig(name, publishModes, subscribeModes));
        }

        List<ApiKeyAuthProvider.ApiKey> apiKeys;
        try {
            apiKeys = ApiKeyAuthProvider.parseDigests(lookup.apply("SWITCHBOARD_API_KEYS"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("SWITCHBOARD_API_KEYS: " + e.getMessage(), e);
        }

        int maxEventBytes = integer(lookup, "SWITCHBOARD_MAX_EVENT_BYTES", DEFAULT_MAX_EVENT_BYTES, 1, DEFAULT_MAX_EVENT_BYTES);
        return new SwitchboardConfig(
            namespaces,
            apiKeys,
            connectModes,
            integer(lookup, "SWITCHBOARD_CONNECTION_TIMEOUT_MS", 300_000, 10_000, 3_600_000),
            integer(lookup, "SWITCHBOARD_MAX_SUBSCRIPTIONS", 200, 1, 10_000),
            maxEventBytes,
            integer(lookup, "SWITCHBOARD_FANOUT_PARALLELISM", 32, 1, 1024),
            choice(lookup, "SWITCHBOARD_STORE", "dynamodb", "dynamodb", "memory"),
            lookup.apply("TABLE_NAME"),
            blankToNull(lookup.apply("SWITCHBOARD_DYNAMODB_ENDPOINT")),
            blankToNull(lookup.apply("SWITCHBOARD_CONNECTIONS_ENDPOINT")),
            blankToNull(lookup.apply("AWS_REGION")),
            Boolean.parseBoolean(lookup.apply("SWITCHBOARD_LOCAL")));
    }

    private static Set<AuthMode> modes(Function<String, String> lookup, String name, Set<AuthMode> fallback) {
        List<String> names = list(lookup.apply(name), List.of());
        if (names.isEmpty()) {
            return fallback;
        }
        Set<AuthMode> modes = EnumSet.noneOf(AuthMode.class);
        for (String mode : names) {
            try {
                modes.add(AuthMode.valueOf(mode.toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(name + ": unknown auth mode '" + mode + "' (expected one of "
                    + java.util.Arrays.toString(AuthMode.values()) + ")", e);
            }
        }
        return modes;
    }

    private static List<String> list(String value, List<String> fallback) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        List<String> items = new ArrayList<>();
        for (String item : value.split(",")) {
            if (!item.isBlank()) {
                items.add(item.trim());
            }
        }
        return items;
    }

    private static int integer(Function<String, String> lookup, String name, int fallback, int min, int max) {
        String value = lookup.apply(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        long parsed;
        try {
            parsed = Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number, got '" + value + "'", e);
        }
        if (parsed < min || parsed > max) {
            throw new IllegalArgumentException(name + " must be between " + min + " and " + max + ", got " + parsed);
        }
        return (int) parsed;
    }

    private static String choice(Function<String, String> lookup, String name, String fallback, String... allowed) {
        String value = lookup.apply(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        for (String option : allowed) {
            if (option.equalsIgnoreCase(value.trim())) {
                return option;
            }
        }
        throw new IllegalArgumentException(name + " must be one of " + String.join(", ", allowed) + ", got '" + value + "'");
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
