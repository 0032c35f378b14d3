package io.switchboard.api;

import io.switchboard.api.spi.PayloadBinder;

import java.util.Objects;

/**
 * One published event as a handler sees it: the identifier the publisher gets back in {@code successful} or
 * {@code failed}, and the parsed JSON payload ({@code Map<String, Object>}, {@code List<Object>},
 * {@code String}, {@code Number}, {@code Boolean} or {@code null}).
 */
public final class IncomingEvent {
    private final String id;
    private final Object payload;
    private final PayloadBinder binder;

    private IncomingEvent(String id, Object payload, PayloadBinder binder) {
        this.id = Objects.requireNonNull(id, "id");
        this.payload = payload;
        this.binder = binder;
    }

    /** An event whose {@link #payloadAs} uses the binder found on the class path (the runtime's). */
    public static IncomingEvent of(String id, Object payload) {
        return new IncomingEvent(id, payload, null);
    }

    /** An event whose {@link #payloadAs} uses {@code binder}. */
    public static IncomingEvent of(String id, Object payload, PayloadBinder binder) {
        return new IncomingEvent(id, payload, Objects.requireNonNull(binder, "binder"));
    }

    public String id() {
        return id;
    }

    /** The parsed JSON payload. */
    public Object payload() {
        return payload;
    }

    /**
     * The payload bound to {@code type} (a record or bean with matching properties, or a plain type). Binding is
     * done by the runtime and costs a conversion: use it when a typed view is worth it.
     *
     * @throws IllegalArgumentException when the payload does not fit {@code type}
     */
    public <T> T payloadAs(Class<T> type) {
        Objects.requireNonNull(type, "type");
        if (payload != null && type.isInstance(payload)) {
            return type.cast(payload);
        }
        PayloadBinder b = binder != null ? binder : Binders.classPath();
        return b.bind(payload, type);
    }

    /** An outgoing event with this event's id and {@code newPayload}. */
    public OutgoingEvent withPayload(Object newPayload) {
        return OutgoingEvent.of(id, newPayload);
    }

    /** This event, unchanged, as an outgoing event. */
    public OutgoingEvent forward() {
        return OutgoingEvent.of(id, payload);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IncomingEvent other && other.id.equals(id) && Objects.equals(other.payload, payload);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, payload);
    }

    @Override
    public String toString() {
        return "IncomingEvent[id=" + id + "]"; // no payload: it may be personal data
    }
}
