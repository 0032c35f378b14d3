package io.switchboard.tests.bench;

import io.switchboard.aws.DynamoDbTables;
import io.switchboard.core.auth.ApiKeyAuthProvider;
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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Cold start without SnapStart: fresh JVMs ({@code java -cp} the shaded functions jar) timed from process start
 * until the first {@code $connect} and the first {@code subscribe} are handled against dynalite
 * ({@link ColdStartMain}), beside a bare baseline on a class path of its own that parses the same event with Jackson
 * and makes one DynamoDB call ({@link ColdStartBaseline}), in the same run and interleaved (so both see the same machine load), with and without the JVM options the
 * template ships ({@code -XX:+TieredCompilation -XX:TieredStopAtLevel=1}) and with an AppCDS archive of each
 * program (measured, not shipped). Peak RSS is the child's VmHWM. Full ({@code -Pbench-coldstart}): 10 runs per
 * variant; smoke: 1 run each of two variants.
 */
class ColdStartBenchmarkTest {
    static final String FIXTURE_KEY = "da2-switchboardexamplekey0001";
    static final List<String> SHIPPED = List.of("-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1");

    record Variant(String name, String mode, List<String> options) {}

    record Run(double connectMillis, double subscribeMillis, double rssMb) {}

    @Test
    void coldStartBenchmark_connectAndSubscribeInFreshJvms() throws Exception {
        boolean full = Bench.full();
        int runs = full ? Integer.getInteger("switchboard.bench.runs", 10) : 1;
        Path root = Path.of(System.getProperty("switchboard.root", ".."));
        Path jar = root.resolve("functions/target/switchboard-functions.jar");
        assertTrue(Files.isRegularFile(jar), "build the functions jar first (mvn install -DskipTests): " + jar);
        Path benchDir = root.resolve("tests/target/bench");
        Files.createDirectories(benchDir);
        Path mainJar = mainJar(benchDir);
        Map<String, String> classpaths = Map.of(
            "functions", String.join(File.pathSeparator, jar.toString(), mainJar.toString()),
            "baseline", baselineClasspath(mainJar));

        try (Dynalite dynalite = Dynalite.start()) {
            try (DynamoDbClient client = DynamoDbClient.builder().httpClient(UrlConnectionHttpClient.create())
                    .endpointOverride(dynalite.endpoint()).region(Region.US_EAST_1)
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDCOLD", "cold")))
                    .build()) {
                DynamoDbTables.createIfMissing(client, "coldstart");
            }
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

            List<Variant> variants = new ArrayList<>();
            variants.add(new Variant("baseline, JVM defaults", "baseline", List.of()));
            variants.add(new Variant("functions, JVM defaults", "functions", List.of()));
            variants.add(new Variant("baseline, shipped options", "baseline", SHIPPED));
            variants.add(new Variant("functions, shipped options", "functions", SHIPPED));
            if (full) {
                for (String mode : List.of("baseline", "functions")) {
                    Path archive = benchDir.resolve(mode + ".jsa");
                    Files.deleteIfExists(archive);
                    List<String> training = new ArrayList<>(SHIPPED);
                    training.add("-XX:ArchiveClassesAtExit=" + archive);
                    run(classpaths.get(mode), root, env, mode, training, "Train" + mode + "=");
                    List<String> options = new ArrayList<>(SHIPPED);
                    options.add("-XX:SharedArchiveFile=" + archive);
                    variants.add(new Variant(mode + ", shipped options + AppCDS", mode, options));
                }
            }

            Map<Variant, List<Run>> results = new LinkedHashMap<>();
            variants.forEach(v -> results.put(v, new ArrayList<>()));
            String loadBefore = Bench.load();
            for (int i = 0; i < runs; i++) {
                for (Variant v : variants) {
                    results.get(v).add(run(classpaths.get(v.mode()), root, env, v.mode(), v.options(), "Cold" + i + v.mode().charAt(0)
                        + variants.indexOf(v) + "=" ));
                }
            }
            String loadAfter = Bench.load();

            StringBuilder table = new StringBuilder("### Cold start (no SnapStart): fresh JVM until the first $connect"
                + " and subscribe are handled, " + runs + " runs per variant\n\n")
                .append(Bench.row("variant", "$connect p50 (ms)", "p90", "subscribe p50 (ms)", "p90",
                    "× baseline (same options, p50)", "peak RSS (MB, max)"))
                .append(Bench.row("---", "---:", "---:", "---:", "---:", "---:", "---:"));
            for (Variant v : variants) {
                List<Run> r = results.get(v);
                List<Double> connect = r.stream().map(Run::connectMillis).toList();
                List<Double> subscribe = r.stream().map(Run::subscribeMillis).filter(d -> !d.isNaN()).toList();
                Variant baseline = variants.stream().filter(b -> b.mode().equals("baseline")
                    && b.options().equals(v.options().stream().map(o -> o.replace("functions.jsa", "baseline.jsa")).toList()))
                    .findFirst().orElse(null);
                String ratio = "";
                if (v.mode().equals("functions") && baseline != null) {
                    double base = Bench.percentile(results.get(baseline).stream().map(Run::connectMillis).toList(), 50);
                    // two decimals: the target (1.2) sits where one decimal would round 1.24 down to it
                    ratio = String.format(java.util.Locale.ROOT, "%.2f ($connect), %.2f (subscribe)",
                        Bench.percentile(connect, 50) / base, Bench.percentile(subscribe, 50) / base);
                }
                table.append(Bench.row(v.name(), Bench.fmt(Bench.percentile(connect, 50)),
                    Bench.fmt(Bench.percentile(connect, 90)),
                    subscribe.isEmpty() ? "-" : Bench.fmt(Bench.percentile(subscribe, 50)),
                    subscribe.isEmpty() ? "-" : Bench.fmt(Bench.percentile(subscribe, 90)), ratio,
                    Bench.fmt(Bench.max(r.stream().map(Run::rssMb).toList()))));
            }
            table.append("\nTimed by the parent from ProcessBuilder.start() to the child's line; the baseline only has "
                + "a $connect (Jackson parse + one PutItem). Targets: functions ≤ 1.2 × baseline and ≤ 300 ms p50 "
                + "with the shipped options. dynalite on 127.0.0.1; ").append(System.getProperty("java.vm.name"))
                .append(" ").append(Runtime.version()).append(" (Lambda runs java21). Load before: ")
                .append(loadBefore).append("; after: ").append(loadAfter).append(".\n");
            if (full) {
                Bench.report("coldstart", table.toString());
            } else {
                System.out.println(table);
            }
            for (Map.Entry<Variant, List<Run>> e : results.entrySet()) {
                for (Run r : e.getValue()) {
                    assertTrue(r.connectMillis() > 0, e.getKey() + ": no $connect");
                    if (e.getKey().mode().equals("functions")) {
                        assertTrue(r.subscribeMillis() > r.connectMillis(), e.getKey() + ": no subscribe");
                    }
                }
            }
        }
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
    private static Path mainJar(Path dir) throws Exception {
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

    /** One fresh JVM; fails unless it handled what it should. */
    private static Run run(String classpath, Path root, Map<String, String> env, String mode, List<String> options,
                           String connectionId) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(options);
        String main = (mode.equals("baseline") ? ColdStartBaseline.class : ColdStartMain.class).getName();
        command.addAll(List.of("-cp", classpath, main, root.resolve("events").toString(), connectionId));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().keySet().removeIf(k -> k.startsWith("AWS_") || k.startsWith("SWITCHBOARD_")
            || k.equals("JAVA_TOOL_OPTIONS") || k.startsWith("POWERTOOLS_"));
        builder.environment().putAll(env);
        long start = System.nanoTime();
        Process process = builder.start();
        double connect = Double.NaN;
        double subscribe = Double.NaN;
        double rss = Double.NaN;
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
                } else if (output.length() < 20_000) {
                    output.append(line).append('\n');
                }
            }
        }
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), "cold-start run did not end");
        assertEquals(0, process.exitValue(), output::toString);
        return new Run(connect, subscribe, rss);
    }
}
