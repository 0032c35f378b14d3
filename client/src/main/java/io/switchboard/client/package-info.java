/**
 * A Java client for Switchboard and AWS AppSync Events: {@link io.switchboard.client.SwitchboardClient} publishes
 * over HTTP and subscribes and publishes over the real-time WebSocket, with API key, JWT, Lambda or IAM (SigV4)
 * authorization. Only the types of this package are public; the wire frames come from {@code switchboard-core}.
 */
package io.switchboard.client;
