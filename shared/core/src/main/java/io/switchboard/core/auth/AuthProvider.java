package io.switchboard.core.auth;

/**
 * One authorization mode. {@link AuthService} asks each allowed provider whether the request carries credentials
 * of its kind, then lets the first such provider decide.
 */
public interface AuthProvider {

    AuthMode mode();

    /** Whether the request carries credentials this mode understands (e.g. an {@code x-api-key} header). */
    boolean recognizes(AuthRequest request);

    AuthDecision authorize(AuthRequest request);
}
