package io.switchboard.core.plugin;

/**
 * A handler refused or failed the whole request. {@link #getMessage()} is safe to show the client: the handler's
 * own message for {@link Kind#UNAUTHORIZED}, {@link Kind#DENIED} and {@link Kind#REJECTED}; a generic or
 * contract-violation message for {@link Kind#FAILED} (the cause, logged already, never reaches the client).
 */
public final class HandlerFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public enum Kind {
        /** The handler threw {@code UnauthorizedException}. */
        UNAUTHORIZED,
        /** A subscribe handler returned {@code SubscribeDecision.deny(message)}. */
        DENIED,
        /** The handler threw {@code HandlerException(message)}. */
        REJECTED,
        /** The handler threw anything else, or returned something the contract does not allow. */
        FAILED
    }

    private final Kind kind;

    HandlerFailure(Kind kind, String message, Throwable cause) {
        super(message, cause, false, false);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
