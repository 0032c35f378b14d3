package io.switchboard.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class GatewayLogTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"x-api-key\":\"da2-secret\",\"host\":\"h\"}                         | {\"x-api-key\":\"***\",\"host\":\"h\"}",
        "{\"Authorization\": \"Bearer abc\\\"def\"}                            | {\"Authorization\": \"***\"}",
        "{\"authorization\":{\"X-Api-Key\":\"k\"}}                             | {\"authorization\":{\"X-Api-Key\":\"***\"}}",
        "subprotocols=aws-appsync-event-ws, header-eyJob3N0IjoiaCJ9            | subprotocols=aws-appsync-event-ws, header-***",
        "{\"type\":\"publish\",\"events\":[\"x-api-key\"]}                     | {\"type\":\"publish\",\"events\":[\"x-api-key\"]}",
    })
    void mask_hidesCredentials(String text, String masked) {
        assertEquals(masked, GatewayLog.mask(text));
    }

    @Test
    void trace_printsOnlyWhenEnabled() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        new GatewayLog(new PrintStream(err, true, StandardCharsets.UTF_8), false).trace("c1", "<-", "hello");
        assertEquals("", err.toString(StandardCharsets.UTF_8));
        new GatewayLog(new PrintStream(err, true, StandardCharsets.UTF_8), true).trace("c1", "<-", "{\"x-api-key\":\"k\"}");
        assertTrue(err.toString(StandardCharsets.UTF_8).endsWith("c1 <- {\"x-api-key\":\"***\"}" + System.lineSeparator()));
    }
}
