package io.switchboard.core.config;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The fan-out settings: shard size, worker function, Lambda endpoint, the account's @connections rate. */
class FanOutConfigTest {

    @Test
    void defaults_shardsOf2000_noWorkerFunction_quotaOf10000() {
        SwitchboardConfig config = SwitchboardConfig.from(Map.<String, String>of()::get);
        assertEquals(2_000, config.fanOutShardSize());
        assertNull(config.fanOutFunction());
        assertNull(config.lambdaEndpoint());
        assertEquals(10_000, config.connectionsRps());
        assertTrue(SwitchboardConfig.VARIABLES.containsAll(java.util.List.of("SWITCHBOARD_FANOUT_SHARD_SIZE",
            "SWITCHBOARD_FANOUT_FUNCTION", "SWITCHBOARD_CONNECTIONS_RPS")));
    }

    @Test
    void set_areReadAndKeptByWithNamespaces() {
        SwitchboardConfig config = SwitchboardConfig.from(Map.of(
            "SWITCHBOARD_FANOUT_SHARD_SIZE", "500",
            "SWITCHBOARD_FANOUT_FUNCTION", " arn:aws:lambda:eu-west-1:123456789012:function:sb-FanOut:live ",
            "SWITCHBOARD_CONNECTIONS_RPS", "20000")::get);
        SwitchboardConfig copy = config.withNamespaces(config.namespaces());
        assertEquals(500, copy.fanOutShardSize());
        assertEquals("arn:aws:lambda:eu-west-1:123456789012:function:sb-FanOut:live", copy.fanOutFunction());
        assertEquals(20_000, copy.connectionsRps());
    }

    @Test
    void lambdaEndpoint_theSdksVariable_elseItsSystemPropertyName_blankIsUnset() {
        assertEquals("http://127.0.0.1:3001", SwitchboardConfig.from(Map.of(
            "AWS_ENDPOINT_URL_LAMBDA", " http://127.0.0.1:3001 ", "aws.endpointUrlLambda", "http://127.0.0.1:3002")::get)
            .withNamespaces(Map.of()).lambdaEndpoint());
        assertEquals("http://127.0.0.1:3002", SwitchboardConfig.from(Map.of(
            "AWS_ENDPOINT_URL_LAMBDA", " ", "aws.endpointUrlLambda", "http://127.0.0.1:3002")::get).lambdaEndpoint());
        assertNull(SwitchboardConfig.from(Map.of("AWS_ENDPOINT_URL_LAMBDA", "")::get).lambdaEndpoint());
        assertTrue(SwitchboardConfig.VARIABLES.containsAll(java.util.List.of("AWS_ENDPOINT_URL_LAMBDA", "aws.endpointUrlLambda")));
    }

    @Test
    void invalid_failsNamingTheVariable() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> SwitchboardConfig.from(Map.of("SWITCHBOARD_FANOUT_SHARD_SIZE", "0")::get));
        assertTrue(e.getMessage().startsWith("SWITCHBOARD_FANOUT_SHARD_SIZE"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
            () -> SwitchboardConfig.from(Map.of("SWITCHBOARD_CONNECTIONS_RPS", "lots")::get));
        assertTrue(e.getMessage().startsWith("SWITCHBOARD_CONNECTIONS_RPS"), e.getMessage());
    }
}
