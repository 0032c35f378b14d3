package io.switchboard.functions;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import io.switchboard.api.IncomingEvent;
import io.switchboard.api.PublishContext;
import io.switchboard.api.SubscribeContext;
import io.switchboard.api.UnauthorizedException;
import io.switchboard.api.spi.PublishRoute;
import io.switchboard.api.spi.SubscribeRoute;
import io.switchboard.core.channel.ChannelPath;
import io.switchboard.core.channel.ChannelPattern;
import io.switchboard.core.channel.InvalidChannelException;
import io.switchboard.core.plugin.HandlerFailure;
import io.switchboard.core.plugin.HandlerInvoker;
import io.switchboard.core.plugin.JacksonPayloadBinder;
import io.switchboard.core.plugin.Payloads;
import io.switchboard.core.plugin.Plugins;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import software.amazon.lambda.powertools.logging.PowertoolsLogging;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The same {@code @ChannelNamespace} handlers, served to AWS AppSync Events itself: a direct Lambda integration
 * ({@code handlerConfigs} with {@code behavior: DIRECT}) for {@code onPublish} and {@code onSubscribe}. The input is
 * AppSync's handler context; the answer is what AppSync expects:
 *
 * <ul>
 *   <li>publish: {@code {"events": [{"id", "payload"} | {"id", "error"}]}}, or {@code {"error": "msg"}} to fail
 *       the whole request;</li>
 *   <li>subscribe: {@code null} to allow, {@code {"error": "msg"}} to refuse;</li>
 *   <li>a handler's {@code UnauthorizedException} is rethrown ({@code io.switchboard.api.UnauthorizedException},
 *       simple name {@code UnauthorizedException}), which AppSync treats as unauthorized.</li>
 * </ul>
 *
 * Handler semantics (routing, ids, errors) are the engine's: {@link HandlerInvoker}. A channel without a handler
 * passes its events through unchanged. Exceptions from handlers are logged and answered with a generic message.
 */
public final class AppSyncEventsFunction implements RequestHandler<Map<String, Object>, Object> {
    private static final Logger LOG = LoggerFactory.getLogger(AppSyncEventsFunction.class);
    private static final JacksonPayloadBinder BINDER = new JacksonPayloadBinder();

    private final Plugins plugins;

    public AppSyncEventsFunction() {
        this(Plugins.shared());
    }

    public AppSyncEventsFunction(Plugins plugins) {
        this.plugins = plugins;
    }

    @Override
    public Object handleRequest(Map<String, Object> input, Context context) {
        return PowertoolsLogging.withLogging(context, () -> handle(input));
    }

    /** The handler without the Lambda context (tests, embedding). */
    public Object handle(Map<String, Object> input) {
        Map<String, Object> info = map(input == null ? null : input.get("info"));
        String operation = string(info.get("operation"));
        String path = string(map(info.get("channel")).get("path"));
        MDC.put("route", "appsync " + operation);
        MDC.put("channel", path);
        if (path == null || !("PUBLISH".equals(operation) || "SUBSCRIBE".equals(operation))) {
            LOG.warn("Not an AppSync Events handler invocation (operation={}, channel path present={})", operation, path != null);
            return error("The function expects an AppSync Events handler context (info.operation, info.channel.path)");
        }
        Map<String, Object> request = map(input.get("request"));
        try {
            return "PUBLISH".equals(operation) ? publish(input, request, path) : subscribe(input, request, path);
        } catch (InvalidChannelException e) {
            return error(e.getMessage());
        }
    }

    private Object publish(Map<String, Object> input, Map<String, Object> request, String path) {
        List<Object> events = input.get("events") instanceof List<?> list ? new ArrayList<>(list) : List.of();
        PublishRoute route = plugins.router().publishRoute(ChannelPath.parse(path));
        if (route == null) {
            return Map.of("events", events); // no handler: broadcast as published
        }
        List<IncomingEvent> incoming = new ArrayList<>(events.size());
        for (Object e : events) {
            Map<String, Object> event = map(e);
            String id = string(event.get("id"));
            if (id == null) {
                return error("Every event needs an id");
            }
            incoming.add(IncomingEvent.of(id, event.get("payload"), BINDER));
        }
        PublishContext context = context(PublishContext.builder(), input, request, path).events(incoming).build();
        List<HandlerInvoker.Outcome> outcomes;
        try {
            outcomes = HandlerInvoker.publish(route, context);
        } catch (HandlerFailure f) {
            return failure(f);
        }
        List<Map<String, Object>> out = new ArrayList<>(outcomes.size());
        for (int i = 0; i < outcomes.size(); i++) {
            HandlerInvoker.Outcome outcome = outcomes.get(i);
            String id = incoming.get(i).id();
            switch (outcome.status()) {
                case BROADCAST -> {
                    Object payload;
                    try {
                        payload = Payloads.toPlain(outcome.payload());
                    } catch (RuntimeException e) {
                        LOG.error("onPublish handler {} returned a payload that cannot be written as JSON", route.source(), e);
                        return error("There was an error processing the message");
                    }
                    Map<String, Object> item = new LinkedHashMap<>();
                    item.put("id", id);
                    item.put("payload", payload);
                    out.add(item);
                }
                case ERROR -> {
                    Map<String, Object> item = new LinkedHashMap<>();
                    item.put("id", id);
                    item.put("error", outcome.error());
                    out.add(item);
                }
                case DROPPED -> { }
            }
        }
        return Map.of("events", out);
    }

    private Object subscribe(Map<String, Object> input, Map<String, Object> request, String path) {
        SubscribeRoute route = plugins.router().subscribeRoute(ChannelPattern.parse(path));
        if (route == null) {
            return null;
        }
        try {
            HandlerInvoker.subscribe(route, context(SubscribeContext.builder(), input, request, path).build());
            return null;
        } catch (HandlerFailure f) {
            return failure(f);
        }
    }

    private static Map<String, Object> failure(HandlerFailure f) {
        if (f.kind() == HandlerFailure.Kind.UNAUTHORIZED) {
            throw new UnauthorizedException(f.getMessage());
        }
        return error(f.getMessage());
    }

    private static <B extends io.switchboard.api.HandlerContext.Builder<B>> B context(
        B builder, Map<String, Object> input, Map<String, Object> request, String path) {
        Map<String, String> headers = new LinkedHashMap<>();
        map(request.get("headers")).forEach((name, value) -> {
            if (value instanceof List<?> values) {
                List<String> parts = new ArrayList<>();
                values.forEach(v -> parts.add(String.valueOf(v)));
                headers.put(name, String.join(", ", parts)); // multi-value headers arrive as arrays
            } else if (value != null) {
                headers.put(name, String.valueOf(value));
            }
        });
        Map<String, Object> stash = new LinkedHashMap<>(map(input.get("stash")));
        return builder.channel(path)
            .identity(input.get("identity") instanceof Map<?, ?> ? map(input.get("identity")) : null)
            .headers(headers)
            .domainName(string(request.get("domainName")))
            .stash(stash);
    }

    private static Map<String, Object> error(String message) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("error", message);
        return error;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        if (value instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            ((Map<Object, Object>) m).forEach((k, v) -> out.put(String.valueOf(k), v));
            return out;
        }
        return Map.of();
    }

    private static String string(Object value) {
        return value == null ? null : String.valueOf(value);
    }
}
