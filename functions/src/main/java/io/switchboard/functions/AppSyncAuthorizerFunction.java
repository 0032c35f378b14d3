package io.switchboard.functions;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import io.switchboard.api.AuthorizerOperation;
import io.switchboard.api.AuthorizerRequest;
import io.switchboard.api.AuthorizerResult;
import io.switchboard.api.UnauthorizedException;
import io.switchboard.api.spi.AuthorizerPlugin;
import io.switchboard.core.plugin.Plugins;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.lambda.powertools.logging.PowertoolsLogging;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The application's {@code @Authorizer}, served to AWS AppSync Events itself as its {@code AWS_LAMBDA}
 * authorizer: AppSync's request ({@code authorizationToken}, {@code requestContext.operation},
 * {@code channelNamespaceName}, {@code channel}, {@code requestHeaders}) in, {@code {isAuthorized,
 * handlerContext, ttlOverride}} out. A token that fails the authorizer's identity validation expression, or an
 * authorizer that throws, is refused without caching ({@code ttlOverride: 0}).
 */
public final class AppSyncAuthorizerFunction implements RequestHandler<Map<String, Object>, Map<String, Object>> {
    private static final Logger LOG = LoggerFactory.getLogger(AppSyncAuthorizerFunction.class);

    private final Plugins plugins;

    public AppSyncAuthorizerFunction() {
        this(Plugins.shared());
    }

    public AppSyncAuthorizerFunction(Plugins plugins) {
        this.plugins = plugins;
    }

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> input, Context context) {
        return PowertoolsLogging.withLogging(context, () -> handle(input));
    }

    /** The handler without the Lambda context (tests, embedding). */
    public Map<String, Object> handle(Map<String, Object> input) {
        AuthorizerPlugin authorizer = plugins.authorizer().orElseThrow(() ->
            new IllegalStateException("The application has no @Authorizer class"));
        Map<String, Object> requestContext = map(input.get("requestContext"));
        Object token = input.get("authorizationToken");
        AuthorizerOperation operation;
        try {
            operation = AuthorizerOperation.valueOf(String.valueOf(requestContext.get("operation")));
        } catch (IllegalArgumentException e) {
            LOG.warn("Unknown authorizer operation {}", requestContext.get("operation"));
            return refused();
        }
        if (!(token instanceof String t) || t.isEmpty()) {
            return refused();
        }
        String regex = authorizer.identityValidationExpression();
        if (regex != null && !Pattern.matches(regex, t)) {
            return refused();
        }
        Map<String, String> headers = new LinkedHashMap<>();
        map(input.get("requestHeaders")).forEach((k, v) -> {
            if (v != null) {
                headers.put(k, String.valueOf(v));
            }
        });
        AuthorizerResult result;
        try {
            result = authorizer.function().authorize(new AuthorizerRequest(t, operation,
                string(requestContext.get("channel")), string(requestContext.get("channelNamespaceName")), headers));
        } catch (UnauthorizedException e) {
            result = AuthorizerResult.deny();
        } catch (Exception | LinkageError | StackOverflowError e) {
            LOG.error("Lambda authorizer {} failed on {}", authorizer.source(), operation, e);
            return refused();
        }
        if (result == null) {
            LOG.error("Lambda authorizer {} returned null", authorizer.source());
            return refused();
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("isAuthorized", result.isAuthorized());
        if (result.isAuthorized() && !result.handlerContext().isEmpty()) {
            out.put("handlerContext", result.handlerContext());
        }
        Integer ttl = result.ttlOverride() != null ? result.ttlOverride()
            : authorizer.resultTtlSeconds() > 0 ? authorizer.resultTtlSeconds() : null;
        if (ttl != null) {
            out.put("ttlOverride", ttl);
        }
        return out;
    }

    private static Map<String, Object> refused() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("isAuthorized", false);
        out.put("ttlOverride", 0);
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        if (value instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            ((Map<Object, Object>) m).forEach((k, v) -> out.put(String.valueOf(k), v));
            return out;
        }
        return Map.of();
    }

    private static String string(Object value) {
        return value == null ? null : String.valueOf(value);
    }
}
