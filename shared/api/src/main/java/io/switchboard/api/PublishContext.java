package io.switchboard.api;

import java.util.ArrayList;
import java.util.List;

/** The context of a publish: everything in {@link HandlerContext} plus the published events, in order. */
public final class PublishContext extends HandlerContext {
    private final List<IncomingEvent> events;

    private PublishContext(Builder b) {
        super(b);
        this.events = List.copyOf(b.events);
    }

    /** A builder, for tests and runtimes: {@code PublishContext.builder().channel("/chat/rooms/1").event("1", payload).build()}. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public Operation operation() {
        return Operation.PUBLISH;
    }

    /** The published events (1 to 5), in publish order. */
    public List<IncomingEvent> events() {
        return events;
    }

    public static final class Builder extends HandlerContext.Builder<Builder> {
        private final List<IncomingEvent> events = new ArrayList<>();

        private Builder() {}

        /** Adds an event; its payload is parsed-JSON values ({@code Map}, {@code List}, {@code String}, …). */
        public Builder event(String id, Object payload) {
            events.add(IncomingEvent.of(id, payload));
            return this;
        }

        public Builder event(IncomingEvent event) {
            events.add(event);
            return this;
        }

        public Builder events(List<IncomingEvent> events) {
            this.events.addAll(events);
            return this;
        }

        public PublishContext build() {
            return new PublishContext(this);
        }
    }
}
