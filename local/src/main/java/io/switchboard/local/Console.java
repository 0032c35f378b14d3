package io.switchboard.local;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The browser console at {@code /}: files from the classpath folder
 * {@code io/switchboard/local/console/} when it exists, otherwise a placeholder page with the endpoints.
 */
final class Console {

    static final String FOLDER = "io/switchboard/local/console/";
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8", "js", "text/javascript; charset=utf-8", "mjs", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8", "json", "application/json", "svg", "image/svg+xml", "png", "image/png",
            "ico", "image/x-icon", "map", "application/json");

    private final ClassLoader loader;
    private final String placeholder;

    Console(ClassLoader loader, String httpEndpoint, String realtimeEndpoint) {
        this.loader = loader;
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
    boolean serve(String path, Response response, Callback callback) throws IOException {
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

    private static void write(Response response, Callback callback, String contentType, byte[] body) {
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache");
        response.write(true, ByteBuffer.wrap(body), callback);
    }
}
