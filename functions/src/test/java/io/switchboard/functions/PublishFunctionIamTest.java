package io.switchboard.functions;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.core.auth.ApiKeyAuthProvider;
import io.switchboard.core.config.SwitchboardConfig;
import io.switchboard.core.engine.ConnectionAuth;
import io.switchboard.core.engine.Engine;
import io.switchboard.core.memory.InMemorySubscriptionStore;
import io.switchboard.core.memory.RecordingConnectionSender;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.switchboard.functions.LambdaRuntime.invoke;
import static io.switchboard.functions.LambdaRuntime.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code POST /iam/event}: API Gateway verified the SigV4 signature and put the caller in
 * {@code requestContext.authorizer.iam}; PublishFunction passes it to the engine, which authorizes the publish as
 * {@code AWS_IAM} against the namespace's publish modes.
 */
class PublishFunctionIamTest {
    private static final String KEY = "da2-switchboardexamplekey0001";

    private final InMemorySubscriptionStore store = new InMemorySubscriptionStore();
    private final RecordingConnectionSender sender = new RecordingConnectionSender();

    private SwitchboardRuntime runtime(String... extra) {
        Map<String, String> env = new HashMap<>(Map.of("SWITCHBOARD_API_KEYS", ApiKeyAuthProvider.digestHex(KEY)));
        for (int i = 0; i < extra.length; i += 2) {
            env.put(extra[i], extra[i + 1]);
        }
        return SwitchboardRuntime.of(SwitchboardConfig.from(env::get), store, sender);
    }

    @Test
    void iamRoute_verifiedCaller_publishesAsIam() {
        SwitchboardRuntime runtime = runtime();
        Engine engine = runtime.engine();
        Map<String, String> upgrade = Map.of("x-api-key", KEY);
        ConnectionAuth auth = engine.authorizeConnect(upgrade);
        engine.connect("sub", 0, auth, upgrade);
        engine.message("sub", "{\"type\":\"subscribe\",\"id\":\"s\",\"channel\":\"/sample/*\",\"authorization\":{\"x-api-key\":\""
            + KEY + "\"}}", auth);

        JsonNode response = invoke(new PublishFunction(runtime), "http-publish-iam.json");
        assertEquals(200, response.path("statusCode").asInt(), response::toString);
        JsonNode body = json(response.path("body").asText());
        assertEquals(1, body.path("successful").size(), body::toString);
        List<String> delivered = sender.drain("sub");
        assertEquals(1, delivered.size());
        assertEquals("{\"message\":\"hello over IAM\"}", json(delivered.get(0)).path("event").asText());
    }

    @Test
    void iamRoute_namespaceWithoutIam_refusedNamingTheMode() {
        JsonNode response = invoke(new PublishFunction(runtime("SWITCHBOARD_PUBLISH_AUTH_MODES", "API_KEY")),
            "http-publish-iam.json");
        assertEquals(401, response.path("statusCode").asInt());
        assertEquals(json("{\"errors\":[{\"errorType\":\"UnauthorizedException\",\"message\":\"AWS_IAM is not allowed to "
            + "publish in namespace 'sample' (allowed auth modes: API_KEY)\"}]}"), json(response.path("body").asText()));
    }

    @Test
    void apiKeyRoute_keepsWorkingBesideTheIamRoute() {
        // http-publish-bad-key.json carries a wrong key: the API key route still answers as before
        JsonNode bad = invoke(new PublishFunction(runtime()), "http-publish-bad-key.json");
        assertEquals(401, bad.path("statusCode").asInt());
        JsonNode ok = invoke(new PublishFunction(runtime()), "http-publish.json");
        assertEquals(200, ok.path("statusCode").asInt());
    }

    @Test
    void iamRoute_locally_signatureIsVerifiedForReal() {
        // in the local gateway nothing upstream checked the fixture's (fake) signature: the function does
        JsonNode response = invoke(new PublishFunction(runtime("SWITCHBOARD_LOCAL", "true", "AWS_ACCESS_KEY_ID", "AKIDLOCAL",
            "AWS_SECRET_ACCESS_KEY", "local-secret")), "http-publish-iam.json");
        assertEquals(403, response.path("statusCode").asInt());
        assertTrue(json(response.path("body").asText()).path("message").asText().startsWith("Signature expired"),
            response::toString);
    }

    @Test
    void runtime_authConfigurationIsCheckedAtStart() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
            () -> runtime("SWITCHBOARD_NAMESPACE_AUTH", "nowhere:publish=API_KEY"));
        assertTrue(e.getMessage().contains("namespace 'nowhere'"), e.getMessage());
        IllegalStateException lambda = assertThrows(IllegalStateException.class,
            () -> runtime("SWITCHBOARD_SUBSCRIBE_AUTH_MODES", "AWS_LAMBDA"));
        assertTrue(lambda.getMessage().contains("AWS_LAMBDA"), lambda.getMessage());
    }
}
