package io.switchboard.api;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks the {@code AWS_LAMBDA} authorizer: a public class with a public no-argument constructor and a method
 * {@code public AuthorizerResult authorize(AuthorizerRequest request)}. It decides connects, subscribes and
 * publishes whose auth mode is {@code AWS_LAMBDA}; what it returns in
 * {@link AuthorizerResult#handlerContext()} is what handlers see as the caller's identity. At most one per
 * application.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface Authorizer {

    /**
     * A regular expression the token must match (whole token) before the authorizer is called; tokens that do
     * not match are refused without calling it. Empty: no check.
     */
    String identityValidationExpression() default "";

    /**
     * How long results are cached (seconds, 0–3600) when the result sets no
     * {@link AuthorizerResult#ttlOverride()}; 0 disables caching.
     */
    int resultTtlSeconds() default 0;
}
