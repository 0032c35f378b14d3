package io.switchboard.core.engine;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.api.spi.PublishRoute;
import io.switchboard.core.auth.AuthDecision;
import io.switchboard.core.auth.AuthRequest;
import io.switchboard.core.auth.AuthService;
import io.switchboard.core.auth.ConnectHeaders;
import io.switchboard.core.auth.Headers;
import io.switchboard.core.auth.Operation;
import io.switchboard.core.auth.VerifiedIamCaller;
import io.switchboard.core.channel.ChannelPath;
import io.switchboard.core.channel.ChannelPattern;
import io.switchboard.core.channel.InvalidChannelException;
import io.switchboard.core.config.NamespaceConfig;
import io.switchboard.core.config.SwitchboardConfig;
import io.switchboard.core.plugin.Plugins;
import io.switchboard.core.protocol.ErrorTypes;
import io.switchboard.core.protocol.Frame;
import io.switchboard.core.protocol.FrameCodec;
import io.switchboard.core.protocol.FrameException;
import io.switchboard.core.protocol.ProtocolError;
import io.switchboard.core.spi.ConnectionRecord;
import io.switchboard.core.spi.ConnectionSender;
import io.switchboard.core.spi.FanOutDispatcher;
import io.switchboard.core.spi.FanOutShard;
import io.switchboard.core.spi.Metrics;
import io.switchboard.core.spi.Metrics.Metric;
import io.switchboard.core.spi.StoreUnavailableException;
import io.switchboard.core.spi.Subscriber;
import io.switchboard.core.spi.SubscriptionRejectedException;
import io.switchboard.core.spi.SubscriptionStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The AppSync Events protocol, independent of any transport. Every entry point (the Lambda functions, the local
 * gateway, tests) turns its input into one of these calls and the answer into its output:
 * {@link #authorizeConnect}, {@link #connect}, {@link #message}, {@link #publishHttp}, {@link #disconnect}.
 * Inside: decode, validate, authorize, store or fan out, encode; every failure becomes the protocol's error shape
 * through {@link Errors}, and the connection survives it.
 */
public final class Engine {
    private static final Logger LOG = LoggerFactory.getLogger(Engine.class);
    private static final Pattern ID = Pattern.compile("[a-zA-Z0-9_+-]{1,128}");
    private static final int MAX_EVENTS = 5;

    private final SwitchboardConfig config;
    private final SubscriptionStore store;
    private final ConnectionSender sender;
    private final AuthService auth;
    private final Plugins plugins;
    private final FanOut fanOut;
    private final ConnectAuthorizer connectAuthorizer;
    private final Metrics metrics;
    private final PublishRateLimiter publishRate;
    private final String connectionAck;
    private final String keepAlive = FrameCodec.encode(new Frame.KeepAlive());

    public Engine(SwitchboardConfig config, SubscriptionStore store, ConnectionSender sender, AuthService auth) {
        this(config, store, sender, auth, Plugins.none());
    }

    /** An engine that runs the namespace handlers of {@code plugins}; their namespaces join the configured ones. */
    public Engine(SwitchboardConfig config, SubscriptionStore store, ConnectionSender sender, AuthService auth,
                  Plugins plugins) {
        this(config, store, sender, auth, plugins, Metrics.none());
    }

    /** An engine that also counts what it does into {@code metrics} (see {@link Metric}). */
    public Engine(SwitchboardConfig config, SubscriptionStore store, ConnectionSender sender, AuthService auth,
                  Plugins plugins, Metrics metrics) {
        this(config, store, sender, auth, plugins, metrics, null);
    }

    /**
     * An engine that hands audiences above {@code SWITCHBOARD_FANOUT_SHARD_SIZE}, and whatever a publish cannot
     * deliver before its {@link Deadline}, to fan-out workers through {@code dispatcher} ({@code null}: every
     * subscriber is delivered by the publishing call itself).
     */
    public Engine(SwitchboardConfig config, SubscriptionStore store, ConnectionSender sender, AuthService auth,
                  Plugins plugins, Metrics metrics, FanOutDispatcher dispatcher) {
        this.metrics = metrics;
        this.config = plugins.applyTo(config);
        this.plugins = plugins;
        this.store = store;
        this.sender = sender;
        this.auth = auth;
        this.fanOut = new FanOut(store, sender, config.fanOutParallelism(), config.fanOutShardSize(), dispatcher);
        this.connectAuthorizer = new ConnectAuthorizer(config, auth);
        this.connectionAck = FrameCodec.encode(new Frame.ConnectionAck(config.connectionTimeoutMs()));
        this.publishRate = new PublishRateLimiter(config.maxPublishesPerSecond(), System::nanoTime);
    }

    public SwitchboardConfig config() {
        return config;
    }

    public SubscriptionStore store() {
        return store;
    }

    public ConnectionSender sender() {
        return sender;
    }

    // ------------------------------------------------------------------ connect

    /**
     * Authorizes a WebSocket upgrade from its headers and the {@code header-} subprotocol, against the
     * connection auth modes. Never throws for bad client input: the outcome says why it was refused.
     */
    public ConnectionAuth authorizeConnect(Map<String, String> upgradeHeaders) {
        return connectAuthorizer.authorize(upgradeHeaders);
    }

    /**
     * Accepts a WebSocket upgrade and records the connection. The upgrade is accepted even when {@code auth}
     * refused it: the refusal is answered on the first frame ({@code connection_error}), as AppSync does.
     */
    public ConnectResult connect(String connectionId, long connectedAtMillis, ConnectionAuth connectionAuth,
                                 Map<String, String> upgradeHeaders) {
        List<String> offered = ConnectHeaders.offeredSubprotocols(Headers.of(upgradeHeaders));
        String subprotocol = offered.contains(ConnectHeaders.SUBPROTOCOL) ? ConnectHeaders.SUBPROTOCOL : null;
        if (connectionAuth.authorized()) {
            store.putConnection(new ConnectionRecord(connectionId, connectedAtMillis,
                connectionAuth.mode() == null ? Map.of() : Map.of("authMode", connectionAuth.mode().name())));
            metrics.add(Metric.CONNECTS, 1);
        }
        return new ConnectResult(200, subprotocol);
    }

    public void disconnect(String connectionId) {
        publishRate.forget(connectionId);
        store.removeConnection(connectionId);
    }

    // ------------------------------------------------------------------ WebSocket frames

    /**
     * Handles one client frame; the result lists the frames to send back to that connection, in order. While it
     * runs, the frame's {@code namespace} and {@code channel} are in the logging MDC.
     */
    public MessageResult message(String connectionId, String text, ConnectionAuth connectionAuth) {
        return message(connectionId, text, connectionAuth, Deadline.none());
    }

    /**
     * As {@link #message(String, String, ConnectionAuth)}, within {@code deadline} (the function's remaining time):
     * a publish's fan-out hands what it cannot finish in time to workers.
     */
    public MessageResult message(String connectionId, String text, ConnectionAuth connectionAuth, Deadline deadline) {
        try {
            return handleMessage(connectionId, text, connectionAuth, deadline);
        } finally {
            clearChannelLogging();
        }
    }

    private MessageResult handleMessage(String connectionId, String text, ConnectionAuth connectionAuth,
                                        Deadline deadline) {
        if (!connectionAuth.authorized()) {
            String frame = FrameCodec.encode(new Frame.ConnectionError(
                List.of(new ProtocolError(connectionAuth.errorType(), connectionAuth.message()))));
            return new MessageResult(List.of(frame), true);
        }
        String type = null;
        String id = null;
        try {
            Frame frame = FrameCodec.decode(text);
            type = frame.type();
            if (frame instanceof Frame.ConnectionInit) {
                return MessageResult.reply(connectionAck, keepAlive);
            } else if (frame instanceof Frame.Subscribe subscribe) {
                id = checkId(type, subscribe.id());
                return MessageResult.reply(subscribe(connectionId, subscribe));
            } else if (frame instanceof Frame.Unsubscribe unsubscribe) {
                id = checkId(type, unsubscribe.id());
                return MessageResult.reply(unsubscribe(connectionId, unsubscribe));
            } else if (frame instanceof Frame.Publish publish) {
                id = checkId(type, publish.id());
                if (!publishRate.tryAcquire(connectionId)) {
                    throw new FrameException(type, id, ErrorTypes.LIMIT_EXCEEDED, "Rate exceeded: at most "
                        + publishRate.rate() + " publish requests per second on one connection; slow down and retry");
                }
                return MessageResult.reply(publishWebSocket(publish, deadline));
            }
            throw new FrameException(null, null, ErrorTypes.UNSUPPORTED_OPERATION,
                "Frame type '" + type + "' is sent by the server, not by clients");
        } catch (FrameException e) {
            String frameType = e.frameType() != null ? e.frameType() : type;
            String frameId = e.frameId() != null ? e.frameId() : id;
            if (frameId != null && !ID.matcher(frameId).matches()) {
                frameId = null; // never echo an id that breaks the pattern: answer with a plain error frame
            }
            return MessageResult.reply(Errors.frame(frameType, frameId, e.toError()));
        } catch (StoreUnavailableException e) {
            LOG.warn("Store unavailable while handling a {} frame: {}", type, e.getMessage());
            return MessageResult.reply(Errors.frame(type, id, storeUnavailable()));
        }
    }

    private String subscribe(String connectionId, Frame.Subscribe frame) {
        ChannelPattern pattern;
        try {
            pattern = ChannelPattern.parse(frame.channel());
        } catch (InvalidChannelException e) {
            throw new FrameException("subscribe", frame.id(), ErrorTypes.BAD_REQUEST, e.getMessage());
        }
        channelLogging(pattern.namespace(), pattern.value());
        NamespaceConfig namespace = namespace("subscribe", frame.id(), pattern.namespace());
        AuthDecision decision = auth.authorize(new AuthRequest(Operation.SUBSCRIBE, Headers.of(frame.authorization()),
            namespace.name(), frame.channel(), () -> signedBody(frame.channel(), null)), namespace.subscribeModes());
        if (!decision.allowed()) {
            throw new FrameException("subscribe", frame.id(), decision.errorType(), decision.message());
        }
        plugins.onSubscribe(frame.id(), pattern, decision, Headers.of(frame.authorization()));
        try {
            store.addSubscription(connectionId, frame.id(), pattern, config.maxSubscriptionsPerConnection());
        } catch (SubscriptionRejectedException e) {
            throw switch (e.reason()) {
                case DUPLICATE_ID -> new FrameException("subscribe", frame.id(), ErrorTypes.BAD_REQUEST,
                    "Subscription id '" + frame.id() + "' is already in use on this connection (duplicated subscription)");
                case LIMIT_REACHED -> new FrameException("subscribe", frame.id(), ErrorTypes.MAX_SUBSCRIPTIONS,
                    "This connection already has the maximum of " + config.maxSubscriptionsPerConnection() + " subscriptions");
                case UNKNOWN_CONNECTION -> new FrameException("subscribe", frame.id(), ErrorTypes.SUBSCRIPTION_PROCESSING,
                    "The connection is not registered (it may have expired); reconnect and subscribe again");
            };
        }
        metrics.add(Metric.SUBSCRIBES, 1);
        return FrameCodec.encode(new Frame.SubscribeSuccess(frame.id()));
    }

    private String unsubscribe(String connectionId, Frame.Unsubscribe frame) {
        if (!store.removeSubscription(connectionId, frame.id())) {
            throw new FrameException("unsubscribe", frame.id(), ErrorTypes.UNKNOWN_OPERATION,
                "Unknown operation id " + frame.id());
        }
        return FrameCodec.encode(new Frame.UnsubscribeSuccess(frame.id()));
    }

    private String publishWebSocket(Frame.Publish frame, Deadline deadline) {
        ChannelPath channel = publishChannel("publish", frame.id(), frame.channel());
        NamespaceConfig namespace = namespace("publish", frame.id(), channel.namespace());
        AuthDecision decision = auth.authorize(new AuthRequest(Operation.PUBLISH, Headers.of(frame.authorization()),
            namespace.name(), frame.channel(), () -> signedBody(frame.channel(), frame.events())), namespace.publishModes());
        if (!decision.allowed()) {
            throw new FrameException("publish", frame.id(), decision.errorType(), decision.message());
        }
        Broadcast published = broadcast("publish", frame.id(), ErrorTypes.INVALID_INPUT, channel, frame.events(),
            decision, frame.authorization(), deadline);
        return FrameCodec.encode(new Frame.PublishSuccess(frame.id(), published.successful(), published.failed()));
    }

    // ------------------------------------------------------------------ HTTP publish

    /** Handles {@code POST /event}: headers (any case) and the raw body. */
    public HttpResult publishHttp(Map<String, String> headers, String body) {
        return publishHttp(headers, body, null);
    }

    /**
     * Handles an HTTP publish whose caller API Gateway has already verified (the IAM route): the caller is the
     * request's {@code AWS_IAM} credential. Only the function layer makes a {@link VerifiedIamCaller}, from the
     * API Gateway event; {@code null} is the same as {@link #publishHttp(Map, String)}.
     */
    public HttpResult publishHttp(Map<String, String> headers, String body, VerifiedIamCaller verifiedIamCaller) {
        return publishHttp(headers, body, verifiedIamCaller, Deadline.none());
    }

    /** As {@link #publishHttp(Map, String, VerifiedIamCaller)}, with the fan-out bounded by {@code deadline}. */
    public HttpResult publishHttp(Map<String, String> headers, String body, VerifiedIamCaller verifiedIamCaller,
                                  Deadline deadline) {
        try {
            return handlePublishHttp(headers, body, verifiedIamCaller, deadline);
        } finally {
            clearChannelLogging();
        }
    }

    private HttpResult handlePublishHttp(Map<String, String> headers, String body, VerifiedIamCaller verifiedIamCaller,
                                         Deadline deadline) {
        try {
            JsonNode root;
            try {
                root = FrameCodec.parse(body);
            } catch (FrameException e) {
                throw new FrameException(null, null, ErrorTypes.BAD_REQUEST,
                    e.getMessage().replace("Frame", "Request body"));
            }
            if (!root.isObject()) {
                throw new FrameException(null, null, ErrorTypes.BAD_REQUEST,
                    "Request body must be a JSON object with 'channel' and 'events', got " + FrameCodec.describe(root));
            }
            JsonNode channelNode = root.get("channel");
            if (channelNode == null || channelNode.isNull()) {
                throw new FrameException(null, null, ErrorTypes.BAD_REQUEST, "Field 'channel' is required");
            }
            if (!channelNode.isTextual()) {
                throw new FrameException(null, null, ErrorTypes.BAD_REQUEST,
                    "Field 'channel' must be a string, got " + FrameCodec.describe(channelNode));
            }
            List<String> events;
            try {
                events = httpEvents(root);
            } catch (FrameException e) {
                throw new FrameException(null, null, ErrorTypes.BAD_REQUEST, e.getMessage());
            }
            ChannelPath channel = publishChannel(null, null, channelNode.textValue());
            NamespaceConfig namespace = namespace(null, null, channel.namespace());
            AuthDecision decision = auth.authorize(new AuthRequest(Operation.PUBLISH, Headers.of(headers),
                namespace.name(), channelNode.textValue(), () -> body, verifiedIamCaller), namespace.publishModes());
            if (!decision.allowed()) {
                throw new FrameException(null, null, decision.errorType(), decision.message());
            }
            Broadcast published = broadcast(null, null, ErrorTypes.BAD_REQUEST, channel, events, decision, headers,
                deadline);
            return new HttpResult(200, publishResponseBody(published));
        } catch (FrameException e) {
            return Errors.http(e.toError());
        } catch (StoreUnavailableException e) {
            LOG.warn("Store unavailable during an HTTP publish: {}", e.getMessage());
            return Errors.http(storeUnavailable());
        }
    }

    private static List<String> httpEvents(JsonNode root) {
        JsonNode events = root.get("events");
        if (events == null || events.isNull()) {
            throw new FrameException(null, null, ErrorTypes.BAD_REQUEST,
                "Field 'events' is required: an array of 1 to 5 JSON strings");
        }
        if (!events.isArray()) {
            throw new FrameException(null, null, ErrorTypes.BAD_REQUEST,
                "Field 'events' must be an array of JSON strings, got " + FrameCodec.describe(events));
        }
        List<String> list = new ArrayList<>(events.size());
        for (int i = 0; i < events.size(); i++) {
            JsonNode event = events.get(i);
            if (!event.isTextual()) {
                throw new FrameException(null, null, ErrorTypes.BAD_REQUEST, "events[" + i
                    + "] must be a string holding JSON (e.g. \"{\\\"a\\\":1}\"), got " + FrameCodec.describe(event));
            }
            list.add(event.textValue());
        }
        return list;
    }

    private static String publishResponseBody(Broadcast broadcast) {
        List<Frame.PublishedEvent> published = broadcast.successful();
        StringBuilder sb = new StringBuilder(32 + published.size() * 64);
        sb.append("{\"failed\":[");
        for (int i = 0; i < broadcast.failed().size(); i++) {
            Frame.FailedEvent failed = broadcast.failed().get(i);
            sb.append(i > 0 ? "," : "").append("{\"identifier\":\"").append(failed.identifier())
                .append("\",\"index\":").append(failed.index());
            if (failed.code() != null) {
                sb.append(",\"code\":").append(failed.code());
            }
            sb.append(",\"message\":").append(FrameCodec.quote(failed.message())).append('}');
        }
        sb.append("],\"successful\":[");
        for (int i = 0; i < published.size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append("{\"identifier\":\"").append(published.get(i).identifier())
                .append("\",\"index\":").append(published.get(i).index()).append('}');
        }
        return sb.append("]}").toString();
    }

    // ------------------------------------------------------------------ shared steps

    /** The events a publish accepted (broadcast or dropped by a handler) and those a handler refused. */
    private record Broadcast(List<Frame.PublishedEvent> successful, List<Frame.FailedEvent> failed) {}

    private Broadcast broadcast(String type, String id, String eventErrorType, ChannelPath channel,
                                List<String> events, AuthDecision decision, Map<String, String> headers,
                                Deadline deadline) {
        if (events.isEmpty() || events.size() > MAX_EVENTS) {
            throw new FrameException(type, id, eventErrorType,
                "A publish carries 1 to " + MAX_EVENTS + " events, got " + events.size());
        }
        PublishRoute handler = plugins.publishRoute(channel); // null: events pass through, no work per event
        List<String> suffixes = new ArrayList<>(events.size());
        List<Frame.PublishedEvent> published = new ArrayList<>(events.size());
        for (int i = 0; i < events.size(); i++) {
            String event = events.get(i);
            checkEvent(type, id, eventErrorType, i, event);
            String quoted = FrameCodec.quote(event);
            int bytes = quoted.getBytes(StandardCharsets.UTF_8).length - 2; // the escaped event, without its quotes
            if (bytes > config.maxEventBytes()) {
                throw new FrameException(type, id, eventErrorType, "events[" + i + "] is " + bytes
                    + " bytes once escaped for delivery; the maximum is " + config.maxEventBytes()
                    + " bytes (API Gateway's 128 KB WebSocket message limit)");
            }
            if (handler == null) {
                suffixes.add(FanOut.dataSuffix(quoted));
            }
            published.add(new Frame.PublishedEvent(identifier(), i));
        }
        List<Frame.FailedEvent> failed = List.of();
        if (handler != null) {
            failed = runPublishHandler(handler, type, id, channel, events, published, decision, headers, suffixes);
        }
        if (!suffixes.isEmpty()) {
            long started = System.nanoTime();
            List<Subscriber> subscribers = store.findSubscribers(channel);
            count(fanOut.deliver(channel.path(), subscribers, suffixes, deadline), started);
        }
        metrics.add(Metric.PUBLISHES, 1);
        return new Broadcast(published, failed);
    }

    /**
     * Runs the namespace's publish handler over the validated events: adds the data-frame suffixes of what it
     * broadcasts, removes what it refused from {@code published} and returns those refusals.
     */
    private List<Frame.FailedEvent> runPublishHandler(PublishRoute handler, String type, String id, ChannelPath channel,
                                                      List<String> events, List<Frame.PublishedEvent> published,
                                                      AuthDecision decision, Map<String, String> headers,
                                                      List<String> suffixes) {
        List<String> identifiers = new ArrayList<>(published.size());
        published.forEach(p -> identifiers.add(p.identifier()));
        Plugins.Published result = plugins.onPublish(handler, type, id, channel, events, identifiers, decision,
            Headers.of(headers));
        for (int i = 0; i < result.texts().size(); i++) {
            String text = result.texts().get(i);
            if (text != null) {
                String quoted = FrameCodec.quote(text);
                int bytes = quoted.getBytes(StandardCharsets.UTF_8).length - 2;
                if (bytes > config.maxEventBytes()) {
                    throw new FrameException(type, id, ErrorTypes.MESSAGE_PROCESSING, "events[" + i + "] is " + bytes
                        + " bytes once escaped for delivery after the onPublish handler; the maximum is "
                        + config.maxEventBytes() + " bytes");
                }
                suffixes.add(FanOut.dataSuffix(quoted));
            }
        }
        for (Frame.FailedEvent f : result.failed()) {
            published.removeIf(p -> p.index() == f.index());
        }
        long notBroadcast = result.texts().stream().filter(java.util.Objects::isNull).count();
        if (notBroadcast > result.failed().size()) {
            metrics.add(Metric.DROPPED_EVENTS, notBroadcast - result.failed().size());
        }
        return result.failed();
    }

    private static void checkEvent(String type, String id, String errorType, int index, String event) {
        for (int c = 0; c < event.length(); c++) {
            char ch = event.charAt(c);
            if (Character.isHighSurrogate(ch)) {
                if (c + 1 < event.length() && Character.isLowSurrogate(event.charAt(c + 1))) {
                    c++;
                    continue;
                }
                throw new FrameException(type, id, errorType, "events[" + index + "] contains an unpaired UTF-16 surrogate");
            }
            if (Character.isLowSurrogate(ch)) {
                throw new FrameException(type, id, errorType, "events[" + index + "] contains an unpaired UTF-16 surrogate");
            }
        }
        try {
            FrameCodec.parse(event);
        } catch (FrameException e) {
            throw new FrameException(type, id, errorType, "events[" + index + "] is not valid JSON text: "
                + e.getMessage().replaceFirst("^Frame (is not valid JSON: )?", ""));
        }
    }

    private ChannelPath publishChannel(String type, String id, String raw) {
        ChannelPath channel;
        try {
            channel = ChannelPath.parse(raw);
        } catch (InvalidChannelException e) {
            throw new FrameException(type, id, ErrorTypes.BAD_REQUEST, e.getMessage());
        }
        channelLogging(channel.namespace(), channel.path());
        return channel;
    }

    /** Counts one fan-out's outcome, {@code started} being when the subscriber lookup began. */
    private void count(FanOutReport report, long started) {
        metrics.add(Metric.DELIVERIES, report.delivered());
        metrics.add(Metric.GONE_CONNECTIONS, report.goneConnections());
        metrics.add(Metric.FAILED_SENDS, report.failed());
        metrics.add(Metric.FAN_OUT_LATENCY, (System.nanoTime() - started) / 1_000_000.0);
    }

    /** The logging keys of a validated channel, for the rest of the engine call. */
    private static void channelLogging(String namespace, String channel) {
        MDC.put("namespace", namespace);
        MDC.put("channel", channel);
    }

    private static void clearChannelLogging() {
        MDC.remove("namespace");
        MDC.remove("channel");
    }

    private NamespaceConfig namespace(String type, String id, String name) {
        NamespaceConfig namespace = config.namespaces().get(name);
        if (namespace == null) {
            throw new FrameException(type, id, ErrorTypes.RESOURCE_NOT_FOUND,
                // over HTTP the caller is not authenticated yet: don't tell it which namespaces exist
                type == null ? "Namespace '" + name + "' not found"
                    : "Namespace '" + name + "' not found; declared namespaces: "
                        + String.join(", ", new java.util.TreeSet<>(config.namespaces().keySet())));
        }
        return namespace;
    }

    private static String checkId(String type, String id) {
        if (!ID.matcher(id).matches()) {
            String shown = id.length() > 40 ? id.length() + " characters" : "'" + id.replaceAll("[^\\x20-\\x7e]", "?") + "'";
            throw new FrameException(type, null, ErrorTypes.BAD_REQUEST,
                "Field 'id' must be 1 to 128 letters, digits, '-', '_' or '+'; got " + shown);
        }
        return id;
    }

    /** The body an IAM signature covers for a WebSocket operation: compact JSON, channel then events. */
    static String signedBody(String channel, List<String> events) {
        StringBuilder sb = new StringBuilder("{\"channel\":").append(FrameCodec.quote(channel));
        if (events != null) {
            sb.append(",\"events\":[");
            for (int i = 0; i < events.size(); i++) {
                if (i > 0) {
                    sb.append(',');
                }
                sb.append(FrameCodec.quote(events.get(i)));
            }
            sb.append(']');
        }
        return sb.append('}').toString();
    }

    private static ProtocolError storeUnavailable() {
        return new ProtocolError(ErrorTypes.SERVICE_UNAVAILABLE,
            "The subscription store is unavailable right now; try again");
    }

    /**
     * A random (version 4) UUID from {@link UUID#randomUUID()}: its {@code SecureRandom} stays unique across
     * SnapStart restores of one snapshot, where a {@code ThreadLocalRandom} seeded before the snapshot would not.
     */
    private static String identifier() {
        return UUID.randomUUID().toString();
    }

    // ------------------------------------------------------------------ fan-out workers

    /**
     * Delivers one shard handed off by a publish (the fan-out worker's whole job), within {@code deadline}; what
     * it cannot finish in time is handed on.
     */
    public FanOutReport deliver(FanOutShard shard, Deadline deadline) {
        long started = System.nanoTime();
        FanOutReport report = fanOut.deliver(shard, deadline);
        count(report, started);
        return report;
    }
}
