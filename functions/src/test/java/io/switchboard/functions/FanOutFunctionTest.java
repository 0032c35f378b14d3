package io.switchboard.functions;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.core.auth.ApiKeyAuthProvider;
import io.switchboard.core.config.SwitchboardConfig;
import io.switchboard.core.memory.InMemorySubscriptionStore;
import io.switchboard.core.memory.RecordingConnectionSender;
import io.switchboard.core.protocol.FrameCodec;
import io.switchboard.core.spi.FanOutShard;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static io.switchboard.functions.LambdaRuntime.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The fan-out worker on its fixture, and the SnapStart priming that runs before the snapshot. */
class FanOutFunctionTest {

    @Test
    void fanOutFunction_fixtureShard_deliversTheEventToEverySubscriberAndCountsIt() throws IOException {
        InMemorySubscriptionStore store = new InMemorySubscriptionStore();
        RecordingConnectionSender sender = new RecordingConnectionSender();
        SwitchboardConfig config = SwitchboardConfig.from(
            Map.of("SWITCHBOARD_API_KEYS", ApiKeyAuthProvider.digestHex("da2-unused"))::get);
        FanOutFunction function = new FanOutFunction(SwitchboardRuntime.of(config, store, sender));
        byte[] payload = LambdaRuntime.event("fanout-shard.json").getBytes(StandardCharsets.UTF_8);
        FanOutShard shard = FanOutShard.parse(payload);

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        function.handleRequest(new ByteArrayInputStream(payload), out, new LambdaRuntime.TestContext());

        JsonNode answer = json(out.toString(StandardCharsets.UTF_8));
        assertEquals(3, answer.path("delivered").asInt(), answer.toString());
        assertEquals(0, answer.path("failed").asInt());
        String event = "{\"headline\":\"Fan-out worker test\",\"n\":1}";
        assertEquals(List.of("{\"type\":\"data\",\"id\":\"sub-3\",\"event\":" + FrameCodec.quote(event) + "}"),
            sender.sent(shard.subscribers().get(2).connectionId()));
    }

    @Test
    void fanOutFunction_notAShard_logsAndFinishesWithoutThrowing() throws IOException {
        SwitchboardConfig config = SwitchboardConfig.from(Map.of("SWITCHBOARD_STORE", "memory")::get);
        FanOutFunction function = new FanOutFunction(SwitchboardRuntime.of(config, new InMemorySubscriptionStore(),
            new RecordingConnectionSender()));
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        function.handleRequest(new ByteArrayInputStream("{\"hello\":1}".getBytes(StandardCharsets.UTF_8)), out,
            new LambdaRuntime.TestContext());

        assertTrue(out.toString(StandardCharsets.UTF_8).contains("not a fan-out shard"));
    }

    @Test
    void priming_exercisesEveryClientOnCannedAnswers_withoutANetwork() {
        Map<String, Integer> calls = SnapStartPriming.prime("eu-west-1");

        assertTrue(calls.getOrDefault("dynamodb", 0) >= 3, calls::toString);
        assertTrue(calls.getOrDefault("connections", 0) >= 1, calls::toString);
        assertTrue(calls.getOrDefault("lambda", 0) >= 1, calls::toString);
    }
}
