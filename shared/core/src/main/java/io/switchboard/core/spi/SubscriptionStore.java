package io.switchboard.core.spi;

import io.switchboard.core.channel.ChannelPath;
import io.switchboard.core.channel.ChannelPattern;

import java.util.List;

/**
 * Remembers which connection listens to which channel. Implemented in memory (local gateway, unit tests) and on
 * DynamoDB (the cloud); every implementation passes the same contract suite.
 */
public interface SubscriptionStore {

    /** Records a new connection (called on {@code $connect}). Replaces an existing record with the same id. */
    void putConnection(ConnectionRecord connection);

    /**
     * Adds a subscription to a connection.
     *
     * @throws SubscriptionRejectedException when the id is already used on this connection, when the connection
     *     already has {@code maxSubscriptions} subscriptions, or when the connection is unknown
     */
    void addSubscription(String connectionId, String subscriptionId, ChannelPattern pattern, int maxSubscriptions);

    /** Removes one subscription; {@code false} when the connection has no subscription with that id. */
    boolean removeSubscription(String connectionId, String subscriptionId);

    /**
     * Every subscription whose pattern matches the channel: exact subscriptions and wildcards on every ancestor.
     * Each (connection, subscription) pair appears once.
     */
    List<Subscriber> findSubscribers(ChannelPath channel);

    /** Removes the connection and all its subscriptions (on {@code $disconnect}, or when a send finds it gone). */
    void removeConnection(String connectionId);
}
