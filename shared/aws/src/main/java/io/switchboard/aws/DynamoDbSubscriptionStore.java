package io.switchboard.aws;

import io.switchboard.core.channel.ChannelPath;
import io.switchboard.core.channel.ChannelPattern;
import io.switchboard.core.spi.ConnectionRecord;
import io.switchboard.core.spi.StoreUnavailableException;
import io.switchboard.core.spi.Subscriber;
import io.switchboard.core.spi.SubscriptionRejectedException;
import io.switchboard.core.spi.SubscriptionRejectedException.Reason;
import io.switchboard.core.spi.SubscriptionStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.function.Supplier;

import static io.switchboard.aws.DynamoDbTables.GSI1;
import static io.switchboard.aws.DynamoDbTables.GSI1_PK;
import static io.switchboard.aws.DynamoDbTables.GSI1_SK;
import static io.switchboard.aws.DynamoDbTables.GSI2;
import static io.switchboard.aws.DynamoDbTables.GSI2_PK;
import static io.switchboard.aws.DynamoDbTables.GSI2_SK;
import static io.switchboard.aws.DynamoDbTables.PK;
import static io.switchboard.aws.DynamoDbTables.SK;
import static io.switchboard.aws.DynamoDbTables.TTL;

/**
 * The {@link SubscriptionStore} of the cloud: one DynamoDB table (see {@link DynamoDbTables}) through the low-level
 * client, conditional writes instead of transactions, queries only — never a scan.
 *
 * <ul>
 *   <li>connection: {@code pk=C#<connectionId>, sk=META}, {@code connectedAt}, {@code subCount}, {@code attrs},
 *       {@code gsi2pk=CONNS#<shard>} (one of {@value #CONNECTION_SHARDS} by the id's hash),
 *       {@code gsi2sk=<connectionId>}, {@code ttl};</li>
 *   <li>subscription: {@code pk=C#<connectionId>, sk=S#<subscriptionId>}, {@code pattern},
 *       {@code gsi1pk=CH#<pattern>}, {@code gsi1sk=<connectionId>#<subscriptionId>}, {@code ttl} (the
 *       connection's).</li>
 * </ul>
 *
 * A publish runs one paginated query on {@code gsi1} per pattern that matches the channel, in parallel on the
 * given executor. The keep-alive walk runs one paginated query on {@code gsi2} per connection shard. The
 * subscription limit is an atomic counter on the connection item; a subscribe costs two writes.
 * Every SDK failure other than a failed condition becomes a {@link StoreUnavailableException} that keeps the cause.
 * Thread-safe.
 */
public final class DynamoDbSubscriptionStore implements SubscriptionStore {

    /** API Gateway closes a WebSocket after 2 hours; items live 10 minutes longer in case {@code $disconnect} is lost. */
    public static final Duration EXPIRY_AFTER_CONNECT = Duration.ofHours(2).plusMinutes(10);

    /**
     * Connection items are spread over this many {@code gsi2} partitions ({@code CONNS#0} .. {@code CONNS#15}), so
     * that connects do not all write to one index partition and a walk can query the shards in parallel. Fixed:
     * changing it would hide the connections written under the old number until they expire.
     */
    public static final int CONNECTION_SHARDS = 16;

    private static final Logger LOG = LoggerFactory.getLogger(DynamoDbSubscriptionStore.class);

    private static final String META = "META";
    private static final String CONNECTION_PREFIX = "C#";
    private static final String SUBSCRIPTION_PREFIX = "S#";
    private static final String CHANNEL_PREFIX = "CH#";
    private static final String CONNECTIONS_PREFIX = "CONNS#";
    private static final String CONNECTED_AT = "connectedAt";
    private static final String SUB_COUNT = "subCount";
    private static final String ATTRS = "attrs";
    private static final String PATTERN = "pattern";

    private static final int BATCH_SIZE = 25;
    private static final int BATCH_ATTEMPTS = 8;
    private static final long BATCH_BACKOFF_BASE_MILLIS = 20;
    private static final long BATCH_BACKOFF_CAP_MILLIS = 1000;

    private static final AttributeValue ONE = number(1);
    private static final AttributeValue ZERO = number(0);

    private final DynamoDbClient client;
    private final String tableName;
    private final Clock clock;
    private final Executor executor;
    private final Integer queryPageSize;

    /**
     * A store whose queries read the server's full pages (1 MB) and run the per-pattern queries of a publish on a
     * shared pool of daemon threads, started on the first publish that needs them and idle otherwise.
     *
     * @param clock the time base of expiry when a connection record carries no connect time
     */
    public DynamoDbSubscriptionStore(DynamoDbClient client, String tableName, Clock clock) {
        this(client, tableName, clock, QueryThreads.POOL);
    }

    /**
     * A store whose queries read the server's full pages (1 MB).
     *
     * @param clock the time base of expiry when a connection record carries no connect time
     * @param executor runs the per-pattern queries of a publish in parallel; {@code Runnable::run} runs them one
     *     after the other. Queries block on I/O, so give it threads of its own rather than the common pool.
     */
    public DynamoDbSubscriptionStore(DynamoDbClient client, String tableName, Clock clock, Executor executor) {
        this(client, tableName, clock, executor, 0);
    }

    /**
     * A store whose queries ask for at most {@code queryPageSize} items per page ({@code 0}: the server's 1 MB pages).
     * Small pages are for tests of pagination; production uses the other constructors.
     */
    public DynamoDbSubscriptionStore(DynamoDbClient client, String tableName, Clock clock, Executor executor,
                                     int queryPageSize) {
        if (queryPageSize < 0) {
            throw new IllegalArgumentException("queryPageSize must be 0 (server pages) or positive: " + queryPageSize);
        }
        this.client = Objects.requireNonNull(client, "client");
        this.tableName = Objects.requireNonNull(tableName, "tableName");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.executor = Objects.requireNonNull(executor, "executor");
        this.queryPageSize = queryPageSize == 0 ? null : queryPageSize;
    }

    /** The default executor, created with the first store that uses it. */
    private static final class QueryThreads {
        static final Executor POOL = Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "switchboard-store-query");
            thread.setDaemon(true);
            return thread;
        });
    }

    @Override
    public void putConnection(ConnectionRecord connection) {
        long connectedAt = connection.connectedAtMillis() > 0 ? connection.connectedAtMillis() : clock.millis();
        Map<String, AttributeValue> attrs = new HashMap<>();
        connection.attributes().forEach((k, v) -> attrs.put(k, string(v)));
        Map<String, AttributeValue> item = Map.of(
            PK, string(CONNECTION_PREFIX + connection.connectionId()),
            SK, string(META),
            CONNECTED_AT, number(connection.connectedAtMillis()),
            SUB_COUNT, ZERO,
            ATTRS, AttributeValue.fromM(attrs),
            GSI2_PK, string(CONNECTIONS_PREFIX + Math.floorMod(connection.connectionId().hashCode(), CONNECTION_SHARDS)),
            GSI2_SK, string(connection.connectionId()),
            TTL, number(connectedAt / 1000 + EXPIRY_AFTER_CONNECT.toSeconds()));
        PutItemResponse put = call("PutItem", () -> client.putItem(b -> b.tableName(tableName).item(item)
            .returnValues(ReturnValue.ALL_OLD)));
        if (put.hasAttributes() && !put.attributes().isEmpty()) {
            // The id was connected before (rare): the fresh record starts without subscriptions, like the counter.
            deleteAll(itemKeys(connection.connectionId(), SUBSCRIPTION_PREFIX));
        }
    }

    @Override
    public void addSubscription(String connectionId, String subscriptionId, ChannelPattern pattern, int maxSubscriptions) {
        if (subscriptionId.indexOf('#') >= 0) {
            throw new IllegalArgumentException("A subscription id may not contain '#'");
        }
        Map<String, AttributeValue> meta = metaKey(connectionId);
        UpdateItemResponse counted;
        try {
            counted = call("UpdateItem", () -> client.updateItem(b -> b.tableName(tableName).key(meta)
                .updateExpression("SET " + SUB_COUNT + " = " + SUB_COUNT + " + :one")
                .conditionExpression("attribute_exists(" + PK + ") AND " + SUB_COUNT + " < :max")
                .expressionAttributeValues(Map.of(":one", ONE, ":max", number(maxSubscriptions)))
                .returnValues(ReturnValue.ALL_NEW)
                .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)));
        } catch (ConditionalCheckFailedException e) {
            throw rejection(connectionId, subscriptionId, maxSubscriptions, e);
        }
        AttributeValue ttl = counted.attributes().get(TTL);
        Map<String, AttributeValue> item = Map.of(
            PK, string(CONNECTION_PREFIX + connectionId),
            SK, string(SUBSCRIPTION_PREFIX + subscriptionId),
            PATTERN, string(pattern.value()),
            GSI1_PK, string(CHANNEL_PREFIX + pattern.value()),
            GSI1_SK, string(connectionId + "#" + subscriptionId),
            TTL, ttl != null ? ttl : number(clock.instant().plus(EXPIRY_AFTER_CONNECT).getEpochSecond()));
        try {
            call("PutItem", () -> client.putItem(b -> b.tableName(tableName).item(item)
                .conditionExpression("attribute_not_exists(" + PK + ")")));
        } catch (ConditionalCheckFailedException e) {
            releaseSlot(connectionId);
            throw duplicate(subscriptionId);
        } catch (StoreUnavailableException e) {
            // The subscription was not stored as far as we know: give the slot back so it is not lost for good.
            try {
                releaseSlot(connectionId);
            } catch (StoreUnavailableException again) {
                e.addSuppressed(again);
            }
            throw e;
        }
    }

    @Override
    public boolean removeSubscription(String connectionId, String subscriptionId) {
        Map<String, AttributeValue> key = Map.of(
            PK, string(CONNECTION_PREFIX + connectionId), SK, string(SUBSCRIPTION_PREFIX + subscriptionId));
        DeleteItemResponse deleted = call("DeleteItem", () -> client.deleteItem(b -> b.tableName(tableName).key(key)
            .returnValues(ReturnValue.ALL_OLD)));
        if (!deleted.hasAttributes() || deleted.attributes().isEmpty()) {
            return false;
        }
        releaseSlot(connectionId);
        return true;
    }

    @Override
    public List<Subscriber> findSubscribers(ChannelPath channel) {
        List<String> patterns = channel.matchingPatterns();
        List<CompletableFuture<List<Subscriber>>> others = new ArrayList<>(patterns.size() - 1);
        for (String pattern : patterns.subList(1, patterns.size())) {
            others.add(CompletableFuture.supplyAsync(() -> subscribersOf(pattern), executor));
        }
        List<Subscriber> result = subscribersOf(patterns.get(0));
        for (CompletableFuture<List<Subscriber>> future : others) {
            try {
                result.addAll(future.join());
            } catch (CompletionException e) {
                if (e.getCause() instanceof RuntimeException cause) {
                    throw cause;
                }
                throw e;
            }
        }
        return result;
    }

    @Override
    public void removeConnection(String connectionId) {
        deleteAll(itemKeys(connectionId, null));
    }

    @Override
    public void forEachConnection(int shard, int shards, Consumer<String> action) {
        SubscriptionStore.checkShard(shard, shards);
        for (int partition = shard; partition < CONNECTION_SHARDS; partition += shards) {
            QueryRequest.Builder query = QueryRequest.builder().tableName(tableName).indexName(GSI2)
                .keyConditionExpression(GSI2_PK + " = :p")
                .expressionAttributeValues(Map.of(":p", string(CONNECTIONS_PREFIX + partition)))
                .projectionExpression(GSI2_SK)
                .limit(queryPageSize);
            Map<String, AttributeValue> start = null;
            do {
                QueryRequest request = query.exclusiveStartKey(start).build();
                QueryResponse page = call("Query", () -> client.query(request));
                for (Map<String, AttributeValue> item : page.items()) {
                    AttributeValue id = item.get(GSI2_SK);
                    if (id != null && id.s() != null) {
                        action.accept(id.s());
                    }
                }
                start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
            } while (start != null);
        }
    }

    // --- lookups ---------------------------------------------------------------------------------------------------

    private List<Subscriber> subscribersOf(String pattern) {
        QueryRequest.Builder query = QueryRequest.builder().tableName(tableName).indexName(GSI1)
            .keyConditionExpression(GSI1_PK + " = :p")
            .expressionAttributeValues(Map.of(":p", string(CHANNEL_PREFIX + pattern)))
            .projectionExpression(GSI1_SK)
            .limit(queryPageSize);
        List<Subscriber> subscribers = new ArrayList<>();
        for (Map<String, AttributeValue> item : queryAll(query)) {
            String value = item.get(GSI1_SK).s();
            // Subscription ids never contain '#' (checked on subscribe), so the last one separates the two ids.
            int cut = value.lastIndexOf('#');
            if (cut <= 0) {
                LOG.atWarn().addKeyValue("table", tableName).addKeyValue("pattern", pattern)
                    .log("skipping an index entry without a connection id");
                continue;
            }
            subscribers.add(new Subscriber(value.substring(0, cut), value.substring(cut + 1)));
        }
        return subscribers;
    }

    /** The keys of a connection's items, all of them or those whose sort key starts with {@code skPrefix}. */
    private List<Map<String, AttributeValue>> itemKeys(String connectionId, String skPrefix) {
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":pk", string(CONNECTION_PREFIX + connectionId));
        String condition = PK + " = :pk";
        if (skPrefix != null) {
            values.put(":sk", string(skPrefix));
            condition += " AND begins_with(" + SK + ", :sk)";
        }
        return queryAll(QueryRequest.builder().tableName(tableName)
            .keyConditionExpression(condition)
            .expressionAttributeValues(values)
            .projectionExpression(PK + ", " + SK)
            .consistentRead(true)
            .limit(queryPageSize));
    }

    /** Every item of a query, following {@code LastEvaluatedKey} page by page. */
    private List<Map<String, AttributeValue>> queryAll(QueryRequest.Builder query) {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            QueryRequest request = query.exclusiveStartKey(start).build();
            QueryResponse page = call("Query", () -> client.query(request));
            items.addAll(page.items());
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return items;
    }

    // --- writes ----------------------------------------------------------------------------------------------------

    /** Gives back one slot of the connection's counter; a connection removed meanwhile is left alone. */
    private void releaseSlot(String connectionId) {
        try {
            call("UpdateItem", () -> client.updateItem(b -> b.tableName(tableName).key(metaKey(connectionId))
                .updateExpression("SET " + SUB_COUNT + " = " + SUB_COUNT + " - :one")
                .conditionExpression("attribute_exists(" + PK + ") AND " + SUB_COUNT + " > :zero")
                .expressionAttributeValues(Map.of(":one", ONE, ":zero", ZERO))));
        } catch (ConditionalCheckFailedException e) {
            LOG.atDebug().addKeyValue("connection_id", connectionId).log("no counter to release: the connection is gone");
        }
    }

    /** Deletes items in batches of 25, retrying unprocessed ones with jittered backoff. */
    private void deleteAll(List<Map<String, AttributeValue>> keys) {
        for (int from = 0; from < keys.size(); from += BATCH_SIZE) {
            List<WriteRequest> batch = new ArrayList<>();
            for (Map<String, AttributeValue> key : keys.subList(from, Math.min(keys.size(), from + BATCH_SIZE))) {
                batch.add(WriteRequest.builder().deleteRequest(d -> d.key(key)).build());
            }
            for (int attempt = 1; !batch.isEmpty(); attempt++) {
                if (attempt > BATCH_ATTEMPTS) {
                    throw new StoreUnavailableException("Subscription store unavailable: DynamoDB left " + batch.size()
                        + " deletes on table '" + tableName + "' unprocessed after " + BATCH_ATTEMPTS + " attempts", null);
                }
                if (attempt > 1) {
                    backoff(attempt - 1);
                }
                Map<String, List<WriteRequest>> request = Map.of(tableName, batch);
                BatchWriteItemResponse response = call("BatchWriteItem",
                    () -> client.batchWriteItem(b -> b.requestItems(request)));
                batch = response.unprocessedItems().getOrDefault(tableName, List.of());
            }
        }
    }

    private static void backoff(int retry) {
        long ceiling = Math.min(BATCH_BACKOFF_CAP_MILLIS, BATCH_BACKOFF_BASE_MILLIS << Math.min(retry, 16));
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(ceiling + 1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreUnavailableException("Interrupted while retrying unprocessed deletes", e);
        }
    }

    // --- rejections ------------------------------------------------------------------------------------------------

    /** Why the counter did not move: the connection is unknown, or it is full (a reused id is reported first). */
    private SubscriptionRejectedException rejection(String connectionId, String subscriptionId, int max,
                                                    ConditionalCheckFailedException failure) {
        boolean connectionExists = failure.hasItem() && !failure.item().isEmpty();
        if (!connectionExists) {
            // DynamoDB returns the old item when it exists; servers that ignore ReturnValuesOnConditionCheckFailure
            // (dynalite) return nothing either way, so ask. Subscribing on an unknown connection is rare.
            connectionExists = exists(metaKey(connectionId));
        }
        if (!connectionExists) {
            return new SubscriptionRejectedException(Reason.UNKNOWN_CONNECTION, "Connection " + connectionId + " is not known");
        }
        if (exists(Map.of(PK, string(CONNECTION_PREFIX + connectionId), SK, string(SUBSCRIPTION_PREFIX + subscriptionId)))) {
            return duplicate(subscriptionId);
        }
        return new SubscriptionRejectedException(Reason.LIMIT_REACHED,
            "The connection already has the maximum of " + max + " subscriptions");
    }

    private static SubscriptionRejectedException duplicate(String subscriptionId) {
        return new SubscriptionRejectedException(Reason.DUPLICATE_ID,
            "Subscription id " + subscriptionId + " is already in use on this connection");
    }

    private boolean exists(Map<String, AttributeValue> key) {
        GetItemResponse response = call("GetItem", () -> client.getItem(b -> b.tableName(tableName).key(key)
            .consistentRead(true).projectionExpression(PK)));
        return response.hasItem() && !response.item().isEmpty();
    }

    // --- plumbing --------------------------------------------------------------------------------------------------

    /** Runs one SDK call; failed conditions pass through, every other SDK failure means the store is unavailable. */
    private <T> T call(String operation, Supplier<T> request) {
        try {
            return request.get();
        } catch (ConditionalCheckFailedException e) {
            throw e;
        } catch (SdkException e) {
            throw new StoreUnavailableException("Subscription store unavailable: DynamoDB " + operation + " on table '"
                + tableName + "' failed: " + e.getMessage(), e);
        }
    }

    private static Map<String, AttributeValue> metaKey(String connectionId) {
        return Map.of(PK, string(CONNECTION_PREFIX + connectionId), SK, string(META));
    }

    private static AttributeValue string(String value) {
        return AttributeValue.fromS(value);
    }

    private static AttributeValue number(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }
}
