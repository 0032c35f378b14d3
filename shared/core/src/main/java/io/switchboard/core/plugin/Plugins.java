package io.switchboard.core.plugin;

import io.switchboard.api.IncomingEvent;
import io.switchboard.api.PublishContext;
import io.switchboard.api.SubscribeContext;
import io.switchboard.api.spi.AuthorizerPlugin;
import io.switchboard.api.spi.NamespacePlugin;
import io.switchboard.api.spi.PluginRegistry;
import io.switchboard.api.spi.PublishRoute;
import io.switchboard.api.spi.SubscribeRoute;
import io.switchboard.core.auth.AuthDecision;
import io.switchboard.core.auth.AuthMode;
import io.switchboard.core.auth.AuthProvider;
import io.switchboard.core.auth.Headers;
import io.switchboard.core.auth.LambdaAuthProvider;
import io.switchboard.core.channel.ChannelPath;
import io.switchboard.core.channel.ChannelPattern;
import io.switchboard.core.channel.InvalidChannelException;
import io.switchboard.core.config.NamespaceConfig;
import io.switchboard.core.config.SwitchboardConfig;
import io.switchboard.core.protocol.ErrorTypes;
import io.switchboard.core.protocol.Frame;
import io.switchboard.core.protocol.FrameException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;

/**
 * The application's compiled plugins, loaded once from every {@link PluginRegistry} that {@link ServiceLoader}
 * finds (the generated registries of the application jar and of any plugin jar beside it), merged and checked:
 * a pattern handled twice, conflicting auth modes for one namespace or a second authorizer fail the start with a
 * message naming both sources.
 *
 * <p>For the engine it adds the declared namespaces to the configuration ({@link #applyTo}), runs
 * {@code onSubscribe} handlers before a subscription is stored ({@link #onSubscribe}) and {@code onPublish}
 * handlers before the fan-out ({@link #publishRoute}, {@link #onPublish}); handler outcomes become the protocol's
 * errors here. A channel without a handler costs one map lookup per publish, nothing per event.
 */
public final class Plugins {
    private static final Logger LOG = LoggerFactory.getLogger(Plugins.class);
    private static final Plugins NONE = new Plugins(List.of());
    /** Failed events are refused by the handler, not by auth or the server. */
    static final int FAILED_EVENT_CODE = 400;

    private static volatile Plugins shared;

    /** A namespace as the plugins declare it; empty mode sets mean the API defaults. */
    public record Namespace(String name, Set<AuthMode> publishModes, Set<AuthMode> subscribeModes) {}

    /** What a publish handler made of the events: texts to deliver by index ({@code null}: none) and failures. */
    public record Published(List<String> texts, List<Frame.FailedEvent> failed) {}

    private final Map<String, Namespace> namespaces;
    private final AuthorizerPlugin authorizer;
    private final HandlerRouter router;

    private Plugins(List<PluginRegistry> registries) {
        Map<String, Namespace> declared = new LinkedHashMap<>();
        Map<String, String> modeSources = new HashMap<>();
        Map<String, PublishRoute> publish = new LinkedHashMap<>();
        Map<String, SubscribeRoute> subscribe = new LinkedHashMap<>();
        AuthorizerPlugin foundAuthorizer = null;
        for (PluginRegistry registry : registries) {
            for (NamespacePlugin ns : registry.namespaces()) {
                checkName(ns);
                Set<AuthMode> pub = modes(ns, ns.publishAuthModes());
                Set<AuthMode> sub = modes(ns, ns.subscribeAuthModes());
                Namespace previous = declared.get(ns.name());
                if (previous == null) {
                    declared.put(ns.name(), new Namespace(ns.name(), pub, sub));
                } else {
                    declared.put(ns.name(), new Namespace(ns.name(),
                        mergeModes(ns, "publishAuthModes", previous.publishModes(), pub, modeSources),
                        mergeModes(ns, "subscribeAuthModes", previous.subscribeModes(), sub, modeSources)));
                }
                if (!pub.isEmpty()) {
                    modeSources.putIfAbsent(ns.name() + "|publishAuthModes", ns.source());
                }
                if (!sub.isEmpty()) {
                    modeSources.putIfAbsent(ns.name() + "|subscribeAuthModes", ns.source());
                }
                for (PublishRoute route : ns.publishRoutes()) {
                    String pattern = canonical(ns, route.pattern(), route.source());
                    PublishRoute other = publish.putIfAbsent(pattern, route);
                    if (other != null) {
                        throw new IllegalStateException("Duplicate @OnPublish pattern '" + pattern
                            + "' in namespace '" + ns.name() + "': " + other.source() + " and " + route.source());
                    }
                }
                for (SubscribeRoute route : ns.subscribeRoutes()) {
                    String pattern = canonical(ns, route.pattern(), route.source());
                    SubscribeRoute other = subscribe.putIfAbsent(pattern, route);
                    if (other != null) {
                        throw new IllegalStateException("Duplicate @OnSubscribe pattern '" + pattern
                            + "' in namespace '" + ns.name() + "': " + other.source() + " and " + route.source());
                    }
                }
            }
            for (AuthorizerPlugin a : registry.authorizers()) {
                if (foundAuthorizer != null) {
                    throw new IllegalStateException("Only one @Authorizer is allowed (AppSync Events allows one Lambda "
                        + "authorizer per API), found " + foundAuthorizer.source() + " and " + a.source());
                }
                foundAuthorizer = a;
            }
        }
        this.namespaces = Collections.unmodifiableMap(declared);
        this.authorizer = foundAuthorizer;
        this.router = new HandlerRouter(List.copyOf(publish.values()), List.copyOf(subscribe.values()));
    }

    /** No plugins: every namespace comes from configuration and every event passes through. */
    public static Plugins none() {
        return NONE;
    }

    /** The registries given, in order (tests, embedding). */
    public static Plugins of(List<PluginRegistry> registries) {
        return registries.isEmpty() ? NONE : new Plugins(registries);
    }

    /** Every registry {@code loader} can see. */
    public static Plugins load(ClassLoader loader) {
        List<PluginRegistry> registries = new ArrayList<>();
        try {
            for (PluginRegistry registry : ServiceLoader.load(PluginRegistry.class, loader)) {
                registries.add(registry);
            }
        } catch (ServiceConfigurationError e) {
            throw new IllegalStateException("A plugin registry could not be loaded: " + e.getMessage(), e);
        }
        Plugins plugins = of(registries);
        LOG.debug("Loaded {} plugin registries: namespaces={} authorizer={}", registries.size(),
            plugins.namespaces.keySet(), plugins.authorizer == null ? null : plugins.authorizer.source());
        return plugins;
    }

    /** The registries on this library's class path, loaded once per JVM. */
    public static Plugins shared() {
        Plugins p = shared;
        if (p == null) {
            synchronized (Plugins.class) {
                p = shared;
                if (p == null) {
                    shared = p = load(Plugins.class.getClassLoader());
                }
            }
        }
        return p;
    }

    /** The namespaces the plugins declare, by name. */
    public Map<String, Namespace> namespaces() {
        return namespaces;
    }

    public Optional<AuthorizerPlugin> authorizer() {
        return Optional.ofNullable(authorizer);
    }

    public HandlerRouter router() {
        return router;
    }

    /** The auth provider the plugins bring: {@code AWS_LAMBDA} when there is an {@code @Authorizer}. */
    public List<AuthProvider> authProviders(Clock clock) {
        return authorizer == null ? List.of() : List.of(new LambdaAuthProvider(authorizer, clock));
    }

    /**
     * {@code config} with the plugins' namespaces added. A namespace's modes are, per operation, those set for it in
     * {@code SWITCHBOARD_NAMESPACE_AUTH}, else those its {@code @ChannelNamespace} declares, else the API defaults
     * ({@link SwitchboardConfig#declaredNamespace}).
     */
    public SwitchboardConfig applyTo(SwitchboardConfig config) {
        if (namespaces.isEmpty()) {
            return config;
        }
        Map<String, NamespaceConfig> merged = new LinkedHashMap<>(config.namespaces());
        for (Namespace ns : namespaces.values()) {
            merged.put(ns.name(), config.declaredNamespace(ns.name(), ns.publishModes(), ns.subscribeModes()));
        }
        return config.withNamespaces(merged);
    }

    /**
     * Fails fast when a mode in use has no provider: {@code AWS_LAMBDA} without an {@code @Authorizer}.
     *
     * @throws IllegalStateException naming where the mode is used
     */
    public void checkAuthModes(SwitchboardConfig config) {
        if (authorizer != null) {
            return;
        }
        List<String> uses = new ArrayList<>();
        if (config.connectionAuthModes().contains(AuthMode.AWS_LAMBDA)) {
            uses.add("connect");
        }
        for (NamespaceConfig ns : new TreeMap<>(config.namespaces()).values()) {
            if (ns.publishModes().contains(AuthMode.AWS_LAMBDA)) {
                uses.add(ns.name() + " publish");
            }
            if (ns.subscribeModes().contains(AuthMode.AWS_LAMBDA)) {
                uses.add(ns.name() + " subscribe");
            }
        }
        if (!uses.isEmpty()) {
            throw new IllegalStateException("Auth mode AWS_LAMBDA is allowed for " + String.join(", ", uses)
                + " but the application has no @Authorizer class");
        }
    }

    // ------------------------------------------------------------------ engine steps

    /**
     * Runs the subscribe handler for {@code pattern}, if any, before the subscription is stored.
     *
     * @throws FrameException ({@code subscribe_error}) when the handler denies or fails
     */
    public void onSubscribe(String frameId, ChannelPattern pattern, AuthDecision decision, Headers headers) {
        SubscribeRoute route = router.subscribeRoute(pattern);
        if (route == null) {
            return;
        }
        SubscribeContext context = SubscribeContext.builder()
            .channel(pattern.value())
            .identity(identity(decision))
            .headers(handlerHeaders(headers))
            .build();
        try {
            HandlerInvoker.subscribe(route, context);
        } catch (HandlerFailure f) {
            String errorType = switch (f.kind()) {
                case UNAUTHORIZED, DENIED -> ErrorTypes.UNAUTHORIZED;
                case REJECTED -> ErrorTypes.HANDLER_ERROR;
                case FAILED -> ErrorTypes.SUBSCRIPTION_PROCESSING;
            };
            throw new FrameException("subscribe", frameId, errorType, f.getMessage());
        }
    }

    /** The publish handler for {@code channel}, or {@code null} (then events pass through untouched). */
    public PublishRoute publishRoute(ChannelPath channel) {
        return router.publishRoute(channel);
    }

    /**
     * Runs a publish handler over validated events.
     *
     * @param frameType {@code publish}, or {@code null} over HTTP
     * @param events the events' JSON texts
     * @param identifiers the identifiers the publisher gets back, by index; handlers see them as event ids
     * @throws FrameException when the whole publish fails ({@code UnauthorizedException}, {@code HandlerError},
     *     {@code MessageProcessingError})
     */
    public Published onPublish(PublishRoute route, String frameType, String frameId, ChannelPath channel,
                               List<String> events, List<String> identifiers, AuthDecision decision, Headers headers) {
        List<IncomingEvent> incoming = new ArrayList<>(events.size());
        for (int i = 0; i < events.size(); i++) {
            incoming.add(IncomingEvent.of(identifiers.get(i), Payloads.read(events.get(i)), JacksonPayloadBinder.INSTANCE));
        }
        PublishContext context = PublishContext.builder()
            .channel(channel.path())
            .identity(identity(decision))
            .headers(handlerHeaders(headers))
            .events(incoming)
            .build();
        List<HandlerInvoker.Outcome> outcomes;
        try {
            outcomes = HandlerInvoker.publish(route, context);
        } catch (HandlerFailure f) {
            String errorType = switch (f.kind()) {
                case UNAUTHORIZED, DENIED -> ErrorTypes.UNAUTHORIZED_EXCEPTION;
                case REJECTED -> ErrorTypes.HANDLER_ERROR;
                case FAILED -> ErrorTypes.MESSAGE_PROCESSING;
            };
            throw new FrameException(frameType, frameId, errorType, f.getMessage());
        }
        List<String> texts = new ArrayList<>(events.size());
        List<Frame.FailedEvent> failed = new ArrayList<>();
        for (int i = 0; i < outcomes.size(); i++) {
            HandlerInvoker.Outcome outcome = outcomes.get(i);
            switch (outcome.status()) {
                case BROADCAST -> texts.add(write(route, outcome.payload(), frameType, frameId));
                case DROPPED -> texts.add(null);
                case ERROR -> {
                    texts.add(null);
                    failed.add(new Frame.FailedEvent(identifiers.get(i), i, FAILED_EVENT_CODE, outcome.error()));
                }
            }
        }
        return new Published(Collections.unmodifiableList(texts), List.copyOf(failed));
    }

    private static String write(PublishRoute route, Object payload, String frameType, String frameId) {
        try {
            return Payloads.write(payload);
        } catch (RuntimeException e) {
            LOG.error("onPublish handler {} returned a payload that cannot be written as JSON", route.source(), e);
            throw new FrameException(frameType, frameId, ErrorTypes.MESSAGE_PROCESSING, HandlerInvoker.PUBLISH_FAILED);
        }
    }

    /** The identity handlers see: {@code null} for API key callers (as in AppSync), else the provider's. */
    static Map<String, Object> identity(AuthDecision decision) {
        if (decision == null || decision.mode() == null || decision.mode() == AuthMode.API_KEY
            || decision.identity().isEmpty()) {
            return null;
        }
        return decision.identity();
    }

    /** Request headers as handlers see them: everything but {@code cookie}, as in AppSync. */
    static Map<String, String> handlerHeaders(Headers headers) {
        if (headers == null) {
            return Map.of();
        }
        Map<String, String> out = new LinkedHashMap<>(headers.asMap());
        out.keySet().removeIf(name -> name.equalsIgnoreCase("cookie"));
        return out;
    }

    // ------------------------------------------------------------------ loading checks

    private static void checkName(NamespacePlugin ns) {
        if (!ns.name().matches("[A-Za-z0-9](?:[A-Za-z0-9-]{0,48}[A-Za-z0-9])?")) {
            throw new IllegalStateException("Invalid namespace name '" + ns.name() + "' declared by " + ns.source());
        }
    }

    private static String canonical(NamespacePlugin ns, String pattern, String source) {
        ChannelPattern parsed;
        try {
            parsed = ChannelPattern.parse(pattern);
        } catch (InvalidChannelException e) {
            throw new IllegalStateException("Invalid channel pattern '" + pattern + "' in " + source + ": " + e.getMessage(), e);
        }
        if (!parsed.namespace().equals(ns.name())) {
            throw new IllegalStateException("Channel pattern '" + pattern + "' in " + source + " is outside namespace '"
                + ns.name() + "'");
        }
        return parsed.value();
    }

    private static Set<AuthMode> modes(NamespacePlugin ns, List<String> names) {
        Set<AuthMode> modes = EnumSet.noneOf(AuthMode.class);
        for (String name : names) {
            try {
                modes.add(AuthMode.valueOf(name.toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("Unknown auth mode '" + name + "' declared by " + ns.source(), e);
            }
        }
        return Collections.unmodifiableSet(modes);
    }

    private static Set<AuthMode> mergeModes(NamespacePlugin ns, String attribute, Set<AuthMode> previous,
                                            Set<AuthMode> next, Map<String, String> sources) {
        if (next.isEmpty()) {
            return previous;
        }
        if (previous.isEmpty() || previous.equals(next)) {
            return next;
        }
        throw new IllegalStateException("Namespace '" + ns.name() + "' has conflicting " + attribute + ": "
            + previous + " in " + sources.get(ns.name() + "|" + attribute) + " and " + next + " in " + ns.source());
    }
}
