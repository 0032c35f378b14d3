package io.switchboard.local;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.UUID;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.api.StatusCode;

/**
 * The {@code @connections} management API at {@code /{stage}/@connections/{connectionId}}:
 * POST sends a frame, GET describes the connection, DELETE closes it. Errors use the wire format
 * the AWS SDK reads ({@code x-amzn-ErrorType} header, JSON body). SigV4 is not checked.
 */
final class ConnectionsApi {

    static final int MAX_POST_BYTES = 131072;
    private static final DateTimeFormatter ISO_MILLIS =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private final WebSocketApi webSocketApi;
    private final String stage;

    ConnectionsApi(WebSocketApi webSocketApi, String stage) {
        this.webSocketApi = webSocketApi;
        this.stage = stage;
    }

    /** Handles the request if its path is {@code /{stage}/@connections/{id}} (with {@code @} and the id possibly percent-encoded). */
    boolean handle(Request request, Response response, Callback callback) {
        String[] segments = request.getHttpURI().getPath().split("/", -1);
        if (segments.length != 4 || !segments[0].isEmpty() || !"@connections".equals(Text.percentDecode(segments[2]))) {
            return false;
        }
        response.getHeaders().put("x-amzn-RequestId", UUID.randomUUID().toString());
        // Read the whole body before answering anything (even 413), so that the client reads the answer.
        HttpResponses.readBody(request, response, callback, data -> {
            if (data.length > MAX_POST_BYTES) {
                tooLarge(response, callback);
            } else if (!stage.equals(Text.percentDecode(segments[1]))) {
                error(response, callback, 403, "ForbiddenException", "\"Forbidden\"");
            } else {
                Connection connection = webSocketApi.connection(Text.percentDecode(segments[3]));
                switch (request.getMethod()) {
                    case "POST" -> post(data, response, callback, connection);
                    case "GET" -> describe(response, callback, connection);
                    case "DELETE" -> delete(response, callback, connection);
                    default -> HttpResponses.notFound(response, callback);
                }
            }
        });
        return true;
    }

    /** True for a frame whose UTF-8 encoding is over {@link #MAX_POST_BYTES}: a POST of it is answered 413. */
    static boolean tooLarge(String frame) {
        if ((long) frame.length() * 3 <= MAX_POST_BYTES) {
            return false; // no UTF-16 unit takes more than three bytes
        }
        return frame.length() > MAX_POST_BYTES || frame.getBytes(StandardCharsets.UTF_8).length > MAX_POST_BYTES;
    }

    private void post(byte[] data, Response response, Callback callback, Connection connection) {
        if (connection == null) {
            gone(response, callback);
            return;
        }
        webSocketApi.post(connection, data, new org.eclipse.jetty.websocket.api.Callback() {
            @Override
            public void succeed() {
                response.setStatus(200);
                response.write(true, null, callback);
            }

            @Override
            public void fail(Throwable x) {
                gone(response, callback);
            }
        });
    }

    private static void describe(Response response, Callback callback, Connection connection) {
        if (connection == null) {
            gone(response, callback);
            return;
        }
        ObjectNode body = Json.object();
        body.put("connectedAt", ISO_MILLIS.format(Instant.ofEpochMilli(connection.connectedAt())));
        ObjectNode identity = body.putObject("identity");
        identity.put("sourceIp", connection.sourceIp());
        if (connection.userAgent() != null) {
            identity.put("userAgent", connection.userAgent());
        }
        body.put("lastActiveAt", ISO_MILLIS.format(Instant.ofEpochMilli(connection.lastActiveAt())));
        HttpResponses.json(response, callback, 200, Json.text(body));
    }

    private void delete(Response response, Callback callback, Connection connection) {
        if (connection == null) {
            gone(response, callback);
            return;
        }
        webSocketApi.closeByServer(connection, StatusCode.NORMAL, WebSocketApi.DELETE_REASON);
        response.setStatus(204);
        response.write(true, null, callback);
    }

    private static void gone(Response response, Callback callback) {
        error(response, callback, 410, "GoneException", "null");
    }

    private static void tooLarge(Response response, Callback callback) {
        error(response, callback, 413, "PayloadTooLargeException", "\"Payload too large: the limit is " + MAX_POST_BYTES + " bytes\"");
    }

    private static void error(Response response, Callback callback, int status, String type, String messageJson) {
        response.setStatus(status);
        response.getHeaders().put("x-amzn-ErrorType", type);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.write(true, ByteBuffer.wrap(("{\"message\":" + messageJson + "}").getBytes(StandardCharsets.UTF_8)), callback);
    }
}
