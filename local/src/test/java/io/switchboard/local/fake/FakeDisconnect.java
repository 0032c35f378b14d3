package io.switchboard.local.fake;

import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;

/** {@code $disconnect}, taken as a map so the test sees {@code disconnectStatusCode}, which the event class drops. */
public class FakeDisconnect implements RequestHandler<Map<String, Object>, Map<String, Object>> {

    public static final BlockingQueue<Map<String, Object>> EVENTS = new LinkedBlockingQueue<>();

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
        EVENTS.add(event);
        return Map.of("statusCode", 200);
    }
}
