package io.switchboard.api.spi;

import io.switchboard.api.AuthorizerRequest;
import io.switchboard.api.AuthorizerResult;

import java.util.Objects;

/** The {@code @Authorizer} class: its settings and a direct call to its {@code authorize} method. */
public final class AuthorizerPlugin {

    @FunctionalInterface
    public interface Function {
        AuthorizerResult authorize(AuthorizerRequest request) throws Exception;
    }

    private final String source;
    private final String identityValidationExpression;
    private final int resultTtlSeconds;
    private final Function function;

    private AuthorizerPlugin(String source, String identityValidationExpression, int resultTtlSeconds, Function function) {
        this.source = Objects.requireNonNull(source, "source");
        this.identityValidationExpression = identityValidationExpression == null || identityValidationExpression.isEmpty()
            ? null : identityValidationExpression;
        if (resultTtlSeconds < 0 || resultTtlSeconds > 3600) {
            throw new IllegalArgumentException("resultTtlSeconds must be 0 to 3600, got " + resultTtlSeconds);
        }
        this.resultTtlSeconds = resultTtlSeconds;
        this.function = Objects.requireNonNull(function, "function");
    }

    /**
     * @param source the class name, for logs
     * @param identityValidationExpression regex the token must match first; empty or {@code null} for none
     * @param resultTtlSeconds default cache time of results (0 = no caching)
     */
    public static AuthorizerPlugin of(String source, String identityValidationExpression, int resultTtlSeconds,
                                      Function function) {
        return new AuthorizerPlugin(source, identityValidationExpression, resultTtlSeconds, function);
    }

    public String source() {
        return source;
    }

    /** The regex, or {@code null}. */
    public String identityValidationExpression() {
        return identityValidationExpression;
    }

    public int resultTtlSeconds() {
        return resultTtlSeconds;
    }

    public Function function() {
        return function;
    }

    @Override
    public String toString() {
        return "AuthorizerPlugin[" + source + "]";
    }
}
