package io.switchboard.api;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What an {@link Authorizer} decides on (AppSync's Lambda authorizer request).
 *
 * @param token the {@code Authorization} value the client sent
 * @param operation connect, publish or subscribe
 * @param channel the channel as sent; {@code null} on connect
 * @param namespace the channel's namespace; {@code null} on connect
 * @param requestHeaders the request's headers (or the frame's {@code authorization} object), names compared
 *     case-insensitively
 */
public record AuthorizerRequest(String token, AuthorizerOperation operation, String channel, String namespace,
                                Map<String, String> requestHeaders) {
    public AuthorizerRequest {
        Objects.requireNonNull(operation, "operation");
        TreeMap<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        if (requestHeaders != null) {
            requestHeaders.forEach((k, v) -> {
                if (k != null && v != null) {
                    headers.put(k, v);
                }
            });
        }
        requestHeaders = Collections.unmodifiableMap(headers);
    }

    @Override
    public String toString() {
        // never the token or header values: they are credentials
        return "AuthorizerRequest[operation=" + operation + ", channel=" + channel + ", headers=" + requestHeaders.keySet() + "]";
    }
}
