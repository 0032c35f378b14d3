package io.switchboard.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EndpointsTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            // AppSync: the host label swaps, the path gains /realtime
            "https://abc123.appsync-api.us-east-1.amazonaws.com/event, wss://abc123.appsync-realtime-api.us-east-1.amazonaws.com/event/realtime",
            "https://ABC123.appsync-api.eu-west-3.amazonaws.com/event/, wss://abc123.appsync-realtime-api.eu-west-3.amazonaws.com/event/realtime",
            "https://abc.appsync-api.cn-north-1.amazonaws.com.cn/event, wss://abc.appsync-realtime-api.cn-north-1.amazonaws.com.cn/event/realtime",
            // custom domains and everything else: same host, /realtime appended, the scheme's WebSocket twin
            "https://api.example.com/event, wss://api.example.com/event/realtime",
            "http://127.0.0.1:8080/event, ws://127.0.0.1:8080/event/realtime",
            "https://127.0.0.1:8443/event?x=1, wss://127.0.0.1:8443/event/realtime",
            "http://localhost:8080, ws://localhost:8080/realtime",
            "https://xyz.execute-api.us-east-1.amazonaws.com/event, wss://xyz.execute-api.us-east-1.amazonaws.com/event/realtime",
            // a host that merely contains the label is not an AppSync host
            "https://appsync-api.example.com/event, wss://appsync-api.example.com/event/realtime",
    })
    void realtime_derivesLikeTheAwsClients(String endpoint, String expected) {
        assertEquals(URI.create(expected), Endpoints.realtime(URI.create(endpoint)));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "http://127.0.0.1:8080/event, 127.0.0.1:8080",
            "https://abc.appsync-api.us-east-1.amazonaws.com/event, abc.appsync-api.us-east-1.amazonaws.com",
            "https://api.example.com:443/event, api.example.com",
            "http://api.example.com:80/event, api.example.com",
            "https://api.example.com:8443/event, api.example.com:8443",
            "http://[::1]:9000/event, [::1]:9000",
    })
    void host_isHostAndNonDefaultPort(String endpoint, String expected) {
        assertEquals(expected, Endpoints.host(URI.create(endpoint)));
    }

    @Test
    void builder_rejectsWrongSchemesAndMissingParts() {
        assertThrows(IllegalArgumentException.class, () -> SwitchboardClient.newBuilder().endpoint(URI.create("ws://h/event")));
        assertThrows(IllegalArgumentException.class, () -> SwitchboardClient.newBuilder().endpoint(URI.create("/event")));
        assertThrows(IllegalArgumentException.class,
                () -> SwitchboardClient.newBuilder().realtimeEndpoint(URI.create("https://h/event/realtime")));
        assertThrows(IllegalStateException.class, () -> SwitchboardClient.newBuilder().auth(Auth.apiKey("k")).build());
        assertThrows(IllegalStateException.class, () -> SwitchboardClient.newBuilder().endpoint(URI.create("http://h/event")).build());
        assertThrows(IllegalArgumentException.class, () -> Auth.apiKey(" "));
    }

    @Test
    void build_derivesTheRealtimeEndpointUnlessGiven() {
        SwitchboardClient derived = SwitchboardClient.newBuilder().endpoint(URI.create("http://127.0.0.1:8080/event"))
                .auth(Auth.apiKey("k")).build();
        assertEquals(URI.create("ws://127.0.0.1:8080/event/realtime"), derived.realtimeEndpoint());
        SwitchboardClient given = SwitchboardClient.newBuilder().endpoint(URI.create("https://h.execute-api.us-east-1.amazonaws.com/event"))
                .realtimeEndpoint(URI.create("wss://w.execute-api.us-east-1.amazonaws.com/prod"))
                .auth(Auth.apiKey("k")).build();
        assertEquals(URI.create("wss://w.execute-api.us-east-1.amazonaws.com/prod"), given.realtimeEndpoint());
        derived.close();
        given.close();
    }
}
