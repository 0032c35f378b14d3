package io.switchboard.core.engine;

import io.switchboard.core.auth.AuthDecision;
import io.switchboard.core.auth.AuthMode;
import io.switchboard.core.protocol.ErrorTypes;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The outcome of authorizing a connection, carried from {@code $connect} to every later message of that
 * connection. In API Gateway it travels as the {@code $connect} authorizer's flat context map
 * ({@link #toContext()} / {@link #fromContext(Map)}), so no message needs a store read to know it.
 */
public record ConnectionAuth(boolean authorized, AuthMode mode, String errorType, String message) {

    static final String KEY_AUTH = "sbAuth";
    static final String KEY_MODE = "sbMode";
    static final String KEY_ERROR_TYPE = "sbErrorType";
    static final String KEY_MESSAGE = "sbMessage";

    public static ConnectionAuth of(AuthDecision decision) {
        return new ConnectionAuth(decision.allowed(), decision.mode(), decision.errorType(), decision.message());
    }

    public static ConnectionAuth denied(String errorType, String message) {
        return new ConnectionAuth(false, null, errorType, message);
    }

    /** Flat string values, as API Gateway authorizer contexts require. */
    public Map<String, String> toContext() {
        Map<String, String> context = new LinkedHashMap<>();
        context.put(KEY_AUTH, authorized ? "allowed" : "denied");
        if (mode != null) {
            context.put(KEY_MODE, mode.name());
        }
        if (!authorized) {
            context.put(KEY_ERROR_TYPE, errorType);
            context.put(KEY_MESSAGE, message);
        }
        return context;
    }

    /**
     * Reads the authorizer context of a message event. A connection without our context (no authorizer ran) is
     * treated as not authorized.
     */
    public static ConnectionAuth fromContext(Map<String, ?> context) {
        if (context == null || context.get(KEY_AUTH) == null) {
            return denied(ErrorTypes.UNAUTHORIZED_EXCEPTION, "The connection was not authorized");
        }
        boolean allowed = "allowed".equals(String.valueOf(context.get(KEY_AUTH)));
        Object mode = context.get(KEY_MODE);
        AuthMode authMode = null;
        if (mode != null) {
            try {
                authMode = AuthMode.valueOf(String.valueOf(mode));
            } catch (IllegalArgumentException e) {
                authMode = null;
            }
        }
        if (allowed) {
            return new ConnectionAuth(true, authMode, null, null);
        }
        Object type = context.get(KEY_ERROR_TYPE);
        Object message = context.get(KEY_MESSAGE);
        return new ConnectionAuth(false, authMode,
            type == null ? ErrorTypes.UNAUTHORIZED_EXCEPTION : String.valueOf(type),
            message == null ? "The connection was not authorized" : String.valueOf(message));
    }
}
