package io.switchboard.local;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the gateway needs from {@code template.yaml}: the WebSocket API (route selection, routes,
 * their integrations and the {@code $connect} authorizer, the stage), the HTTP API routes declared
 * as {@code HttpApi} events, the functions' enabled {@code Schedule} events, and the Java functions
 * with their handler, timeout and environment.
 */
record SamTemplate(
        String stage,
        String routeSelectionExpression,
        Map<String, Route> routes,
        List<HttpRoute> httpRoutes,
        Map<String, FunctionSpec> functions,
        Map<String, String> environment,
        List<Schedule> schedules) {

    static final String DEFAULT_ROUTE = "$default";
    static final String CONNECT_ROUTE = "$connect";
    static final String DISCONNECT_ROUTE = "$disconnect";

    /** A WebSocket route: its key, the function its integration invokes, its authorizer, whether it has a route response. */
    record Route(String key, String functionId, Authorizer authorizer, boolean routeResponse) {
    }

    /** A REQUEST authorizer: its function and identity sources such as {@code route.request.header.Sec-WebSocket-Protocol}. */
    record Authorizer(String logicalId, String functionId, List<String> identitySources) {
    }

    /**
     * An HTTP API route from a function's {@code HttpApi} event; {@code method} is upper case or {@code ANY};
     * {@code authorizer} is {@code AWS_IAM}, another authorizer's name, or null for none.
     */
    record HttpRoute(String method, String path, String functionId, String authorizer) {
        String routeKey() {
            return method + " " + path;
        }
    }

    /**
     * An enabled {@code Schedule} event of a function: its {@code Schedule} expression and, for
     * {@code rate(N unit)} expressions, the rate (null for {@code cron(...)}, which is not emulated).
     */
    record Schedule(String functionId, String eventName, String expression, Duration rate) {
    }

    private static final Pattern RATE = Pattern.compile("rate\\(\\s*([1-9][0-9]*)\\s+(minutes?|hours?|days?)\\s*\\)");

    /** The rate of an EventBridge {@code rate(N unit)} expression, or null for anything else. */
    static Duration rate(String expression) {
        Matcher m = RATE.matcher(expression.trim());
        if (!m.matches()) {
            return null;
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2).replaceAll("s$", "")) {
            case "minute" -> Duration.ofMinutes(n);
            case "hour" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
    }

    /** A function: logical id, {@code Handler}, {@code Timeout} in seconds, {@code MemorySize}, literal environment. */
    record FunctionSpec(String logicalId, String handler, int timeoutSeconds, int memoryMb, Map<String, String> environment) {
    }

    private static final Pattern INTEGRATION_TARGET = Pattern.compile("^integrations/\\$\\{([^}.]+)}$");
    /** {@code .../functions/${Fn.Arn}/invocations}, also with an alias or version qualifier ({@code ${Fn.Arn}:live}). */
    private static final Pattern FUNCTION_ARN = Pattern.compile("/functions/\\$\\{([^}.]+)\\.Arn}(?::[A-Za-z0-9$_-]+)?/invocations$");

    /** Reads the template at {@code path}; pseudo parameters resolve to the given region and account. */
    static SamTemplate load(Path path, String region, String accountId) throws IOException {
        Map<String, Object> root = CloudFormationYaml.read(path);
        try {
            return new Reader(root, region, accountId).read();
        } catch (IllegalArgumentException e) {
            throw new IOException(path + ": " + e.getMessage(), e);
        }
    }

    Route route(String key) {
        return routes.get(key);
    }

    private static final class Reader {
        private final Map<String, Map<String, Object>> resources = new LinkedHashMap<>();
        private final Map<String, Object> globals;
        private final Intrinsics intrinsics;

        Reader(Map<String, Object> root, String region, String accountId) {
            Map<String, Object> resourceMap = map(root.get("Resources"));
            resourceMap.forEach((id, resource) -> resources.put(id, map(resource)));
            globals = map(map(root.get("Globals")).get("Function"));
            Map<String, String> parameters = new LinkedHashMap<>();
            map(root.get("Parameters")).forEach((name, definition) -> {
                Object value = map(definition).get("Default");
                parameters.put(name, value == null ? null : String.valueOf(value));
            });
            Map<String, String> pseudo = Map.of(
                    "AWS::Region", region,
                    "AWS::AccountId", accountId,
                    "AWS::Partition", "aws",
                    "AWS::StackName", "switchboard-local",
                    "AWS::StackId", "arn:aws:cloudformation:" + region + ":" + accountId + ":stack/switchboard-local/local",
                    "AWS::URLSuffix", "amazonaws.com");
            intrinsics = new Intrinsics(parameters, pseudo);
        }

        SamTemplate read() {
            String apiId = webSocketApi();
            Map<String, Object> api = properties(apiId);
            String selection = text(api.get("RouteSelectionExpression"), "RouteSelectionExpression of " + apiId);

            Map<String, FunctionSpec> functions = functions();
            Map<String, Route> routes = new LinkedHashMap<>();
            for (String id : ofType("AWS::ApiGatewayV2::Route")) {
                Map<String, Object> route = properties(id);
                if (!apiId.equals(Intrinsics.refTarget(route.get("ApiId")))) {
                    continue;
                }
                String key = text(route.get("RouteKey"), "RouteKey of " + id);
                String integration = symbol(route.get("Target"), INTEGRATION_TARGET, "Target of " + id);
                String function = integrationFunction(integration);
                requireFunction(functions, function, id);
                Authorizer authorizer = null;
                Object authorizerId = route.get("AuthorizerId");
                if (authorizerId != null) {
                    authorizer = authorizer(Intrinsics.refTarget(authorizerId), id);
                    requireFunction(functions, authorizer.functionId(), authorizer.logicalId());
                }
                boolean routeResponse = route.get("RouteResponseSelectionExpression") != null;
                routes.put(key, new Route(key, function, authorizer, routeResponse));
            }

            List<Schedule> schedules = new ArrayList<>();
            for (String id : ofType("AWS::Serverless::Function")) {
                map(properties(id).get("Events")).forEach((name, event) -> {
                    Map<String, Object> definition = map(event);
                    if (!"Schedule".equals(definition.get("Type"))) {
                        return;
                    }
                    Map<String, Object> props = map(definition.get("Properties"));
                    boolean disabled = Boolean.FALSE.equals(props.get("Enabled")) || "false".equals(String.valueOf(props.get("Enabled")))
                            || "DISABLED".equals(String.valueOf(props.get("State")));
                    if (!disabled && functions.containsKey(id)) {
                        String expression = text(props.get("Schedule"), "Schedule of " + id + "." + name);
                        schedules.add(new Schedule(id, name, expression, rate(expression)));
                    }
                });
            }

            List<HttpRoute> httpRoutes = new ArrayList<>();
            for (String id : ofType("AWS::Serverless::Function")) {
                map(properties(id).get("Events")).forEach((name, event) -> {
                    Map<String, Object> definition = map(event);
                    if (!"HttpApi".equals(definition.get("Type"))) {
                        return;
                    }
                    Map<String, Object> props = map(definition.get("Properties"));
                    String authorizer = httpAuthorizer(props);
                    String path = props.get("Path") == null ? "$default" : text(props.get("Path"), "Path of " + id + "." + name);
                    String method = props.get("Method") == null ? "ANY" : text(props.get("Method"), "Method of " + id + "." + name);
                    method = method.toUpperCase(Locale.ROOT);
                    httpRoutes.add(new HttpRoute("X-AMAZON-APIGATEWAY-ANY-METHOD".equals(method) ? "ANY" : method, path, id, authorizer));
                });
            }

            Map<String, String> environment = new LinkedHashMap<>();
            functions.values().forEach(f -> environment.putAll(f.environment()));
            return new SamTemplate(stage(apiId), selection, Map.copyOf(routes), List.copyOf(httpRoutes),
                    Map.copyOf(functions), Map.copyOf(environment), List.copyOf(schedules));
        }

        /** The event's {@code Auth.Authorizer}, else its API's {@code Auth.DefaultAuthorizer}; {@code NONE} is null. */
        private String httpAuthorizer(Map<String, Object> eventProperties) {
            Object authorizer = map(eventProperties.get("Auth")).get("Authorizer");
            if (authorizer == null) {
                String api = Intrinsics.refTarget(eventProperties.get("ApiId"));
                if (api != null && resources.containsKey(api)) {
                    authorizer = map(properties(api).get("Auth")).get("DefaultAuthorizer");
                }
            }
            return authorizer == null || "NONE".equals(authorizer) ? null : String.valueOf(authorizer);
        }

        private String webSocketApi() {
            List<String> apis = ofType("AWS::ApiGatewayV2::Api").stream()
                    .filter(id -> "WEBSOCKET".equalsIgnoreCase(String.valueOf(properties(id).get("ProtocolType"))))
                    .toList();
            if (apis.size() != 1) {
                throw new IllegalArgumentException("expected exactly one AWS::ApiGatewayV2::Api with ProtocolType WEBSOCKET, found " + apis.size());
            }
            return apis.get(0);
        }

        private String stage(String apiId) {
            for (String id : ofType("AWS::ApiGatewayV2::Stage")) {
                Map<String, Object> stage = properties(id);
                if (apiId.equals(Intrinsics.refTarget(stage.get("ApiId")))) {
                    return text(stage.get("StageName"), "StageName of " + id);
                }
            }
            throw new IllegalArgumentException("no AWS::ApiGatewayV2::Stage for " + apiId);
        }

        private String integrationFunction(String integrationId) {
            Map<String, Object> integration = resourceOfType(integrationId, "AWS::ApiGatewayV2::Integration");
            return symbol(map(integration.get("Properties")).get("IntegrationUri"), FUNCTION_ARN, "IntegrationUri of " + integrationId);
        }

        private Authorizer authorizer(String authorizerId, String routeId) {
            if (authorizerId == null) {
                throw new IllegalArgumentException("AuthorizerId of " + routeId + " must be a !Ref to an AWS::ApiGatewayV2::Authorizer");
            }
            Map<String, Object> props = map(resourceOfType(authorizerId, "AWS::ApiGatewayV2::Authorizer").get("Properties"));
            String type = String.valueOf(props.get("AuthorizerType"));
            if (!"REQUEST".equals(type)) {
                throw new IllegalArgumentException(authorizerId + " has AuthorizerType " + type + "; only REQUEST authorizers can be emulated");
            }
            String function = symbol(props.get("AuthorizerUri"), FUNCTION_ARN, "AuthorizerUri of " + authorizerId);
            List<String> sources = new ArrayList<>();
            Object identitySource = props.get("IdentitySource");
            if (identitySource instanceof List<?> list) {
                for (Object source : list) {
                    sources.add(text(source, "IdentitySource of " + authorizerId));
                }
            } else if (identitySource != null) {
                for (String source : text(identitySource, "IdentitySource of " + authorizerId).split(",")) {
                    sources.add(source.trim());
                }
            }
            return new Authorizer(authorizerId, function, List.copyOf(sources));
        }

        private Map<String, FunctionSpec> functions() {
            Map<String, FunctionSpec> functions = new LinkedHashMap<>();
            Map<String, Object> globalVariables = map(map(globals.get("Environment")).get("Variables"));
            for (String id : ofType("AWS::Serverless::Function")) {
                Map<String, Object> props = properties(id);
                Object handler = props.getOrDefault("Handler", globals.get("Handler"));
                if (handler == null) {
                    continue;
                }
                Map<String, Object> variables = new LinkedHashMap<>(globalVariables);
                variables.putAll(map(map(props.get("Environment")).get("Variables")));
                Map<String, String> environment = new LinkedHashMap<>();
                variables.forEach((name, value) -> {
                    Intrinsics.Resolved resolved = intrinsics.resolve(value);
                    if (resolved.literal()) {
                        environment.put(name, resolved.text());
                    }
                });
                int timeout = integer(props.getOrDefault("Timeout", globals.get("Timeout")), 3, "Timeout of " + id);
                int memory = integer(props.getOrDefault("MemorySize", globals.get("MemorySize")), 128, "MemorySize of " + id);
                functions.put(id, new FunctionSpec(id, text(handler, "Handler of " + id), timeout, memory, Map.copyOf(environment)));
            }
            return functions;
        }

        private static void requireFunction(Map<String, FunctionSpec> functions, String function, String usedBy) {
            if (!functions.containsKey(function)) {
                throw new IllegalArgumentException(usedBy + " invokes " + function + ", which is not an AWS::Serverless::Function with a Handler");
            }
        }

        private String text(Object value, String what) {
            Intrinsics.Resolved resolved = intrinsics.resolve(value);
            if (!resolved.literal()) {
                throw new IllegalArgumentException(what + " does not resolve locally (depends on " + resolved.unresolved() + ")");
            }
            return resolved.text();
        }

        private int integer(Object value, int fallback, String what) {
            if (value == null) {
                return fallback;
            }
            try {
                return Integer.parseInt(text(value, what));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(what + " is not a number", e);
            }
        }

        private String symbol(Object value, Pattern pattern, String what) {
            String text = intrinsics.resolve(value).text();
            Matcher matcher = pattern.matcher(text);
            if (!matcher.find()) {
                throw new IllegalArgumentException(what + " (" + text + ") does not match " + pattern.pattern());
            }
            return matcher.group(1);
        }

        private List<String> ofType(String type) {
            return resources.entrySet().stream()
                    .filter(e -> type.equals(e.getValue().get("Type")))
                    .map(Map.Entry::getKey)
                    .toList();
        }

        private Map<String, Object> resourceOfType(String id, String type) {
            Map<String, Object> resource = resources.get(id);
            if (resource == null || !Objects.equals(type, resource.get("Type"))) {
                throw new IllegalArgumentException(id + " is not a resource of type " + type);
            }
            return resource;
        }

        private Map<String, Object> properties(String id) {
            return map(resources.get(id).get("Properties"));
        }

        @SuppressWarnings("unchecked")
        private static Map<String, Object> map(Object value) {
            return value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
        }
    }
}
