package io.switchboard.functions;

import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.factories.JacksonFactory;
import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.api.AuthorizerRequest;
import io.switchboard.api.AuthorizerResult;
import io.switchboard.api.spi.AuthorizerPlugin;
import io.switchboard.api.spi.NamespacePlugin;
import io.switchboard.api.spi.PluginRegistry;
import io.switchboard.core.plugin.Plugins;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.switchboard.functions.LambdaRuntime.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The {@code @Authorizer} as AWS AppSync Events' Lambda authorizer, with the documented request sample. */
class AppSyncAuthorizerFunctionTest {
    private final List<AuthorizerRequest> seen = new ArrayList<>();

    private AppSyncAuthorizerFunction function(String regex, int ttl, AuthorizerPlugin.Function body) {
        AuthorizerPlugin plugin = AuthorizerPlugin.of("Test", regex, ttl, request -> {
            seen.add(request);
            return body.authorize(request);
        });
        PluginRegistry registry = new PluginRegistry() {
            @Override
            public List<NamespacePlugin> namespaces() {
                return List.of();
            }

            @Override
            public List<AuthorizerPlugin> authorizers() {
                return List.of(plugin);
            }
        };
        return new AppSyncAuthorizerFunction(Plugins.of(List.of(registry)));
    }

    @SuppressWarnings("unchecked")
    private static JsonNode invoke(AppSyncAuthorizerFunction function, String resource) {
        String text;
        try (InputStream in = AppSyncAuthorizerFunctionTest.class.getResourceAsStream("/appsync/" + resource)) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        java.lang.reflect.Type input;
        try {
            input = AppSyncAuthorizerFunction.class.getMethod("handleRequest", Map.class,
                com.amazonaws.services.lambda.runtime.Context.class).getGenericParameterTypes()[0];
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(e);
        }
        PojoSerializer<Object> in = JacksonFactory.getInstance().getSerializer(input);
        Object result = function.handleRequest((Map<String, Object>) in.fromJson(text), new LambdaRuntime.TestContext());
        PojoSerializer<Object> out = (PojoSerializer<Object>) JacksonFactory.getInstance().getSerializer(result.getClass());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        out.toJson(result, bytes);
        return json(bytes.toString(StandardCharsets.UTF_8));
    }

    @Test
    void documentedRequest_reachesTheAuthorizer_andItsResultIsAppSyncsResponse() {
        AppSyncAuthorizerFunction function = function(null, 0,
            r -> AuthorizerResult.allow(Map.of("userId", "u-1")).ttlOverride(300));
        assertEquals(json("{\"isAuthorized\":true,\"handlerContext\":{\"userId\":\"u-1\"},\"ttlOverride\":300}"),
            invoke(function, "authorizer-request.json"));
        AuthorizerRequest request = seen.get(0);
        assertEquals("ExampleAUTHtoken123123123", request.token());
        assertEquals("EVENT_SUBSCRIBE", request.operation().name());
        assertEquals("/news/latest", request.channel());
        assertEquals("news", request.namespace());
        assertEquals("value", request.requestHeaders().get("Header"));
    }

    @Test
    void connect_hasNoChannel_defaultTtlIsReported() {
        AppSyncAuthorizerFunction function = function(null, 60, r -> AuthorizerResult.deny());
        assertEquals(json("{\"isAuthorized\":false,\"ttlOverride\":60}"), invoke(function, "authorizer-connect.json"));
        assertNull(seen.get(0).channel());
        assertNull(seen.get(0).namespace());
    }

    @Test
    void tokenFailingTheValidationExpression_orAFailingAuthorizer_isRefusedUncached() {
        assertEquals(json("{\"isAuthorized\":false,\"ttlOverride\":0}"),
            invoke(function("Bearer .+", 0, r -> AuthorizerResult.allow()), "authorizer-request.json"));
        assertEquals(0, seen.size());
        assertEquals(json("{\"isAuthorized\":false,\"ttlOverride\":0}"), invoke(function(null, 0, r -> {
            throw new IllegalStateException("down");
        }), "authorizer-request.json"));
    }

    @Test
    void noAuthorizer_isAConfigurationError() {
        AppSyncAuthorizerFunction none = new AppSyncAuthorizerFunction(Plugins.none());
        assertThrows(IllegalStateException.class, () -> none.handle(Map.of()));
    }
}
