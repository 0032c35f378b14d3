package io.switchboard.core.spi;

import io.switchboard.core.channel.ChannelPath;
import io.switchboard.core.channel.ChannelPattern;

import java.util.List;
import java.util.function.Consumer;

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

    /**
     * Calls {@code action} with the id of every stored connection that falls in {@code shard} of {@code shards}
     * (the keep-alive walk), page by page and never with a scan. The shards split the connections into disjoint
     * parts: walking {@code 0 .. shards-1} visits every connection exactly once, so callers can walk them in
     * parallel or in separate invocations. A connection added or removed during the walk may or may not be seen.
     *
     * @param shard which part, {@code 0 <= shard < shards}
     * @param shards into how many parts the caller splits the connections, at least 1
     * @throws IllegalArgumentException for a shard outside {@code 0 .. shards-1}
     */
    void forEachConnection(int shard, int shards, Consumer<String> action);

    /** Checks the arguments of {@link #forEachConnection}. */
    static void checkShard(int shard, int shards) {
        if (shards < 1 || shard < 0 || shard >= shards) {
            throw new IllegalArgumentException("shard must be in 0.." + (shards - 1) + " of " + shards + " shards, got " + shard);
        }
    }
}
