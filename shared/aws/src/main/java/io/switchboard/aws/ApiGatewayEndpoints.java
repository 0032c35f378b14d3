package io.switchboard.aws;

import java.net.URI;
import java.util.Locale;

/**
 * Where the {@code @connections} management API of a WebSocket API lives, from the {@code domainName} and
 * {@code stage} that API Gateway puts in every event's request context.
 */
public final class ApiGatewayEndpoints {

    private ApiGatewayEndpoints() {}

    /**
     * {@code https://{domainName}/{stage}} for an {@code execute-api} domain; {@code https://{domainName}} for a
     * custom domain, whose API mapping already selects the stage.
     */
    public static URI managementEndpoint(String domainName, String stage) {
        return managementEndpoint(domainName, stage, null);
    }

    /**
     * As {@link #managementEndpoint(String, String)}, with the base path of a custom domain's API mapping
     * ({@code https://{domainName}/{basePath}}); {@code basePath} is ignored for {@code execute-api} domains and may
     * be {@code null} or empty.
     */
    public static URI managementEndpoint(String domainName, String stage, String basePath) {
        if (domainName == null || domainName.isBlank()) {
            throw new IllegalArgumentException("domainName is required");
        }
        String host = domainName.trim();
        if (isExecuteApiDomain(host)) {
            if (stage == null || stage.isBlank()) {
                throw new IllegalArgumentException("stage is required for the execute-api domain " + host);
            }
            return URI.create("https://" + host + "/" + stage.trim());
        }
        String path = basePath == null ? "" : trimSlashes(basePath.trim());
        return URI.create("https://" + host + (path.isEmpty() ? "" : "/" + path));
    }

    /**
     * An explicitly configured endpoint (the local gateway, a proxy) when there is one, else the endpoint derived
     * from the request context as {@link #managementEndpoint(String, String, String)} does.
     */
    public static URI managementEndpoint(URI explicitEndpoint, String domainName, String stage, String basePath) {
        return explicitEndpoint != null ? explicitEndpoint : managementEndpoint(domainName, stage, basePath);
    }

    private static boolean isExecuteApiDomain(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        return h.endsWith(".amazonaws.com") || h.endsWith(".amazonaws.com.cn");
    }

    private static String trimSlashes(String s) {
        int from = 0;
        int to = s.length();
        while (from < to && s.charAt(from) == '/') {
            from++;
        }
        while (to > from && s.charAt(to - 1) == '/') {
            to--;
        }
        return s.substring(from, to);
    }
}
