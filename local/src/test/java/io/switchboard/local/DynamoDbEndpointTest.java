package io.switchboard.local;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;

import io.switchboard.testing.Dynalite;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;

/** {@code --dynamodb-endpoint}: the functions are pointed at a DynamoDB-protocol server whose table the gateway creates. */
class DynamoDbEndpointTest {

    @TempDir
    Path tls;

    @Test
    void dynamoDbEndpoint_createsTheTableAndSwitchesTheStore() throws Exception {
        try (Dynalite dynalite = Dynalite.start();
             LocalGateway gateway = LocalGateway.start(Options.builder()
                     .port(0)
                     .template(Path.of("src/test/resources/test-template.yaml"))
                     .tlsDirectory(tls)
                     .dynamoDbEndpoint(dynalite.endpoint())
                     .tableName("gateway-test")
                     .build())) {
            assertEquals("dynamodb", System.getProperty("SWITCHBOARD_STORE"));
            assertEquals(dynalite.endpoint().toString(), System.getProperty("SWITCHBOARD_DYNAMODB_ENDPOINT"));
            assertEquals("gateway-test", System.getProperty("TABLE_NAME"));
            try (DynamoDbClient client = DynamoDbClient.builder().endpointOverride(dynalite.endpoint())
                    .region(Region.of(System.getProperty("AWS_REGION"))).httpClient(UrlConnectionHttpClient.create()).build()) {
                assertEquals(TableStatus.ACTIVE, client.describeTable(r -> r.tableName("gateway-test")).table().tableStatus());
            }
        }
    }
}
