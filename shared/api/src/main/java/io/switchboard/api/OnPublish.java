package io.switchboard.api;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs the method before the events of a publish to a matching channel are broadcast.
 *
 * <p>Per-event mode (the default) calls the method once per event. It takes an {@link IncomingEvent} and
 * optionally the {@link PublishContext}, and returns the payload to broadcast (the same, a changed one, or any
 * value the runtime can turn into JSON), {@link OutgoingEvent#drop()} to broadcast nothing for this event, or
 * {@link OutgoingEvent#error(String, String)} to report it in the publisher's {@code failed} list.
 *
 * <p>Aggregate mode ({@code aggregate = true}) calls the method once with the whole batch: it takes the
 * {@link PublishContext} and returns a {@code List<OutgoingEvent>} — events left out are not broadcast.
 *
 * <p>The pattern is a channel inside the class's namespace, optionally ending in {@code /*} (every channel
 * below that prefix). When several patterns match a channel the most specific wins: the exact channel, then the
 * longest wildcard prefix.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface OnPublish {

    /** The channel pattern, e.g. {@code /chat/rooms/*} or {@code /chat/lobby}. */
    String value();

    /** {@code true} to receive the whole batch at once (see the class comment). */
    boolean aggregate() default false;
}
