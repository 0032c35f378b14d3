package io.switchboard.functions;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketResponse;
import io.switchboard.core.engine.ConnectResult;
import io.switchboard.core.engine.ConnectionAuth;
import io.switchboard.core.engine.Engine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.lambda.powertools.logging.PowertoolsLogging;

import java.util.Map;

/**
 * {@code $connect}: records the connection and selects the {@code aws-appsync-event-ws} subprotocol, which
 * browsers require in the handshake. The connection's auth outcome comes from the authorizer's context; without
 * an authorizer it is computed here.
 */
public final class ConnectFunction implements RequestHandler<APIGatewayV2WebSocketEvent, APIGatewayV2WebSocketResponse> {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectFunction.class);

    private final SwitchboardRuntime runtime;

    public ConnectFunction() {
        this(SwitchboardRuntime.shared());
    }

    public ConnectFunction(SwitchboardRuntime runtime) {
        this.runtime = runtime;
    }

    @Override
    public APIGatewayV2WebSocketResponse handleRequest(APIGatewayV2WebSocketEvent event, Context context) {
        return PowertoolsLogging.withLogging(context, () -> runtime.metrics().around(() -> connect(event)));
    }

    private APIGatewayV2WebSocketResponse connect(APIGatewayV2WebSocketEvent event) {
        APIGatewayV2WebSocketEvent.RequestContext rc = event.getRequestContext();
        Events.logging(rc.getConnectionId(), rc.getRouteKey(), rc.getRequestId());
        Map<String, String> headers = Events.headers(event.getHeaders(), event.getMultiValueHeaders());
        Map<String, Object> authorizer = rc.getAuthorizer();
        Engine engine = runtime.engine();
        ConnectionAuth auth = authorizer != null && authorizer.containsKey("sbAuth")
            ? ConnectionAuth.fromContext(authorizer)
            : engine.authorizeConnect(headers);
        long connectedAt = rc.getConnectedAt() > 0 ? rc.getConnectedAt() : System.currentTimeMillis();
        ConnectResult result = engine.connect(rc.getConnectionId(), connectedAt, auth, headers);
        LOG.info("connected ({})", auth.authorized() ? "authorized" : "refused: " + auth.errorType());

        APIGatewayV2WebSocketResponse response = new APIGatewayV2WebSocketResponse();
        response.setStatusCode(result.status());
        if (result.subprotocol() != null) {
            response.setHeaders(Map.of("Sec-WebSocket-Protocol", result.subprotocol()));
        }
        return response;
    }
}
