package io.switchboard.client;

import java.util.List;

/**
 * A failed operation. From HTTP publish it carries the status and the response's {@code errors[]}; from the WebSocket
 * (status 0) the {@code errors[]} of {@code connection_error}, {@code subscribe_error}, {@code publish_error},
 * {@code broadcast_error} or {@code error}. Transport failures and timeouts have no errors and keep their cause.
 */
public class SwitchboardException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int statusCode;
    private final transient List<ErrorDetail> errors;

    public SwitchboardException(String message, int statusCode, List<ErrorDetail> errors, Throwable cause) {
        super(message, cause);
        this.statusCode = statusCode;
        this.errors = List.copyOf(errors);
    }

    public SwitchboardException(String message, Throwable cause) {
        this(message, 0, List.of(), cause);
    }

    public SwitchboardException(String message) {
        this(message, 0, List.of(), null);
    }

    /** Built from a server's errors: the message names the first error's type and text. */
    static SwitchboardException of(String what, int statusCode, List<ErrorDetail> errors) {
        StringBuilder message = new StringBuilder(what);
        if (statusCode > 0) {
            message.append(": HTTP ").append(statusCode);
        }
        if (!errors.isEmpty()) {
            ErrorDetail first = errors.get(0);
            message.append(": ").append(first.errorType());
            if (first.message() != null) {
                message.append(": ").append(first.message());
            }
        }
        return new SwitchboardException(message.toString(), statusCode, errors, null);
    }

    /** The HTTP status of a failed HTTP publish; 0 for WebSocket and transport failures. */
    public int statusCode() {
        return statusCode;
    }

    /** The server's {@code errors[]}, in order; empty for transport failures and timeouts. */
    public List<ErrorDetail> errors() {
        return errors == null ? List.of() : errors;
    }

    /** The first error's {@code errorType}, or null. */
    public String errorType() {
        List<ErrorDetail> list = errors();
        return list.isEmpty() ? null : list.get(0).errorType();
    }
}
