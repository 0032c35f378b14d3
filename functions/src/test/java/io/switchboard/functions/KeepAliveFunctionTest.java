package io.switchboard.functions;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.core.auth.ApiKeyAuthProvider;
import io.switchboard.core.channel.ChannelPath;
import io.switchboard.core.config.SwitchboardConfig;
import io.switchboard.core.memory.InMemorySubscriptionStore;
import io.switchboard.core.memory.RecordingConnectionSender;
import io.switchboard.core.spi.ConnectionRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.switchboard.functions.LambdaRuntime.invoke;
import static io.switchboard.functions.LambdaRuntime.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The scheduled keep-alive driven with EventBridge's scheduled event from {@code events/}, through the runtime's serializer. */
class KeepAliveFunctionTest {
    private InMemorySubscriptionStore store;
    private RecordingConnectionSender sender;
    private SwitchboardRuntime runtime;

    @BeforeEach
    void setUp() {
        store = new InMemorySubscriptionStore();
        sender = new RecordingConnectionSender();
        SwitchboardConfig config = SwitchboardConfig.from(Map.of(
            "SWITCHBOARD_API_KEYS", ApiKeyAuthProvider.digestHex(FunctionsTest.FIXTURE_KEY),
            "SWITCHBOARD_KEEPALIVE_RATE_MINUTES", "4")::get);
        runtime = SwitchboardRuntime.of(config, store, sender);
    }

    @Test
    void scheduledEvent_sendsKaToEveryConnection_andPurgesGoneOnes() {
        invoke(new ConnectFunction(runtime), "connect.json");
        invoke(new MessageFunction(runtime), "subscribe.json");
        sender.drain(FunctionsTest.CONNECTION);
        for (int i = 0; i < 20; i++) {
            store.putConnection(new ConnectionRecord("other-" + i, 1L, Map.of()));
        }
        store.putConnection(new ConnectionRecord("lost", 1L, Map.of()));
        sender.markGone("lost");

        JsonNode result = invoke(new KeepAliveFunction(runtime), "keepalive-schedule.json");

        assertEquals(json("{\"connections\":22,\"delivered\":21,\"gone\":1,\"failed\":0,\"skipped\":0,\"durationMs\":"
            + result.path("durationMs").asLong() + "}"), result);
        assertEquals(List.of("{\"type\":\"ka\"}"), sender.sent(FunctionsTest.CONNECTION));
        assertEquals(List.of("{\"type\":\"ka\"}"), sender.sent("other-7"));
        assertNull(store.connection("lost"));
        assertTrue(store.findSubscribers(ChannelPath.parse("/sample/channel/x")).size() == 1, "the live subscription stays");
    }

    @Test
    void shardInput_walksOnlyThatPart() {
        for (int i = 0; i < 30; i++) {
            store.putConnection(new ConnectionRecord("c" + i, 1L, Map.of()));
        }

        long total = 0;
        for (int shard = 0; shard < 3; shard++) {
            KeepAliveFunction function = new KeepAliveFunction(runtime);
            Map<String, Object> result = function.handleRequest(Map.of("shard", shard, "shards", 3), new LambdaRuntime.TestContext());
            total += (Long) result.get("delivered");
        }

        assertEquals(30, total);
    }
}
