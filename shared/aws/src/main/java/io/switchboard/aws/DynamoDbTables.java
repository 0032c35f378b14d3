package io.switchboard.aws;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndexDescription;
import software.amazon.awssdk.services.dynamodb.model.IndexStatus;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;

import java.time.Duration;

/**
 * The subscription table's schema, and creating it where no deployment template did (the local gateway against a
 * DynamoDB-protocol server, tests). In the cloud the table comes from {@code template.yaml}, which must match.
 */
public final class DynamoDbTables {

    static final String PK = "pk";
    static final String SK = "sk";
    static final String GSI1 = "gsi1";
    static final String GSI1_PK = "gsi1pk";
    static final String GSI1_SK = "gsi1sk";
    /** The connections index: {@code gsi2pk = CONNS#<shard>}, {@code gsi2sk = <connectionId>}, on connection items only. */
    static final String GSI2 = "gsi2";
    static final String GSI2_PK = "gsi2pk";
    static final String GSI2_SK = "gsi2sk";
    static final String TTL = "ttl";

    private static final Logger LOG = LoggerFactory.getLogger(DynamoDbTables.class);
    private static final Duration ACTIVE_TIMEOUT = Duration.ofMinutes(5);

    private DynamoDbTables() {}

    /**
     * Creates the table (on-demand billing, the {@code gsi1} subscriptions index and the {@code gsi2} connections
     * index, expiry on {@code ttl}) unless it exists, and returns once table and indexes are {@code ACTIVE}. A server
     * without {@code UpdateTimeToLive} (dynalite) gets a table without expiry. An existing Switchboard table made
     * before {@code gsi2} existed gets it added where the server can (DynamoDB; dynalite cannot).
     *
     * @throws IllegalStateException when a table of that name exists without the {@code gsi1} index, lacks
     *     {@code gsi2} on a server that cannot add it, or does not become active within five minutes
     */
    public static void createIfMissing(DynamoDbClient client, String tableName) {
        TableDescription existing = describe(client, tableName);
        if (existing == null) {
            try {
                client.createTable(b -> b.tableName(tableName)
                    .billingMode(BillingMode.PAY_PER_REQUEST)
                    .attributeDefinitions(string(PK), string(SK), string(GSI1_PK), string(GSI1_SK), string(GSI2_PK),
                        string(GSI2_SK))
                    .keySchema(key(PK, KeyType.HASH), key(SK, KeyType.RANGE))
                    .globalSecondaryIndexes(keysOnlyIndex(GSI1, GSI1_PK, GSI1_SK), keysOnlyIndex(GSI2, GSI2_PK, GSI2_SK)));
                LOG.atInfo().addKeyValue("table", tableName).log("created the subscription table");
            } catch (ResourceInUseException e) {
                LOG.atDebug().addKeyValue("table", tableName).log("the subscription table is being created elsewhere");
            }
            waitUntilActive(client, tableName);
            enableExpiry(client, tableName);
        } else {
            if (existing.globalSecondaryIndexes().stream().noneMatch(i -> GSI1.equals(i.indexName()))) {
                throw new IllegalStateException("Table '" + tableName + "' exists but has no index '" + GSI1
                    + "' (hash " + GSI1_PK + ", range " + GSI1_SK + "); it was not made for Switchboard");
            }
            if (existing.globalSecondaryIndexes().stream().noneMatch(i -> GSI2.equals(i.indexName()))) {
                addConnectionsIndex(client, tableName);
                waitUntilActive(client, tableName);
            } else if (!isActive(existing)) {
                waitUntilActive(client, tableName);
            }
        }
    }

    /** Adds {@code gsi2} to a table made before it existed; its connections written since then are indexed. */
    private static void addConnectionsIndex(DynamoDbClient client, String tableName) {
        try {
            client.updateTable(b -> b.tableName(tableName)
                .attributeDefinitions(string(GSI2_PK), string(GSI2_SK))
                .globalSecondaryIndexUpdates(u -> u.create(c -> c.indexName(GSI2)
                    .keySchema(key(GSI2_PK, KeyType.HASH), key(GSI2_SK, KeyType.RANGE))
                    .projection(p -> p.projectionType(ProjectionType.KEYS_ONLY)))));
            LOG.atInfo().addKeyValue("table", tableName).log("added the connections index gsi2");
        } catch (DynamoDbException e) {
            throw new IllegalStateException("Table '" + tableName + "' has no index '" + GSI2 + "' (hash " + GSI2_PK
                + ", range " + GSI2_SK + "), which keep-alive needs, and the server could not add it ("
                + e.getMessage() + "). The table holds only live connections: delete it and start again.", e);
        }
    }

    private static GlobalSecondaryIndex keysOnlyIndex(String name, String hashKey, String rangeKey) {
        return GlobalSecondaryIndex.builder()
            .indexName(name)
            .keySchema(key(hashKey, KeyType.HASH), key(rangeKey, KeyType.RANGE))
            .projection(p -> p.projectionType(ProjectionType.KEYS_ONLY))
            .build();
    }

    private static void enableExpiry(DynamoDbClient client, String tableName) {
        try {
            client.updateTimeToLive(b -> b.tableName(tableName)
                .timeToLiveSpecification(s -> s.attributeName(TTL).enabled(true)));
        } catch (DynamoDbException e) {
            String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
            if ("UnknownOperationException".equals(code)) {
                LOG.atDebug().addKeyValue("table", tableName)
                    .log("the server does not support UpdateTimeToLive; items will not expire");
            } else {
                LOG.atWarn().addKeyValue("table", tableName).addKeyValue("error_code", code)
                    .log("could not enable expiry on the ttl attribute; items of lost connections will stay");
            }
        }
    }

    private static void waitUntilActive(DynamoDbClient client, String tableName) {
        long deadline = System.nanoTime() + ACTIVE_TIMEOUT.toNanos();
        long pauseMillis = 25;
        while (true) {
            TableDescription table = describe(client, tableName);
            if (table != null && isActive(table)) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Table '" + tableName + "' is not ACTIVE after "
                    + ACTIVE_TIMEOUT.toMinutes() + " minutes (status " + (table == null ? "missing" : table.tableStatus())
                    + ")");
            }
            try {
                Thread.sleep(pauseMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for table '" + tableName + "'", e);
            }
            pauseMillis = Math.min(pauseMillis * 2, 1000);
        }
    }

    private static boolean isActive(TableDescription table) {
        return table.tableStatus() == TableStatus.ACTIVE
            && table.globalSecondaryIndexes().stream().map(GlobalSecondaryIndexDescription::indexStatus)
                .allMatch(IndexStatus.ACTIVE::equals);
    }

    private static TableDescription describe(DynamoDbClient client, String tableName) {
        try {
            return client.describeTable(b -> b.tableName(tableName)).table();
        } catch (ResourceNotFoundException e) {
            return null;
        }
    }

    private static AttributeDefinition string(String name) {
        return AttributeDefinition.builder().attributeName(name).attributeType(ScalarAttributeType.S).build();
    }

    private static KeySchemaElement key(String name, KeyType type) {
        return KeySchemaElement.builder().attributeName(name).keyType(type).build();
    }
}
