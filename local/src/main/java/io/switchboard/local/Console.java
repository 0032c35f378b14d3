package io.switchboard.local;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The browser console at {@code /}: files from the classpath folder
 * {@code io/switchboard/local/console/} when it exists, otherwise a placeholder page with the endpoints; and
 * {@code /console/config.json}, the endpoints and the gateway's API key that the console starts with. The key is
 * served to loopback clients only, and only here: the cloud has no such page.
 */
final class Console {

    static final String FOLDER = "io/switchboard/local/console/";
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8", "js", "text/javascript; charset=utf-8", "mjs", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8", "json", "application/json", "svg", "image/svg+xml", "png", "image/png",
            "ico", "image/x-icon", "map", "application/json");

    static final String CONFIG_PATH = "/console/config.json";

    private final ClassLoader loader;
    private final String placeholder;
    private final byte[] config;

    Console(ClassLoader loader, String httpEndpoint, String realtimeEndpoint, String apiKey) {
        this.loader = loader;
        ObjectNode config = Json.object();
        config.put("httpEndpoint", httpEndpoint);
        config.put("realtimeEndpoint", realtimeEndpoint);
        config.put("apiKey", apiKey);
        this.config = Json.bytes(config);
        this.placeholder = """
                <!doctype html>
                <html lang="en"><head><meta charset="utf-8"><title>Switchboard local gateway</title></head>
                <body style="font-family: system-ui, sans-serif; max-width: 40em; margin: 3em auto">
                <h1>Switchboard local gateway</h1>
                <p>HTTP endpoint: <code>%s</code><br>Realtime endpoint: <code>%s</code></p>
                <p>The console is not built yet.</p>
                </body></html>
                """.formatted(httpEndpoint, realtimeEndpoint);
    }

    /** Serves {@code path} (a GET) if the console has it; false otherwise. */
    boolean serve(String path, Request request, Response response, Callback callback) throws IOException {
        if (path.equals(CONFIG_PATH)) {
            if (!isLoopback(Request.getRemoteAddr(request))) {
                return false;
            }
            write(response, callback, TYPES.get("json"), config);
            return true;
        }
        String name = path.equals("/") ? "index.html" : path.substring(1);
        if (name.isEmpty() || name.contains("..") || name.contains("//") || name.endsWith("/")) {
            return false;
        }
        try (InputStream in = loader.getResourceAsStream(FOLDER + name)) {
            if (in != null) {
                int dot = name.lastIndexOf('.');
                String extension = dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
                write(response, callback, TYPES.getOrDefault(extension, "application/octet-stream"), in.readAllBytes());
                return true;
            }
        }
        if (path.equals("/")) {
            write(response, callback, TYPES.get("html"), placeholder.getBytes(StandardCharsets.UTF_8));
            return true;
        }
        return false;
    }

    private static boolean isLoopback(String address) {
        try {
            return address != null && InetAddress.getByName(address).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static void write(Response response, Callback callback, String contentType, byte[] body) {
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache");
        response.write(true, ByteBuffer.wrap(body), callback);
    }
}
