package io.switchboard.client;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.core.protocol.Frame;
import io.switchboard.core.protocol.FrameCodec;
import io.switchboard.core.protocol.ProtocolError;

/**
 * The JSON the client writes besides frames (request bodies, the signed bodies, the {@code header-} subprotocol)
 * and reads besides frames (HTTP publish answers). Compact, keys in protocol order, {@code /} not escaped: the
 * bodies signed for IAM must be byte-identical to what the server rebuilds (protocol.md §4.4).
 */
final class Json {

    static final String SUBPROTOCOL = "aws-appsync-event-ws";

    private Json() {
    }

    /** {@code {"channel":"/a/b","events":["…","…"]}}: the HTTP publish body and the body signed for a WebSocket publish. */
    static String publishBody(String channel, List<String> events) {
        StringBuilder out = new StringBuilder(64).append("{\"channel\":").append(FrameCodec.quote(channel)).append(",\"events\":[");
        for (int i = 0; i < events.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            out.append(FrameCodec.quote(events.get(i)));
        }
        return out.append("]}").toString();
    }

    /** {@code {"channel":"/a/*"}}: the body signed for a subscribe. */
    static String subscribeBody(String channel) {
        return "{\"channel\":" + FrameCodec.quote(channel) + "}";
    }

    /** A flat JSON object of strings, in the map's order. */
    static String object(Map<String, String> fields) {
        StringBuilder out = new StringBuilder(128).append('{');
        fields.forEach((name, value) -> {
            if (out.length() > 1) {
                out.append(',');
            }
            out.append(FrameCodec.quote(name)).append(':').append(FrameCodec.quote(value));
        });
        return out.append('}').toString();
    }

    /** {@code header-} + base64url (no padding) of the connect headers: how browsers and Amplify carry auth on the upgrade. */
    static String headerSubprotocol(Map<String, String> headers) {
        return "header-" + Base64.getUrlEncoder().withoutPadding().encodeToString(object(headers).getBytes(StandardCharsets.UTF_8));
    }

    /** A channel with its leading slash, as the server reports it (Amplify adds it too). */
    static String channel(String channel) {
        return channel.startsWith("/") ? channel : "/" + channel;
    }

    /** The body of an HTTP 200: {@code {"successful":[…],"failed":[…]}}. */
    static PublishResult publishResult(String body) {
        JsonNode root = FrameCodec.parse(body);
        List<PublishResult.Success> successful = new ArrayList<>();
        for (JsonNode item : root.path("successful")) {
            successful.add(new PublishResult.Success(text(item, "identifier"), item.path("index").asInt()));
        }
        List<PublishResult.Failure> failed = new ArrayList<>();
        for (JsonNode item : root.path("failed")) {
            JsonNode code = item.get("code");
            failed.add(new PublishResult.Failure(text(item, "identifier"), item.path("index").asInt(),
                    code == null || code.isNull() ? null : code.asInt(), text(item, "message")));
        }
        return new PublishResult(successful, failed);
    }

    static PublishResult publishResult(Frame.PublishSuccess frame) {
        return new PublishResult(
                frame.successful().stream().map(e -> new PublishResult.Success(e.identifier(), e.index())).toList(),
                frame.failed().stream().map(e -> new PublishResult.Failure(e.identifier(), e.index(), e.code(), e.message())).toList());
    }

    /**
     * The errors of a non-2xx body: {@code {"errors":[{errorType, message}]}}, or API Gateway's own
     * {@code {"message":"Forbidden"}} (then typed by the {@code x-amzn-ErrorType} header, when there is one).
     */
    static List<ErrorDetail> errors(String body, String errorTypeHeader) {
        List<ErrorDetail> errors = new ArrayList<>();
        JsonNode root;
        try {
            root = FrameCodec.parse(body);
        } catch (RuntimeException notJson) {
            return errorTypeHeader == null ? List.of() : List.of(new ErrorDetail(errorTypeHeader, null));
        }
        for (JsonNode error : root.path("errors")) {
            errors.add(new ErrorDetail(text(error, "errorType"), text(error, "message")));
        }
        if (errors.isEmpty() && (root.has("message") || errorTypeHeader != null)) {
            errors.add(new ErrorDetail(errorTypeHeader == null ? null : errorTypeHeader.split(":", 2)[0], text(root, "message")));
        }
        return errors;
    }

    static List<ErrorDetail> errors(List<ProtocolError> errors) {
        return errors.stream().map(e -> new ErrorDetail(e.errorType(), e.message())).toList();
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
