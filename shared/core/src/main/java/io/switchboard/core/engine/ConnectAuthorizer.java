package io.switchboard.core.engine;

import io.switchboard.core.auth.AuthDecision;
import io.switchboard.core.auth.AuthRequest;
import io.switchboard.core.auth.AuthService;
import io.switchboard.core.auth.ConnectHeaders;
import io.switchboard.core.auth.Headers;
import io.switchboard.core.auth.Operation;
import io.switchboard.core.config.SwitchboardConfig;
import io.switchboard.core.protocol.FrameException;

import java.util.Map;

/**
 * Authorizes a WebSocket upgrade from its headers and the {@code header-} subprotocol against the connection auth
 * modes. Needs neither the store nor the sender, so the {@code $connect} authorizer function stays light.
 */
public final class ConnectAuthorizer {
    private final SwitchboardConfig config;
    private final AuthService auth;

    public ConnectAuthorizer(SwitchboardConfig config, AuthService auth) {
        this.config = config;
        this.auth = auth;
    }

    /** Never throws for bad client input: a refusal says why. */
    public ConnectionAuth authorize(Map<String, String> upgradeHeaders) {
        Headers credentials;
        try {
            credentials = ConnectHeaders.resolve(Headers.of(upgradeHeaders));
        } catch (FrameException e) {
            return ConnectionAuth.denied(e.errorType(), e.getMessage());
        }
        AuthDecision decision = auth.authorize(
            new AuthRequest(Operation.CONNECT, credentials, null, null, () -> "{}"), config.connectionAuthModes());
        return ConnectionAuth.of(decision);
    }
}
