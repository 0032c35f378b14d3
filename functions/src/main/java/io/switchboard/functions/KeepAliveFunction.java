package io.switchboard.functions;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import io.switchboard.core.engine.Engine;
import io.switchboard.core.engine.KeepAlive;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import software.amazon.lambda.powertools.logging.PowertoolsLogging;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The scheduled keep-alive (an EventBridge {@code Schedule} event, every {@code KeepAliveRateMinutes}): sends
 * {@code {"type":"ka"}} to every connection through {@code @connections}, so that AppSync clients, which drop a
 * connection that hears nothing for {@code connectionTimeoutMs}, keep theirs. API Gateway cannot push on a timer,
 * hence a function. Connections are listed with queries on the connections index (never a scan); gone ones are
 * purged. The event is EventBridge's scheduled event, whose fields are not used; a schedule with a constant
 * {@code Input} of {@code {"shard":k,"shards":n}} walks only part k of n, so that large deployments can split the
 * walk over several schedules. Sends stop five seconds before the function's timeout.
 */
public final class KeepAliveFunction implements RequestHandler<Map<String, Object>, Map<String, Object>> {
    private static final Logger LOG = LoggerFactory.getLogger(KeepAliveFunction.class);
    private static final long SAFETY_MARGIN_MILLIS = 5_000;
    private static final long WITHOUT_CONTEXT_MILLIS = 60_000;

    private final SwitchboardRuntime runtime;

    public KeepAliveFunction() {
        this(SwitchboardRuntime.shared());
    }

    public KeepAliveFunction(SwitchboardRuntime runtime) {
        this.runtime = runtime;
    }

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
        return PowertoolsLogging.withLogging(context, () -> {
            MDC.put("route", "keepalive");
            int shards = integer(event, "shards", 1);
            int shard = integer(event, "shard", 0);
            long budget = context == null ? WITHOUT_CONTEXT_MILLIS
                : Math.max(0, context.getRemainingTimeInMillis() - SAFETY_MARGIN_MILLIS);
            Engine engine = runtime.engine();
            KeepAlive.Report report = new KeepAlive(engine.store(), engine.sender(), runtime.config().fanOutParallelism())
                .run(shard, shards, System.nanoTime() + budget * 1_000_000);
            LOG.atInfo()
                .addKeyValue("shard", shard).addKeyValue("shards", shards)
                .addKeyValue("connections", report.connections()).addKeyValue("delivered", report.delivered())
                .addKeyValue("gone", report.gone()).addKeyValue("failed", report.failed())
                .addKeyValue("skipped", report.skipped()).addKeyValue("duration_ms", report.millis())
                .log("keep-alive sent");
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("connections", report.connections());
            result.put("delivered", report.delivered());
            result.put("gone", report.gone());
            result.put("failed", report.failed());
            result.put("skipped", report.skipped());
            result.put("durationMs", report.millis());
            return result;
        });
    }

    /** A whole number from a custom {@code Input}; absent in EventBridge's own scheduled event. */
    private static int integer(Map<String, Object> event, String name, int fallback) {
        Object value = event == null ? null : event.get(name);
        if (value == null) {
            return fallback;
        }
        if (value instanceof Number n && n.doubleValue() == n.intValue()) {
            return n.intValue();
        }
        try {
            return Integer.parseInt(String.valueOf(value).trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + name + "' in the keep-alive input must be a whole number, got "
                + value, e);
        }
    }
}
