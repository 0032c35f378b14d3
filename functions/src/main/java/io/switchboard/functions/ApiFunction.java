package io.switchboard.functions;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;

/**
 * What the functions behind API Gateway's routes ({@code $connect}, the messages, {@code $disconnect}, the HTTP
 * publish) have in common: the runtime they run on, and a head start for it on a cold start.
 *
 * <p>The head start: initialising this class (before the function's own class, so before its logger configures
 * Log4j and the JSON layout) starts building the shared runtime's engine — configuration, the store's SDK client,
 * auth — on a thread of its own ({@link SwitchboardRuntime#buildInBackground()}). The two largest parts of a cold
 * start, logging's set-up and the SDK's, then overlap where the function has a second vCPU (Lambda gives one per
 * 1,769 MB); the invocation waits for the engine only when it needs it.
 */
abstract class ApiFunction implements RequestStreamHandler {
    static {
        SwitchboardRuntime.buildInBackground();
    }

    final SwitchboardRuntime runtime;

    ApiFunction(SwitchboardRuntime runtime) {
        this.runtime = runtime;
    }
}
