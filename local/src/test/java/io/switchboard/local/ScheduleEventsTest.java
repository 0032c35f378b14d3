package io.switchboard.local;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The template's {@code Schedule} events, which the gateway fires as EventBridge would (the keep-alive). */
class ScheduleEventsTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "rate(4 minutes)    | PT4M",
        "rate(1 minute)     | PT1M",
        "rate( 2 hours )    | PT2H",
        "rate(1 day)        | PT24H",
        "cron(0 12 * * ? *) | ",
        "rate(0 minutes)    | ",
        "rate(5 seconds)    | ",
    })
    void rate_parsesEventBridgeRateExpressions(String expression, String expected) {
        assertEquals(expected == null ? null : Duration.parse(expected), SamTemplate.rate(expression));
    }

    @Test
    void load_theProjectTemplate_findsTheKeepAliveScheduleAtTheParameterDefault() throws Exception {
        SamTemplate template = SamTemplate.load(Path.of("../template.yaml"), "us-east-1", "000000000000");

        assertEquals(List.of(new SamTemplate.Schedule("KeepAliveFunction", "KeepAlive", "rate(4 minutes)", Duration.ofMinutes(4))),
            template.schedules());
        assertEquals("io.switchboard.functions.KeepAliveFunction::handleRequest",
            template.functions().get("KeepAliveFunction").handler());
    }

    @Test
    void options_scheduleRate_overridesTheTemplatesRate() throws Exception {
        Options options = Cli.parse(new String[] {"--schedule-rate-seconds", "2"});

        assertEquals(Duration.ofSeconds(2), options.scheduleRate());
        assertEquals(null, Options.builder().build().scheduleRate());
    }
}
