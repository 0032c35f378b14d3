package io.switchboard.aws;

import io.switchboard.core.channel.ChannelPath;
import io.switchboard.core.channel.ChannelPattern;
import io.switchboard.core.spi.ConnectionRecord;
import io.switchboard.core.spi.StoreUnavailableException;
import io.switchboard.core.spi.Subscriber;
import io.switchboard.testing.Dynalite;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The DynamoDB store while its server hangs or is down, and after it comes back, with the same store object
 * throughout. dynalite keeps its data on disk here, so what was stored before the outage is still there after.
 */
class DynamoDbSubscriptionStoreOutageTest {

    private static final ChannelPath ROOM = ChannelPath.parse("/chat/room1");
    private static final Duration CALL_TIMEOUT = Duration.ofMillis(1200);

    @Test
    void storeOutage_failsFastWithAClearErrorAndRecoversWithTheSameStore(@TempDir Path data) {
        OperationCounter calls = new OperationCounter();
        ExecutorService queryThreads = TestClients.queryThreads();
        try (Dynalite dynalite = Dynalite.startPersistent(data.resolve("db"));
             DynamoDbClient client = TestClients.dynamoDb(dynalite.endpoint(), calls, CALL_TIMEOUT)) {
            DynamoDbTables.createIfMissing(client, "outage");
            DynamoDbSubscriptionStore store = new DynamoDbSubscriptionStore(client, "outage", Clock.systemUTC(), queryThreads);
            store.putConnection(new ConnectionRecord("c1", System.currentTimeMillis(), Map.of()));
            store.addSubscription("c1", "s1", ChannelPattern.parse("/chat/*"), 200);
            assertEquals(List.of(new Subscriber("c1", "s1")), store.findSubscribers(ROOM));

            // A hung server: connections open, no answers; the SDK's timeout ends the call.
            dynalite.suspend();
            StoreUnavailableException hung = assertUnavailable(() -> store.findSubscribers(ROOM));
            System.out.println("[outage] hung server: " + hung.getMessage());
            assertTrue(hung.getMessage().startsWith("Subscription store unavailable: DynamoDB Query on table 'outage' failed: "),
                hung.getMessage());
            dynalite.resume();
            assertEquals(List.of(new Subscriber("c1", "s1")), store.findSubscribers(ROOM));

            // A stopped server: connections refused.
            dynalite.stop();
            StoreUnavailableException down = assertUnavailable(() -> store.findSubscribers(ROOM));
            System.out.println("[outage] stopped server: " + down.getMessage());
            assertTrue(down.getMessage().startsWith("Subscription store unavailable: DynamoDB Query on table 'outage' failed: "),
                down.getMessage());
            assertTrue(assertUnavailable(() -> store.addSubscription("c1", "s2", ChannelPattern.parse("/chat/*"), 200))
                .getMessage().contains("DynamoDB UpdateItem on table 'outage'"));
            assertTrue(assertUnavailable(() -> store.putConnection(new ConnectionRecord("c2", 1L, Map.of())))
                .getMessage().contains("DynamoDB PutItem on table 'outage'"));
            assertTrue(assertUnavailable(() -> store.removeSubscription("c1", "s1"))
                .getMessage().contains("DynamoDB DeleteItem on table 'outage'"));
            assertTrue(assertUnavailable(() -> store.removeConnection("c1"))
                .getMessage().contains("DynamoDB Query on table 'outage'"));

            dynalite.restart();

            assertEquals(List.of(new Subscriber("c1", "s1")), store.findSubscribers(ROOM));
            store.addSubscription("c1", "s2", ChannelPattern.parse("/chat/room1"), 200);
            assertEquals(Set.of(new Subscriber("c1", "s1"), new Subscriber("c1", "s2")), Set.copyOf(store.findSubscribers(ROOM)));
            assertEquals(0, calls.total("Scan"));
        } finally {
            queryThreads.shutdownNow();
        }
    }

    /** The call fails as unavailable, within the SDK's call timeout plus a margin, keeping the SDK's exception. */
    private static StoreUnavailableException assertUnavailable(Executable call) {
        long start = System.nanoTime();
        StoreUnavailableException e = assertThrows(StoreUnavailableException.class, call);
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertTrue(took.compareTo(CALL_TIMEOUT.plusSeconds(1)) < 0, "took " + took);
        assertTrue(e.getCause() instanceof SdkClientException, String.valueOf(e.getCause()));
        return e;
    }
}
