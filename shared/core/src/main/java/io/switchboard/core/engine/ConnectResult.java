package io.switchboard.core.engine;

/**
 * The answer to a WebSocket upgrade.
 *
 * @param status HTTP status for the upgrade: 200 accepts it (even when the credentials were refused: the
 *     refusal is reported as {@code connection_error} on the first frame, so clients do not retry forever)
 * @param subprotocol the subprotocol to select in the handshake, or {@code null} if the client offered none
 */
public record ConnectResult(int status, String subprotocol) {}
