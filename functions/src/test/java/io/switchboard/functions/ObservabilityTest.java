package io.switchboard.functions;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.core.auth.ApiKeyAuthProvider;
import io.switchboard.core.config.SwitchboardConfig;
import io.switchboard.core.memory.InMemorySubscriptionStore;
import io.switchboard.core.memory.RecordingConnectionSender;
import io.switchboard.core.plugin.Plugins;
import io.switchboard.core.spi.Metrics.Metric;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import static io.switchboard.functions.FunctionsTest.CONNECTION;
import static io.switchboard.functions.FunctionsTest.FIXTURE_KEY;
import static io.switchboard.functions.LambdaRuntime.invoke;
import static io.switchboard.functions.LambdaRuntime.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Logs and metrics as CloudWatch receives them: the functions driven through the Lambda runtime's serialization,
 * standard output captured for the EMF lines, and the real log4j2.xml layout captured for the JSON log lines.
 */
class ObservabilityTest {
    private static final String PAYLOAD = "hello world"; // in publish.json's events

    private InMemorySubscriptionStore store;
    private RecordingConnectionSender sender;
    private SwitchboardRuntime runtime;

    @BeforeEach
    void setUp() {
        store = new InMemorySubscriptionStore();
        sender = new RecordingConnectionSender();
        SwitchboardConfig config = SwitchboardConfig.from(
            Map.of("SWITCHBOARD_API_KEYS", ApiKeyAuthProvider.digestHex(FIXTURE_KEY))::get);
        runtime = new SwitchboardRuntime(config, c -> store, c -> sender, Plugins.shared(),
            EmfMetrics.from(Map.of("POWERTOOLS_SERVICE_NAME", "switchboard")::get));
    }

    @Test
    void emfLines_oneValidJsonDocumentPerInvocationThatCounted_withTheMetricNames() {
        List<String> lines = stdout(() -> {
            invoke(new ConnectFunction(runtime), "connect.json");
            invoke(new MessageFunction(runtime), "connection-init.json");          // counts nothing: no line
            invoke(new MessageFunction(runtime), "subscribe.json");
            invoke(new MessageFunction(runtime), "publish.json");
            invoke(new PublishFunction(runtime), "http-publish.json");
            invoke(new DisconnectFunction(runtime), "disconnect.json");            // counts nothing: no line
            return null;
        });
        assertEquals(4, lines.size(), () -> "one EMF line per counting invocation: " + lines);
        List<Set<String>> names = new ArrayList<>();
        for (String line : lines) {
            JsonNode emf = json(line);                                              // throws if not valid JSON
            JsonNode aws = emf.path("_aws");
            assertTrue(aws.path("Timestamp").canConvertToLong() && aws.path("Timestamp").asLong() > 1_700_000_000_000L, line);
            JsonNode directive = aws.path("CloudWatchMetrics").get(0);
            assertEquals("Switchboard", directive.path("Namespace").asText(), line);
            assertEquals(json("[[\"service\"]]"), directive.path("Dimensions"), line);
            assertEquals("switchboard", emf.path("service").asText(), "every dimension has a value");
            Set<String> lineNames = new LinkedHashSet<>();
            for (JsonNode metric : directive.path("Metrics")) {
                String name = metric.path("Name").asText();
                lineNames.add(name);
                assertTrue(emf.path(name).isNumber() || emf.path(name).isArray(), name + " has a value in " + line);
                assertTrue(Set.of("Count", "Milliseconds").contains(metric.path("Unit").asText()), line);
            }
            names.add(lineNames);
            assertTrue(emf.path("request_id").isTextual(), "API Gateway's request id: " + line);
            assertTrue(emf.path("function_request_id").isTextual(), "Lambda's request id: " + line);
            assertFalse(line.contains(FIXTURE_KEY) || line.contains(PAYLOAD) || line.contains("header-"), line);
        }
        assertEquals(List.of(
            Set.of("Connects"),
            Set.of("Subscribes"),
            Set.of("Deliveries", "GoneConnections", "FailedSends", "FanOutLatency", "Publishes"),
            Set.of("Deliveries", "GoneConnections", "FailedSends", "FanOutLatency", "Publishes")), names);
        JsonNode wsPublish = json(lines.get(2));
        assertEquals("publish", wsPublish.path("route").asText());
        assertEquals("R1knPH17NjMFftw=", wsPublish.path("request_id").asText());
        assertEquals(1, wsPublish.path("Publishes").asInt());
        assertEquals(2, wsPublish.path("Deliveries").asInt(), "two events to one subscriber");
        assertEquals(0, wsPublish.path("GoneConnections").asInt());
        assertEquals("POST /event", json(lines.get(3)).path("route").asText());
    }

    @Test
    void emfLines_countGoneConnections() {
        List<String> lines = stdout(() -> {
            invoke(new ConnectFunction(runtime), "connect.json");
            invoke(new MessageFunction(runtime), "subscribe.json");
            sender.markGone(CONNECTION);
            invoke(new PublishFunction(runtime), "http-publish.json");
            return null;
        });
        JsonNode publish = json(lines.get(lines.size() - 1));
        assertEquals(0, publish.path("Deliveries").asInt());
        assertEquals(1, publish.path("GoneConnections").asInt());
    }

    @Test
    void emfLine_keepsLatencySamplesApartAndSumsCounts() {
        EmfMetrics metrics = new EmfMetrics("Ns", "svc", () -> System.out);
        Map<Metric, List<Double>> counted = new EnumMap<>(Metric.class);
        counted.put(Metric.DELIVERIES, List.of(2.0, 3.0));
        counted.put(Metric.FAN_OUT_LATENCY, List.of(1.5, 0.25));
        JsonNode emf = json(metrics.line(counted, 1_767_225_600_000L));
        assertEquals(json("{\"_aws\":{\"Timestamp\":1767225600000,\"CloudWatchMetrics\":[{\"Namespace\":\"Ns\","
            + "\"Dimensions\":[[\"service\"]],\"Metrics\":[{\"Name\":\"Deliveries\",\"Unit\":\"Count\"},"
            + "{\"Name\":\"FanOutLatency\",\"Unit\":\"Milliseconds\"}]}]},\"service\":\"svc\",\"Deliveries\":5,"
            + "\"FanOutLatency\":[1.5,0.25]}"), emf);
    }

    @Test
    void emf_disabledByPowertoolsVariable_writesNothing() {
        runtime = new SwitchboardRuntime(runtime.config(), c -> store, c -> sender, Plugins.shared(),
            EmfMetrics.from(Map.of("POWERTOOLS_METRICS_DISABLED", "true")::get));
        assertEquals(List.of(), stdout(() -> invoke(new ConnectFunction(runtime), "connect.json")));
    }

    @Test
    void jsonLogs_carryConnectionRouteAndRequestIds_andColdStart_neverTheKey() {
        String logs = log4jJson(() -> {
            invoke(new ConnectFunction(runtime), "connect.json");
            invoke(new ConnectAuthorizerFunction(runtime), "connect-authorizer.json");
            return null;
        });
        List<JsonNode> lines = new ArrayList<>();
        for (String line : logs.split("\\R")) {
            if (!line.isBlank()) {
                lines.add(json(line));
            }
        }
        JsonNode connected = lines.stream().filter(l -> l.path("message").asText().startsWith("connected"))
            .findFirst().orElseThrow(() -> new AssertionError("no 'connected' line in " + logs));
        assertEquals(CONNECTION, connected.path("connection_id").asText());
        assertEquals("$connect", connected.path("route").asText());
        assertEquals("R1kmxHpLNjMFc6w=", connected.path("request_id").asText());
        assertTrue(connected.has("cold_start"), "Powertools adds cold_start: " + connected);
        JsonNode authorized = lines.stream().filter(l -> l.path("message").asText().startsWith("connect authorization"))
            .findFirst().orElseThrow(() -> new AssertionError("no authorizer line in " + logs));
        assertTrue(authorized.path("request_id").isTextual(), authorized.toString());
        assertFalse(logs.contains(FIXTURE_KEY) || logs.contains("header-ey"), logs);
    }

    /** What {@code body} printed on standard output, by line. */
    private static List<String> stdout(Supplier<?> body) {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            body.get();
        } finally {
            System.setOut(original);
        }
        return captured.toString(StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).toList();
    }

    /** What the {@code io.switchboard} loggers wrote through log4j2.xml's JSON layout while {@code body} ran. */
    private static String log4jJson(Supplier<?> body) {
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        Configuration configuration = context.getConfiguration();
        Appender json = configuration.getAppender("JsonAppender");
        StringWriter writer = new StringWriter();
        WriterAppender capture = WriterAppender.newBuilder().setName("capture").setTarget(writer)
            .setLayout(json.getLayout()).build();
        capture.start();
        configuration.addAppender(capture);
        configuration.getLoggerConfig("io.switchboard").addAppender(capture, null, null);
        context.updateLoggers();
        try {
            body.get();
        } finally {
            configuration.getLoggerConfig("io.switchboard").removeAppender("capture");
            context.updateLoggers();
            capture.stop();
        }
        return writer.toString();
    }
}
