package io.switchboard.local.fake;

import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;

/** {@code POST /event}: answers 202 with the body it got and a cookie; a body of {@code boom} throws. */
public class FakePublish implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

    public static final BlockingQueue<APIGatewayV2HTTPEvent> EVENTS = new LinkedBlockingQueue<>();

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        EVENTS.add(event);
        if ("boom".equals(event.getBody())) {
            throw new IllegalStateException("publish exploded");
        }
        return APIGatewayV2HTTPResponse.builder()
                .withStatusCode(202)
                .withHeaders(Map.of("content-type", "application/json", "x-function", context.getFunctionName()))
                .withCookies(List.of("sid=abc; HttpOnly"))
                .withBody("{\"received\":" + event.getBody() + "}")
                .build();
    }
}
