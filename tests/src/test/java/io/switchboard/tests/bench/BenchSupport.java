package io.switchboard.tests.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/** What the benchmarks share: where the repository and {@code target/bench} are, the machine's load, formatting. */
final class BenchSupport {
    private BenchSupport() {}

    /** The repository root: {@code -Dswitchboard.root}, else the nearest ancestor holding {@code template.yaml}. */
    static Path root() {
        String property = System.getProperty("switchboard.root");
        Path dir = property != null ? Path.of(property) : Path.of("").toAbsolutePath();
        while (dir != null && !Files.isRegularFile(dir.resolve("template.yaml"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("template.yaml not found above " + Path.of("").toAbsolutePath()
                + "; run from inside the repository or pass -Dswitchboard.root=<repository>");
        }
        return dir.toAbsolutePath().normalize();
    }

    /** {@code target/bench/<name>} under the repository root, its folder created. */
    static Path output(String name) {
        Path file = root().resolve("target/bench").resolve(name);
        try {
            Files.createDirectories(file.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    static void write(Path file, String text) {
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The load averages as {@code uptime} prints them ({@code /proc/loadavg}), and the core count. */
    static String load() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return "load average " + fields[0] + ", " + fields[1] + ", " + fields[2] + " on "
                + Runtime.getRuntime().availableProcessors() + " cores";
        } catch (IOException | RuntimeException e) {
            return "load average unknown (" + ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()
                + " from the JVM)";
        }
    }

    static String now() {
        return Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    }

    static String f(double value, int decimals) {
        return String.format(Locale.ROOT, "%,." + decimals + "f", value);
    }

    static String usd(double value) {
        if (value >= 100) {
            return String.format(Locale.ROOT, "$%,.0f", value);
        }
        return String.format(Locale.ROOT, "$%,.2f", value);
    }
}
