package io.switchboard.api;

/** What an {@link Authorizer} is asked to allow. */
public enum AuthorizerOperation {
    EVENT_CONNECT, EVENT_PUBLISH, EVENT_SUBSCRIBE
}
