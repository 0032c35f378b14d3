package io.switchboard.core.engine;

import io.switchboard.core.protocol.ErrorTypes;
import io.switchboard.core.protocol.Frame;
import io.switchboard.core.protocol.FrameCodec;
import io.switchboard.core.protocol.ProtocolError;

import java.util.List;

/** The one place that turns a failure into the protocol's error frame or HTTP status and body. */
final class Errors {

    private Errors() {}

    /** The error frame that answers a failed client frame of {@code frameType} with {@code id}. */
    static String frame(String frameType, String id, ProtocolError error) {
        List<ProtocolError> errors = List.of(error);
        Frame frame;
        if (id == null || frameType == null) {
            frame = new Frame.Error(id, errors);
        } else {
            frame = switch (frameType) {
                case "subscribe" -> new Frame.SubscribeError(id, errors);
                case "unsubscribe" -> new Frame.UnsubscribeError(id, errors);
                case "publish" -> new Frame.PublishError(id, errors);
                default -> new Frame.Error(id, errors);
            };
        }
        return FrameCodec.encode(frame);
    }

    static HttpResult http(ProtocolError error) {
        return new HttpResult(httpStatus(error.errorType()), FrameCodec.encodeErrors(List.of(error)));
    }

    static int httpStatus(String errorType) {
        return switch (errorType) {
            case ErrorTypes.UNAUTHORIZED_EXCEPTION, ErrorTypes.UNAUTHORIZED -> 401;
            case ErrorTypes.BAD_REQUEST, ErrorTypes.INVALID_INPUT -> 400;
            case ErrorTypes.HANDLER_ERROR -> 403;
            case ErrorTypes.RESOURCE_NOT_FOUND -> 404;
            case ErrorTypes.LIMIT_EXCEEDED -> 429;
            case ErrorTypes.SERVICE_UNAVAILABLE -> 503;
            default -> 500;
        };
    }
}
