package io.switchboard.core.auth;

import io.switchboard.api.spi.AuthorizerPlugin;
import io.switchboard.core.config.AuthConfig;
import io.switchboard.core.config.SwitchboardConfig;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Builds the {@link AuthService} of an API from its configuration: one provider per auth provider the
 * configuration declares ({@link SwitchboardConfig#checkAuthProviders}, which fails the start when a mode in use
 * has no provider or a provider lacks its settings).
 */
public final class AuthProviders {
    private AuthProviders() {}

    /**
     * @param config the configuration with every namespace declared (plugins applied)
     * @param authorizer the application's {@code @Authorizer}, which serves {@code AWS_LAMBDA}
     * @throws IllegalStateException when the auth configuration is inconsistent
     */
    public static AuthService create(SwitchboardConfig config, Optional<AuthorizerPlugin> authorizer, Clock clock) {
        Set<AuthMode> modes = config.checkAuthProviders(authorizer.isPresent());
        AuthConfig auth = config.auth();
        List<AuthProvider> providers = new ArrayList<>();
        if (modes.contains(AuthMode.API_KEY)) {
            providers.add(new ApiKeyAuthProvider(config.apiKeys(), clock));
        }
        if (modes.contains(AuthMode.AWS_IAM)) {
            providers.add(new IamAuthProvider(auth.iamCredentials(), config.region(), config.local(), clock));
        }
        if (modes.contains(AuthMode.AMAZON_COGNITO_USER_POOLS)) {
            providers.add(new CognitoAuthProvider(auth.cognito(), clock));
        }
        if (modes.contains(AuthMode.OPENID_CONNECT)) {
            providers.add(new OidcAuthProvider(auth.oidc(), clock));
        }
        if (modes.contains(AuthMode.AWS_LAMBDA) && authorizer.isPresent()) {
            providers.add(new LambdaAuthProvider(withOverrides(authorizer.get(), auth.lambda()), clock));
        }
        return new AuthService(providers);
    }

    /** The {@code @Authorizer} with the TTL and identity validation regex of the configuration, where set. */
    static AuthorizerPlugin withOverrides(AuthorizerPlugin plugin, AuthConfig.Lambda lambda) {
        if (lambda.resultTtlSeconds() == null && lambda.identityValidationRegex() == null) {
            return plugin;
        }
        return AuthorizerPlugin.of(plugin.source(),
            lambda.identityValidationRegex() != null ? lambda.identityValidationRegex() : plugin.identityValidationExpression(),
            lambda.resultTtlSeconds() != null ? lambda.resultTtlSeconds() : plugin.resultTtlSeconds(),
            plugin.function());
    }
}
