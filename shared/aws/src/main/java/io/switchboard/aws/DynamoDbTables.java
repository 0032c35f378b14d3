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
    static final String TTL = "ttl";

    private static final Logger LOG = LoggerFactory.getLogger(DynamoDbTables.class);
    private static final Duration ACTIVE_TIMEOUT = Duration.ofMinutes(5);

    private DynamoDbTables() {}

    /**
     * Creates the table (on-demand billing, the {@code gsi1} index, expiry on {@code ttl}) unless it exists, and
     * returns once table and index are {@code ACTIVE}. A server without {@code UpdateTimeToLive} (dynalite) gets a
     * table without expiry.
     *
     * @throws IllegalStateException when a table of that name exists without the {@code gsi1} index, or does not
     *     become active within five minutes
     */
    public static void createIfMissing(DynamoDbClient client, String tableName) {
        TableDescription existing = describe(client, tableName);
        if (existing == null) {
            try {
                client.createTable(b -> b.tableName(tableName)
                    .billingMode(BillingMode.PAY_PER_REQUEST)
                    .attributeDefinitions(string(PK), string(SK), string(GSI1_PK), string(GSI1_SK))
                    .keySchema(key(PK, KeyType.HASH), key(SK, KeyType.RANGE))
                    .globalSecondaryIndexes(GlobalSecondaryIndex.builder()
                        .indexName(GSI1)
                        .keySchema(key(GSI1_PK, KeyType.HASH), key(GSI1_SK, KeyType.RANGE))
                        .projection(p -> p.projectionType(ProjectionType.KEYS_ONLY))
                        .build()));
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
            if (!isActive(existing)) {
                waitUntilActive(client, tableName);
            }
        }
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
