package io.switchboard.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.net.httpserver.HttpServer;
import io.switchboard.core.config.SwitchboardConfig;
import io.switchboard.core.protocol.FrameCodec;
import io.switchboard.core.spi.FanOutDispatcher;
import io.switchboard.core.spi.FanOutShard;
import io.switchboard.core.spi.Subscriber;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/** Where the cloud wiring sends a large fan-out's shards. */
class FanOutWiringTest {

    @Test
    void dispatcher_withAwsEndpointUrlLambda_invokesTheFanOutFunctionThere() throws Exception {
        List<String> invocations = new CopyOnWriteArrayList<>();
        HttpServer lambda = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        lambda.createContext("/", exchange -> {
            try (exchange; InputStream body = exchange.getRequestBody()) {
                body.readAllBytes();
                invocations.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getRawPath() + " "
                    + exchange.getRequestHeaders().getFirst("X-Amz-Invocation-Type"));
                exchange.sendResponseHeaders(202, -1);
            }
        });
        lambda.start();
        Map<String, String> previous = new HashMap<>();
        for (String name : List.of("aws.accessKeyId", "aws.secretAccessKey")) {
            previous.put(name, System.getProperty(name));
            System.setProperty(name, name.equals("aws.accessKeyId") ? "AKIDEXAMPLE" : "wiring-test-secret");
        }
        try {
            SwitchboardConfig config = SwitchboardConfig.from(Map.of(
                "SWITCHBOARD_FANOUT_FUNCTION", "arn:aws:lambda:us-east-1:000000000000:function:sb-FanOut:live",
                "AWS_REGION", "us-east-1",
                "AWS_ENDPOINT_URL_LAMBDA", "http://127.0.0.1:" + lambda.getAddress().getPort())::get);
            FanOutDispatcher dispatcher = FanOutWiring.dispatcher(config, () -> null);

            dispatcher.dispatch(new FanOutShard("/default/wiring", List.of(FanOutShard.part(FrameCodec.quote("{\"a\":1}"))),
                List.of(new Subscriber("c1=", "s1")), 0));

            assertEquals(List.of("POST /2015-03-31/functions/arn%3Aaws%3Alambda%3Aus-east-1%3A000000000000%3Afunction"
                + "%3Asb-FanOut%3Alive/invocations Event"), invocations);
        } finally {
            previous.forEach((name, value) -> {
                if (value == null) {
                    System.clearProperty(name);
                } else {
                    System.setProperty(name, value);
                }
            });
            lambda.stop(0);
        }
    }
}
