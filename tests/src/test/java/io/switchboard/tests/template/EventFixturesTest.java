package io.switchboard.tests.template;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static io.switchboard.tests.template.CloudFormationTemplate.map;
import static io.switchboard.tests.template.CloudFormationTemplate.properties;
import static io.switchboard.tests.template.CloudFormationTemplate.refTarget;
import static io.switchboard.tests.template.CloudFormationTemplate.subText;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code events/index.json} maps each function of {@code template.yaml} to its API Gateway event fixtures (for
 * {@code sam local invoke <Function> -e events/<file>} and for tests). Every function has at least one, every
 * fixture is listed and parses, and each fixture's route is one that reaches the function it is listed under.
 */
class EventFixturesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern FUNCTION_IN_URI = Pattern.compile("functions/\\$\\{(\\w+)\\.Arn}");

    private static Path events;
    private static CloudFormationTemplate template;
    private static Map<String, List<String>> index;

    @BeforeAll
    static void read() throws IOException {
        events = Project.root().resolve("events");
        template = CloudFormationTemplate.read(Project.template());
        index = new LinkedHashMap<>();
        JsonNode root = JSON.readTree(events.resolve("index.json").toFile());
        assertTrue(root.isObject(), "events/index.json must map function logical ids to lists of file names");
        for (Map.Entry<String, JsonNode> entry : root.properties()) {
            assertTrue(entry.getValue().isArray(), "events/index.json: " + entry.getKey() + " must list file names");
            List<String> files = new ArrayList<>();
            entry.getValue().forEach(file -> files.add(file.asText()));
            index.put(entry.getKey(), files);
        }
    }

    @Test
    void index_listsEveryFunctionOfTheTemplate_withAtLeastOneEvent() {
        assertEquals(new TreeSet<>(template.functionIds()), new TreeSet<>(index.keySet()),
            "events/index.json keys must be exactly the template's functions");
        index.forEach((function, files) -> assertFalse(files.isEmpty(), function + " has no event in events/"));
    }

    @Test
    void index_listsFilesThatExistAndParse() throws IOException {
        for (Map.Entry<String, List<String>> entry : index.entrySet()) {
            for (String file : entry.getValue()) {
                Path path = events.resolve(file);
                assertTrue(Files.isRegularFile(path), entry.getKey() + ": events/" + file + " does not exist");
                assertTrue(JSON.readTree(path.toFile()).isObject(), "events/" + file + " is not a JSON object");
            }
        }
    }

    @Test
    void index_listsEveryEventFileOnce() throws IOException {
        List<String> listed = index.values().stream().flatMap(List::stream).toList();
        Set<String> present = new TreeSet<>();
        try (Stream<Path> files = Files.list(events)) {
            files.map(p -> p.getFileName().toString())
                .filter(name -> name.endsWith(".json") && !name.equals("index.json") && !name.equals("env.json"))
                .forEach(present::add);
        }
        assertEquals(listed.size(), Set.copyOf(listed).size(), "a file is listed twice in events/index.json");
        assertEquals(present, new TreeSet<>(listed), "events/*.json and events/index.json differ");
    }

    @Test
    void event_comesFromARouteOfItsFunction() throws IOException {
        Map<String, Set<String>> routesOf = routesByFunction();
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, List<String>> entry : index.entrySet()) {
            for (String file : entry.getValue()) {
                JsonNode event = JSON.readTree(events.resolve(file).toFile());
                String route = event.has("version")
                    ? event.path("routeKey").asText()                              // HTTP API, payload 2.0
                    : event.path("requestContext").path("routeKey").asText();      // WebSocket
                if ("REQUEST".equals(event.path("type").asText())) {
                    route = "authorizer " + route;                                 // REQUEST authorizer event
                }
                if (event.has("fanOut")) {
                    route = "invoke";                                              // a fan-out shard (asynchronous invoke)
                }
                if ("Scheduled Event".equals(event.path("detail-type").asText())) {
                    route = "schedule";                                            // EventBridge Schedule event
                }
                Set<String> routes = routesOf.getOrDefault(entry.getKey(), Set.of());
                if (!routes.contains(route)) {
                    problems.add("events/" + file + " (" + route + ") is listed under " + entry.getKey()
                        + ", whose routes are " + routes);
                }
            }
        }
        assertEquals(List.of(), problems);
    }

    /** Function logical id to the routes that invoke it: WebSocket route keys, HTTP "METHOD /path", authorizers. */
    private static Map<String, Set<String>> routesByFunction() {
        Map<String, Set<String>> routes = new LinkedHashMap<>();
        template.resourcesOfType("AWS::ApiGatewayV2::Route").forEach((id, resource) -> {
            Map<String, Object> route = properties(resource);
            String routeKey = String.valueOf(route.get("RouteKey"));
            String target = subText(route.get("Target"));
            if (target != null && target.startsWith("integrations/${")) {
                String integration = target.substring("integrations/${".length(), target.length() - 1);
                String function = functionIn(template.properties(integration).get("IntegrationUri"));
                routes.computeIfAbsent(function, f -> new TreeSet<>()).add(routeKey);
            }
            String authorizer = refTarget(route.get("AuthorizerId"));
            if (authorizer != null) {
                String function = functionIn(template.properties(authorizer).get("AuthorizerUri"));
                routes.computeIfAbsent(function, f -> new TreeSet<>()).add("authorizer " + routeKey);
            }
        });
        // functions invoked by other functions through an alias named in their environment (the fan-out worker)
        for (String function : template.functionIds()) {
            Object invoked = template.environment(function).get("SWITCHBOARD_FANOUT_FUNCTION");
            String target = refTarget(invoked);
            if (target != null && target.endsWith(".Alias")) {
                routes.computeIfAbsent(target.substring(0, target.length() - ".Alias".length()), f -> new TreeSet<>())
                    .add("invoke");
            }
        }
        for (String function : template.functionIds()) {
            Object events = template.properties(function).get("Events");
            if (events == null) {
                continue;
            }
            map(events).values().forEach(e -> {
                if ("HttpApi".equals(map(e).get("Type"))) {
                    Map<String, Object> p = properties(map(e));
                    routes.computeIfAbsent(function, f -> new TreeSet<>()).add(p.get("Method") + " " + p.get("Path"));
                } else if ("Schedule".equals(map(e).get("Type"))) {
                    routes.computeIfAbsent(function, f -> new TreeSet<>()).add("schedule");
                }
            });
        }
        return routes;
    }

    private static String functionIn(Object uri) {
        String text = subText(uri);
        Matcher m = text == null ? null : FUNCTION_IN_URI.matcher(text);
        return m != null && m.find() ? m.group(1) : "(unresolved " + uri + ")";
    }
}
