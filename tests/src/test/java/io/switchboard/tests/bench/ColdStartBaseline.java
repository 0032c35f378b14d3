package io.switchboard.tests.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The cold-start baseline ({@link ColdStartBenchmarkTest}): a bare program, run on a class path of only Jackson,
 * the DynamoDB SDK (URL-connection HTTP client) and slf4j-api with no logging provider, that parses the same
 * {@code $connect} event with Jackson and makes one DynamoDB {@code PutItem} — the least any Java function doing
 * this job must pay. Prints {@code PHASE main}, {@code PHASE parsed} and {@code PHASE client} as it gets there (the
 * parent times them: where the baseline's own time goes), {@code CONNECT 200} when done, then
 * {@code RSS <VmHWM kB>}.
 */
public final class ColdStartBaseline {
    private ColdStartBaseline() {}

    public static void main(String[] args) throws IOException {
        line("PHASE main");
        JsonNode event = new ObjectMapper().readTree(event(Path.of(args[0]), "connect.json", args[1]));
        String id = event.path("requestContext").path("connectionId").asText();
        line("PHASE parsed");
        try (DynamoDbClient dynamoDb = DynamoDbClient.builder().httpClient(UrlConnectionHttpClient.create())
                .region(Region.of(System.getenv("AWS_REGION")))
                .endpointOverride(URI.create(System.getenv("SWITCHBOARD_DYNAMODB_ENDPOINT"))).build()) {
            line("PHASE client");
            dynamoDb.putItem(b -> b.tableName(System.getenv("TABLE_NAME")).item(Map.of(
                "pk", AttributeValue.fromS("C#" + id), "sk", AttributeValue.fromS("META"))));
            line("CONNECT 200");
        }
        rss();
    }

    /** An event file with the run's own connection id. */
    static String event(Path events, String file, String connectionId) throws IOException {
        return Files.readString(events.resolve(file))
            .replaceAll("\"connectionId\": *\"[^\"]*\"", "\"connectionId\": \"" + connectionId + "\"");
    }

    /** Prints the peak resident set size (kB), the parent's last line to read. */
    static void rss() throws IOException {
        String status = Files.readString(Path.of("/proc/self/status"));
        line("RSS " + status.replaceAll("(?s).*VmHWM:\\s*(\\d+) kB.*", "$1"));
    }

    static void line(String text) {
        System.out.println(text);
        System.out.flush();
    }
}
