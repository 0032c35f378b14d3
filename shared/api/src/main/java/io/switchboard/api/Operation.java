package io.switchboard.api;

/** What a handler is running for. */
public enum Operation {
    PUBLISH, SUBSCRIBE
}
