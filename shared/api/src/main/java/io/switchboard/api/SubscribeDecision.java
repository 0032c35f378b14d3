package io.switchboard.api;

import java.util.Objects;

/**
 * What a subscribe handler returns: {@link #allow()} or {@link #deny(String)}. A denied subscribe is answered
 * with {@code subscribe_error} (errorType {@code Unauthorized}) and the message; the connection stays open.
 */
public final class SubscribeDecision {
    private static final SubscribeDecision ALLOW = new SubscribeDecision(true, null);

    private final boolean allowed;
    private final String message;

    private SubscribeDecision(boolean allowed, String message) {
        this.allowed = allowed;
        this.message = message;
    }

    public static SubscribeDecision allow() {
        return ALLOW;
    }

    public static SubscribeDecision deny(String message) {
        return new SubscribeDecision(false, Objects.requireNonNull(message, "message"));
    }

    public boolean allowed() {
        return allowed;
    }

    /** Why it was denied; {@code null} when allowed. */
    public String message() {
        return message;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SubscribeDecision other && other.allowed == allowed && Objects.equals(other.message, message);
    }

    @Override
    public int hashCode() {
        return Objects.hash(allowed, message);
    }

    @Override
    public String toString() {
        return allowed ? "SubscribeDecision.allow()" : "SubscribeDecision.deny(" + message + ")";
    }
}
