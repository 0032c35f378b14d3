package io.switchboard.core.protocol;

/** The flat error object of AppSync Events frames and HTTP error bodies: {@code {errorType, message}}. */
public record ProtocolError(String errorType, String message) {}
