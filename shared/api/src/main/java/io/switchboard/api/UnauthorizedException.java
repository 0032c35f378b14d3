package io.switchboard.api;

/**
 * Thrown by a handler to refuse the whole request as unauthorized ({@code util.unauthorized()} in AppSync): a
 * publish fails with {@code UnauthorizedException} (HTTP 401), a subscribe with {@code Unauthorized}.
 */
public class UnauthorizedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UnauthorizedException() {
        super("Unauthorized");
    }

    public UnauthorizedException(String message) {
        super(message);
    }
}
