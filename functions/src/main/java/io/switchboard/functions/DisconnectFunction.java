package io.switchboard.functions;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * {@code $disconnect}: removes the connection and its subscriptions. Best effort on API Gateway's side, which is
 * why every stored item also carries a TTL.
 */
public final class DisconnectFunction extends ApiFunction {
    private static final Logger LOG = LoggerFactory.getLogger(DisconnectFunction.class);

    public DisconnectFunction() {
        this(SwitchboardRuntime.shared());
    }

    public DisconnectFunction(SwitchboardRuntime runtime) {
        super(runtime);
    }

    /** The Lambda entry point: the event read and the response written by {@link Events}, not the runtime's serializer. */
    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        Events.write(handle(Events.webSocket(input), context), output);
    }

    /** Handles one event (the entry point for Java callers and tests). */
    public APIGatewayV2WebSocketResponse handle(APIGatewayV2WebSocketEvent event, Context context) {
        return invocation(context, () -> {
            String connectionId = event.getRequestContext().getConnectionId();
            Events.logging(connectionId, "$disconnect", event.getRequestContext().getRequestId());
            runtime.engine().disconnect(connectionId);
            LOG.info("disconnected");
            APIGatewayV2WebSocketResponse response = new APIGatewayV2WebSocketResponse();
            response.setStatusCode(200);
            return response;
        });
    }
}
