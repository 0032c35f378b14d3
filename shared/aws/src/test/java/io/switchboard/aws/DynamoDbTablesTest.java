package io.switchboard.aws;

import io.switchboard.testing.Dynalite;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndexDescription;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Creating the subscription table on a DynamoDB-protocol server (dynalite, which has no UpdateTimeToLive). */
class DynamoDbTablesTest {

    private static final OperationCounter CALLS = new OperationCounter();
    private static Dynalite dynalite;
    private static DynamoDbClient client;

    @BeforeAll
    static void start() {
        dynalite = Dynalite.start();
        client = TestClients.dynamoDb(dynalite.endpoint(), CALLS);
    }

    @AfterAll
    static void stop() {
        if (client != null) {
            client.close();
        }
        if (dynalite != null) {
            dynalite.close();
        }
    }

    @Test
    void createIfMissing_newTable_isActiveWithTheIndexAndWithoutExpiryOnDynalite() {
        Map<String, Long> before = CALLS.snapshot();

        DynamoDbTables.createIfMissing(client, "fresh");

        Map<String, Long> calls = CALLS.since(before);
        assertEquals(1L, calls.get("CreateTable"), calls.toString());
        assertEquals(1L, calls.get("UpdateTimeToLive"), "expiry was tried, and its failure tolerated: " + calls);
        assertEquals(Set.of("CreateTable", "DescribeTable", "UpdateTimeToLive"), calls.keySet());

        TableDescription table = client.describeTable(d -> d.tableName("fresh")).table();
        assertEquals(TableStatus.ACTIVE, table.tableStatus());
        assertEquals(BillingMode.PAY_PER_REQUEST, table.billingModeSummary().billingMode());
        assertEquals(List.of(key("pk", KeyType.HASH), key("sk", KeyType.RANGE)), table.keySchema());
        assertTrue(table.attributeDefinitions().stream().allMatch(a -> a.attributeType() == ScalarAttributeType.S));
        assertEquals(List.of("gsi1", "gsi2"),
            table.globalSecondaryIndexes().stream().map(GlobalSecondaryIndexDescription::indexName).sorted().toList());
        for (GlobalSecondaryIndexDescription gsi : table.globalSecondaryIndexes()) {
            String name = gsi.indexName();
            assertEquals(List.of(key(name + "pk", KeyType.HASH), key(name + "sk", KeyType.RANGE)), gsi.keySchema());
            assertEquals(ProjectionType.KEYS_ONLY, gsi.projection().projectionType(), name);
        }
    }

    @Test
    void createIfMissing_existingTable_onlyDescribesIt() {
        DynamoDbTables.createIfMissing(client, "twice");
        Map<String, Long> before = CALLS.snapshot();

        DynamoDbTables.createIfMissing(client, "twice");

        assertEquals(Map.of("DescribeTable", 1L), CALLS.since(before));
    }

    @Test
    void createIfMissing_foreignTableWithoutTheIndex_failsClearly() {
        client.createTable(c -> c.tableName("foreign").billingMode(BillingMode.PAY_PER_REQUEST)
            .attributeDefinitions(AttributeDefinition.builder().attributeName("id").attributeType(ScalarAttributeType.S).build())
            .keySchema(key("id", KeyType.HASH)));

        IllegalStateException e = assertThrows(IllegalStateException.class,
            () -> DynamoDbTables.createIfMissing(client, "foreign"));
        assertTrue(e.getMessage().contains("'foreign'") && e.getMessage().contains("gsi1"), e.getMessage());
    }

    @Test
    void createIfMissing_tableFromBeforeTheConnectionsIndex_failsClearlyWhereItCannotBeAdded() {
        client.createTable(c -> c.tableName("older").billingMode(BillingMode.PAY_PER_REQUEST)
            .attributeDefinitions(Stream.of("pk", "sk", "gsi1pk", "gsi1sk").map(DynamoDbTablesTest::string).toList())
            .keySchema(key("pk", KeyType.HASH), key("sk", KeyType.RANGE))
            .globalSecondaryIndexes(g -> g.indexName("gsi1")
                .keySchema(key("gsi1pk", KeyType.HASH), key("gsi1sk", KeyType.RANGE))
                .projection(p -> p.projectionType(ProjectionType.KEYS_ONLY))));

        // dynalite's UpdateTable cannot create an index; DynamoDB can, and then this call succeeds.
        IllegalStateException e = assertThrows(IllegalStateException.class,
            () -> DynamoDbTables.createIfMissing(client, "older"));
        assertTrue(e.getMessage().contains("'older'") && e.getMessage().contains("gsi2"), e.getMessage());
    }

    private static AttributeDefinition string(String name) {
        return AttributeDefinition.builder().attributeName(name).attributeType(ScalarAttributeType.S).build();
    }

    private static KeySchemaElement key(String name, KeyType type) {
        return KeySchemaElement.builder().attributeName(name).keyType(type).build();
    }
}
