package io.switchboard.api;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs the method when a client subscribes to a matching channel, before the subscription is stored. The method
 * takes a {@link SubscribeContext} and returns a {@link SubscribeDecision} (or {@code void}: returning normally
 * allows). A subscription to a wildcard such as {@code /chat/*} is matched against the patterns as the pattern it
 * is: it reaches a handler for {@code /chat/*}, not one for {@code /chat/private/*}, so guard the wider
 * patterns too when some channels below them are private.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface OnSubscribe {

    /** The channel pattern, e.g. {@code /chat/private/*}. */
    String value();
}
