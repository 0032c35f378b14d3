package io.switchboard.core.auth;

import com.nimbusds.jwt.JWTClaimsSet;
import io.switchboard.core.config.AuthConfig;

import java.net.MalformedURLException;
import java.net.URI;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code AMAZON_COGNITO_USER_POOLS} mode: an ID or access token of the configured user pool in
 * {@code Authorization} (with or without {@code Bearer }). Recognized by its {@code iss}; then verified
 * ({@link JwtVerifier}) and its app client checked against the app-id-client regex: {@code aud} of ID tokens,
 * {@code client_id} of access tokens. The caller's identity is AppSync's:
 * {@code {sub, issuer, username, groups, claims, defaultAuthStrategy}}.
 */
public final class CognitoAuthProvider implements AuthProvider {
    private final JwtVerifier verifier;
    private final Pattern appIdClient;

    public CognitoAuthProvider(AuthConfig.Cognito config, Clock clock) {
        String jwks = config.effectiveJwksUri();
        this.verifier = new JwtVerifier(config.issuer(), () -> {
            try {
                return URI.create(jwks).toURL();
            } catch (MalformedURLException | IllegalArgumentException e) {
                throw new JwtVerifier.Rejected("The user pool's JWKS URL is invalid");
            }
        }, clock);
        this.appIdClient = config.appIdClientRegex() == null ? null : Pattern.compile(config.appIdClientRegex());
    }

    @Override
    public AuthMode mode() {
        return AuthMode.AMAZON_COGNITO_USER_POOLS;
    }

    @Override
    public boolean recognizes(AuthRequest request) {
        String authorization = request.headers().get("Authorization");
        return !SigV4Verifier.isSigV4(authorization)
            && verifier.issuer().equals(JwtVerifier.unverifiedIssuer(JwtVerifier.token(authorization)));
    }

    @Override
    public AuthDecision authorize(AuthRequest request) {
        JWTClaimsSet claims;
        try {
            claims = verifier.verify(JwtVerifier.token(request.headers().get("Authorization")));
            String tokenUse = stringClaim(claims, "token_use");
            String client;
            if ("id".equals(tokenUse)) {
                client = claims.getAudience().isEmpty() ? null : claims.getAudience().get(0);
            } else if ("access".equals(tokenUse)) {
                client = stringClaim(claims, "client_id");
            } else {
                throw new JwtVerifier.Rejected("The token is not a Cognito ID or access token (token_use)");
            }
            if (appIdClient != null && (client == null || !appIdClient.matcher(client).matches())) {
                throw new JwtVerifier.Rejected("The token was issued to an app client this API does not accept");
            }
        } catch (JwtVerifier.Rejected e) {
            return AuthDecision.deny(AuthMode.AMAZON_COGNITO_USER_POOLS, e.getMessage());
        }
        Map<String, Object> identity = new LinkedHashMap<>();
        identity.put("sub", claims.getSubject() == null ? "" : claims.getSubject());
        identity.put("issuer", verifier.issuer());
        String username = stringClaim(claims, "cognito:username");
        if (username == null) {
            username = stringClaim(claims, "username");
        }
        if (username != null) {
            identity.put("username", username);
        }
        Object groups = claims.getClaim("cognito:groups");
        if (groups instanceof List<?> list) {
            identity.put("groups", List.copyOf(list.stream().map(String::valueOf).toList()));
        }
        identity.put("claims", claims.toJSONObject());
        identity.put("defaultAuthStrategy", "ALLOW");
        return AuthDecision.allow(AuthMode.AMAZON_COGNITO_USER_POOLS, identity);
    }

    static String stringClaim(JWTClaimsSet claims, String name) {
        Object value = claims.getClaim(name);
        return value instanceof String s ? s : null;
    }
}
