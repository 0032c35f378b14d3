package io.switchboard.local.fake;

import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketResponse;

/**
 * {@code $connect}: accepts and selects {@code aws-appsync-event-ws} when offered. Query
 * {@code status=N} answers N, {@code boom} throws, {@code protocol=P} selects P instead.
 */
public class FakeConnect implements RequestHandler<APIGatewayV2WebSocketEvent, APIGatewayV2WebSocketResponse> {

    public static final BlockingQueue<APIGatewayV2WebSocketEvent> EVENTS = new LinkedBlockingQueue<>();

    @Override
    public APIGatewayV2WebSocketResponse handleRequest(APIGatewayV2WebSocketEvent event, Context context) {
        EVENTS.add(event);
        Map<String, String> query = event.getQueryStringParameters() == null ? Map.of() : event.getQueryStringParameters();
        if (query.containsKey("boom")) {
            throw new IllegalStateException("connect exploded");
        }
        APIGatewayV2WebSocketResponse response = new APIGatewayV2WebSocketResponse();
        response.setStatusCode(Integer.parseInt(query.getOrDefault("status", "200")));
        String offered = null;
        for (Map.Entry<String, String> header : event.getHeaders().entrySet()) {
            if (header.getKey().equalsIgnoreCase("Sec-WebSocket-Protocol")) {
                offered = header.getValue();
            }
        }
        String selected = query.get("protocol");
        if (selected == null && offered != null && offered.contains("aws-appsync-event-ws")) {
            selected = "aws-appsync-event-ws";
        }
        if (selected != null) {
            response.setHeaders(Map.of("Sec-WebSocket-Protocol", selected, "X-Not-Echoed", "1"));
        }
        return response;
    }
}
