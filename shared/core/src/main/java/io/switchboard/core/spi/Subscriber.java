package io.switchboard.core.spi;

/** One subscription that matches a published channel: where to send, and which id to put in the data frame. */
public record Subscriber(String connectionId, String subscriptionId) {}
