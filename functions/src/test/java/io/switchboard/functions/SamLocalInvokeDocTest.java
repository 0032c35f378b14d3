package io.switchboard.functions;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.aws.ApiGatewayConnectionSender;
import io.switchboard.core.auth.ApiKeyAuthProvider;
import io.switchboard.core.config.SwitchboardConfig;
import io.switchboard.core.memory.InMemorySubscriptionStore;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import software.amazon.awssdk.regions.Region;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static io.switchboard.functions.FunctionsTest.FIXTURE_KEY;
import static io.switchboard.functions.LambdaRuntime.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@code events/README.md} cannot drift: each {@code sam local invoke <Function> -e events/<file> --env-vars
 * events/env.json} it lists is run here as sam runs it — a fresh runtime per invocation, configured from
 * {@code env.json} (an empty in-memory store, {@code @connections} at the placeholder endpoint, where nothing
 * listens), the event through the Lambda runtime's serialization — and the result must have what its "Returns" line
 * shows. Every fixture of {@code events/index.json} is documented, and nothing else.
 */
class SamLocalInvokeDocTest {
    private static final Pattern COMMAND = Pattern.compile(
        "sam local invoke (\\w+) -e events/([\\w.-]+\\.json) --env-vars events/env\\.json");
    private static final Pattern RETURNS = Pattern.compile("^Returns `([^`]+)`");
    /** Stands for any value in a documented result. */
    private static final String ANY = "...";

    record Command(String function, String event, JsonNode returns) {
        @Override
        public String toString() {
            return "sam local invoke " + function + " -e events/" + event;
        }
    }

    @TestFactory
    Stream<DynamicTest> everyDocumentedCommand_returnsWhatTheReadmeSays() throws IOException {
        Map<String, String> environment = environment();
        return commands().stream().map(command -> DynamicTest.dynamicTest(command.toString(), () -> {
            JsonNode result = invoke(command, environment);
            List<String> mismatches = new ArrayList<>();
            match(command.returns(), result, "result", mismatches);
            assertEquals(List.of(), mismatches, () -> command + " returned " + result);
        }));
    }

    @Test
    void readme_documentsEveryFixtureOfTheIndex_andOnlyThose() throws IOException {
        Set<String> indexed = new TreeSet<>();
        json(LambdaRuntime.event("index.json")).properties().forEach(function ->
            function.getValue().forEach(file -> indexed.add(function.getKey() + " " + file.asText())));
        Set<String> documented = new TreeSet<>();
        for (Command command : commands()) {
            assertTrue(documented.add(command.function() + " " + command.event()), command + " is listed twice");
        }
        assertEquals(indexed, documented, "events/README.md and events/index.json list different invocations");
    }

    @Test
    void envJson_acceptsTheFixtureKey_keepsSubscriptionsInMemory_andPointsAtAPlaceholder() throws IOException {
        Map<String, String> environment = environment();
        assertEquals(ApiKeyAuthProvider.digestHex(FIXTURE_KEY), environment.get("SWITCHBOARD_API_KEYS"));
        assertEquals("memory", environment.get("SWITCHBOARD_STORE"));
        assertTrue(environment.get("SWITCHBOARD_CONNECTIONS_ENDPOINT").startsWith("http://127.0.0.1:"),
            "@connections must go nowhere but this machine");
    }

    /** The commands of events/README.md with their documented results, in order. */
    static List<Command> commands() throws IOException {
        List<String> lines = Files.readAllLines(LambdaRuntime.eventsDir().resolve("README.md"));
        List<Command> commands = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            Matcher command = COMMAND.matcher(lines.get(i).trim());
            if (!command.matches()) {
                assertTrue(!lines.get(i).trim().startsWith("sam "), "events/README.md line " + (i + 1)
                    + " is a command but not 'sam local invoke <Function> -e events/<file> --env-vars events/env.json'");
                continue;
            }
            JsonNode returns = null;
            for (int j = i + 1; j < lines.size() && returns == null && !COMMAND.matcher(lines.get(j).trim()).matches(); j++) {
                Matcher documented = RETURNS.matcher(lines.get(j));
                if (documented.find()) {
                    returns = json(documented.group(1));
                }
            }
            if (returns == null) {
                fail("events/README.md line " + (i + 1) + ": no \"Returns `{...}`\" line after " + command.group());
            }
            commands.add(new Command(command.group(1), command.group(2), returns));
        }
        assertTrue(commands.size() > 0, "no sam local invoke commands in events/README.md");
        return commands;
    }

    /** events/env.json's variables (its "Parameters" apply to every function), plus the region sam sets. */
    private static Map<String, String> environment() {
        Map<String, String> environment = new HashMap<>();
        environment.put("AWS_REGION", "us-east-1");
        json(LambdaRuntime.event("env.json")).path("Parameters").properties()
            .forEach(variable -> environment.put(variable.getKey(), variable.getValue().asText()));
        return environment;
    }

    /** One sam local invoke: a new runtime (sam starts a new JVM), the function named in the template, the event. */
    private static JsonNode invoke(Command command, Map<String, String> environment) throws ReflectiveOperationException {
        SwitchboardConfig config = SwitchboardConfig.from(environment::get);
        SwitchboardRuntime runtime = new SwitchboardRuntime(config, c -> new InMemorySubscriptionStore(),
            c -> ApiGatewayConnectionSender.create(URI.create(c.connectionsEndpoint()), Region.of(c.region())));
        Object handler = Class.forName(SwitchboardRuntime.class.getPackageName() + "." + command.function())
            .getConstructor(SwitchboardRuntime.class).newInstance(runtime);
        if (handler instanceof RequestStreamHandler stream) {
            return LambdaRuntime.invoke(stream, command.event());
        }
        return LambdaRuntime.invoke((RequestHandler<?, ?>) handler, command.event());
    }

    /**
     * Whether {@code actual} has what {@code documented} shows: every documented field with a matching value (other
     * fields may exist), arrays element by element, {@code "..."} for any value, {@code null} for absent or null; a
     * documented object or array matches a string that holds such JSON (a {@code body}).
     */
    static void match(JsonNode documented, JsonNode actual, String path, List<String> mismatches) {
        if (documented.isNull()) {
            if (actual != null && !actual.isMissingNode() && !actual.isNull()) {
                mismatches.add(path + ": documented as absent, is " + actual);
            }
            return;
        }
        if (actual == null || actual.isMissingNode()) {
            mismatches.add(path + ": documented as " + documented + ", is absent");
            return;
        }
        if (documented.isTextual() && ANY.equals(documented.asText())) {
            return;
        }
        if ((documented.isObject() || documented.isArray()) && actual.isTextual()) {
            actual = json(actual.asText());
        }
        if (documented.isObject()) {
            if (!actual.isObject()) {
                mismatches.add(path + ": documented as an object, is " + actual);
                return;
            }
            for (Iterator<Map.Entry<String, JsonNode>> fields = documented.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                match(field.getValue(), actual.get(field.getKey()), path + "." + field.getKey(), mismatches);
            }
        } else if (documented.isArray()) {
            if (!actual.isArray() || actual.size() != documented.size()) {
                mismatches.add(path + ": documented as " + documented + ", is " + actual);
                return;
            }
            for (int i = 0; i < documented.size(); i++) {
                match(documented.get(i), actual.get(i), path + "[" + i + "]", mismatches);
            }
        } else if (!documented.equals(actual)) {
            mismatches.add(path + ": documented as " + documented + ", is " + actual);
        }
    }

    @Test
    void match_isStrictAboutWhatIsShown() {
        List<String> mismatches = new ArrayList<>();
        match(json("{\"statusCode\":200,\"body\":{\"type\":\"ka\"},\"x\":null,\"id\":\"...\"}"),
            json("{\"statusCode\":200,\"body\":\"{\\\"type\\\":\\\"ka\\\"}\",\"id\":\"abc\",\"extra\":1}"), "r", mismatches);
        assertEquals(List.of(), mismatches);
        match(json("{\"statusCode\":200,\"body\":{\"type\":\"ka\"},\"list\":[1]}"),
            json("{\"statusCode\":400,\"body\":\"{\\\"type\\\":\\\"error\\\"}\",\"list\":[1,2]}"), "r", mismatches);
        assertEquals(Set.of("r.statusCode", "r.body.type", "r.list"), new LinkedHashSet<>(mismatches.stream()
            .map(m -> m.substring(0, m.indexOf(':'))).toList()));
    }
}
