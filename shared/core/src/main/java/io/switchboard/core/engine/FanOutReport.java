package io.switchboard.core.engine;

/**
 * What one fan-out invocation did: frames delivered, connections found gone (and purged), frames that failed, and
 * subscribers handed to fan-out workers (their frames are counted by the workers' own reports).
 */
public record FanOutReport(int subscribers, long delivered, int goneConnections, long failed, int handedOff) {}
