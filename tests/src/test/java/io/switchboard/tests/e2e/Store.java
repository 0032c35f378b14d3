package io.switchboard.tests.e2e;

/** The subscription store behind a gateway under test. */
enum Store {
    /** The functions' in-memory store (the gateway's default). */
    MEMORY,
    /** {@code DynamoDbSubscriptionStore} on a dynalite started by the test ({@code --dynamodb-endpoint}). */
    DYNALITE
}
