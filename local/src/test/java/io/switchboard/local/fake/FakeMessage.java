package io.switchboard.local.fake;

import java.net.URI;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketResponse;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.apigatewaymanagementapi.ApiGatewayManagementApiClient;

/**
 * Every message route. The frame's {@code type} decides: {@code boom} throws, {@code slow} sleeps
 * 300 ms, {@code post} sends {@code "pushed"} to its own connection through the real SDK client and
 * the gateway's {@code SWITCHBOARD_CONNECTIONS_ENDPOINT}; otherwise the reply is
 * {@code routeKey:body}.
 */
public class FakeMessage implements RequestHandler<APIGatewayV2WebSocketEvent, APIGatewayV2WebSocketResponse> {

    public static final BlockingQueue<APIGatewayV2WebSocketEvent> EVENTS = new LinkedBlockingQueue<>();

    @Override
    public APIGatewayV2WebSocketResponse handleRequest(APIGatewayV2WebSocketEvent event, Context context) {
        String body = event.getBody();
        String routeKey = event.getRequestContext().getRouteKey();
        if (body.contains("\"boom\"")) {
            throw new IllegalStateException("message exploded");
        }
        if (body.contains("\"slow\"")) {
            try {
                Thread.sleep(300);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (body.contains("\"post\"")) {
            try (ApiGatewayManagementApiClient client = ApiGatewayManagementApiClient.builder()
                    .endpointOverride(URI.create(System.getProperty("SWITCHBOARD_CONNECTIONS_ENDPOINT")))
                    .build()) {
                client.postToConnection(r -> r.connectionId(event.getRequestContext().getConnectionId())
                        .data(SdkBytes.fromUtf8String("pushed")));
            }
        }
        EVENTS.add(event);
        APIGatewayV2WebSocketResponse response = new APIGatewayV2WebSocketResponse();
        response.setStatusCode(200);
        if (!body.contains("\"silent\"")) {
            response.setBody(routeKey + ":" + body);
        }
        return response;
    }
}
