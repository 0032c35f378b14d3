package io.switchboard.client;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Derives the real-time URL from the HTTP endpoint, as the AWS clients do, and the {@code host} value auth carries. */
final class Endpoints {

    /** {@code <id>.appsync-api.<region>.amazonaws.com} (and the {@code .com.cn} partition). */
    private static final Pattern APPSYNC_HOST =
            Pattern.compile("^([^.]+)\\.appsync-api\\.([a-z0-9-]+)\\.(amazonaws\\.com(?:\\.cn)?)$");

    private Endpoints() {
    }

    /**
     * The WebSocket URL for an HTTP endpoint: {@code http} becomes {@code ws} and {@code https} {@code wss};
     * an AppSync host's {@code appsync-api} label becomes {@code appsync-realtime-api}; {@code /realtime} is appended to
     * the path ({@code /event} → {@code /event/realtime}). Query and fragment are dropped.
     */
    static URI realtime(URI endpoint) {
        String scheme = switch (scheme(endpoint)) {
            case "http", "ws" -> "ws";
            case "https", "wss" -> "wss";
            default -> throw new IllegalArgumentException("endpoint must be http(s): " + endpoint);
        };
        String host = endpoint.getHost();
        Matcher aws = APPSYNC_HOST.matcher(host.toLowerCase(Locale.ROOT));
        if (aws.matches()) {
            host = aws.group(1) + ".appsync-realtime-api." + aws.group(2) + "." + aws.group(3);
        }
        String path = endpoint.getPath() == null ? "" : endpoint.getPath();
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        try {
            return new URI(scheme, null, host, endpoint.getPort(), path + "/realtime", null, null);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("cannot derive the real-time endpoint from " + endpoint, e);
        }
    }

    /** {@code host[:port]} of the HTTP endpoint, the port omitted when it is the scheme's default (as SigV4 signs it). */
    static String host(URI endpoint) {
        int port = endpoint.getPort();
        String scheme = scheme(endpoint);
        boolean standard = port == -1
                || port == 80 && (scheme.equals("http") || scheme.equals("ws"))
                || port == 443 && (scheme.equals("https") || scheme.equals("wss"));
        return standard ? endpoint.getHost() : endpoint.getHost() + ":" + port;
    }

    /** Checks an HTTP endpoint: absolute, http or https, with a host. */
    static URI checkHttp(URI endpoint) {
        String scheme = scheme(endpoint);
        if (!scheme.equals("http") && !scheme.equals("https") || endpoint.getHost() == null) {
            throw new IllegalArgumentException("endpoint must be an absolute http(s) URI with a host: " + endpoint);
        }
        return endpoint;
    }

    /** Checks a WebSocket endpoint: absolute, ws or wss, with a host. */
    static URI checkRealtime(URI endpoint) {
        String scheme = scheme(endpoint);
        if (!scheme.equals("ws") && !scheme.equals("wss") || endpoint.getHost() == null) {
            throw new IllegalArgumentException("realtimeEndpoint must be an absolute ws(s) URI with a host: " + endpoint);
        }
        return endpoint;
    }

    private static String scheme(URI uri) {
        return uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    }
}
