package io.switchboard.core.auth;

import io.switchboard.core.protocol.ErrorTypes;

import java.util.Map;

/**
 * The outcome of an authorization: allowed (with the mode used and the caller's identity as handlers see it,
 * possibly empty) or refused (with the protocol error to send back).
 */
public record AuthDecision(boolean allowed, AuthMode mode, Map<String, Object> identity, String errorType, String message) {

    public AuthDecision {
        identity = identity == null ? Map.of() : Map.copyOf(identity);
    }

    public static AuthDecision allow(AuthMode mode, Map<String, Object> identity) {
        return new AuthDecision(true, mode, identity, null, null);
    }

    public static AuthDecision deny(AuthMode mode, String message) {
        return new AuthDecision(false, mode, Map.of(), ErrorTypes.UNAUTHORIZED_EXCEPTION, message);
    }

    public static AuthDecision deny(AuthMode mode, String errorType, String message) {
        return new AuthDecision(false, mode, Map.of(), errorType, message);
    }
}
