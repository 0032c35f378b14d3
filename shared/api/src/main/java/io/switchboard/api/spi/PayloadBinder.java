package io.switchboard.api.spi;

/**
 * Binds a parsed-JSON payload to a typed value; supplied by the runtime (Jackson, in switchboard-core) and found
 * with {@code ServiceLoader} when an event was built without one.
 */
public interface PayloadBinder {

    /**
     * {@code payload} (parsed-JSON values) as a {@code type}.
     *
     * @throws IllegalArgumentException when it does not fit
     */
    <T> T bind(Object payload, Class<T> type);
}
