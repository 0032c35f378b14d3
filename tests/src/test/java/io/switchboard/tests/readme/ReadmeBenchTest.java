package io.switchboard.tests.readme;

import io.switchboard.tests.e2e.Processes;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The README's benchmark commands. The full runs take minutes each, so: {@code bin/bench cost} runs for real in a
 * smoke form (the same script and main, a 20-subscriber measurement), {@code bin/bench local-load --scenario all}
 * runs as far as its option parser (with {@code --help}), and the rest are checked to reach the code a smoke test of
 * every build runs: each {@code -Pbench-*} profile only selects a test class that every build runs in smoke mode and
 * switches it to full size, and each {@code bin/bench} name dispatches to the main the README's output file comes from.
 *
 * <p>bin/bench runs from a scratch root that links the real script, jar, compiled tests and Node tools, with
 * {@code --no-build} (its build step is {@code mvn install}, which this build has just done) and the classpath this
 * test runs with: so its output lands in the scratch root, not over the figures in {@code target/bench}.
 */
class ReadmeBenchTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(240);
    /** One README benchmark line: the command, then after the comment, {@code -> output file}. */
    private static final Pattern BENCH_LINE = Pattern.compile("^(\\S.*?)\\s+#.*->\\s*(\\S+)\\s*$");

    private static final String BENCH_SOURCES = "tests/src/test/java/io/switchboard/tests/bench/";

    @TempDir
    static Path scratch;
    private static Path root;
    /** README benchmark command -> the file it says it writes. */
    private static final Map<String, String> outputs = new LinkedHashMap<>();

    @BeforeAll
    static void scratchRoot() throws Exception {
        root = Readme.root();
        String text = Readme.text();
        int at = text.indexOf("## Benchmarks and cost");
        assertTrue(at >= 0, "the README lost its Benchmarks and cost section");
        int start = text.indexOf("```bash\n", at) + "```bash\n".length();
        for (String line : text.substring(start, text.indexOf("```", start)).lines().toList()) {
            Matcher m = BENCH_LINE.matcher(line);
            assertTrue(m.matches(), "a benchmark line without '# what -> output file': " + line);
            outputs.put(ReadmeCommands.collapse(m.group(1)), m.group(2));
        }
        assertTrue(outputs.size() >= 6, outputs.toString());

        for (String path : List.of("bin/bench", "template.yaml", "tests/node", "tests/target/test-classes",
                "local/target/switchboard-local.jar")) {
            assertTrue(Files.exists(root.resolve(path)), root.resolve(path) + " (built before the tests module)");
            Files.createDirectories(scratch.resolve(path).getParent());
            Files.createSymbolicLink(scratch.resolve(path), root.resolve(path));
        }
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> entries = new ArrayList<>();
        for (String entry : classpath.split(File.pathSeparator)) {
            if (!entry.isBlank() && !entry.contains("surefire")) {
                entries.add(entry);
            }
        }
        assertTrue(entries.stream().anyMatch(e -> e.contains("jackson-databind")), "not the test class path: " + classpath);
        Files.writeString(scratch.resolve("tests/target/bench-classpath.txt"), String.join(File.pathSeparator, entries));
    }

    @Test
    void binBenchCost_smoke_writesTheReport() throws Exception {
        Processes.Run run = bench(Readme.command("bin/bench cost"), "--audience", "20");
        assertEquals(0, run.exitCode(), run.describe());
        Path report = scratch.resolve(outputs.get("bin/bench cost"));
        assertTrue(run.stdout().contains("written to " + report), run.describe());
        String markdown = Files.readString(report);
        assertTrue(markdown.startsWith("# Monthly cost: Switchboard vs AppSync Events"), markdown);
        for (String workload : List.of("| 1. ", "| 2. ", "| 3. ")) {
            Pattern row = Pattern.compile("(?m)^\\Q" + workload + "\\E[^|]+\\| \\$[\\d,.]+ \\| \\$[\\d,.]+ \\| (AppSync|Switchboard)");
            assertTrue(row.matcher(markdown).find(), "no comparison row " + workload + " in\n" + markdown);
        }
    }

    @Test
    void binBenchLocalLoad_acceptsScenarioAll() {
        Processes.Run run = bench(Readme.command("bin/bench local-load"), "--help");
        assertEquals(0, run.exitCode(), run.describe());
        assertTrue(run.stdout().contains("bin/bench local-load [--scenario thousand|ten-thousand|soak|all"), run.describe());
        assertTrue(run.stdout().contains(Path.of(outputs.get("bin/bench local-load --scenario all")).getFileName().toString()),
            "the help names the README's output file: " + run.describe());
    }

    /** Each README {@code bin/bench NAME} reaches a main of the tests module that writes the README's output file. */
    @Test
    void binBench_dispatchesEachReadmeBenchmarkToItsMain() throws Exception {
        String script = Files.readString(root.resolve("bin/bench"));
        Map<String, String> mains = new LinkedHashMap<>();
        Matcher dispatch = Pattern.compile("(?m)^\\s*([\\w-]+)\\) main=([\\w.]+) ;;").matcher(script);
        while (dispatch.find()) {
            mains.put(dispatch.group(1), dispatch.group(2));
        }
        int checked = 0;
        for (Map.Entry<String, String> bench : outputs.entrySet()) {
            if (!bench.getKey().startsWith("bin/bench ")) {
                continue;
            }
            String name = bench.getKey().split(" ")[1];
            String main = mains.get(name);
            assertTrue(main != null, "bin/bench has no benchmark '" + name + "': " + mains);
            String source = Files.readString(root.resolve("tests/src/test/java/" + main.replace('.', '/') + ".java"));
            assertTrue(source.contains("public static void main(String[] args)"), main + " has no main");
            String file = Path.of(bench.getValue()).getFileName().toString();
            assertTrue(bench.getValue().equals("target/bench/" + file) && source.contains("output(\"" + file + "\")"),
                bench.getKey() + " -> " + bench.getValue() + ": " + main + " does not write output(\"" + file + "\")");
            checked++;
        }
        assertEquals(3, checked, outputs.toString());
    }

    /**
     * {@code mvn -B -q -pl tests verify -Pbench-X}: the tests module's profile {@code bench-X} selects one test class and
     * sets {@code switchboard.bench=full}; without it that class runs in every build in smoke mode (its method reads
     * {@code Bench.full()}), so the full command runs the code every build runs, at full size.
     */
    @Test
    void benchProfiles_runTheTestsEveryBuildRunsInSmokeMode() throws Exception {
        Path pom = root.resolve("tests/pom.xml");
        Document document = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(pom.toFile());
        Element project = document.getDocumentElement();
        assertEquals("smoke", child(child(project, "properties"), "switchboard.bench").getTextContent(),
            "a normal build runs the benchmarks in smoke mode");
        assertTrue(Files.readString(pom).contains("<switchboard.bench>${switchboard.bench}</switchboard.bench>"),
            "surefire hands switchboard.bench to the tests");
        Map<String, Element> profiles = new LinkedHashMap<>();
        NodeList ids = project.getElementsByTagName("profile");
        for (int i = 0; i < ids.getLength(); i++) {
            Element profile = (Element) ids.item(i);
            profiles.put(child(profile, "id").getTextContent(), profile);
        }
        int checked = 0;
        for (Map.Entry<String, String> bench : outputs.entrySet()) {
            Matcher maven = Pattern.compile("^mvn .*-pl tests verify -P(bench-[\\w-]+)$").matcher(bench.getKey());
            if (!bench.getKey().startsWith("mvn ")) {
                continue;
            }
            assertTrue(maven.matches(), "a README benchmark that is not mvn -pl tests verify -Pbench-...: " + bench.getKey());
            Element profile = profiles.get(maven.group(1));
            assertTrue(profile != null, "tests/pom.xml has no profile " + maven.group(1));
            Element properties = child(profile, "properties");
            assertEquals("full", child(properties, "switchboard.bench").getTextContent(), maven.group(1));
            String testClass = child(properties, "test").getTextContent();
            assertTrue(testClass.matches("\\w+Test"), maven.group(1) + " selects one test class that surefire runs by"
                + " default (*Test), not " + testClass);
            String source = Files.readString(root.resolve(BENCH_SOURCES + testClass + ".java"));
            assertTrue(source.contains("Bench.full()"), testClass + " must run in smoke mode unless the profile is on");
            String file = Path.of(bench.getValue()).getFileName().toString().replaceFirst("\\.md$", "");
            assertTrue(bench.getValue().equals("tests/target/bench/" + file + ".md")
                    && source.contains("Bench.report(\"" + file + "\""),
                bench.getKey() + " -> " + bench.getValue() + ": " + testClass + " does not Bench.report(\"" + file + "\")");
            checked++;
        }
        assertEquals(3, checked, outputs.toString());
    }

    /** Runs README's {@code bin/bench NAME ...} in the scratch root with --no-build, plus {@code extra} arguments. */
    private static Processes.Run bench(String command, String... extra) {
        List<String> argv = new ArrayList<>(List.of(command.split(" ")));
        assertEquals("bin/bench", argv.get(0), command);
        argv.add(1, "--no-build");
        argv.addAll(List.of(extra));
        argv.set(0, scratch.resolve("bin/bench").toString());
        return Processes.run(scratch, Map.of(), TIMEOUT, argv);
    }

    private static Element child(Element parent, String name) {
        NodeList children = parent.getChildNodes();
        for (int i = 0; i < children.getLength(); i++) {
            if (children.item(i) instanceof Element element && element.getTagName().equals(name)) {
                return element;
            }
        }
        return fail("<" + parent.getTagName() + "> has no <" + name + ">");
    }
}
