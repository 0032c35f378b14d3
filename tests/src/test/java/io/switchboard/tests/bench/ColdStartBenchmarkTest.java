package io.switchboard.tests.bench;

import io.switchboard.aws.DynamoDbSubscriptionStore;
import io.switchboard.aws.DynamoDbTables;
import io.switchboard.core.auth.ApiKeyAuthProvider;
import io.switchboard.core.spi.ConnectionRecord;
import io.switchboard.testing.Dynalite;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Cold start without SnapStart: fresh JVMs ({@code java -cp} the shaded functions jar) timed from process start
 * until the first event is handled against dynalite ({@link ColdStartMain}): a {@code $connect}
 * ({@code ConnectFunction}) or a {@code subscribe} ({@code MessageFunction}, on a connection stored beforehand), each
 * in a JVM of its own because each route is a Lambda function of its own. Beside them a bare baseline on a class
 * path of its own that parses the {@code $connect} event with Jackson and makes one DynamoDB call
 * ({@link ColdStartBaseline}), in the same run and interleaved (so all see the same machine load), with and without
 * the JVM options the template ships ({@code -XX:+TieredCompilation -XX:TieredStopAtLevel=1}) and with an AppCDS
 * archive of each program (measured, not shipped). Peak RSS is the child's VmHWM. Full
 * ({@code -Pbench-coldstart}): 20 runs per variant (the machine's speed varies by ±15 % from run to run); smoke: 1 run each of the first three variants.
 */
class ColdStartBenchmarkTest {
    static final String FIXTURE_KEY = "da2-switchboardexamplekey0001";
    static final List<String> SHIPPED = List.of("-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1");

    /** {@code program}: baseline, connect or subscribe; {@code options}: the JVM's. */
    record Variant(String name, String program, String options, List<String> jvm) {
        String classpath() {
            return program.equals("baseline") ? "baseline" : "functions";
        }
    }

    /** {@code phases}: the baseline's {@code PHASE} lines, timed as they arrived. */
    record Run(double millis, double rssMb, Map<String, Double> phases) {}

    @Test
    void coldStartBenchmark_connectAndSubscribeInFreshJvms() throws Exception {
        boolean full = Bench.full();
        int runs = full ? Integer.getInteger("switchboard.bench.runs", 20) : 1;
        Path root = Path.of(System.getProperty("switchboard.root", ".."));
        Path jar = root.resolve("functions/target/switchboard-functions.jar");
        assertTrue(Files.isRegularFile(jar), "build the functions jar first (mvn install -DskipTests): " + jar);
        Path benchDir = root.resolve("tests/target/bench");
        Files.createDirectories(benchDir);
        Path mainJar = mainJar(benchDir);
        Map<String, String> classpaths = Map.of(
            "functions", String.join(File.pathSeparator, jar.toString(), mainJar.toString()),
            "baseline", baselineClasspath(mainJar));

        try (Dynalite dynalite = Dynalite.start();
             DynamoDbClient client = DynamoDbClient.builder().httpClient(UrlConnectionHttpClient.create())
                 .endpointOverride(dynalite.endpoint()).region(Region.US_EAST_1)
                 .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDCOLD", "cold")))
                 .build()) {
            DynamoDbTables.createIfMissing(client, "coldstart");
            // a subscribe arrives on a connection that $connect stored: the parent stores it for each subscribe run
            DynamoDbSubscriptionStore store = new DynamoDbSubscriptionStore(client, "coldstart", Clock.systemUTC());
            Map<String, String> env = environment(dynalite);

            Map<String, List<String>> options = new LinkedHashMap<>();
            options.put("shipped options", SHIPPED);
            options.put("JVM defaults", List.of());
            if (full) {
                // one archive per class path, trained on everything it runs (the functions: $connect, then subscribe)
                for (String classpath : List.of("baseline", "functions")) {
                    Path archive = benchDir.resolve(classpath + ".jsa");
                    Files.deleteIfExists(archive);
                    List<String> training = new ArrayList<>(SHIPPED);
                    training.add("-XX:ArchiveClassesAtExit=" + archive);
                    String program = classpath.equals("baseline") ? "baseline" : "both";
                    run(classpaths.get(classpath), root, env, program, training, "Train" + classpath + "=", store);
                }
                List<String> appCds = new ArrayList<>(SHIPPED);
                appCds.add("-XX:SharedArchiveFile=" + benchDir.resolve("{classpath}.jsa"));
                options.put("shipped options + AppCDS", appCds);
            }
            List<Variant> variants = new ArrayList<>();
            for (Map.Entry<String, List<String>> o : options.entrySet()) {
                for (String program : List.of("baseline", "connect", "subscribe")) {
                    String name = (program.equals("baseline") ? "baseline" : program.equals("connect")
                        ? "$connect (ConnectFunction)" : "subscribe (MessageFunction)") + ", " + o.getKey();
                    String classpath = program.equals("baseline") ? "baseline" : "functions";
                    variants.add(new Variant(name, program, o.getKey(),
                        o.getValue().stream().map(opt -> opt.replace("{classpath}", classpath)).toList()));
                }
            }
            if (!full) {
                variants = variants.subList(0, 3);
            }

            Map<Variant, List<Run>> results = new LinkedHashMap<>();
            variants.forEach(v -> results.put(v, new ArrayList<>()));
            String loadBefore = Bench.load();
            for (int i = 0; i < runs; i++) {
                for (Variant v : variants) {
                    results.get(v).add(run(classpaths.get(v.classpath()), root, env, v.program(), v.jvm(),
                        "Cold" + i + "v" + variants.indexOf(v) + "=", store));
                }
            }
            String loadAfter = Bench.load();

            StringBuilder table = new StringBuilder("### Cold start (no SnapStart): fresh JVM until its first event is"
                + " handled, " + runs + " runs per variant\n\n")
                .append(Bench.row("variant", "p50 (ms)", "p90 (ms)", "× baseline (same options, p50)", "peak RSS (MB, max)"))
                .append(Bench.row("---", "---:", "---:", "---:", "---:"));
            for (Variant v : variants) {
                List<Double> millis = results.get(v).stream().map(Run::millis).toList();
                String ratio = "";
                if (!v.program().equals("baseline")) {
                    Variant baseline = variants.stream()
                        .filter(b -> b.program().equals("baseline") && b.options().equals(v.options())).findFirst().orElseThrow();
                    // two decimals: the target (1.2) sits where one decimal would round 1.24 down to it
                    ratio = String.format(java.util.Locale.ROOT, "%.2f", Bench.percentile(millis, 50)
                        / Bench.percentile(results.get(baseline).stream().map(Run::millis).toList(), 50));
                }
                table.append(Bench.row(v.name(), Bench.fmt(Bench.percentile(millis, 50)),
                    Bench.fmt(Bench.percentile(millis, 90)), ratio,
                    Bench.fmt(Bench.max(results.get(v).stream().map(Run::rssMb).toList()))));
            }
            for (Variant v : variants) {
                if (v.program().equals("baseline") && !v.options().equals("JVM defaults")) {
                    // where the baseline's own time goes: what any Java function doing this job pays before ours adds
                    table.append("\nBaseline, ").append(v.options()).append(", p50 from process start:");
                    for (String phase : List.of("main", "parsed", "client")) {
                        table.append(" ").append(switch (phase) {
                            case "main" -> "main() entered";
                            case "parsed" -> "event parsed (Jackson)";
                            default -> "DynamoDB client built";
                        }).append(" at ").append(Bench.fmt(Bench.percentile(results.get(v).stream()
                            .map(r -> r.phases().getOrDefault(phase, Double.NaN)).toList(), 50))).append(" ms,");
                    }
                    table.append(" PutItem answered at ").append(Bench.fmt(Bench.percentile(results.get(v).stream()
                        .map(Run::millis).toList(), 50))).append(" ms.\n");
                }
            }
            table.append("\nTimed by the parent from ProcessBuilder.start() to the child's line. The baseline parses the"
                + " $connect event with Jackson and makes one PutItem; $connect makes one PutItem, subscribe an UpdateItem"
                + " and a PutItem. Targets: ≤ 1.2 × baseline and ≤ 300 ms p50 with the shipped options. dynalite on"
                + " 127.0.0.1; ").append(System.getProperty("java.vm.name")).append(" ").append(Runtime.version())
                .append(" (Lambda runs java21). Load before: ").append(loadBefore).append("; after: ").append(loadAfter)
                .append(".\n");
            if (full) {
                Bench.report("coldstart", table.toString());
            } else {
                System.out.println(table);
            }
            for (Map.Entry<Variant, List<Run>> e : results.entrySet()) {
                for (Run r : e.getValue()) {
                    assertTrue(r.millis() > 0, e.getKey() + ": not handled");
                }
            }
        }
    }

    /** The functions' environment in a cold-start run: the DynamoDB store on dynalite, the fixture's API key. */
    static Map<String, String> environment(Dynalite dynalite) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("TABLE_NAME", "coldstart");
        env.put("SWITCHBOARD_DYNAMODB_ENDPOINT", dynalite.endpoint().toString());
        env.put("SWITCHBOARD_CONNECTIONS_ENDPOINT", "http://127.0.0.1:9/prod");
        env.put("SWITCHBOARD_API_KEYS", ApiKeyAuthProvider.digestHex(FIXTURE_KEY));
        env.put("AWS_REGION", "us-east-1");
        env.put("AWS_ACCESS_KEY_ID", "AKIDCOLD");
        env.put("AWS_SECRET_ACCESS_KEY", "cold");
        env.put("POWERTOOLS_SERVICE_NAME", "switchboard");
        env.put("POWERTOOLS_LOG_LEVEL", "INFO");
        return env;
    }

    /**
     * The baseline's bare class path: only the jars of Jackson, the AWS SDK (DynamoDB and the URL-connection client
     * with their shared modules), reactive-streams and slf4j-api (no logging provider: the SDK logs nowhere), as
     * Maven resolved them for this module, plus the benchmark's programs.
     */
    private static String baselineClasspath(Path mainJar) {
        String testClasspath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> jars = new ArrayList<>();
        for (String entry : testClasspath.split(File.pathSeparator)) {
            String path = entry.replace(File.separatorChar, '/');
            boolean sdk = path.contains("/software/amazon/awssdk/") && !path.contains("/apache")
                && !path.contains("/netty") && !path.contains("/apigatewaymanagementapi/") && !path.contains("/lambda/");
            if (path.endsWith(".jar") && (sdk || path.contains("/com/fasterxml/jackson/core/")
                    || path.contains("/org/reactivestreams/") || path.contains("/org/slf4j/slf4j-api/"))) {
                jars.add(entry);
            }
        }
        assertTrue(jars.stream().anyMatch(j -> j.contains("dynamodb")) && jars.stream().anyMatch(j -> j.contains("databind")),
            "the baseline's jars were not found on the test class path: " + testClasspath);
        jars.add(mainJar.toString());
        return String.join(File.pathSeparator, jars);
    }

    /** The benchmark's programs in a jar of their own (AppCDS archives only class paths of jars, not directories). */
    static Path mainJar(Path dir) throws Exception {
        Path classes = Path.of(ColdStartMain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path jar = dir.resolve("coldstart-main.jar");
        String prefix = ColdStartMain.class.getPackageName().replace('.', '/') + "/ColdStart";
        try (java.util.jar.JarOutputStream out = new java.util.jar.JarOutputStream(Files.newOutputStream(jar));
             java.util.stream.Stream<Path> files = Files.walk(classes.resolve(prefix).getParent())) {
            for (Path file : files.filter(f -> f.toString().replace(File.separatorChar, '/').contains(prefix)
                    && !f.getFileName().toString().startsWith("ColdStartBenchmarkTest")).toList()) {
                out.putNextEntry(new java.util.jar.JarEntry(classes.relativize(file).toString().replace(File.separatorChar, '/')));
                out.write(Files.readAllBytes(file));
                out.closeEntry();
            }
        }
        return jar;
    }

    /**
     * One fresh JVM running {@code program} (baseline, connect, subscribe or both); fails unless it handled what it
     * should. Returns the time to its (last) event's line.
     */
    private static Run run(String classpath, Path root, Map<String, String> env, String program, List<String> options,
                           String connectionId, DynamoDbSubscriptionStore store) throws IOException, InterruptedException {
        if (program.equals("subscribe")) {
            store.putConnection(new ConnectionRecord(connectionId, System.currentTimeMillis(), Map.of()));
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(options);
        String main = (program.equals("baseline") ? ColdStartBaseline.class : ColdStartMain.class).getName();
        command.addAll(List.of("-cp", classpath, main, root.resolve("events").toString(), connectionId));
        if (!program.equals("baseline")) {
            command.add(program);
        }
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().keySet().removeIf(k -> k.startsWith("AWS_") || k.startsWith("SWITCHBOARD_")
            || k.equals("JAVA_TOOL_OPTIONS") || k.startsWith("POWERTOOLS_"));
        builder.environment().putAll(env);
        long start = System.nanoTime();
        Process process = builder.start();
        double connect = Double.NaN;
        double subscribe = Double.NaN;
        double rss = Double.NaN;
        Map<String, Double> phases = new LinkedHashMap<>();
        StringBuilder output = new StringBuilder();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                double at = (System.nanoTime() - start) / 1e6;
                if (line.startsWith("CONNECT ")) {
                    connect = at;
                    assertEquals("CONNECT 200", line, output::toString);
                } else if (line.startsWith("SUBSCRIBE ")) {
                    subscribe = at;
                    assertTrue(line.contains("subscribe_success"), line + "\n" + output);
                } else if (line.startsWith("RSS ")) {
                    rss = Long.parseLong(line.substring(4).trim()) / 1024.0;
                } else if (line.startsWith("PHASE ")) {
                    phases.put(line.substring(6).trim(), at);
                } else if (output.length() < 20_000) {
                    output.append(line).append('\n');
                }
            }
        }
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), "cold-start run did not end");
        assertEquals(0, process.exitValue(), output::toString);
        boolean connects = !program.equals("subscribe");
        boolean subscribes = program.equals("subscribe") || program.equals("both");
        assertEquals(connects, !Double.isNaN(connect), () -> program + ": " + output);
        assertEquals(subscribes, !Double.isNaN(subscribe), () -> program + ": " + output);
        if (!program.equals("baseline")) {
            // nor may logging's start on two threads make SLF4J hand out substitutes or Log4j complain: every line
            // the functions print, on stdout and stderr, is a JSON log or metrics line (or, when an AppCDS archive
            // is written, the JVM's own "[0.8s][warning][cds] ..." notes about classes it leaves out)
            for (String line : output.toString().split("\n")) {
                assertTrue(line.isEmpty() || (line.startsWith("{") && line.endsWith("}"))
                    || (options.stream().anyMatch(o -> o.startsWith("-XX:ArchiveClassesAtExit")) && line.matches("\\[[0-9.]+s\\]\\[\\w+\\]\\[cds.*")),
                    () -> program + ": " + line);
            }
        }
        if (connects && !program.equals("baseline")) {
            // logging is configured on one thread while the engine is built on the other: no line may be lost to it
            assertTrue(output.toString().contains("\"message\":\"connected (authorized)\""),
                () -> program + " logged no \"connected\" line:\n" + output);
        }
        return new Run(subscribes ? subscribe : connect, rss, phases);
    }
}
