package io.switchboard.tests.bench;

import io.switchboard.local.LocalGateway;
import io.switchboard.local.Options;
import io.switchboard.local.StartException;
import io.switchboard.tests.support.IsolatedGateway;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The gateway a load run talks to: the local gateway jar in a JVM of its own (so that its CPU and heap are its own),
 * or a gateway in this JVM (the smoke test). Loopback only.
 */
abstract class LoadTarget implements AutoCloseable {
    static final String API_KEY = "da2-switchboardloadbenchmark0001";

    abstract URI httpEndpoint();

    abstract URI realtimeEndpoint();

    /** {@code 127.0.0.1:<port>}, the host the auth headers name. */
    abstract String host();

    /** CPU time the gateway has used so far; null when it shares this JVM. */
    abstract Duration cpu();

    /** Heap in use right after a full collection, in MB; -1 when it cannot be read. */
    abstract long heapAfterGcMb();

    /** {@code Max open files} of the gateway process. */
    abstract String openFilesLimit();

    abstract String describe();

    @Override
    public abstract void close();

    /** Starts {@code java -jar <jar>} on a free port with the project's template and waits until it is ready. */
    static LoadTarget jar(Path jar, Path template, Path workDir, List<String> jvmOptions, List<String> gatewayOptions) {
        return new JarTarget(jar, template, workDir, jvmOptions, gatewayOptions);
    }

    /** A gateway in this JVM (no separate CPU or heap figures). */
    static LoadTarget inProcess(Path template, Path tls) {
        try {
            IsolatedGateway gateway = IsolatedGateway.start(Options.builder().port(0).template(template).tlsDirectory(tls)
                .apiKey(API_KEY).idleTimeout(Duration.ofHours(1)).build());
            return new InProcessTarget(gateway);
        } catch (StartException e) {
            throw new IllegalStateException("Cannot start the local gateway: " + e.getMessage(), e);
        }
    }

    private static final class InProcessTarget extends LoadTarget {
        private final IsolatedGateway isolated;
        private final LocalGateway gateway;

        InProcessTarget(IsolatedGateway isolated) {
            this.isolated = isolated;
            this.gateway = isolated.gateway();
        }

        @Override URI httpEndpoint() { return gateway.httpEndpoint(); }
        @Override URI realtimeEndpoint() { return gateway.realtimeEndpoint(); }
        @Override String host() { return "127.0.0.1:" + gateway.port(); }
        @Override Duration cpu() { return null; }
        @Override long heapAfterGcMb() { return -1; }
        @Override String openFilesLimit() { return openFiles(ProcessHandle.current().pid()); }
        @Override String describe() { return "local gateway in the load generator's JVM"; }
        @Override public void close() { isolated.close(); }
    }

    private static final class JarTarget extends LoadTarget {
        private static final Pattern READY = Pattern.compile("ready on port (\\d+)");
        private static final Pattern USED = Pattern.compile("used (\\d+)K");
        private final Process process;
        private final int port;
        private final Path log;
        private final String command;

        JarTarget(Path jar, Path template, Path workDir, List<String> jvmOptions, List<String> gatewayOptions) {
            if (!Files.isRegularFile(jar)) {
                throw new IllegalStateException(jar + " is missing: build it with mvn -pl local -am package -DskipTests");
            }
            List<String> cmd = new ArrayList<>();
            cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            cmd.addAll(jvmOptions);
            cmd.addAll(List.of("-jar", jar.toString(), "--port", "0", "--api-key", API_KEY,
                "--template", template.toString(), "--tls-dir", workDir.resolve("tls").toString(),
                "--idle-timeout-seconds", "7200"));
            cmd.addAll(gatewayOptions);
            command = String.join(" ", cmd);
            log = workDir.resolve("gateway.log");
            try {
                Files.createDirectories(workDir);
                process = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot start " + command, e);
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            Integer found = null;
            while (found == null) {
                String text = read(log);
                Matcher m = READY.matcher(text);
                if (m.find()) {
                    found = Integer.parseInt(m.group(1));
                } else if (!process.isAlive() || System.nanoTime() > deadline) {
                    process.destroyForcibly();
                    throw new IllegalStateException("The gateway did not start (" + command + "):\n" + tail(text));
                } else {
                    sleep(100);
                }
            }
            port = found;
        }

        @Override URI httpEndpoint() { return URI.create("http://127.0.0.1:" + port + "/event"); }
        @Override URI realtimeEndpoint() { return URI.create("ws://127.0.0.1:" + port + "/event/realtime"); }
        @Override String host() { return "127.0.0.1:" + port; }

        @Override
        Duration cpu() {
            return process.toHandle().info().totalCpuDuration().orElse(null);
        }

        @Override
        long heapAfterGcMb() {
            jcmd("GC.run");
            Matcher m = USED.matcher(jcmd("GC.heap_info"));
            return m.find() ? Long.parseLong(m.group(1)) / 1024 : -1;
        }

        @Override
        String openFilesLimit() {
            return openFiles(process.pid());
        }

        @Override
        String describe() {
            return "gateway JVM pid " + process.pid() + ": " + command.replace(API_KEY, "<key>");
        }

        private String jcmd(String command) {
            try {
                Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                    Long.toString(process.pid()), command).redirectErrorStream(true).start();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                p.waitFor(60, TimeUnit.SECONDS);
                return out;
            } catch (IOException e) {
                return "";
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "";
            }
        }

        @Override
        public void close() {
            process.destroy(); // SIGTERM: the gateway closes every socket and runs $disconnect
            try {
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }

    static String openFiles(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/limits"))) {
                if (line.startsWith("Max open files")) {
                    String[] f = line.trim().split("\\s+");
                    return f[3] + " (soft) / " + f[4] + " (hard)";
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return "unknown";
    }

    /** The soft limit of open files of this process, or {@code Long.MAX_VALUE} when unknown. */
    static long openFilesSoftLimit() {
        String limit = openFiles(ProcessHandle.current().pid());
        try {
            return Long.parseLong(limit.split(" ")[0]);
        } catch (RuntimeException e) {
            return Long.MAX_VALUE;
        }
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "";
        }
    }

    private static String tail(String text) {
        return text.length() > 4000 ? text.substring(text.length() - 4000) : text;
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
