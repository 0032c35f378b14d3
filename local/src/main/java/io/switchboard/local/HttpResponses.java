package io.switchboard.local;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Promise;
import org.eclipse.jetty.util.thread.Invocable.InvocationType;

/** Small helpers to read a Jetty request body and finish a response. */
final class HttpResponses {

    /** Bodies are read up to API Gateway's 10 MB payload limit; a larger one is answered 413 and the connection closed. */
    static final int MAX_BODY_BYTES = 10 * 1024 * 1024;

    private HttpResponses() {
    }

    /** Answers {@code status} with a JSON body (none if {@code body} is null). */
    static void json(Response response, Callback callback, int status, String body) {
        response.setStatus(status);
        if (body == null) {
            response.write(true, null, callback);
            return;
        }
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.write(true, ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)), callback);
    }

    /** Reads the whole request body without blocking, then hands it to {@code next}. */
    static void readBody(Request request, Response response, Callback callback, Consumer<byte[]> next) {
        if (request.getLength() > MAX_BODY_BYTES) {
            tooLarge(response, callback);
            return;
        }
        Content.Source.asByteArrayAsync(request, MAX_BODY_BYTES, Promise.Invocable.from(InvocationType.NON_BLOCKING, (body, failure) -> {
            if (failure instanceof IllegalArgumentException) {
                tooLarge(response, callback);
            } else if (failure != null) {
                callback.failed(failure);
            } else {
                next.accept(body);
            }
        }));
    }

    private static void tooLarge(Response response, Callback callback) {
        response.getHeaders().put(HttpHeader.CONNECTION, "close");
        json(response, callback, 413, "{\"message\":\"Request Entity Too Large\"}");
    }

    static void notFound(Response response, Callback callback) {
        json(response, callback, 404, "{\"message\":\"Not Found\"}");
    }
}
