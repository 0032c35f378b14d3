package io.switchboard.functions;

import io.switchboard.core.protocol.FrameCodec;
import io.switchboard.core.spi.Metrics;
import org.slf4j.MDC;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The engine's metrics in CloudWatch Embedded Metric Format: what one invocation counted becomes one JSON line on
 * standard output, which CloudWatch Logs turns into metrics (namespace {@code POWERTOOLS_METRICS_NAMESPACE},
 * default {@code Switchboard}; one dimension, {@code service} = {@code POWERTOOLS_SERVICE_NAME}). The line also
 * carries the invocation's {@code route}, {@code request_id} and {@code function_request_id} as properties, never a
 * credential or a payload. An invocation that counted nothing writes nothing. {@code POWERTOOLS_METRICS_DISABLED=true}
 * turns it off (the local gateway does, and prints readable lines instead).
 *
 * <p>Counts are kept per thread between {@link #around} and its end, so concurrent invocations in one JVM (the local
 * gateway) never mix. Written by hand rather than with powertools-metrics, whose per-request buffer is keyed by the
 * X-Ray trace id (shared by every invocation without one) and whose EMF library probes EC2 and ECS metadata outside
 * Lambda.
 */
final class EmfMetrics implements Metrics {
    static final String DEFAULT_NAMESPACE = "Switchboard";
    /** MDC keys copied onto each line, when set. */
    private static final List<String> PROPERTIES = List.of("route", "request_id", "function_request_id");

    private final String namespace;
    private final String service;
    private final Supplier<PrintStream> out;
    private final ThreadLocal<Map<Metric, List<Double>>> current = new ThreadLocal<>();

    EmfMetrics(String namespace, String service, Supplier<PrintStream> out) {
        this.namespace = namespace;
        this.service = service;
        this.out = out;
    }

    /** Configured from Powertools' variables; writes to {@code System.out} as it is at each write. */
    static EmfMetrics from(Function<String, String> environment) {
        if ("true".equalsIgnoreCase(environment.apply("POWERTOOLS_METRICS_DISABLED"))) {
            return new EmfMetrics(null, null, null);
        }
        return new EmfMetrics(orDefault(environment.apply("POWERTOOLS_METRICS_NAMESPACE"), DEFAULT_NAMESPACE),
            orDefault(environment.apply("POWERTOOLS_SERVICE_NAME"), "switchboard"), () -> System.out);
    }

    private static String orDefault(String value, String fallback) {
        return value == null || value.isBlank() ? fallback : value;
    }

    boolean enabled() {
        return out != null;
    }

    /** Runs one invocation and writes what it counted as one line, even when {@code body} throws. */
    <T> T around(Supplier<T> body) {
        if (!enabled()) {
            return body.get();
        }
        Map<Metric, List<Double>> previous = current.get();
        Map<Metric, List<Double>> counted = new EnumMap<>(Metric.class);
        current.set(counted);
        try {
            return body.get();
        } finally {
            if (previous == null) {
                current.remove();
            } else {
                current.set(previous);
            }
            if (!counted.isEmpty()) {
                out.get().println(line(counted, System.currentTimeMillis()));
            }
        }
    }

    /** Counted into the current invocation; outside one (another thread), written at once on a line of its own. */
    @Override
    public void add(Metric metric, double value) {
        if (!enabled()) {
            return;
        }
        Map<Metric, List<Double>> counted = current.get();
        if (counted != null) {
            counted.computeIfAbsent(metric, m -> new ArrayList<>(1)).add(value);
        } else {
            out.get().println(line(Map.of(metric, List.of(value)), System.currentTimeMillis()));
        }
    }

    /**
     * One EMF document: counts are summed, latencies kept as separate samples (an array when there are several).
     * See https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html
     */
    String line(Map<Metric, List<Double>> counted, long timestampMillis) {
        StringBuilder definitions = new StringBuilder();
        StringBuilder values = new StringBuilder();
        for (Map.Entry<Metric, List<Double>> entry : counted.entrySet()) {
            Metric metric = entry.getKey();
            if (definitions.length() > 0) {
                definitions.append(',');
            }
            definitions.append("{\"Name\":\"").append(metric.metricName()).append("\",\"Unit\":\"")
                .append(metric.unit().cloudWatchName()).append("\"}");
            values.append(",\"").append(metric.metricName()).append("\":");
            List<Double> samples = entry.getValue();
            if (metric.unit() == Unit.COUNT) {
                double sum = 0;
                for (double sample : samples) {
                    sum += sample;
                }
                values.append(number(sum));
            } else if (samples.size() == 1) {
                values.append(number(samples.get(0)));
            } else {
                values.append('[');
                for (int i = 0; i < samples.size(); i++) {
                    values.append(i > 0 ? "," : "").append(number(samples.get(i)));
                }
                values.append(']');
            }
        }
        StringBuilder line = new StringBuilder(256 + values.length() + definitions.length());
        line.append("{\"_aws\":{\"Timestamp\":").append(timestampMillis)
            .append(",\"CloudWatchMetrics\":[{\"Namespace\":").append(FrameCodec.quote(namespace))
            .append(",\"Dimensions\":[[\"service\"]],\"Metrics\":[").append(definitions).append("]}]}")
            .append(",\"service\":").append(FrameCodec.quote(service));
        for (String key : PROPERTIES) {
            String value = MDC.get(key);
            if (value != null) {
                line.append(",\"").append(key).append("\":").append(FrameCodec.quote(value));
            }
        }
        return line.append(values).append('}').toString();
    }

    private static String number(double value) {
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return Long.toString((long) value);
        }
        return Double.isFinite(value) ? Double.toString(Math.round(value * 1000) / 1000.0) : "0";
    }
}
