package io.switchboard.core.engine;

/** What one fan-out did: frames delivered, connections found gone (and purged), sends that failed. */
public record FanOutReport(int subscribers, long delivered, int goneConnections, long failed) {}
