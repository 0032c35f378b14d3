package io.switchboard.functions;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import io.switchboard.core.engine.ConnectAuthorizer;
import io.switchboard.core.engine.ConnectionAuth;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.lambda.powertools.logging.PowertoolsLogging;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code $connect} REQUEST authorizer. It always allows the upgrade and records the outcome of the connection
 * auth modes in the authorizer context, which API Gateway hands to every later route of the connection: a refused
 * connection is answered with {@code connection_error} on its first frame instead of an HTTP 401 that Amplify
 * would retry forever. The input is taken as a map because {@code APIGatewayCustomAuthorizerEvent} drops the
 * WebSocket fields.
 */
public final class ConnectAuthorizerFunction implements RequestHandler<Map<String, Object>, Map<String, Object>> {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectAuthorizerFunction.class);

    private final ConnectAuthorizer authorizer;

    public ConnectAuthorizerFunction() {
        this(SwitchboardRuntime.shared());
    }

    public ConnectAuthorizerFunction(SwitchboardRuntime runtime) {
        this.authorizer = runtime.connectAuthorizer();
    }

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
        return PowertoolsLogging.withLogging(context, () -> authorize(event));
    }

    private Map<String, Object> authorize(Map<String, Object> event) {
        Map<String, String> requestContext = Events.stringMap(event.get("requestContext"));
        Events.logging(requestContext.get("connectionId"), "$connect authorizer", requestContext.get("requestId"));
        Map<String, String> headers = Events.stringMap(event.get("headers"));
        ConnectionAuth auth = authorizer.authorize(headers);
        LOG.info("connect authorization: {}", auth.authorized() ? "allowed" : "refused (" + auth.errorType() + ")");

        Map<String, Object> statement = new LinkedHashMap<>();
        statement.put("Action", "execute-api:Invoke");
        statement.put("Effect", "Allow");
        statement.put("Resource", String.valueOf(event.get("methodArn")));
        Map<String, Object> policy = new LinkedHashMap<>();
        policy.put("Version", "2012-10-17");
        policy.put("Statement", List.of(statement));

        Map<String, Object> response = new LinkedHashMap<>();
        response.put("principalId", auth.authorized() && auth.mode() != null ? auth.mode().name() : "unauthorized");
        response.put("policyDocument", policy);
        response.put("context", new LinkedHashMap<String, Object>(auth.toContext()));
        return response;
    }
}
