package io.switchboard.tests.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/**
 * What the benchmarks share: whether this is the full run ({@code -Pbench-*}: {@code switchboard.bench=full}) or the
 * smoke run of every build, the machine's load (printed with every figure, since other builds may share the
 * machine), percentiles, and the result tables printed and written to {@code target/bench/<name>.md}.
 */
final class Bench {
    private Bench() {}

    /** The full-size benchmark ({@code -Pbench...}), not the smoke test of a normal build. */
    static boolean full() {
        return "full".equals(System.getProperty("switchboard.bench"));
    }

    /** The 1, 5 and 15 minute load averages and the processors, as uptime shows them. */
    static String load() {
        try {
            String[] avg = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return "load average " + avg[0] + ", " + avg[1] + ", " + avg[2] + " on "
                + Runtime.getRuntime().availableProcessors() + " CPUs";
        } catch (IOException e) {
            return "load average unknown on " + Runtime.getRuntime().availableProcessors() + " CPUs";
        }
    }

    /** The {@code p}-th percentile (nearest rank) of {@code values}. */
    static double percentile(List<Double> values, double p) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    static double max(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    }

    /** Prints {@code markdown} and writes it to {@code target/bench/<name>.md} (with the time and load). */
    static void report(String name, String markdown) {
        String text = markdown + "\n_" + Instant.now() + ", " + load() + ", " + System.getProperty("java.vm.name")
            + " " + Runtime.version() + "_\n";
        System.out.println();
        System.out.println(text);
        try {
            Path dir = Path.of(System.getProperty("switchboard.root", ".."), "tests", "target", "bench");
            Files.createDirectories(dir);
            Files.writeString(dir.resolve(name + ".md"), text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String fmt(double value) {
        return Double.isNaN(value) ? "-" : String.format(java.util.Locale.ROOT, "%,.0f", value);
    }

    static String fmt1(double value) {
        return Double.isNaN(value) ? "-" : String.format(java.util.Locale.ROOT, "%,.1f", value);
    }

    static String row(Object... cells) {
        return "| " + String.join(" | ", Arrays.stream(cells).map(String::valueOf).toList()) + " |\n";
    }
}
