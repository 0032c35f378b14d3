package io.switchboard.api;

/**
 * Thrown by a handler to reject the whole request with a message the client sees ({@code util.error(message)} in
 * AppSync): a publish fails (HTTP 403, {@code publish_error}) and nothing is broadcast; a subscribe fails with
 * {@code subscribe_error}. Any other exception a handler throws is logged and answered with a generic error that
 * reveals nothing about it.
 */
public class HandlerException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public HandlerException(String message) {
        super(message);
    }

    public HandlerException(String message, Throwable cause) {
        super(message, cause);
    }
}
