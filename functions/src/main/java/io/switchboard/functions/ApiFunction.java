package io.switchboard.functions;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import software.amazon.lambda.powertools.logging.PowertoolsLogging;

import java.util.function.Supplier;

/**
 * What the functions behind API Gateway's routes ({@code $connect}, the messages, {@code $disconnect}, the HTTP
 * publish) have in common: the runtime they run on, and a head start for it on a cold start.
 *
 * <p>The head start: initialising this class (before the function's own class, so before its logger configures
 * Log4j and the JSON layout) starts a second thread ({@link SwitchboardRuntime#buildInBackground()}) that warms up
 * Jackson while this one binds SLF4J to Log4j, then builds the shared runtime's engine — configuration, the
 * store's SDK client, auth — while this one configures logging (or the other way round: whichever thread asks
 * Log4j first configures it), and last loads the classes the first request will need ({@link ColdStartClasses})
 * while this one reads the event. The two largest parts of a cold start, logging's set-up and the SDK's, then
 * overlap where the function has a second vCPU (Lambda gives one per 1,769 MB); {@link #invocation} waits for both
 * only when it needs them.
 */
abstract class ApiFunction implements RequestStreamHandler {
    static {
        SwitchboardRuntime.buildInBackground();
    }

    final SwitchboardRuntime runtime;

    ApiFunction(SwitchboardRuntime runtime) {
        this.runtime = runtime;
    }

    /** One invocation, in Powertools logging's scope, once the runtime is ready ({@link SwitchboardRuntime#ready()}). */
    final <T> T invocation(Context context, Supplier<T> body) {
        runtime.ready();
        return PowertoolsLogging.withLogging(context, body);
    }
}
