package io.switchboard.tests.template;

import io.switchboard.core.config.SwitchboardConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.switchboard.tests.template.CloudFormationTemplate.map;
import static io.switchboard.tests.template.CloudFormationTemplate.properties;
import static io.switchboard.tests.template.CloudFormationTemplate.refTarget;
import static io.switchboard.tests.template.CloudFormationTemplate.subText;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The keep-alive as the template declares it: a schedule at the KeepAliveRateMinutes parameter, every allowed rate
 * shorter than the advertised connectionTimeoutMs's default and than API Gateway's 10-minute idle timeout, both
 * passed to the functions, and the connections index the walk queries.
 */
class KeepAliveTemplateTest {
    private static CloudFormationTemplate template;

    @BeforeAll
    static void read() {
        template = CloudFormationTemplate.read(Project.template());
    }

    @Test
    void keepAliveFunction_runsOnAScheduleAtTheRateParameter() {
        Map<String, Object> events = map(template.properties("KeepAliveFunction").get("Events"));
        assertEquals(1, events.size(), events.toString());
        Map<String, Object> event = map(events.values().iterator().next());
        assertEquals("Schedule", event.get("Type"));
        assertEquals("rate(${KeepAliveRateMinutes} minutes)", subText(properties(event).get("Schedule")));
    }

    @Test
    void rateParameter_staysUnderApiGatewaysIdleTimeout_andItsDefaultUnderTheClientTimeout() {
        Map<String, Object> rate = map(template.section("Parameters").get("KeepAliveRateMinutes"));
        Map<String, Object> timeout = map(template.section("Parameters").get("ConnectionTimeoutMs"));
        int min = ((Number) rate.get("MinValue")).intValue();
        int max = ((Number) rate.get("MaxValue")).intValue();
        assertTrue(min >= 2, "EventBridge wants 'rate(1 minute)' in the singular; the template writes 'minutes'");
        assertTrue(max < 10, "API Gateway closes sockets idle for 10 minutes");
        int defaultRate = ((Number) rate.get("Default")).intValue();
        int defaultTimeout = ((Number) timeout.get("Default")).intValue();
        assertEquals(300_000, defaultTimeout, "AppSync's own connectionTimeoutMs");

        // the functions accept the defaults, and refuse a rate that clients would time out before
        SwitchboardConfig config = SwitchboardConfig.from(Map.of(
            "SWITCHBOARD_KEEPALIVE_RATE_MINUTES", Integer.toString(defaultRate),
            "SWITCHBOARD_CONNECTION_TIMEOUT_MS", Integer.toString(defaultTimeout))::get);
        assertEquals(defaultRate, config.keepAliveRateMinutes());
        assertThrows(IllegalArgumentException.class, () -> SwitchboardConfig.from(Map.of(
            "SWITCHBOARD_KEEPALIVE_RATE_MINUTES", Integer.toString(max),
            "SWITCHBOARD_CONNECTION_TIMEOUT_MS", Integer.toString(defaultTimeout))::get));
    }

    @Test
    void everyFunction_getsTheTimeoutAndTheRate() {
        Map<String, Object> variables = map(map(template.functionGlobals().get("Environment")).get("Variables"));
        assertEquals("ConnectionTimeoutMs", refTarget(variables.get("SWITCHBOARD_CONNECTION_TIMEOUT_MS")));
        assertEquals("KeepAliveRateMinutes", refTarget(variables.get("SWITCHBOARD_KEEPALIVE_RATE_MINUTES")));
    }

    @Test
    void table_hasTheConnectionsIndex_keysOnly() {
        Map<String, Object> table = template.properties("SubscriptionsTable");
        Map<String, Object> gsi2 = CloudFormationTemplate.list(table.get("GlobalSecondaryIndexes")).stream()
            .map(CloudFormationTemplate::map).filter(i -> "gsi2".equals(i.get("IndexName"))).findFirst()
            .orElseThrow(() -> new AssertionError("no gsi2"));
        assertEquals(List.of(Map.of("AttributeName", "gsi2pk", "KeyType", "HASH"),
            Map.of("AttributeName", "gsi2sk", "KeyType", "RANGE")), gsi2.get("KeySchema"));
        assertEquals(Map.of("ProjectionType", "KEYS_ONLY"), gsi2.get("Projection"));
    }
}
