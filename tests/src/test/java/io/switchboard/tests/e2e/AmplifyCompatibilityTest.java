package io.switchboard.tests.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
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

/**
 * The stock, unmodified Amplify JS client (aws-amplify 6.22.1, pinned in {@code tests/node}) against the gateway:
 * {@code node tests/node/amplify-e2e.mjs main|bad-key}. Amplify turns {@code http://127.0.0.1:PORT/event} into
 * {@code wss://127.0.0.1:PORT/event/realtime}, so it trusts the gateway's certificate through
 * {@code NODE_EXTRA_CA_CERTS}. The script checks the client side; this class checks what the gateway saw.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(Store.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class AmplifyCompatibilityTest {

    static final Duration SCRIPT_TIMEOUT = Duration.ofSeconds(90);

    @Parameter
    Store store;

    static Path node;
    static Path nodeDir;
    static Stack stack;

    @BeforeAll
    static void findNodeAndAmplify() {
        node = Processes.onPath("node", "The Amplify suite drives the stock Amplify client on Node.js 20+: install Node.js.");
        nodeDir = Stack.root().resolve("tests/node");
        if (!Files.isDirectory(nodeDir.resolve("node_modules/aws-amplify"))
                || !Files.isDirectory(nodeDir.resolve("node_modules/ws"))) {
            fail(nodeDir.resolve("node_modules/aws-amplify") + " is missing: the pinned Node packages are not installed."
                    + " Run bin/test (it runs 'npm ci' in tests/node), or 'npm ci' in tests/node yourself.");
        }
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
    void main_subscribesPostsPublishesOverWebSocketAndSurvivesARefusal() throws InterruptedException {
        Sampler sampler = Sampler.start();
        Script script;
        try {
            script = run("main");
        } finally {
            sampler.stop();
        }
        assertEquals(List.of("connected", "subscribed", "posted", "post-delivered", "ws-published", "ws-delivered",
                "refused", "alive-after-refusal", "closed"), script.steps(), script.output());

        // events.post got the HTTP publish response body: nothing failed
        JsonNode posted = script.step("posted");
        assertTrue(posted.path("postResult").isNull() || posted.path("postResult").isEmpty()
                || posted.path("postResult").path("failed").isEmpty(), "events.post result: " + script.output());
        // channel.publish resolved: Amplify resolves it only on the publish_success carrying its own id
        assertTrue(script.lines().stream().anyMatch(l -> "ws-published".equals(l.path("step").asText())), script.output());
        // the refusal Amplify's error callback got names ResourceNotFound
        assertTrue(script.step("refused").path("error").asText().contains("ResourceNotFound"), script.output());

        // gateway side, while it ran: one socket (the channels share it), its subscription stored with Amplify's UUID id
        Stack.note("Amplify main: at most " + sampler.maxConnections + " socket(s), subscription ids " + sampler.subscriptionIds);
        assertEquals(1, sampler.maxConnections, "Amplify multiplexes every channel over one socket");
        assertTrue(sampler.subscriptionIds.stream().anyMatch(id -> id.matches("[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}")),
                "the store held Amplify's subscription of /sample/channel/*: " + sampler.subscriptionIds);

        // gateway side: events.closeAll() closed the socket, $disconnect removed its subscriptions
        Stack.await("Amplify's socket to be closed", () -> stack.gateway.connectionCount() == 0);
        Stack.await("Amplify's subscriptions to be removed by $disconnect",
                () -> stack.subscribers("/sample/channel/any").isEmpty());
    }

    @Test
    void badKey_isRejectedAtOnce_withoutRetrying() {
        Script script = run("bad-key");
        JsonNode outcome = script.step("bad-key");
        Stack.note("Amplify bad-key: " + outcome);
        assertTrue(outcome.path("rejected").asBoolean(), script.output());
        String error = outcome.toString();
        assertTrue(error.contains("UnauthorizedException") || error.toLowerCase().contains("unauthorized"),
                "the rejection says why: " + script.output());
        assertTrue(outcome.path("ms").asLong() < 15_000, "rejected within Amplify's first attempt, not after retries: "
                + script.output());

        // gateway side: the refused socket was closed and nothing was subscribed
        Stack.await("the refused socket to be closed", () -> stack.gateway.connectionCount() == 0);
        assertTrue(stack.subscribers("/sample/channel/any").isEmpty());
    }

    /** Watches the gateway while a script runs: open sockets, and the subscriptions a publish to the test channel finds. */
    static final class Sampler implements Runnable {
        final java.util.Set<String> subscriptionIds = java.util.concurrent.ConcurrentHashMap.newKeySet();
        volatile int maxConnections;
        private volatile boolean running = true;
        private final Thread thread = new Thread(this, "gateway sampler");

        static Sampler start() {
            Sampler sampler = new Sampler();
            sampler.thread.setDaemon(true);
            sampler.thread.start();
            return sampler;
        }

        @Override
        public void run() {
            while (running) {
                maxConnections = Math.max(maxConnections, stack.gateway.connectionCount());
                try {
                    stack.subscribers("/sample/channel/test").forEach(s -> subscriptionIds.add(s.subscriptionId()));
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException e) {
                    // the store may be closing; the next sample will tell
                }
            }
        }

        void stop() throws InterruptedException {
            running = false;
            thread.join(5_000);
        }
    }

    /** What the script printed, one JSON object per line, and how it ended. */
    record Script(List<JsonNode> lines, String output) {
        List<String> steps() {
            List<String> steps = new ArrayList<>();
            for (JsonNode line : lines) {
                if (line.has("step")) {
                    steps.add(line.get("step").asText());
                }
            }
            return steps;
        }

        JsonNode step(String name) {
            return lines.stream().filter(l -> name.equals(l.path("step").asText())).findFirst()
                    .orElseThrow(() -> new AssertionError("no step " + name + " in:\n" + output));
        }
    }

    private static Script run(String scenario) {
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("SWITCHBOARD_ENDPOINT", stack.httpEndpoint().toString());
        environment.put("SWITCHBOARD_API_KEY", Stack.API_KEY);
        environment.put("NODE_EXTRA_CA_CERTS", stack.gateway.certificatePath().toString());
        Processes.Run run = Processes.run(nodeDir, environment, SCRIPT_TIMEOUT,
                List.of(node.toString(), "amplify-e2e.mjs", scenario));
        String output = "node amplify-e2e.mjs " + scenario + " against " + stack + "\n" + run.describe();
        if (run.exitCode() != 0) {
            fail("the Amplify scenario '" + scenario + "' failed:\n" + output);
        }
        List<JsonNode> lines = new ArrayList<>();
        for (String line : run.stdout().lines().toList()) {
            if (line.startsWith("{")) {
                lines.add(Json.parse(line));
            }
        }
        if (lines.isEmpty() || !"ok".equals(lines.get(lines.size() - 1).path("result").asText())) {
            fail("the Amplify scenario '" + scenario + "' did not end with {\"result\":\"ok\"}:\n" + output);
        }
        return new Script(lines, output);
    }
}
