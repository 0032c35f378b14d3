package io.switchboard.tests.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.tests.bench.ColdStartMain;
import io.switchboard.tests.support.Json;
import org.apache.logging.log4j.core.config.plugins.processor.PluginCache;
import org.apache.logging.log4j.core.config.plugins.processor.PluginEntry;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.lambda.powertools.logging.PowertoolsLogging;

import java.io.File;
import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Logging from the shaded functions jar, the one Lambda runs: its Log4j plugin cache lists exactly the plugins of
 * {@code functions/src/main/log4j-plugins.txt} (the build writes it; Log4j loads every class listed), and with that
 * cache a fresh JVM configures Log4j from the jar's log4j2.xml without a complaint and writes Powertools' JSON lines:
 * the invocation's keys, levels per logger, {@code POWERTOOLS_LOG_LEVEL}, exceptions with their stack.
 */
class ShadedJarLoggingTest {
    private static final String CACHE = "META-INF/org/apache/logging/log4j/core/config/plugins/Log4j2Plugins.dat";
    private static final Path ROOT = Path.of(System.getProperty("switchboard.root", ".."));
    private static final Path JAR = ROOT.resolve("functions/target/switchboard-functions.jar");

    @Test
    void theJarsPluginCache_isExactlyTheListedPlugins() throws IOException {
        assertTrue(Files.isRegularFile(JAR), "build the functions jar first (mvn install -DskipTests): " + JAR);
        PluginCache inJar = new PluginCache();
        inJar.loadCacheFiles(Collections.enumeration(List.of(new URL("jar:" + JAR.toUri() + "!/" + CACHE))));
        PluginCache available = new PluginCache();
        available.loadCacheFiles(ShadedJarLoggingTest.class.getClassLoader().getResources(CACHE));

        TreeSet<String> listed = new TreeSet<>();
        for (String raw : Files.readAllLines(ROOT.resolve("functions/src/main/log4j-plugins.txt"))) {
            String line = raw.strip().toLowerCase(Locale.ROOT);
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String category = line.substring(0, line.indexOf('/'));
            String key = line.substring(line.indexOf('/') + 1);
            if (key.equals("*")) {
                available.getCategory(category).keySet().forEach(k -> listed.add(category + "/" + k));
            } else {
                listed.add(line);
            }
        }
        assertEquals(listed, keys(inJar));
        assertTrue(keys(available).size() > 2 * listed.size(), "the dependencies offer far more: " + keys(available).size());
    }

    @Test
    void aFreshJvmOnTheJar_logsPowertoolsJson_withoutALog4jComplaint() throws Exception {
        assertTrue(Files.isRegularFile(JAR), "build the functions jar first (mvn install -DskipTests): " + JAR);
        // the program's own class from here; everything else (SLF4J, Log4j, Powertools) from the jar
        String testClasses = Path.of(Program.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        // no POWERTOOLS_LOG_LEVEL: Powertools would set every logger to it, and the levels would not show log4j2.xml's
        Processes.Run run = Processes.run(ROOT, Map.of("POWERTOOLS_SERVICE_NAME", "shaded-jar-test"), Duration.ofSeconds(60),
            List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                JAR + File.pathSeparator + testClasses, Program.class.getName()));

        assertEquals(0, run.exitCode(), run::describe);
        // Log4j reports a missing plugin or a bad configuration on stderr (StatusLogger); SLF4J a missing binding
        assertEquals("", run.stderr().strip(), run::describe);
        List<JsonNode> lines = new ArrayList<>();
        for (String line : run.stdout().strip().split("\n")) {
            lines.add(Json.parse(line));
        }
        List<String> messages = lines.stream().map(l -> l.path("level").asText() + " " + l.path("message").asText()).toList();
        // log4j2.xml: io.switchboard at INFO, everything else at WARN
        assertEquals(List.of("INFO info line", "WARN other library's warning", "ERROR failed",
            "INFO outside the invocation"), messages, run::describe);
        JsonNode info = lines.get(0);
        assertEquals("shaded-jar-test", info.path("service").asText(), info::toString);
        assertTrue(info.path("function_request_id").asText().matches("[0-9a-f-]{36}"), info::toString);
        assertEquals("coldstart", info.path("function_name").asText(), info::toString);
        assertTrue(info.path("timestamp").asText().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z"), info::toString);
        JsonNode failed = lines.get(2);
        assertEquals("java.lang.IllegalStateException", failed.path("error").path("name").asText(), failed::toString);
        assertEquals("boom", failed.path("error").path("message").asText(), failed::toString);
        assertTrue(failed.path("error").path("stack").asText().contains("ShadedJarLoggingTest$Program"), failed::toString);
        // Powertools clears the invocation's keys when it ends
        assertTrue(lines.get(3).path("function_request_id").isNull(), lines.get(3)::toString);
    }

    private static TreeSet<String> keys(PluginCache cache) {
        TreeSet<String> keys = new TreeSet<>();
        for (Map.Entry<String, Map<String, PluginEntry>> category : cache.getAllCategories().entrySet()) {
            category.getValue().keySet().forEach(k -> keys.add(category.getKey() + "/" + k));
        }
        return keys;
    }

    /** Run in a fresh JVM on the shaded jar: logs as a function does. */
    public static final class Program {
        private static final Logger LOG = LoggerFactory.getLogger(Program.class);
        private static final Logger OTHER = LoggerFactory.getLogger("com.example.library");

        public static void main(String[] args) {
            PowertoolsLogging.withLogging(ColdStartMain.context(), () -> {
                LOG.debug("debug line");
                LOG.info("info line");
                OTHER.info("other library's info");
                OTHER.warn("other library's warning");
                LOG.error("failed", new IllegalStateException("boom"));
                return null;
            });
            LOG.info("outside the invocation");
        }
    }
}
