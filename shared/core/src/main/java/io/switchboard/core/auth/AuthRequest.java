package io.switchboard.core.auth;

import java.util.function.Supplier;

/**
 * One thing to authorize.
 *
 * @param operation connect, subscribe or publish
 * @param headers the credentials: upgrade headers (+ the {@code header-} subprotocol) on connect, the frame's
 *     {@code authorization} object on subscribe/publish, the HTTP headers of an HTTP publish
 * @param namespace the channel's namespace, {@code null} on connect
 * @param channel the channel as sent, {@code null} on connect
 * @param signedBody the body an IAM signature covers ({@code {}} on connect, the re-serialised frame body on
 *     WebSocket operations, the raw body over HTTP), computed only when a mode needs it (IAM)
 * @param verifiedIamCaller an IAM caller API Gateway has already verified (HTTP publish on the IAM route), else
 *     {@code null}
 */
public record AuthRequest(Operation operation, Headers headers, String namespace, String channel,
                          Supplier<String> signedBody, VerifiedIamCaller verifiedIamCaller) {

    /** A request whose credentials are all in {@code headers}. */
    public AuthRequest(Operation operation, Headers headers, String namespace, String channel, Supplier<String> signedBody) {
        this(operation, headers, namespace, channel, signedBody, null);
    }
}
