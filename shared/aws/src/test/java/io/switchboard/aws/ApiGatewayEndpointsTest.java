package io.switchboard.aws;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.URI;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ApiGatewayEndpointsTest {

    @ParameterizedTest(name = "{0} + stage {1} + base path {2} -> {3}")
    @CsvSource(nullValues = "null", value = {
        "abc123.execute-api.eu-west-1.amazonaws.com,    prod, null,       https://abc123.execute-api.eu-west-1.amazonaws.com/prod",
        "abc123.execute-api.eu-west-1.amazonaws.com,    dev,  ignored,    https://abc123.execute-api.eu-west-1.amazonaws.com/dev",
        "ABC123.EXECUTE-API.US-EAST-1.AMAZONAWS.COM,    prod, null,       https://ABC123.EXECUTE-API.US-EAST-1.AMAZONAWS.COM/prod",
        "abc123.execute-api.cn-north-1.amazonaws.com.cn, prod, null,      https://abc123.execute-api.cn-north-1.amazonaws.com.cn/prod",
        "ws.example.com,                                prod, null,       https://ws.example.com",
        "ws.example.com,                                prod, '',         https://ws.example.com",
        "ws.example.com,                                prod, realtime,   https://ws.example.com/realtime",
        "ws.example.com,                                prod, /realtime/, https://ws.example.com/realtime",
        "ws.example.com,                                prod, v1/events,  https://ws.example.com/v1/events",
        "amazonaws.com.example.org,                     prod, null,       https://amazonaws.com.example.org",
    })
    void managementEndpoint_fromTheRequestContext(String domain, String stage, String basePath, String expected) {
        assertEquals(URI.create(expected), ApiGatewayEndpoints.managementEndpoint(domain, stage, basePath));
    }

    @Test
    void managementEndpoint_twoArguments_hasNoBasePath() {
        assertEquals(URI.create("https://ws.example.com"), ApiGatewayEndpoints.managementEndpoint("ws.example.com", "prod"));
        assertEquals(URI.create("https://a.execute-api.us-east-1.amazonaws.com/prod"),
            ApiGatewayEndpoints.managementEndpoint("a.execute-api.us-east-1.amazonaws.com", "prod"));
    }

    @Test
    void managementEndpoint_explicitEndpoint_wins() {
        URI local = URI.create("http://127.0.0.1:3001/local");

        assertEquals(local, ApiGatewayEndpoints.managementEndpoint(local, "a.execute-api.us-east-1.amazonaws.com", "prod", null));
        assertEquals(URI.create("https://a.execute-api.us-east-1.amazonaws.com/prod"),
            ApiGatewayEndpoints.managementEndpoint(null, "a.execute-api.us-east-1.amazonaws.com", "prod", null));
    }

    @Test
    void managementEndpoint_missingParts_areRefused() {
        assertThrows(IllegalArgumentException.class, () -> ApiGatewayEndpoints.managementEndpoint(" ", "prod"));
        assertThrows(IllegalArgumentException.class,
            () -> ApiGatewayEndpoints.managementEndpoint("a.execute-api.us-east-1.amazonaws.com", null));
    }
}
