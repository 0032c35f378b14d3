package io.switchboard.core.config;

import io.switchboard.core.auth.ApiKeyAuthProvider;
import io.switchboard.core.auth.AuthMode;
import io.switchboard.core.auth.IamCredentials;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Collectors;

/**
 * Everything configurable, read once from one source (environment variables in Lambda; the local gateway sets
 * the same names as system properties) into typed values. Invalid values fail fast with a message naming the
 * variable.
 *
 * @param namespaces declared namespaces by name ({@code SWITCHBOARD_NAMESPACES}, default {@code default,sample})
 * @param apiKeys valid API keys as digests ({@code SWITCHBOARD_API_KEYS})
 * @param connectionAuthModes modes accepted on connect ({@code SWITCHBOARD_CONNECT_AUTH_MODES}, default
 *     API_KEY,AWS_IAM)
 * @param connectionTimeoutMs advertised in {@code connection_ack} ({@code SWITCHBOARD_CONNECTION_TIMEOUT_MS}):
 *     clients drop a connection that receives no {@code ka} or {@code data} for this long
 * @param keepAliveRateMinutes how often the scheduled keep-alive sends {@code ka} to every connection
 *     ({@code SWITCHBOARD_KEEPALIVE_RATE_MINUTES}, the template's {@code KeepAliveRateMinutes}); 0 when not
 *     declared. When declared it must be shorter than {@code connectionTimeoutMs}.
 * @param maxSubscriptionsPerConnection {@code SWITCHBOARD_MAX_SUBSCRIPTIONS}, default 200
 * @param maxEventBytes the largest event, JSON-escaped as in a data frame ({@code SWITCHBOARD_MAX_EVENT_BYTES})
 * @param fanOutParallelism concurrent sends during one fan-out ({@code SWITCHBOARD_FANOUT_PARALLELISM})
 * @param fanOutShardSize subscribers one invocation delivers itself; a larger audience is split into shards of
 *     this size for fan-out workers ({@code SWITCHBOARD_FANOUT_SHARD_SIZE}, default 2,000)
 * @param fanOutFunction the fan-out worker function (ARN of its alias) that shards are handed to with an
 *     asynchronous invocation ({@code SWITCHBOARD_FANOUT_FUNCTION}); {@code null}: no worker function (the local
 *     gateway runs shards on a pool in its JVM)
 * @param connectionsRps the {@code @connections} request rate the account allows (API Gateway's throttle, shared by
 *     every function instance; {@code SWITCHBOARD_CONNECTIONS_RPS}, default 10,000): no instance's sender goes above it
 * @param store {@code dynamodb} or {@code memory} ({@code SWITCHBOARD_STORE})
 * @param tableName DynamoDB table ({@code TABLE_NAME})
 * @param dynamoDbEndpoint optional endpoint override ({@code SWITCHBOARD_DYNAMODB_ENDPOINT})
 * @param connectionsEndpoint optional {@code @connections} endpoint override ({@code SWITCHBOARD_CONNECTIONS_ENDPOINT})
 * @param lambdaEndpoint optional Lambda endpoint for the asynchronous invocations of the fan-out function, e.g.
 *     {@code sam local start-lambda} ({@code AWS_ENDPOINT_URL_LAMBDA}, else {@code aws.endpointUrlLambda}: the SDK's
 *     names, which the SDK itself applies only to its generated Lambda client, not used here); {@code null}: the
 *     region's Lambda endpoint
 * @param region AWS region ({@code AWS_REGION})
 * @param local running inside the local gateway ({@code SWITCHBOARD_LOCAL})
 * @param auth auth providers, default modes, per-namespace overrides and provider settings ({@link AuthConfig})
 * @param maxPublishesPerSecond WebSocket publish frames allowed per connection and second
 *     ({@code SWITCHBOARD_MAX_PUBLISHES_PER_SECOND}, default 25 as in AppSync; 0: no limit); enforced per function
 *     instance, see {@code PublishRateLimiter}
 */
public record SwitchboardConfig(
    Map<String, NamespaceConfig> namespaces,
    List<ApiKeyAuthProvider.ApiKey> apiKeys,
    Set<AuthMode> connectionAuthModes,
    long connectionTimeoutMs,
    int keepAliveRateMinutes,
    int maxSubscriptionsPerConnection,
    int maxEventBytes,
    int fanOutParallelism,
    int fanOutShardSize,
    String fanOutFunction,
    int connectionsRps,
    String store,
    String tableName,
    String dynamoDbEndpoint,
    String connectionsEndpoint,
    String lambdaEndpoint,
    String region,
    boolean local,
    AuthConfig auth,
    int maxPublishesPerSecond) {

    /** API Gateway's WebSocket message limit: 128 KB. */
    public static final int API_GATEWAY_MESSAGE_BYTES = 128 * 1024;
    /**
     * Default largest event: 120 KiB once JSON-escaped, so that a {@code data} frame with the longest
     * subscription id (128 characters) stays well inside API Gateway's 128 KB message limit.
     */
    public static final int DEFAULT_MAX_EVENT_BYTES = 120 * 1024;

    /** Every variable {@link #from} reads, for documentation and for the template check. */
    public static final List<String> VARIABLES = List.of(
        "SWITCHBOARD_NAMESPACES", "SWITCHBOARD_API_KEYS", "SWITCHBOARD_CONNECT_AUTH_MODES",
        "SWITCHBOARD_PUBLISH_AUTH_MODES", "SWITCHBOARD_SUBSCRIBE_AUTH_MODES", "SWITCHBOARD_CONNECTION_TIMEOUT_MS",
        "SWITCHBOARD_KEEPALIVE_RATE_MINUTES",
        "SWITCHBOARD_MAX_SUBSCRIPTIONS", "SWITCHBOARD_MAX_EVENT_BYTES", "SWITCHBOARD_FANOUT_PARALLELISM",
        "SWITCHBOARD_FANOUT_SHARD_SIZE", "SWITCHBOARD_FANOUT_FUNCTION", "SWITCHBOARD_CONNECTIONS_RPS",
        "SWITCHBOARD_STORE", "TABLE_NAME", "SWITCHBOARD_DYNAMODB_ENDPOINT", "SWITCHBOARD_CONNECTIONS_ENDPOINT",
        "AWS_ENDPOINT_URL_LAMBDA", "aws.endpointUrlLambda",
        "AWS_REGION", "SWITCHBOARD_LOCAL", "SWITCHBOARD_MAX_PUBLISHES_PER_SECOND",
        "SWITCHBOARD_AUTH_PROVIDERS", "SWITCHBOARD_NAMESPACE_AUTH",
        "SWITCHBOARD_COGNITO_USER_POOL_ID", "SWITCHBOARD_COGNITO_REGION", "SWITCHBOARD_COGNITO_APP_ID_CLIENT_REGEX",
        "SWITCHBOARD_COGNITO_JWKS_URI",
        "SWITCHBOARD_OIDC_ISSUER", "SWITCHBOARD_OIDC_CLIENT_ID", "SWITCHBOARD_OIDC_IAT_TTL_SECONDS",
        "SWITCHBOARD_OIDC_AUTH_TTL_SECONDS", "SWITCHBOARD_OIDC_JWKS_URI",
        "SWITCHBOARD_LAMBDA_AUTHORIZER_RESULT_TTL_SECONDS", "SWITCHBOARD_LAMBDA_IDENTITY_VALIDATION_REGEX",
        "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN");

    private static final Pattern NAMESPACE_NAME = Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9-]{0,48}[A-Za-z0-9])?");

    public SwitchboardConfig {
        namespaces = Map.copyOf(namespaces);
        apiKeys = List.copyOf(apiKeys);
        connectionAuthModes = Set.copyOf(connectionAuthModes);
        auth = auth == null ? AuthConfig.defaults() : auth;
    }

    /** Reads the configuration; {@code lookup} returns {@code null} for unset names. */
    public static SwitchboardConfig from(Function<String, String> lookup) {
        AuthConfig auth = readAuth(lookup);
        Set<AuthMode> connectModes = modes(lookup, "SWITCHBOARD_CONNECT_AUTH_MODES", AuthConfig.DEFAULT_CONNECT_MODES);
        if (auth.providersDeclared()) {
            requireProviders(auth, "SWITCHBOARD_CONNECT_AUTH_MODES", "connect", connectModes);
        }

        Map<String, NamespaceConfig> namespaces = new LinkedHashMap<>();
        for (String name : list(lookup.apply("SWITCHBOARD_NAMESPACES"), List.of("default", "sample"))) {
            if (!NAMESPACE_NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("SWITCHBOARD_NAMESPACES: '" + name
                    + "' is not a valid namespace name (1-50 letters, digits or '-', not starting or ending with '-')");
            }
            namespaces.put(name, namespace(auth, name, Set.of(), Set.of()));
        }

        List<ApiKeyAuthProvider.ApiKey> apiKeys;
        try {
            apiKeys = ApiKeyAuthProvider.parseDigests(lookup.apply("SWITCHBOARD_API_KEYS"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("SWITCHBOARD_API_KEYS: " + e.getMessage(), e);
        }

        int maxEventBytes = integer(lookup, "SWITCHBOARD_MAX_EVENT_BYTES", DEFAULT_MAX_EVENT_BYTES, 1, DEFAULT_MAX_EVENT_BYTES);
        int connectionTimeoutMs = integer(lookup, "SWITCHBOARD_CONNECTION_TIMEOUT_MS", 300_000, 10_000, 3_600_000);
        int keepAliveRateMinutes = integer(lookup, "SWITCHBOARD_KEEPALIVE_RATE_MINUTES", 0, 0, 60);
        if (keepAliveRateMinutes > 0 && keepAliveRateMinutes * 60_000L >= connectionTimeoutMs) {
            throw new IllegalArgumentException("SWITCHBOARD_KEEPALIVE_RATE_MINUTES (" + keepAliveRateMinutes
                + ") must be shorter than SWITCHBOARD_CONNECTION_TIMEOUT_MS (" + connectionTimeoutMs + " ms): clients "
                + "drop a connection that hears nothing for connectionTimeoutMs, so keep-alives must come more often");
        }
        return new SwitchboardConfig(
            namespaces,
            apiKeys,
            connectModes,
            connectionTimeoutMs,
            keepAliveRateMinutes,
            integer(lookup, "SWITCHBOARD_MAX_SUBSCRIPTIONS", 200, 1, 10_000),
            maxEventBytes,
            integer(lookup, "SWITCHBOARD_FANOUT_PARALLELISM", 32, 1, 1024),
            integer(lookup, "SWITCHBOARD_FANOUT_SHARD_SIZE", 2_000, 1, 100_000),
            blankToNull(lookup.apply("SWITCHBOARD_FANOUT_FUNCTION")),
            integer(lookup, "SWITCHBOARD_CONNECTIONS_RPS", 10_000, 1, 1_000_000),
            choice(lookup, "SWITCHBOARD_STORE", "dynamodb", "dynamodb", "memory"),
            lookup.apply("TABLE_NAME"),
            blankToNull(lookup.apply("SWITCHBOARD_DYNAMODB_ENDPOINT")),
            blankToNull(lookup.apply("SWITCHBOARD_CONNECTIONS_ENDPOINT")),
            lambdaEndpoint(lookup),
            blankToNull(lookup.apply("AWS_REGION")),
            Boolean.parseBoolean(lookup.apply("SWITCHBOARD_LOCAL")),
            auth,
            integer(lookup, "SWITCHBOARD_MAX_PUBLISHES_PER_SECOND", 25, 0, 100_000));
    }

    /** This configuration with {@code namespaces} instead of its own (plugins add theirs this way). */
    public SwitchboardConfig withNamespaces(Map<String, NamespaceConfig> namespaces) {
        return new SwitchboardConfig(namespaces, apiKeys, connectionAuthModes, connectionTimeoutMs, keepAliveRateMinutes,
            maxSubscriptionsPerConnection, maxEventBytes, fanOutParallelism, fanOutShardSize, fanOutFunction,
            connectionsRps, store, tableName, dynamoDbEndpoint,
            connectionsEndpoint, lambdaEndpoint, region, local, auth, maxPublishesPerSecond);
    }

    /**
     * A namespace declared in code (a {@code @ChannelNamespace} class) with the modes it declares (empty: none),
     * resolved against this configuration: an override in {@code SWITCHBOARD_NAMESPACE_AUTH} wins, then the
     * declared modes, then the API defaults.
     */
    public NamespaceConfig declaredNamespace(String name, Set<AuthMode> publishModes, Set<AuthMode> subscribeModes) {
        return namespace(auth, name, publishModes, subscribeModes);
    }

    private static NamespaceConfig namespace(AuthConfig auth, String name, Set<AuthMode> declaredPublish,
                                             Set<AuthMode> declaredSubscribe) {
        AuthConfig.NamespaceModes override = auth.namespaceOverrides().get(name);
        Set<AuthMode> publish = override != null && override.publish() != null ? override.publish()
            : !declaredPublish.isEmpty() ? declaredPublish : auth.defaultPublishModes();
        Set<AuthMode> subscribe = override != null && override.subscribe() != null ? override.subscribe()
            : !declaredSubscribe.isEmpty() ? declaredSubscribe : auth.defaultSubscribeModes();
        return new NamespaceConfig(name, publish, subscribe);
    }

    /**
     * Checks the auth modes of the whole API (connect, every namespace as finally declared) against the auth
     * providers and returns the providers. When {@code SWITCHBOARD_AUTH_PROVIDERS} is not set they are
     * {@link AuthConfig#DEFAULT_PROVIDERS}, plus {@code AWS_LAMBDA} when the application has an {@code @Authorizer}.
     *
     * @param hasLambdaAuthorizer whether the application has an {@code @Authorizer} class
     * @throws IllegalStateException naming the mode and where it is used, or the setting a provider lacks
     */
    public Set<AuthMode> checkAuthProviders(boolean hasLambdaAuthorizer) {
        Set<AuthMode> providers = EnumSet.noneOf(AuthMode.class);
        providers.addAll(auth.providers());
        if (!auth.providersDeclared() && hasLambdaAuthorizer) {
            providers.add(AuthMode.AWS_LAMBDA);
        }
        String declared = auth.providersDeclared() ? "SWITCHBOARD_AUTH_PROVIDERS (" + names(providers) + ")"
            : "the auth providers (" + names(providers) + ": the default, SWITCHBOARD_AUTH_PROVIDERS is not set)";
        Map<AuthMode, List<String>> missing = new TreeMap<>();
        connectionAuthModes.stream().filter(m -> !providers.contains(m))
            .forEach(m -> missing.computeIfAbsent(m, k -> new ArrayList<>()).add("connect"));
        for (NamespaceConfig ns : new TreeMap<>(namespaces).values()) {
            ns.publishModes().stream().filter(m -> !providers.contains(m))
                .forEach(m -> missing.computeIfAbsent(m, k -> new ArrayList<>()).add("publish in namespace '" + ns.name() + "'"));
            ns.subscribeModes().stream().filter(m -> !providers.contains(m))
                .forEach(m -> missing.computeIfAbsent(m, k -> new ArrayList<>()).add("subscribe in namespace '" + ns.name() + "'"));
        }
        if (!missing.isEmpty()) {
            Map.Entry<AuthMode, List<String>> first = missing.entrySet().iterator().next();
            throw new IllegalStateException("Auth mode " + first.getKey() + " is used for " + String.join(", ", first.getValue())
                + " but is not among " + declared + "; add it to SWITCHBOARD_AUTH_PROVIDERS or stop using it");
        }
        for (String name : new TreeMap<>(auth.namespaceOverrides()).keySet()) {
            if (!namespaces.containsKey(name)) {
                throw new IllegalStateException("SWITCHBOARD_NAMESPACE_AUTH sets modes for namespace '" + name
                    + "', which is neither in SWITCHBOARD_NAMESPACES nor declared by a @ChannelNamespace class");
            }
        }
        if (providers.contains(AuthMode.AMAZON_COGNITO_USER_POOLS) && auth.cognito() == null) {
            throw new IllegalStateException("Auth provider AMAZON_COGNITO_USER_POOLS needs SWITCHBOARD_COGNITO_USER_POOL_ID");
        }
        if (providers.contains(AuthMode.OPENID_CONNECT) && auth.oidc() == null) {
            throw new IllegalStateException("Auth provider OPENID_CONNECT needs SWITCHBOARD_OIDC_ISSUER");
        }
        if (providers.contains(AuthMode.AWS_LAMBDA) && !hasLambdaAuthorizer) {
            throw new IllegalStateException("Auth provider AWS_LAMBDA is listed in SWITCHBOARD_AUTH_PROVIDERS but the "
                + "application has no @Authorizer class");
        }
        return Set.copyOf(providers);
    }

    // ------------------------------------------------------------------ auth settings

    private static AuthConfig readAuth(Function<String, String> lookup) {
        String declaredProviders = lookup.apply("SWITCHBOARD_AUTH_PROVIDERS");
        boolean providersDeclared = declaredProviders != null && !declaredProviders.isBlank();
        Set<AuthMode> providers = modes(lookup, "SWITCHBOARD_AUTH_PROVIDERS", AuthConfig.DEFAULT_PROVIDERS);
        Set<AuthMode> publish = modes(lookup, "SWITCHBOARD_PUBLISH_AUTH_MODES", AuthConfig.DEFAULT_PUBLISH_MODES);
        Set<AuthMode> subscribe = modes(lookup, "SWITCHBOARD_SUBSCRIBE_AUTH_MODES", AuthConfig.DEFAULT_SUBSCRIBE_MODES);
        Map<String, AuthConfig.NamespaceModes> overrides = namespaceAuth(lookup.apply("SWITCHBOARD_NAMESPACE_AUTH"));

        AuthConfig.Cognito cognito = null;
        String pool = blankToNull(lookup.apply("SWITCHBOARD_COGNITO_USER_POOL_ID"));
        if (pool != null) {
            if (!pool.matches("[a-z]{2}(-[a-z]+)+-[0-9]+_[0-9A-Za-z]+")) {
                throw new IllegalArgumentException("SWITCHBOARD_COGNITO_USER_POOL_ID must look like eu-west-1_AbCdEf123, got '"
                    + pool + "'");
            }
            String region = blankToNull(lookup.apply("SWITCHBOARD_COGNITO_REGION"));
            if (region == null) {
                region = pool.substring(0, pool.indexOf('_'));
            } else if (!region.matches("[a-z]{2}(-[a-z]+)+-[0-9]+")) {
                throw new IllegalArgumentException("SWITCHBOARD_COGNITO_REGION must be an AWS region such as eu-west-1, got '"
                    + region + "'");
            }
            cognito = new AuthConfig.Cognito(pool, region,
                regex(lookup, "SWITCHBOARD_COGNITO_APP_ID_CLIENT_REGEX"), url(lookup, "SWITCHBOARD_COGNITO_JWKS_URI"));
        }

        AuthConfig.Oidc oidc = null;
        String issuer = url(lookup, "SWITCHBOARD_OIDC_ISSUER");
        if (issuer != null) {
            oidc = new AuthConfig.Oidc(issuer, regex(lookup, "SWITCHBOARD_OIDC_CLIENT_ID"),
                integer(lookup, "SWITCHBOARD_OIDC_IAT_TTL_SECONDS", 0, 0, 315_360_000),
                integer(lookup, "SWITCHBOARD_OIDC_AUTH_TTL_SECONDS", 0, 0, 315_360_000),
                url(lookup, "SWITCHBOARD_OIDC_JWKS_URI"));
        }

        String ttl = blankToNull(lookup.apply("SWITCHBOARD_LAMBDA_AUTHORIZER_RESULT_TTL_SECONDS"));
        AuthConfig.Lambda lambda = new AuthConfig.Lambda(
            ttl == null ? null : integer(lookup, "SWITCHBOARD_LAMBDA_AUTHORIZER_RESULT_TTL_SECONDS", 0, 0, 3600),
            regex(lookup, "SWITCHBOARD_LAMBDA_IDENTITY_VALIDATION_REGEX"));

        String accessKey = blankToNull(lookup.apply("AWS_ACCESS_KEY_ID"));
        String secret = lookup.apply("AWS_SECRET_ACCESS_KEY");
        IamCredentials credentials = accessKey != null && secret != null && !secret.isBlank()
            ? IamCredentials.of(accessKey, secret.trim(), blankToNull(lookup.apply("AWS_SESSION_TOKEN"))) : null;

        AuthConfig auth = new AuthConfig(providers, providersDeclared, publish, subscribe, overrides, cognito, oidc,
            lambda, credentials);
        if (providersDeclared) {
            if (providers.contains(AuthMode.AMAZON_COGNITO_USER_POOLS) && cognito == null) {
                throw new IllegalArgumentException(
                    "SWITCHBOARD_AUTH_PROVIDERS lists AMAZON_COGNITO_USER_POOLS, which needs SWITCHBOARD_COGNITO_USER_POOL_ID");
            }
            if (providers.contains(AuthMode.OPENID_CONNECT) && oidc == null) {
                throw new IllegalArgumentException(
                    "SWITCHBOARD_AUTH_PROVIDERS lists OPENID_CONNECT, which needs SWITCHBOARD_OIDC_ISSUER");
            }
            requireProviders(auth, "SWITCHBOARD_PUBLISH_AUTH_MODES", "publish", publish);
            requireProviders(auth, "SWITCHBOARD_SUBSCRIBE_AUTH_MODES", "subscribe", subscribe);
            new TreeMap<>(overrides).forEach((name, modes) -> {
                if (modes.publish() != null) {
                    requireProviders(auth, "SWITCHBOARD_NAMESPACE_AUTH", "publish in namespace '" + name + "'", modes.publish());
                }
                if (modes.subscribe() != null) {
                    requireProviders(auth, "SWITCHBOARD_NAMESPACE_AUTH", "subscribe in namespace '" + name + "'", modes.subscribe());
                }
            });
        }
        return auth;
    }

    private static void requireProviders(AuthConfig auth, String variable, String use, Set<AuthMode> modes) {
        for (AuthMode mode : modes.stream().sorted().toList()) {
            if (!auth.providers().contains(mode)) {
                throw new IllegalArgumentException(variable + ": auth mode " + mode + " is used for " + use
                    + " but is not among SWITCHBOARD_AUTH_PROVIDERS (" + names(auth.providers()) + ")");
            }
        }
    }

    /**
     * Parses {@code SWITCHBOARD_NAMESPACE_AUTH}: rules separated by {@code ,}; a rule is
     * {@code <namespace>:<setting>[;<setting>]}; a setting is {@code publish=<modes>} or {@code subscribe=<modes>}
     * with modes separated by {@code |}. Whitespace around tokens is ignored; names and modes are case-insensitive
     * ({@code publish}, {@code PUBLISH}); a namespace's operation that is not set keeps the API default.
     */
    static Map<String, AuthConfig.NamespaceModes> namespaceAuth(String value) {
        String name = "SWITCHBOARD_NAMESPACE_AUTH";
        Map<String, AuthConfig.NamespaceModes> result = new LinkedHashMap<>();
        if (value == null || value.isBlank()) {
            return result;
        }
        String grammar = " (expected <namespace>:publish=<MODE>|<MODE>;subscribe=<MODE>, rules separated by ',')";
        for (String rule : value.split(",")) {
            if (rule.isBlank()) {
                continue;
            }
            int colon = rule.indexOf(':');
            if (colon < 0) {
                throw new IllegalArgumentException(name + ": rule '" + rule.trim() + "' has no ':' after the namespace" + grammar);
            }
            String namespace = rule.substring(0, colon).trim();
            if (!NAMESPACE_NAME.matcher(namespace).matches()) {
                throw new IllegalArgumentException(name + ": '" + namespace + "' is not a valid namespace name" + grammar);
            }
            if (result.containsKey(namespace)) {
                throw new IllegalArgumentException(name + ": namespace '" + namespace + "' has two rules; put both settings in one");
            }
            Set<AuthMode> publish = null;
            Set<AuthMode> subscribe = null;
            for (String setting : rule.substring(colon + 1).split(";")) {
                if (setting.isBlank()) {
                    continue;
                }
                int eq = setting.indexOf('=');
                String operation = eq < 0 ? setting.trim() : setting.substring(0, eq).trim().toLowerCase(Locale.ROOT);
                if (eq < 0 || !(operation.equals("publish") || operation.equals("subscribe"))) {
                    throw new IllegalArgumentException(name + ": in the rule of namespace '" + namespace + "', '"
                        + setting.trim() + "' is not publish=<modes> or subscribe=<modes>" + grammar);
                }
                Set<AuthMode> modes = EnumSet.noneOf(AuthMode.class);
                for (String mode : setting.substring(eq + 1).split("\\|")) {
                    if (!mode.isBlank()) {
                        modes.add(mode(name, mode.trim()));
                    }
                }
                if (modes.isEmpty()) {
                    throw new IllegalArgumentException(name + ": namespace '" + namespace + "' lists no " + operation
                        + " modes" + grammar);
                }
                if (operation.equals("publish") ? publish != null : subscribe != null) {
                    throw new IllegalArgumentException(name + ": namespace '" + namespace + "' sets " + operation + " twice");
                }
                if (operation.equals("publish")) {
                    publish = modes;
                } else {
                    subscribe = modes;
                }
            }
            if (publish == null && subscribe == null) {
                throw new IllegalArgumentException(name + ": the rule of namespace '" + namespace + "' sets nothing" + grammar);
            }
            result.put(namespace, new AuthConfig.NamespaceModes(publish, subscribe));
        }
        return result;
    }

    private static String regex(Function<String, String> lookup, String name) {
        String value = blankToNull(lookup.apply(name));
        if (value != null) {
            try {
                Pattern.compile(value);
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException(name + " is not a valid regular expression: " + e.getDescription(), e);
            }
        }
        return value;
    }

    /** An http(s) URL; plain http only for loopback hosts (tests, local identity providers). */
    private static String url(Function<String, String> lookup, String name) {
        String value = blankToNull(lookup.apply(name));
        if (value == null) {
            return null;
        }
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(name + " must be an https URL, got '" + value + "'", e);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        boolean loopback = uri.getHost() != null && (uri.getHost().equals("localhost") || uri.getHost().startsWith("127.")
            || uri.getHost().equals("[::1]"));
        if (uri.getHost() == null || !(scheme.equals("https") || scheme.equals("http") && loopback)) {
            throw new IllegalArgumentException(name + " must be an https URL (http only for localhost), got '" + value + "'");
        }
        return value.endsWith("/") ? value.substring(0, value.length() - 1) : value;
    }

    private static String names(Set<AuthMode> modes) {
        return modes.stream().sorted().map(Enum::name).collect(Collectors.joining(", "));
    }

    private static Set<AuthMode> modes(Function<String, String> lookup, String name, Set<AuthMode> fallback) {
        List<String> names = list(lookup.apply(name), List.of());
        if (names.isEmpty()) {
            return fallback;
        }
        Set<AuthMode> modes = EnumSet.noneOf(AuthMode.class);
        for (String mode : names) {
            modes.add(mode(name, mode));
        }
        return modes;
    }

    private static AuthMode mode(String variable, String mode) {
        try {
            return AuthMode.valueOf(mode.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(variable + ": unknown auth mode '" + mode + "' (expected one of "
                + java.util.Arrays.toString(AuthMode.values()) + ")", e);
        }
    }

    private static List<String> list(String value, List<String> fallback) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        List<String> items = new ArrayList<>();
        for (String item : value.split(",")) {
            if (!item.isBlank()) {
                items.add(item.trim());
            }
        }
        return items;
    }

    private static int integer(Function<String, String> lookup, String name, int fallback, int min, int max) {
        String value = lookup.apply(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        long parsed;
        try {
            parsed = Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number, got '" + value + "'", e);
        }
        if (parsed < min || parsed > max) {
            throw new IllegalArgumentException(name + " must be between " + min + " and " + max + ", got " + parsed);
        }
        return (int) parsed;
    }

    private static String choice(Function<String, String> lookup, String name, String fallback, String... allowed) {
        String value = lookup.apply(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        for (String option : allowed) {
            if (option.equalsIgnoreCase(value.trim())) {
                return option;
            }
        }
        throw new IllegalArgumentException(name + " must be one of " + String.join(", ", allowed) + ", got '" + value + "'");
    }

    /** The SDK's environment variable for Lambda's endpoint, else its system property (a blank one counts as unset). */
    private static String lambdaEndpoint(Function<String, String> lookup) {
        String variable = blankToNull(lookup.apply("AWS_ENDPOINT_URL_LAMBDA"));
        return variable != null ? variable : blankToNull(lookup.apply("aws.endpointUrlLambda"));
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
