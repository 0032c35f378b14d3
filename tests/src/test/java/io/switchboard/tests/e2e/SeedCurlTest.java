package io.switchboard.tests.e2e;

import static io.switchboard.tests.support.Json.assertFrame;
import static io.switchboard.tests.e2e.Stack.API_KEY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import io.switchboard.tests.support.Json;
import io.switchboard.tests.support.WsClient;

/**
 * The seed's first-run check, verbatim: {@code curl -H "x-api-key:$KEY" http://127.0.0.1:PORT/event -d '{...}'}
 * (real curl, which sends the body as {@code application/x-www-form-urlencoded}) reaches a Java WebSocket
 * subscriber of {@code /sample/channel/*} and prints {@code {"failed":[],"successful":[...]}}.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(Store.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SeedCurlTest {

    static final Duration CURL_TIMEOUT = Duration.ofSeconds(30);
    static final String SEED_BODY = "{\"channel\":\"/sample/channel/test\",\"events\":[\"{\\\"message\\\":\\\"Hello from curl\\\"}\"]}";

    @Parameter
    Store store;

    static Path curl;
    static Stack stack;

    @BeforeAll
    static void findCurl() {
        curl = Processes.onPath("curl", "The seed's publish check runs the real curl: install curl.");
    }

    @BeforeParameterizedClassInvocation
    static void start(Store store) {
        stack = Stack.start(store);
    }

    @AfterParameterizedClassInvocation
    static void stop() {
        Stack current = stack;
        stack = null;
        Stack.closeAll(current);
    }

    @AfterAll
    static void stopEverything() {
        stop();
    }

    @Test
    void seedCurl_reachesAJavaWebSocketSubscriber_andPrintsFailedAndSuccessful() {
        try (WsClient subscriber = subscribedTo("/sample/channel/*")) {
            Processes.Run run = curl(List.of("-H", "x-api-key:" + API_KEY, "http://127.0.0.1:" + stack.port() + "/event",
                    "-d", SEED_BODY));
            assertEquals(0, run.exitCode(), run.describe());
            assertTrue(run.stdout().matches("\\{\"failed\":\\[],\"successful\":\\[\\{\"identifier\":\"[0-9a-f-]{36}\",\"index\":0}]}"),
                    "curl printed exactly {\"failed\":[],\"successful\":[{\"identifier\":...,\"index\":0}]}:\n" + run.describe());
            assertFrame("{\"failed\":[],\"successful\":[{\"identifier\":\"<uuid>\",\"index\":0}]}", run.stdout());

            assertFrame("{\"type\":\"data\",\"id\":\"seed\",\"event\":\"{\\\"message\\\":\\\"Hello from curl\\\"}\"}",
                    subscriber.nextFrame());
            subscriber.assertNothingWithin(Duration.ofMillis(300));
        }
    }

    @Test
    void seedCurl_overTlsOnTheSamePort_withTheGatewaysCertificate() {
        try (WsClient subscriber = subscribedTo("/sample/channel/*")) {
            Processes.Run run = curl(List.of("--cacert", stack.gateway.certificatePath().toString(),
                    "-H", "x-api-key:" + API_KEY, "https://127.0.0.1:" + stack.port() + "/event", "-d", SEED_BODY));
            assertEquals(0, run.exitCode(), run.describe());
            assertFrame("{\"failed\":[],\"successful\":[{\"identifier\":\"<uuid>\",\"index\":0}]}", run.stdout());
            assertFrame("{\"type\":\"data\",\"id\":\"seed\",\"event\":\"{\\\"message\\\":\\\"Hello from curl\\\"}\"}",
                    subscriber.nextFrame());
        }
    }

    @Test
    void curlWithAWrongKey_is401UnauthorizedException_andReachesNobody() {
        try (WsClient subscriber = subscribedTo("/sample/channel/*")) {
            Processes.Run run = curl(List.of("-s", "-w", "\\n%{http_code}", "-H", "x-api-key:da2-notthekey00000000000000",
                    "http://127.0.0.1:" + stack.port() + "/event", "-d", SEED_BODY));
            assertEquals(0, run.exitCode(), run.describe());
            List<String> lines = run.stdout().lines().toList();
            assertEquals("401", lines.get(lines.size() - 1), run.describe());
            assertFrame("{\"errors\":[{\"errorType\":\"UnauthorizedException\",\"message\":\"<string>\"}]}", lines.get(0));
            subscriber.assertNothingWithin(Duration.ofMillis(500));
        }
    }

    @Test
    void curlBatchOfFive_toADeeperChannel_arrivesInOrderOnTheWildcard() {
        try (WsClient subscriber = subscribedTo("/sample/channel/*")) {
            List<String> events = List.of("{\"n\":1}", "\"two\"", "3", "[4]", "{\"five\":{\"deep\":true}}");
            Processes.Run run = curl(List.of("-s", "-H", "x-api-key:" + API_KEY, "-H", "content-type: application/json",
                    "http://127.0.0.1:" + stack.port() + "/event",
                    "-d", Json.publishBody("/sample/channel/a/b/c", events.toArray(String[]::new))));
            assertEquals(0, run.exitCode(), run.describe());
            StringBuilder successful = new StringBuilder();
            for (int i = 0; i < events.size(); i++) {
                successful.append(i == 0 ? "" : ",").append("{\"identifier\":\"<uuid>\",\"index\":").append(i).append('}');
            }
            assertFrame("{\"failed\":[],\"successful\":[" + successful + "]}", run.stdout());
            List<String> received = new ArrayList<>();
            for (int i = 0; i < events.size(); i++) {
                received.add(subscriber.nextFrame().get("event").textValue());
            }
            assertEquals(events, received);
        }
    }

    private static WsClient subscribedTo(String channel) {
        WsClient subscriber = stack.connect();
        subscriber.send("{\"type\":\"connection_init\"}");
        assertEquals("connection_ack", subscriber.nextFrame().path("type").asText());
        subscriber.subscribe("seed", channel, API_KEY);
        assertFrame("{\"type\":\"subscribe_success\",\"id\":\"seed\"}", subscriber.nextFrame());
        return subscriber;
    }

    private static Processes.Run curl(List<String> arguments) {
        List<String> command = new ArrayList<>();
        command.add(curl.toString());
        command.addAll(arguments);
        return Processes.run(Stack.root(), Map.of(), CURL_TIMEOUT, command);
    }
}
