package io.switchboard.functions;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketResponse;
import io.switchboard.core.engine.ConnectionAuth;
import io.switchboard.core.engine.Engine;
import io.switchboard.core.engine.MessageResult;
import io.switchboard.core.spi.ConnectionSender;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * Every client frame ({@code connection_init}, {@code subscribe}, {@code unsubscribe}, {@code publish} and
 * {@code $default}). The last reply travels back as the route response (no extra {@code @connections} call);
 * earlier replies are posted first, in order, so the client sees them in sequence. A refused connection gets its
 * {@code connection_error} and is closed.
 */
public final class MessageFunction extends ApiFunction {
    private static final Logger LOG = LoggerFactory.getLogger(MessageFunction.class);

    public MessageFunction() {
        this(SwitchboardRuntime.shared());
    }

    public MessageFunction(SwitchboardRuntime runtime) {
        super(runtime);
    }

    /** The Lambda entry point: the event read and the response written by {@link Events}, not the runtime's serializer. */
    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        Events.write(handle(Events.webSocket(input), context), output);
    }

    /** Handles one event (the entry point for Java callers and tests). */
    public APIGatewayV2WebSocketResponse handle(APIGatewayV2WebSocketEvent event, Context context) {
        return invocation(context, () -> runtime.metrics().around(() -> message(event, context)));
    }

    private APIGatewayV2WebSocketResponse message(APIGatewayV2WebSocketEvent event, Context context) {
        APIGatewayV2WebSocketEvent.RequestContext rc = event.getRequestContext();
        String connectionId = rc.getConnectionId();
        Events.logging(connectionId, rc.getRouteKey(), rc.getRequestId());
        String body = event.getBody() == null ? "" : event.getBody();
        if (event.isIsBase64Encoded()) {
            body = new String(Base64.getDecoder().decode(body), StandardCharsets.UTF_8);
        }
        Engine engine = runtime.engine();
        MessageResult result = engine.message(connectionId, body, ConnectionAuth.fromContext(rc.getAuthorizer()),
            FanOutWiring.deadline(context));
        ConnectionSender sender = engine.sender();
        List<String> replies = result.replies();

        APIGatewayV2WebSocketResponse response = new APIGatewayV2WebSocketResponse();
        response.setStatusCode(200);
        if (result.close()) {
            for (String reply : replies) {
                sender.send(connectionId, reply);
            }
            sender.close(connectionId);
            LOG.info("closed a connection that was not authorized");
            return response;
        }
        for (int i = 0; i < replies.size() - 1; i++) {
            sender.send(connectionId, replies.get(i));
        }
        if (!replies.isEmpty()) {
            response.setBody(replies.get(replies.size() - 1));
        }
        return response;
    }
}
