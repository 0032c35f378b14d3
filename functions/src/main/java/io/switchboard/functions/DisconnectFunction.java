package io.switchboard.functions;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.lambda.powertools.logging.PowertoolsLogging;

/**
 * {@code $disconnect}: removes the connection and its subscriptions. Best effort on API Gateway's side, which is
 * why every stored item also carries a TTL.
 */
public final class DisconnectFunction implements RequestHandler<APIGatewayV2WebSocketEvent, APIGatewayV2WebSocketResponse> {
    private static final Logger LOG = LoggerFactory.getLogger(DisconnectFunction.class);

    private final SwitchboardRuntime runtime;

    public DisconnectFunction() {
        this(SwitchboardRuntime.shared());
    }

    public DisconnectFunction(SwitchboardRuntime runtime) {
        this.runtime = runtime;
    }

    @Override
    public APIGatewayV2WebSocketResponse handleRequest(APIGatewayV2WebSocketEvent event, Context context) {
        return PowertoolsLogging.withLogging(context, () -> {
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
