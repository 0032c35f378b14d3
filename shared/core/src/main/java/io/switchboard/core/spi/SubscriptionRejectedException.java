package io.switchboard.core.spi;

/** A store refused a subscription; {@link #reason()} says why. */
public final class SubscriptionRejectedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public enum Reason { DUPLICATE_ID, LIMIT_REACHED, UNKNOWN_CONNECTION }

    private final Reason reason;

    public SubscriptionRejectedException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
