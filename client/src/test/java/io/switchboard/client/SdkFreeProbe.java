package io.switchboard.client;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;

/** Loaded by {@link OptionalSdkTest} through a class loader without the AWS SDK: uses every non-IAM path. */
public final class SdkFreeProbe implements Supplier<String> {

    @Override
    public String get() {
        try (SwitchboardClient client = SwitchboardClient.newBuilder()
                .endpoint(URI.create("http://127.0.0.1:9/event"))
                .auth(Auth.apiKey("da2-k"))
                .connectTimeout(Duration.ofMillis(500))
                .build()) {
            Subscription subscription = client.subscribe("/default/*", event -> { });
            client.publishOverWebSocket("/default/a", "1");
            String described = client + " " + Auth.bearer("t") + " " + Auth.lambda("t") + " " + subscription.channel();
            return described + " " + Json.headerSubprotocol(Map.of("x-api-key", "k"));
        }
    }

    /** Reaches IAM, which needs the SDK. */
    public static final class Iam implements Supplier<String> {
        @Override
        public String get() {
            return Auth.iam(null, "us-east-1").toString();
        }
    }
}
