package io.switchboard.core.spi;

/** The store could not be reached or failed; the engine answers with a retryable error instead of losing state. */
public final class StoreUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
