package io.switchboard.aws;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** SDK clients for tests: loopback endpoints, fake static credentials, us-east-1, short timeouts. */
final class TestClients {
    static final StaticCredentialsProvider FAKE_CREDENTIALS =
        StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "fake-secret-for-tests"));

    private TestClients() {}

    /** A DynamoDB client for dynalite that counts its calls and gives up on a call after 10 seconds. */
    static DynamoDbClient dynamoDb(URI endpoint, OperationCounter counter) {
        return dynamoDb(endpoint, counter, Duration.ofSeconds(10));
    }

    /** A DynamoDB client that counts its calls and makes at most two attempts within {@code callTimeout}. */
    static DynamoDbClient dynamoDb(URI endpoint, OperationCounter counter, Duration callTimeout) {
        Duration attemptTimeout = callTimeout.dividedBy(2);
        return DynamoDbClient.builder()
            .endpointOverride(endpoint)
            .region(Region.US_EAST_1)
            .credentialsProvider(FAKE_CREDENTIALS)
            .httpClient(UrlConnectionHttpClient.builder()
                .connectionTimeout(attemptTimeout)
                .socketTimeout(attemptTimeout)
                .build())
            .overrideConfiguration(o -> o
                .addExecutionInterceptor(counter)
                .retryStrategy(r -> r.maxAttempts(2))
                .apiCallAttemptTimeout(attemptTimeout)
                .apiCallTimeout(callTimeout))
            .build();
    }

    /** Daemon threads for the store's parallel queries. */
    static ExecutorService queryThreads() {
        return Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "store-query");
            t.setDaemon(true);
            return t;
        });
    }
}
