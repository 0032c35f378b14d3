package io.switchboard.functions;

import com.amazonaws.services.lambda.runtime.Context;
import io.switchboard.aws.LambdaFanOutDispatcher;
import io.switchboard.core.config.SwitchboardConfig;
import io.switchboard.core.engine.Deadline;
import io.switchboard.core.engine.Engine;
import io.switchboard.core.memory.InProcessFanOutDispatcher;
import io.switchboard.core.spi.FanOutDispatcher;
import software.amazon.awssdk.regions.Region;

import java.net.URI;
import java.util.function.Supplier;

/**
 * Where a large fan-out's shards go, and how much time an invocation has: in the local gateway a pool in the same
 * JVM; in the cloud asynchronous invocations of {@code FanOutFunction} ({@code SWITCHBOARD_FANOUT_FUNCTION}, set on
 * the publishing functions). The worker itself hands what it cannot finish on to the alias it was invoked through,
 * which cannot be in its own environment without a circular reference in the template.
 */
final class FanOutWiring {
    /** Shards the local gateway delivers at the same time (the cloud's concurrent worker invocations). */
    static final int LOCAL_WORKERS = 4;

    private static volatile boolean worker;
    private static volatile String workerArn;

    private FanOutWiring() {}

    /** This JVM runs {@code FanOutFunction}; called before its engine is built. */
    static void serveAsWorker() {
        worker = true;
    }

    /** The ARN (with alias) the current worker invocation came through: where it hands its remainder. */
    static void invokedAs(String invokedFunctionArn) {
        if (invokedFunctionArn != null && !invokedFunctionArn.isBlank()) {
            workerArn = invokedFunctionArn;
        }
    }

    /** The dispatcher of this JVM's engine; {@code null}: no worker, the publish delivers everything itself. */
    static FanOutDispatcher dispatcher(SwitchboardConfig config, Supplier<Engine> engine) {
        if (config.local()) {
            return new InProcessFanOutDispatcher(shard -> engine.get().deliver(shard, Deadline.none()), LOCAL_WORKERS);
        }
        Region region = config.region() == null ? null : Region.of(config.region());
        URI endpoint = config.lambdaEndpoint() == null ? null : URI.create(config.lambdaEndpoint());
        if (config.fanOutFunction() != null) {
            return LambdaFanOutDispatcher.builder().functionName(config.fanOutFunction()).region(region)
                .endpoint(endpoint).build();
        }
        if (worker) {
            return LambdaFanOutDispatcher.builder().functionName(() -> workerArn).region(region)
                .endpoint(endpoint).build();
        }
        return null;
    }

    /** The invocation's remaining time ({@link Deadline#none()} without a context, as in some tests). */
    static Deadline deadline(Context context) {
        return context == null ? Deadline.none() : Deadline.of(context::getRemainingTimeInMillis);
    }
}
