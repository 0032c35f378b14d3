package io.switchboard.core.auth;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Authorizes connects, subscribes and publishes against the modes allowed for them. When several modes are
 * allowed, the credentials decide: the first allowed provider (in {@link AuthMode} order: API key, IAM, Cognito,
 * OIDC, Lambda) that recognizes the request's credentials makes the decision.
 */
public final class AuthService {

    private final Map<AuthMode, AuthProvider> providers = new EnumMap<>(AuthMode.class);

    public AuthService(List<AuthProvider> providers) {
        for (AuthProvider provider : providers) {
            this.providers.put(provider.mode(), provider);
        }
    }

    public AuthDecision authorize(AuthRequest request, Set<AuthMode> allowed) {
        for (AuthMode mode : AuthMode.values()) {
            AuthProvider provider = providers.get(mode);
            if (provider != null && allowed.contains(mode) && provider.recognizes(request)) {
                return provider.authorize(request);
            }
        }
        String modes = allowed.stream().sorted().map(Enum::name).collect(Collectors.joining(", "));
        String what = switch (request.operation()) {
            case CONNECT -> "connect";
            case SUBSCRIBE -> "subscribe";
            case PUBLISH -> "publish";
        };
        return AuthDecision.deny(null, "No valid credentials to " + what + " (allowed auth modes: " + modes + ")");
    }
}
