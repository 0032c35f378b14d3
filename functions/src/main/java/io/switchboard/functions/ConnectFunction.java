package io.switchboard.functions;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketResponse;
import io.switchboard.core.engine.ConnectResult;
import io.switchboard.core.engine.ConnectionAuth;
import io.switchboard.core.engine.Engine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;

/**
 * {@code $connect}: records the connection and selects the {@code aws-appsync-event-ws} subprotocol, which
 * browsers require in the handshake. The connection's auth outcome comes from the authorizer's context; without
 * an authorizer it is computed here.
 */
public final class ConnectFunction extends ApiFunction {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectFunction.class);

    public ConnectFunction() {
        this(SwitchboardRuntime.shared());
    }

    public ConnectFunction(SwitchboardRuntime runtime) {
        super(runtime);
    }

    /** The Lambda entry point: the event read and the response written by {@link Events}, not the runtime's serializer. */
    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        Events.write(handle(Events.webSocket(input), context), output);
    }

    /** Handles one event (the entry point for Java callers and tests). */
    public APIGatewayV2WebSocketResponse handle(APIGatewayV2WebSocketEvent event, Context context) {
        return invocation(context, () -> runtime.metrics().around(() -> connect(event)));
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
