package io.switchboard.functions;

import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.factories.JacksonFactory;
import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.api.HandlerException;
import io.switchboard.api.OutgoingEvent;
import io.switchboard.api.UnauthorizedException;
import io.switchboard.api.spi.NamespacePlugin;
import io.switchboard.api.spi.PluginRegistry;
import io.switchboard.api.spi.PublishRoute;
import io.switchboard.api.spi.SubscribeRoute;
import io.switchboard.core.plugin.Plugins;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static io.switchboard.functions.LambdaRuntime.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The direct Lambda integration for AWS AppSync Events, driven with AppSync's handler-context payloads (the
 * documented samples and chat variants in {@code src/test/resources/appsync/}) through the Lambda runtime's own
 * serializer, in and out.
 */
class AppSyncEventsFunctionTest {

    private static String resource(String name) {
        try (InputStream in = AppSyncEventsFunctionTest.class.getResourceAsStream("/appsync/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource appsync/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Invokes the function as the Lambda Java runtime does and returns its serialized answer. */
    @SuppressWarnings("unchecked")
    private static JsonNode invoke(AppSyncEventsFunction function, String text) {
        Type input;
        try {
            input = AppSyncEventsFunction.class.getMethod("handleRequest", Map.class,
                com.amazonaws.services.lambda.runtime.Context.class).getGenericParameterTypes()[0];
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(e);
        }
        PojoSerializer<Object> in = JacksonFactory.getInstance().getSerializer(input);
        Object result = function.handleRequest((Map<String, Object>) in.fromJson(text), new LambdaRuntime.TestContext());
        if (result == null) {
            return json("null");
        }
        PojoSerializer<Object> out = (PojoSerializer<Object>) JacksonFactory.getInstance().getSerializer(result.getClass());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        out.toJson(result, bytes);
        return json(bytes.toString(StandardCharsets.UTF_8));
    }

    private static JsonNode invokeFile(AppSyncEventsFunction function, String name) {
        return invoke(function, resource(name));
    }

    // ------------------------------------------------------------------ the example app's handlers

    private final AppSyncEventsFunction example = new AppSyncEventsFunction();

    @Test
    void documentedPublishSample_noHandler_eventsComeBackUnchanged() {
        assertEquals(json(resource("publish-default.response.json")), invokeFile(example, "publish-default.json"));
    }

    @Test
    void documentedSubscribeSample_noHandler_allows() {
        assertTrue(invokeFile(example, "subscribe-default.json").isNull());
    }

    @Test
    void chatPublish_moderationErrorsAndStamps_byEventId() {
        JsonNode events = invokeFile(example, "publish-chat.json").get("events");
        assertEquals(3, events.size());
        assertEquals("5f7e3c38-2f5a-4b4e-9b0b-6a1d1c8e0a01", events.get(0).get("id").asText());
        assertEquals("hello everyone", events.get(0).at("/payload/text").asText());
        assertEquals("bob", events.get(0).at("/payload/from").asText());
        Instant.parse(events.get(0).at("/payload/serverTime").asText());
        assertEquals(json("{\"id\":\"0d3f2a5e-7c8b-4d1e-a2f3-b4c5d6e7f802\",\"error\":\"message rejected by moderation\"}"),
            events.get(1));
        assertEquals(json("{\"id\":\"c1b2a3d4-e5f6-4a7b-8c9d-0e1f2a3b4c03\",\"payload\":42}"), events.get(2));
    }

    @Test
    void chatSubscribe_ownerFromTheHandlerContext_allowed_othersGetAnError() {
        assertTrue(invokeFile(example, "subscribe-private-owner.json").isNull());
        assertEquals(json(resource("subscribe-private-other.response.json")), invokeFile(example, "subscribe-private-other.json"));
    }

    // ------------------------------------------------------------------ errors, with handlers made for it

    private static final String PUBLISH = resource("publish-default.json");
    private static final String SUBSCRIBE = resource("subscribe-default.json");

    private static AppSyncEventsFunction with(PublishRoute publish, SubscribeRoute subscribe) {
        NamespacePlugin.Builder ns = NamespacePlugin.builder("default", "Test");
        if (publish != null) {
            ns.route(publish);
        }
        if (subscribe != null) {
            ns.route(subscribe);
        }
        NamespacePlugin plugin = ns.build();
        PluginRegistry registry = () -> List.of(plugin);
        return new AppSyncEventsFunction(Plugins.of(List.of(registry)));
    }

    @Test
    void unauthorizedException_isRethrown_asAnExceptionNamedUnauthorizedException() {
        AppSyncEventsFunction publish = with(PublishRoute.perEvent("/default/*", "T#p", (e, c) -> {
            throw new UnauthorizedException("no publishing here");
        }), null);
        UnauthorizedException p = assertThrows(UnauthorizedException.class, () -> invoke(publish, PUBLISH));
        assertEquals("UnauthorizedException", p.getClass().getSimpleName());
        assertEquals("no publishing here", p.getMessage());

        AppSyncEventsFunction subscribe = with(null, SubscribeRoute.of("/default/channel", "T#s", c -> {
            throw new UnauthorizedException();
        }));
        assertThrows(UnauthorizedException.class, () -> invoke(subscribe, SUBSCRIBE));
    }

    @Test
    void handlerException_failsTheWholeRequest_withItsMessage() {
        AppSyncEventsFunction publish = with(PublishRoute.aggregate("/default/*", "T#p", c -> {
            throw new HandlerException("channel is read-only");
        }), null);
        assertEquals(json("{\"error\":\"channel is read-only\"}"), invoke(publish, PUBLISH));
        AppSyncEventsFunction subscribe = with(null, SubscribeRoute.of("/default/*", "T#s", c -> {
            throw new HandlerException("maintenance");
        }));
        assertEquals(json("{\"error\":\"maintenance\"}"), invoke(subscribe, SUBSCRIBE));
    }

    @Test
    void crashingHandler_answersAGenericError_withoutInternals() {
        AppSyncEventsFunction publish = with(PublishRoute.perEvent("/default/channel", "T#p", (e, c) -> {
            throw new IllegalStateException("password=hunter2");
        }), null);
        JsonNode answer = invoke(publish, PUBLISH);
        assertEquals(json("{\"error\":\"There was an error processing the message\"}"), answer);
        assertFalse(answer.toString().contains("hunter2"));
    }

    @Test
    void aggregate_filterAndError_unknownIdFailsEverything() {
        AppSyncEventsFunction filter = with(PublishRoute.aggregate("/default/*", "T#p", c -> List.of(
            OutgoingEvent.error("48cde766-afe9-4c2c-9708-2fed930efe56", "nope"))), null);
        assertEquals(json("{\"events\":[{\"id\":\"48cde766-afe9-4c2c-9708-2fed930efe56\",\"error\":\"nope\"}]}"),
            invoke(filter, PUBLISH));
        AppSyncEventsFunction unknown = with(PublishRoute.aggregate("/default/*", "T#p", c -> List.of(
            OutgoingEvent.of("made-up", 1))), null);
        assertTrue(invoke(unknown, PUBLISH).get("error").asText().contains("'made-up'"));
    }

    record Reply(String echo, int count) {}

    @Test
    void handlerSeesTheContext_andTypedPayloadsAreWrittenAsJson() {
        AppSyncEventsFunction function = with(PublishRoute.perEvent("/default/*", "T#p", (e, c) ->
            new Reply(c.header("X-Forwarded-For") + "|" + c.namespace() + "|" + c.identity() + "|" + c.domainName(),
                c.events().size())), null);
        JsonNode events = invoke(function, PUBLISH).get("events");
        assertEquals(json("{\"echo\":\"1.1.1.1, 2.2.2.2|default|null|null\",\"count\":2}"), events.get(0).get("payload"));
    }

    @Test
    void notAnAppSyncContext_isAnError() {
        assertEquals(json("{\"error\":\"The function expects an AppSync Events handler context (info.operation, "
            + "info.channel.path)\"}"), invoke(example, "{\"hello\":\"world\"}"));
    }
}
