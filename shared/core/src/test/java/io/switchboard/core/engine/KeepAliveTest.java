package io.switchboard.core.engine;

import io.switchboard.core.channel.ChannelPath;
import io.switchboard.core.channel.ChannelPattern;
import io.switchboard.core.memory.InMemorySubscriptionStore;
import io.switchboard.core.memory.RecordingConnectionSender;
import io.switchboard.core.spi.ConnectionRecord;
import io.switchboard.core.spi.ConnectionSender;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class KeepAliveTest {
    private static final long NO_DEADLINE = System.nanoTime() + 3_600_000_000_000L;

    private final InMemorySubscriptionStore store = new InMemorySubscriptionStore();
    private final RecordingConnectionSender sender = new RecordingConnectionSender();

    @Test
    void run_everyShard_sendsOneKaToEachConnection() {
        for (int i = 0; i < 50; i++) {
            connect("c" + i);
        }

        long delivered = 0;
        for (int shard = 0; shard < 3; shard++) {
            delivered += new KeepAlive(store, sender, 4).run(shard, 3, NO_DEADLINE).delivered();
        }

        assertEquals(50, delivered);
        for (int i = 0; i < 50; i++) {
            assertEquals(List.of("{\"type\":\"ka\"}"), sender.sent("c" + i), "c" + i);
        }
    }

    @Test
    void run_goneConnection_isPurgedWithItsSubscriptions() {
        connect("alive");
        connect("gone");
        store.addSubscription("gone", "s1", ChannelPattern.parse("/chat/*"), 200);
        sender.markGone("gone");

        KeepAlive.Report report = new KeepAlive(store, sender, 2).run(0, 1, NO_DEADLINE);

        assertEquals(new KeepAlive.Report(2, 1, 1, 0, 0, report.millis()), report);
        assertEquals(List.of(), store.findSubscribers(ChannelPath.parse("/chat/room")));
        assertEquals(1, store.connectionCount());
    }

    @Test
    void run_failingOrThrowingSender_countsFailuresAndKeepsTheConnections() {
        connect("c1");
        connect("c2");
        AtomicInteger calls = new AtomicInteger();
        ConnectionSender broken = new ConnectionSender() {
            @Override
            public SendResult send(String connectionId, String frame) {
                if (calls.incrementAndGet() == 1) {
                    throw new IllegalStateException("sender bug");
                }
                return SendResult.FAILED;
            }

            @Override
            public void close(String connectionId) {
            }
        };

        KeepAlive.Report report = new KeepAlive(store, broken, 1).run(0, 1, NO_DEADLINE);

        assertEquals(2, report.failed());
        assertEquals(2, store.connectionCount());
    }

    @Test
    void run_pastTheDeadline_skipsTheRest() {
        for (int i = 0; i < 5; i++) {
            connect("c" + i);
        }

        KeepAlive.Report report = new KeepAlive(store, sender, 2).run(0, 1, System.nanoTime() - 1);

        assertEquals(5, report.connections());
        assertEquals(5, report.skipped());
        assertEquals(0, report.delivered());
    }

    @Test
    void create_withoutParallelism_isRefused() {
        assertThrows(IllegalArgumentException.class, () -> new KeepAlive(store, sender, 0));
    }

    private void connect(String id) {
        store.putConnection(new ConnectionRecord(id, 1L, Map.of()));
    }
}
