package io.switchboard.core.memory;

import io.switchboard.core.channel.ChannelPath;
import io.switchboard.core.channel.ChannelPattern;
import io.switchboard.core.spi.ConnectionRecord;
import io.switchboard.core.spi.Subscriber;
import io.switchboard.core.spi.SubscriptionRejectedException;
import io.switchboard.core.spi.SubscriptionRejectedException.Reason;
import io.switchboard.core.spi.SubscriptionStore;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * A {@link SubscriptionStore} in one JVM's memory, indexed by pattern like the DynamoDB store's GSI, so a publish
 * looks up at most one entry per pattern level. Used by the local gateway and by unit tests.
 */
public final class InMemorySubscriptionStore implements SubscriptionStore {

    private static final class Connection {
        final ConnectionRecord record;
        final Map<String, ChannelPattern> subscriptions = new ConcurrentHashMap<>();

        Connection(ConnectionRecord record) {
            this.record = record;
        }
    }

    private final Map<String, Connection> connections = new ConcurrentHashMap<>();
    private final Map<String, Set<Subscriber>> byPattern = new ConcurrentHashMap<>();

    @Override
    public void putConnection(ConnectionRecord connection) {
        Connection previous = connections.put(connection.connectionId(), new Connection(connection));
        if (previous != null) {
            unindex(connection.connectionId(), previous);
        }
    }

    /** The stored record of a connection, or {@code null}. */
    public ConnectionRecord connection(String connectionId) {
        Connection c = connections.get(connectionId);
        return c == null ? null : c.record;
    }

    @Override
    public void addSubscription(String connectionId, String subscriptionId, ChannelPattern pattern, int maxSubscriptions) {
        Connection c = connections.get(connectionId);
        if (c == null) {
            throw new SubscriptionRejectedException(Reason.UNKNOWN_CONNECTION, "Connection " + connectionId + " is not known");
        }
        synchronized (c) {
            if (c.subscriptions.containsKey(subscriptionId)) {
                throw new SubscriptionRejectedException(Reason.DUPLICATE_ID,
                    "Subscription id " + subscriptionId + " is already in use on this connection");
            }
            if (c.subscriptions.size() >= maxSubscriptions) {
                throw new SubscriptionRejectedException(Reason.LIMIT_REACHED,
                    "The connection already has the maximum of " + maxSubscriptions + " subscriptions");
            }
            c.subscriptions.put(subscriptionId, pattern);
            Subscriber subscriber = new Subscriber(connectionId, subscriptionId);
            byPattern.compute(pattern.value(), (k, set) -> {
                Set<Subscriber> target = set == null ? ConcurrentHashMap.newKeySet() : set;
                target.add(subscriber);
                return target;
            });
        }
    }

    @Override
    public boolean removeSubscription(String connectionId, String subscriptionId) {
        Connection c = connections.get(connectionId);
        if (c == null) {
            return false;
        }
        synchronized (c) {
            ChannelPattern pattern = c.subscriptions.remove(subscriptionId);
            if (pattern == null) {
                return false;
            }
            removeFromIndex(pattern.value(), new Subscriber(connectionId, subscriptionId));
            return true;
        }
    }

    @Override
    public List<Subscriber> findSubscribers(ChannelPath channel) {
        List<Subscriber> result = new ArrayList<>();
        for (String pattern : channel.matchingPatterns()) {
            Set<Subscriber> subscribers = byPattern.get(pattern);
            if (subscribers != null) {
                result.addAll(subscribers);
            }
        }
        return result;
    }

    @Override
    public void removeConnection(String connectionId) {
        Connection c = connections.remove(connectionId);
        if (c != null) {
            unindex(connectionId, c);
        }
    }

    @Override
    public void forEachConnection(int shard, int shards, Consumer<String> action) {
        SubscriptionStore.checkShard(shard, shards);
        for (String connectionId : connections.keySet()) {
            if (Math.floorMod(connectionId.hashCode(), shards) == shard) {
                action.accept(connectionId);
            }
        }
    }

    /** Number of live connections (for tests and the local gateway's status). */
    public int connectionCount() {
        return connections.size();
    }

    private void unindex(String connectionId, Connection c) {
        synchronized (c) {
            c.subscriptions.forEach((id, pattern) -> removeFromIndex(pattern.value(), new Subscriber(connectionId, id)));
            c.subscriptions.clear();
        }
    }

    private void removeFromIndex(String pattern, Subscriber subscriber) {
        byPattern.computeIfPresent(pattern, (k, set) -> {
            set.remove(subscriber);
            return set.isEmpty() ? null : set;
        });
    }
}
