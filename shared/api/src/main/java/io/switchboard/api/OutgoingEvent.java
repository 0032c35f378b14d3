package io.switchboard.api;

import java.util.Objects;

/**
 * What a publish handler returns for one event: {@link #of broadcast a payload}, {@link #error report an error}
 * for it (not broadcast; listed in the publisher's {@code failed}), or, in per-event mode, {@link #drop() drop}
 * it. The id must be one of the incoming event ids, at most once per publish.
 */
public final class OutgoingEvent {
    private static final OutgoingEvent DROP = new OutgoingEvent(null, null, null);

    private final String id;
    private final Object payload;
    private final String error;

    private OutgoingEvent(String id, Object payload, String error) {
        this.id = id;
        this.payload = payload;
        this.error = error;
    }

    /** Broadcast {@code payload} (parsed-JSON values or any value the runtime can turn into JSON) for event {@code id}. */
    public static OutgoingEvent of(String id, Object payload) {
        return new OutgoingEvent(Objects.requireNonNull(id, "id"), payload, null);
    }

    /** Do not broadcast event {@code id}; report {@code message} for it in the publisher's {@code failed} list. */
    public static OutgoingEvent error(String id, String message) {
        return new OutgoingEvent(Objects.requireNonNull(id, "id"), null, Objects.requireNonNull(message, "message"));
    }

    /**
     * Per-event mode: broadcast nothing for this event (it still counts as processed, in {@code successful}).
     * In aggregate mode leave the event out of the list instead.
     */
    public static OutgoingEvent drop() {
        return DROP;
    }

    /** The incoming event id this refers to; {@code null} only for {@link #drop()}. */
    public String id() {
        return id;
    }

    /** The payload to broadcast; {@code null} for errors and drops. */
    public Object payload() {
        return payload;
    }

    /** The error message, or {@code null} when this is not an error. */
    public String error() {
        return error;
    }

    public boolean isError() {
        return error != null;
    }

    public boolean isDrop() {
        return this == DROP;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OutgoingEvent other && Objects.equals(other.id, id)
            && Objects.equals(other.payload, payload) && Objects.equals(other.error, error);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, payload, error);
    }

    @Override
    public String toString() {
        if (isDrop()) {
            return "OutgoingEvent.drop()";
        }
        return isError() ? "OutgoingEvent.error(" + id + ", " + error + ")" : "OutgoingEvent.of(" + id + ", …)";
    }
}
