package io.switchboard.core.auth;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Authorizes connects, subscribes and publishes against the modes allowed for them. The credentials decide the
 * mode ({@code protocol.md} §4.1): {@code x-api-key} is {@code API_KEY}; an {@code Authorization} header starting
 * {@code AWS4-HMAC-SHA256}, or a caller API Gateway verified, is {@code AWS_IAM}; a JWT whose {@code iss} is the
 * configured user pool or OIDC issuer is that mode; any other {@code Authorization} value is {@code AWS_LAMBDA}.
 * The first allowed provider (in {@link AuthMode} order) that recognizes the credentials decides. Credentials that
 * only a mode not allowed here recognizes are refused with a message naming that mode.
 */
public final class AuthService {
    private static final List<AuthMode> JWT_MODES = List.of(AuthMode.AMAZON_COGNITO_USER_POOLS, AuthMode.OPENID_CONNECT);

    private final Map<AuthMode, AuthProvider> providers = new EnumMap<>(AuthMode.class);

    public AuthService(List<AuthProvider> providers) {
        for (AuthProvider provider : providers) {
            this.providers.put(provider.mode(), provider);
        }
    }

    /** The modes this service has a provider for. */
    public Set<AuthMode> modes() {
        return Set.copyOf(providers.keySet());
    }

    public AuthDecision authorize(AuthRequest request, Set<AuthMode> allowed) {
        if (request.verifiedIamCaller() != null) {
            // API Gateway verified a SigV4 signature on this route: that is the request's credential
            AuthProvider iam = providers.get(AuthMode.AWS_IAM);
            return iam != null && allowed.contains(AuthMode.AWS_IAM) ? iam.authorize(request)
                : notAllowed(AuthMode.AWS_IAM, request, allowed);
        }
        AuthMode recognizedButNotAllowed = null;
        for (AuthMode mode : AuthMode.values()) {
            AuthProvider provider = providers.get(mode);
            if (provider == null || !recognizes(provider, request)) {
                continue;
            }
            if (allowed.contains(mode)) {
                return provider.authorize(request);
            }
            if (recognizedButNotAllowed == null) {
                recognizedButNotAllowed = mode;
            }
        }
        if (recognizedButNotAllowed != null) {
            return notAllowed(recognizedButNotAllowed, request, allowed);
        }
        return AuthDecision.deny(null, "No valid credentials to " + verb(request.operation()) + " (allowed auth modes: "
            + names(allowed) + ")");
    }

    /** A JWT of a configured issuer belongs to that JWT mode: it is never handed to the Lambda authorizer. */
    private boolean recognizes(AuthProvider provider, AuthRequest request) {
        if (!provider.recognizes(request)) {
            return false;
        }
        if (provider.mode() == AuthMode.AWS_LAMBDA) {
            for (AuthMode jwt : JWT_MODES) {
                AuthProvider jwtProvider = providers.get(jwt);
                if (jwtProvider != null && jwtProvider.recognizes(request)) {
                    return false;
                }
            }
        }
        return true;
    }

    private static AuthDecision notAllowed(AuthMode mode, AuthRequest request, Set<AuthMode> allowed) {
        String where = request.namespace() == null ? "" : " in namespace '" + request.namespace() + "'";
        return AuthDecision.deny(mode, mode + " is not allowed to " + verb(request.operation()) + where
            + " (allowed auth modes: " + names(allowed) + ")");
    }

    private static String verb(Operation operation) {
        return switch (operation) {
            case CONNECT -> "connect";
            case SUBSCRIBE -> "subscribe";
            case PUBLISH -> "publish";
        };
    }

    private static String names(Set<AuthMode> modes) {
        return modes.stream().sorted().map(Enum::name).collect(Collectors.joining(", "));
    }
}
