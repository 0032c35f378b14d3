package io.switchboard.core.auth;

/** What is being authorized: opening the connection, one subscribe, one publish. */
public enum Operation {
    CONNECT, SUBSCRIBE, PUBLISH
}
