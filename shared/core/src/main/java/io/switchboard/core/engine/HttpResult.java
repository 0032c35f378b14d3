package io.switchboard.core.engine;

/** An HTTP publish's answer: status and JSON body. */
public record HttpResult(int status, String body) {}
