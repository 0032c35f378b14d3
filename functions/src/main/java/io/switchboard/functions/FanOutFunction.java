package io.switchboard.functions;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import io.switchboard.core.engine.FanOutReport;
import io.switchboard.core.spi.FanOutShard;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import software.amazon.lambda.powertools.logging.PowertoolsLogging;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The fan-out worker: invoked asynchronously by a publish (or by itself) with one {@link FanOutShard} — the
 * pre-serialised data-frame parts and up to {@code SWITCHBOARD_FANOUT_SHARD_SIZE} subscribers — it delivers them
 * as the publishing function would, and hands what it cannot finish before its timeout on to a new invocation.
 * It reads the payload as bytes (no reflection-built mapper) and never throws for a delivery outcome: Lambda would
 * retry the whole shard. The answer (ignored by asynchronous callers, shown by {@code sam local invoke}) counts what
 * it did.
 */
public final class FanOutFunction implements RequestStreamHandler {
    private static final Logger LOG = LoggerFactory.getLogger(FanOutFunction.class);

    private final SwitchboardRuntime runtime;

    public FanOutFunction() {
        this(SwitchboardRuntime.shared());
    }

    public FanOutFunction(SwitchboardRuntime runtime) {
        FanOutWiring.serveAsWorker();
        this.runtime = runtime;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        byte[] payload = input.readAllBytes();
        String answer = PowertoolsLogging.withLogging(context,
            () -> runtime.metrics().around(() -> deliver(payload, context)));
        output.write(answer.getBytes(StandardCharsets.UTF_8));
    }

    private String deliver(byte[] payload, Context context) {
        MDC.put("route", "fan-out");
        FanOutShard shard;
        try {
            shard = FanOutShard.parse(payload);
        } catch (IllegalArgumentException e) {
            // a retry would fail the same way: log it and finish
            LOG.atError().addKeyValue("bytes", payload.length).addKeyValue("error", e.getMessage())
                .log("not a fan-out shard; nothing delivered");
            return "{\"error\":\"not a fan-out shard\"}";
        }
        MDC.put("channel", String.valueOf(shard.channel()));
        if (context != null) {
            FanOutWiring.invokedAs(context.getInvokedFunctionArn());
        }
        FanOutReport report = runtime.engine().deliver(shard, FanOutWiring.deadline(context));
        LOG.atInfo().addKeyValue("subscribers", report.subscribers()).addKeyValue("delivered", report.delivered())
            .addKeyValue("gone", report.goneConnections()).addKeyValue("failed", report.failed())
            .addKeyValue("handed_off", report.handedOff()).addKeyValue("generation", shard.generation())
            .log("fan-out shard done");
        return "{\"subscribers\":" + report.subscribers() + ",\"delivered\":" + report.delivered() + ",\"gone\":"
            + report.goneConnections() + ",\"failed\":" + report.failed() + ",\"handedOff\":" + report.handedOff() + "}";
    }
}
