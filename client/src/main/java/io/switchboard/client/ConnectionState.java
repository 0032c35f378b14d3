package io.switchboard.client;

/** The state of the WebSocket a subscription rides on, as reported to {@link Subscription.Listener#onStateChange}. */
public enum ConnectionState {
    /** Opening the socket and waiting for {@code connection_ack}. */
    CONNECTING,
    /** Acknowledged: subscriptions are (re)sent and events flow. */
    CONNECTED,
    /** The socket dropped (or missed its keep-alive); a new one is opened after a jittered backoff. */
    RECONNECTING,
    /** Final for this subscription: it was closed, refused, the connection was refused for good, or the client closed. */
    CLOSED
}
