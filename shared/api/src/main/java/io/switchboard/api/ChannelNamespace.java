package io.switchboard.api;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares a channel namespace and holds its handlers: public methods annotated with {@link OnPublish} and
 * {@link OnSubscribe}. A namespace without handlers passes every event through unchanged.
 *
 * <pre>{@code
 * @ChannelNamespace("chat")
 * public final class ChatHandlers {
 *     @OnPublish("/chat/rooms/*")
 *     public Object stamp(IncomingEvent event) { ... }
 * }
 * }</pre>
 *
 * The class must be public, not abstract, with a public no-argument constructor; the annotation processor
 * checks this at compile time. Several classes may declare handlers for the same namespace.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface ChannelNamespace {

    /** The namespace name: 1–50 letters, digits or {@code -}, not starting or ending with {@code -}. */
    String value();

    /**
     * Auth modes accepted for publishes to this namespace ({@code API_KEY}, {@code AWS_IAM},
     * {@code AMAZON_COGNITO_USER_POOLS}, {@code OPENID_CONNECT}, {@code AWS_LAMBDA}); empty means the API's
     * default publish modes.
     */
    String[] publishAuthModes() default {};

    /** Auth modes accepted for subscribes to this namespace; empty means the API's default subscribe modes. */
    String[] subscribeAuthModes() default {};
}
