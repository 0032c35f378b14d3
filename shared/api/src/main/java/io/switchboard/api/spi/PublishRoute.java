package io.switchboard.api.spi;

import io.switchboard.api.IncomingEvent;
import io.switchboard.api.OutgoingEvent;
import io.switchboard.api.PublishContext;

import java.util.Collection;
import java.util.Objects;

/** An {@code @OnPublish} method: its pattern and a direct call to it, per event or for the whole batch. */
public final class PublishRoute {

    /** Calls a per-event method; returns its result as is (payload, {@link OutgoingEvent}, or {@code null}). */
    @FunctionalInterface
    public interface PerEvent {
        Object handle(IncomingEvent event, PublishContext context) throws Exception;
    }

    /** Calls an aggregate method. */
    @FunctionalInterface
    public interface Aggregate {
        Collection<? extends OutgoingEvent> handle(PublishContext context) throws Exception;
    }

    private final String pattern;
    private final String source;
    private final PerEvent perEvent;
    private final Aggregate aggregate;

    private PublishRoute(String pattern, String source, PerEvent perEvent, Aggregate aggregate) {
        this.pattern = Objects.requireNonNull(pattern, "pattern");
        this.source = Objects.requireNonNull(source, "source");
        this.perEvent = perEvent;
        this.aggregate = aggregate;
    }

    /** {@code source} names the method ({@code com.acme.Chat#moderate}), for logs. */
    public static PublishRoute perEvent(String pattern, String source, PerEvent handler) {
        return new PublishRoute(pattern, source, Objects.requireNonNull(handler, "handler"), null);
    }

    public static PublishRoute aggregate(String pattern, String source, Aggregate handler) {
        return new PublishRoute(pattern, source, null, Objects.requireNonNull(handler, "handler"));
    }

    public String pattern() {
        return pattern;
    }

    public String source() {
        return source;
    }

    public boolean isAggregate() {
        return aggregate != null;
    }

    /** The per-event call; {@code null} in aggregate mode. */
    public PerEvent perEvent() {
        return perEvent;
    }

    /** The aggregate call; {@code null} in per-event mode. */
    public Aggregate aggregate() {
        return aggregate;
    }

    @Override
    public String toString() {
        return "PublishRoute[" + pattern + " -> " + source + (isAggregate() ? ", aggregate" : "") + "]";
    }
}
