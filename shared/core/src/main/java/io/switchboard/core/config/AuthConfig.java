package io.switchboard.core.config;

import io.switchboard.core.auth.AuthMode;
import io.switchboard.core.auth.IamCredentials;

import java.util.Map;
import java.util.Set;

/**
 * The API-level auth configuration, as AppSync Events' {@code eventConfig} holds it: the auth providers, the
 * default publish and subscribe modes, per-namespace overrides and each provider's settings. The connection modes
 * stay in {@link SwitchboardConfig#connectionAuthModes()}.
 *
 * @param providers the auth providers ({@code SWITCHBOARD_AUTH_PROVIDERS}); every mode used anywhere must be one
 * @param providersDeclared whether {@code SWITCHBOARD_AUTH_PROVIDERS} was set; when it was not, the providers are
 *     {@link #DEFAULT_PROVIDERS} plus {@code AWS_LAMBDA} if the application has an {@code @Authorizer}
 * @param defaultPublishModes publish modes of namespaces without an override ({@code SWITCHBOARD_PUBLISH_AUTH_MODES})
 * @param defaultSubscribeModes subscribe modes of namespaces without an override
 *     ({@code SWITCHBOARD_SUBSCRIBE_AUTH_MODES})
 * @param namespaceOverrides per-namespace modes ({@code SWITCHBOARD_NAMESPACE_AUTH}), by namespace name
 * @param cognito {@code AMAZON_COGNITO_USER_POOLS} settings, {@code null} when no user pool is configured
 * @param oidc {@code OPENID_CONNECT} settings, {@code null} when no issuer is configured
 * @param lambda {@code AWS_LAMBDA} settings that override the {@code @Authorizer}'s own
 * @param iamCredentials the credentials SigV4 signatures are verified against, {@code null} when none are set
 */
public record AuthConfig(
    Set<AuthMode> providers,
    boolean providersDeclared,
    Set<AuthMode> defaultPublishModes,
    Set<AuthMode> defaultSubscribeModes,
    Map<String, NamespaceModes> namespaceOverrides,
    Cognito cognito,
    Oidc oidc,
    Lambda lambda,
    IamCredentials iamCredentials) {

    /** The providers when none are declared: those of the shipped example. */
    public static final Set<AuthMode> DEFAULT_PROVIDERS = Set.of(AuthMode.API_KEY, AuthMode.AWS_IAM);
    public static final Set<AuthMode> DEFAULT_CONNECT_MODES = Set.of(AuthMode.API_KEY, AuthMode.AWS_IAM);
    public static final Set<AuthMode> DEFAULT_PUBLISH_MODES = Set.of(AuthMode.API_KEY, AuthMode.AWS_IAM);
    public static final Set<AuthMode> DEFAULT_SUBSCRIBE_MODES = Set.of(AuthMode.API_KEY);

    public AuthConfig {
        providers = Set.copyOf(providers);
        defaultPublishModes = Set.copyOf(defaultPublishModes);
        defaultSubscribeModes = Set.copyOf(defaultSubscribeModes);
        namespaceOverrides = Map.copyOf(namespaceOverrides);
        lambda = lambda == null ? new Lambda(null, null) : lambda;
    }

    /** Nothing configured: the defaults above, no provider settings. */
    public static AuthConfig defaults() {
        return new AuthConfig(DEFAULT_PROVIDERS, false, DEFAULT_PUBLISH_MODES, DEFAULT_SUBSCRIBE_MODES, Map.of(),
            null, null, null, null);
    }

    /**
     * The modes of one namespace from {@code SWITCHBOARD_NAMESPACE_AUTH}; {@code null} for an operation means the
     * API default (or the modes its {@code @ChannelNamespace} declares).
     */
    public record NamespaceModes(Set<AuthMode> publish, Set<AuthMode> subscribe) {
        public NamespaceModes {
            publish = publish == null ? null : Set.copyOf(publish);
            subscribe = subscribe == null ? null : Set.copyOf(subscribe);
        }
    }

    /**
     * {@code AMAZON_COGNITO_USER_POOLS}: tokens issued by {@code https://cognito-idp.<region>.amazonaws.com/<pool>}.
     *
     * @param userPoolId {@code SWITCHBOARD_COGNITO_USER_POOL_ID}, e.g. {@code eu-west-1_AbCdEf123}
     * @param region {@code SWITCHBOARD_COGNITO_REGION}; default the pool id's prefix
     * @param appIdClientRegex {@code SWITCHBOARD_COGNITO_APP_ID_CLIENT_REGEX}: app client ids accepted
     *     ({@code aud} of ID tokens, {@code client_id} of access tokens); {@code null} accepts every client
     * @param jwksUri {@code SWITCHBOARD_COGNITO_JWKS_URI}; default {@code <issuer>/.well-known/jwks.json}
     */
    public record Cognito(String userPoolId, String region, String appIdClientRegex, String jwksUri) {
        public String issuer() {
            return "https://cognito-idp." + region + ".amazonaws.com/" + userPoolId;
        }

        public String effectiveJwksUri() {
            return jwksUri != null ? jwksUri : issuer() + "/.well-known/jwks.json";
        }
    }

    /**
     * {@code OPENID_CONNECT}.
     *
     * @param issuer {@code SWITCHBOARD_OIDC_ISSUER}: the exact {@code iss} of accepted tokens
     * @param clientId {@code SWITCHBOARD_OIDC_CLIENT_ID}: a regular expression an {@code aud} entry must match;
     *     {@code null} accepts every audience
     * @param iatTtlSeconds {@code SWITCHBOARD_OIDC_IAT_TTL_SECONDS}: a token is refused this long after its
     *     {@code iat}; 0 = no limit
     * @param authTtlSeconds {@code SWITCHBOARD_OIDC_AUTH_TTL_SECONDS}: refused this long after {@code auth_time};
     *     0 = no limit
     * @param jwksUri {@code SWITCHBOARD_OIDC_JWKS_URI}; default: the {@code jwks_uri} of the issuer's discovery
     *     document, or {@code <issuer>/.well-known/jwks.json} when it has none
     */
    public record Oidc(String issuer, String clientId, long iatTtlSeconds, long authTtlSeconds, String jwksUri) {}

    /**
     * {@code AWS_LAMBDA} settings that replace those of the {@code @Authorizer} annotation when set.
     *
     * @param resultTtlSeconds {@code SWITCHBOARD_LAMBDA_AUTHORIZER_RESULT_TTL_SECONDS} (0-3600), or {@code null}
     * @param identityValidationRegex {@code SWITCHBOARD_LAMBDA_IDENTITY_VALIDATION_REGEX}, or {@code null}
     */
    public record Lambda(Integer resultTtlSeconds, String identityValidationRegex) {}
}
