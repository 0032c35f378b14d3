package io.switchboard.local;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.StatusCode;
import org.eclipse.jetty.websocket.server.ServerWebSocketContainer;

/**
 * The WebSocket API as API Gateway runs it: the {@code $connect} authorizer and route decide the
 * upgrade, frames are routed by the route selection expression to their integration, route
 * responses and errors go back as frames, and {@code $disconnect} runs once per connection after
 * every message it sent before. Also the state behind the {@code @connections} API.
 */
final class WebSocketApi {

    static final int MAX_FRAME_BYTES = 32 * 1024;
    static final int MAX_MESSAGE_BYTES = 128 * 1024;
    static final String DELETE_REASON = "Connection Closed Normally";
    static final String IDLE_REASON = "Idle timeout";
    static final String LIFETIME_REASON = "Maximum connection duration reached";
    static final String SHUTDOWN_REASON = "Gateway shutting down";
    private static final String CONNECTION_INIT = "connection_init";

    private final SamTemplate template;
    private final Functions functions;
    private final Events events;
    private final GatewayLog log;
    private final Executor workers;
    private final ScheduledExecutorService timers;
    private final Duration idleTimeout;
    private final Duration maxConnectionTime;
    private final List<String> selectionPath;
    private final Map<String, Connection> connections = new ConcurrentHashMap<>();
    private volatile boolean closing;

    WebSocketApi(SamTemplate template, Functions functions, Events events, GatewayLog log, Executor workers,
                 ScheduledExecutorService timers, Duration idleTimeout, Duration maxConnectionTime) {
        this.template = template;
        this.functions = functions;
        this.events = events;
        this.log = log;
        this.workers = workers;
        this.timers = timers;
        this.idleTimeout = idleTimeout;
        this.maxConnectionTime = maxConnectionTime;
        this.selectionPath = selectionPath(template.routeSelectionExpression());
    }

    private static List<String> selectionPath(String expression) {
        String prefix = "$request.body.";
        if (!expression.startsWith(prefix) || expression.length() == prefix.length()) {
            throw new IllegalArgumentException("unsupported RouteSelectionExpression " + expression + " (expected $request.body.<field>)");
        }
        return Arrays.asList(expression.substring(prefix.length()).split("\\."));
    }

    /** The open connection {@code id}, or null (unknown, closed, or still in its {@code $connect}). */
    Connection connection(String id) {
        Connection connection = connections.get(id);
        return connection != null && connection.isOpen() ? connection : null;
    }

    int size() {
        return connections.size();
    }

    // ------------------------------------------------------------------ handshake

    /** True for a GET that asks for a WebSocket (version 13) upgrade with a key. */
    static boolean isUpgrade(Request request) {
        String upgrade = request.getHeaders().get(HttpHeader.UPGRADE);
        return "GET".equals(request.getMethod()) && upgrade != null && upgrade.toLowerCase(Locale.ROOT).contains("websocket");
    }

    /**
     * Runs the authorizer and {@code $connect} for an upgrade request off the Jetty thread, then
     * either completes the upgrade (echoing the subprotocol {@code $connect} returned) or answers
     * with the status API Gateway would.
     */
    void upgrade(Request request, Response response, Callback callback, ServerWebSocketContainer container) {
        if (!"13".equals(request.getHeaders().get(HttpHeader.SEC_WEBSOCKET_VERSION))
                || request.getHeaders().get(HttpHeader.SEC_WEBSOCKET_KEY) == null) {
            HttpResponses.json(response, callback, 400, "{\"message\":\"Bad Request\"}");
            return;
        }
        if (closing) {
            HttpResponses.json(response, callback, 503, "{\"message\":\"Service Unavailable\"}");
            return;
        }
        List<Events.Header> headers = new ArrayList<>();
        for (HttpField field : request.getHeaders()) {
            headers.add(new Events.Header(field.getName(), field.getValue()));
        }
        long now = System.currentTimeMillis();
        Events.Upgrade upgrade = new Events.Upgrade(Ids.connectionId(), now, Ids.requestId(), headers,
                request.getHttpURI().getQuery(), Request.getRemoteAddr(request),
                request.getHeaders().get(HttpHeader.USER_AGENT), request.isSecure());
        log.trace(upgrade.connectionId(), "<-", "upgrade " + request.getHttpURI().getPathQuery()
                + " subprotocols=" + String.join(", ", request.getHeaders().getValuesList(HttpHeader.SEC_WEBSOCKET_SUBPROTOCOL)));
        workers.execute(() -> {
            long started = System.nanoTime();
            Handshake outcome = handshakeOrError(upgrade);
            log.request(upgrade.connectionId(), SamTemplate.CONNECT_ROUTE, null, connectOutcome(outcome), millisSince(started));
            if (!outcome.accepted()) {
                log.trace(upgrade.connectionId(), "->", "rejected " + outcome.status());
                HttpResponses.json(response, callback, outcome.status(), outcome.body());
                return;
            }
            Connection connection = new Connection(upgrade.connectionId(), upgrade.connectedAt(), upgrade.sourceIp(),
                    upgrade.userAgent(), outcome.authorizer(), workers);
            // connected from now on, as on API Gateway once $connect accepted: @connections may reach it before the
            // client has read its 101 (frames wait in the connection until the socket opens)
            connections.put(connection.id(), connection);
            try {
                boolean upgraded = container.upgrade((upgradeRequest, upgradeResponse, upgradeCallback) -> {
                    upgradeResponse.setExtensions(List.of());
                    if (outcome.subprotocol() != null) {
                        upgradeResponse.setAcceptedSubProtocol(outcome.subprotocol());
                    }
                    return new WebSocketEndpoint(this, connection);
                }, request, response, callback);
                if (!upgraded) {
                    connections.remove(connection.id(), connection);
                    HttpResponses.json(response, callback, 400, "{\"message\":\"Bad Request\"}");
                }
            } catch (Exception e) {
                connections.remove(connection.id(), connection);
                log.error("WebSocket upgrade of " + upgrade.connectionId() + " failed", e);
                callback.failed(e);
            }
        });
    }

    /** The outcome of authorizer + {@code $connect}: accept (with subprotocol and authorizer context) or an HTTP status. */
    private record Handshake(boolean accepted, String subprotocol, ObjectNode authorizer, int status, String body) {
        static Handshake accept(String subprotocol, ObjectNode authorizer) {
            return new Handshake(true, subprotocol, authorizer, 101, null);
        }

        static Handshake reject(int status, String message) {
            return new Handshake(false, null, null, status, message == null ? null : "{\"message\":\"" + message + "\"}");
        }
    }

    /**
     * The status of a handshake, and whether the connection's credentials were refused: Switchboard's authorizer
     * accepts the upgrade either way and records its verdict in the context ({@code sbAuth}, {@code sbErrorType}).
     */
    private static String connectOutcome(Handshake handshake) {
        String status = String.valueOf(handshake.status());
        ObjectNode context = handshake.authorizer();
        if (context != null && context.path("sbAuth").isTextual() && !"allowed".equals(context.path("sbAuth").asText())) {
            return status + ", credentials refused: " + GatewayLog.field(context.path("sbErrorType").asText("?"));
        }
        return status;
    }

    private static long millisSince(long startedNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos);
    }

    private Handshake handshakeOrError(Events.Upgrade upgrade) {
        try {
            return handshake(upgrade);
        } catch (RuntimeException e) {
            log.error("$connect of " + upgrade.connectionId() + " failed in the gateway", e);
            return Handshake.reject(500, "Internal server error");
        }
    }

    private Handshake handshake(Events.Upgrade upgrade) {
        SamTemplate.Route connect = template.route(SamTemplate.CONNECT_ROUTE);
        if (connect == null) {
            return Handshake.accept(null, null);
        }
        ObjectNode authorizer = null;
        ObjectNode connectAuthorizer = null;
        if (connect.authorizer() != null) {
            long started = System.currentTimeMillis();
            Authorization authorization = authorize(connect.authorizer(), upgrade);
            if (authorization.rejection() != null) {
                return authorization.rejection();
            }
            authorizer = authorization.context();
            connectAuthorizer = authorizer.deepCopy();
            connectAuthorizer.put("integrationLatency", System.currentTimeMillis() - started);
        }
        JsonNode result;
        try {
            result = functions.invoke(connect.functionId(), events.connect(upgrade, connectAuthorizer), lambdaRequestId());
        } catch (LambdaFunction.InvocationException e) {
            log.error(e.getMessage() + " on $connect of " + upgrade.connectionId(), e.getCause());
            return Handshake.reject(500, "Internal server error");
        }
        int status = result.path("statusCode").asInt(0);
        if (status < 200 || status > 299) {
            if (status < 300 || status > 599) {
                log.warn(connect.functionId() + " returned statusCode " + status + " on $connect; rejecting with 500 (always set a statusCode)");
                return Handshake.reject(500, "Internal server error");
            }
            return Handshake.reject(status, null);
        }
        String subprotocol = header(result, "Sec-WebSocket-Protocol");
        if (subprotocol != null && !offeredSubprotocols(upgrade).contains(subprotocol)) {
            log.warn(connect.functionId() + " selected the subprotocol " + GatewayLog.mask(subprotocol)
                    + ", which the client did not offer; clients abort such a handshake, so it is rejected");
            return Handshake.reject(500, "Internal server error");
        }
        return Handshake.accept(subprotocol, authorizer);
    }

    private record Authorization(ObjectNode context, Handshake rejection) {
    }

    private Authorization authorize(SamTemplate.Authorizer authorizer, Events.Upgrade upgrade) {
        for (String source : authorizer.identitySources()) {
            String value = identitySource(source, upgrade);
            if (value == null || value.isEmpty()) {
                return new Authorization(null, Handshake.reject(401, "Unauthorized"));
            }
        }
        JsonNode result;
        try {
            result = functions.invoke(authorizer.functionId(), events.authorizer(upgrade), lambdaRequestId());
        } catch (LambdaFunction.InvocationException e) {
            if ("Unauthorized".equals(e.getCause().getMessage())) {
                return new Authorization(null, Handshake.reject(401, "Unauthorized"));
            }
            log.error(e.getMessage() + " on the $connect authorizer of " + upgrade.connectionId(), e.getCause());
            return new Authorization(null, Handshake.reject(500, "Internal server error"));
        }
        String methodArn = events.methodArn(SamTemplate.CONNECT_ROUTE);
        JsonNode principal = result.path("principalId");
        JsonNode policy = result.path("policyDocument");
        if (!principal.isTextual() || !policy.isObject()) {
            log.warn(authorizer.functionId() + " returned no principalId or policyDocument; API Gateway answers 500");
            return new Authorization(null, Handshake.reject(500, "Internal server error"));
        }
        switch (IamPolicy.evaluate(policy, methodArn)) {
            case DENY:
                return new Authorization(null, Handshake.reject(403, "Forbidden"));
            case INVALID:
                log.warn(authorizer.functionId() + " returned a policy that cannot be parsed; API Gateway answers 500");
                return new Authorization(null, Handshake.reject(500, "Internal server error"));
            default:
                break;
        }
        ObjectNode context = Json.object();
        context.put("principalId", principal.asText());
        JsonNode returned = result.path("context");
        if (returned.isObject()) {
            for (Map.Entry<String, JsonNode> entry : returned.properties()) {
                JsonNode value = entry.getValue();
                if (value.isNull()) {
                    continue;
                }
                if (!value.isValueNode()) {
                    log.warn(authorizer.functionId() + " returned a non-scalar context value for " + entry.getKey() + "; API Gateway answers 500");
                    return new Authorization(null, Handshake.reject(500, "Internal server error"));
                }
                context.put(entry.getKey(), value.asText());
            }
        }
        return new Authorization(context, null);
    }

    private static String identitySource(String source, Events.Upgrade upgrade) {
        String[] prefixes = {"route.request.header.", "method.request.header.", "$request.header."};
        for (String prefix : prefixes) {
            if (source.regionMatches(true, 0, prefix, 0, prefix.length())) {
                String name = source.substring(prefix.length());
                String value = null;
                for (Events.Header header : upgrade.headers()) {
                    if (header.name().equalsIgnoreCase(name)) {
                        value = value == null ? header.value() : value + "," + header.value();
                    }
                }
                return value;
            }
        }
        for (String prefix : new String[] {"route.request.querystring.", "method.request.querystring.", "$request.querystring."}) {
            if (source.regionMatches(true, 0, prefix, 0, prefix.length())) {
                List<String> values = Events.parseQuery(upgrade.rawQuery()).get(source.substring(prefix.length()));
                return values == null ? null : values.get(values.size() - 1);
            }
        }
        return null;
    }

    private static List<String> offeredSubprotocols(Events.Upgrade upgrade) {
        List<String> offered = new ArrayList<>();
        for (Events.Header header : upgrade.headers()) {
            if (header.name().equalsIgnoreCase("Sec-WebSocket-Protocol")) {
                for (String protocol : header.value().split(",")) {
                    offered.add(protocol.trim());
                }
            }
        }
        return offered;
    }

    private static String header(JsonNode response, String name) {
        JsonNode headers = response.path("headers");
        for (Map.Entry<String, JsonNode> entry : headers.properties()) {
            if (entry.getKey().equalsIgnoreCase(name) && entry.getValue().isTextual()) {
                return entry.getValue().asText();
            }
        }
        JsonNode multi = response.path("multiValueHeaders");
        for (Map.Entry<String, JsonNode> entry : multi.properties()) {
            if (entry.getKey().equalsIgnoreCase(name) && entry.getValue().isArray() && !entry.getValue().isEmpty()) {
                return entry.getValue().get(0).asText();
            }
        }
        return null;
    }

    private static String lambdaRequestId() {
        return UUID.randomUUID().toString();
    }

    // ------------------------------------------------------------------ connection lifecycle

    void opened(Connection connection, Session session) {
        connection.opened(session);
        Connection.Close closedEarly = connection.close();
        if (closedEarly != null) { // closed (@connections DELETE, shutdown) while its socket was opening
            connection.closeSocket(closedEarly.statusCode(), closedEarly.reason());
            return;
        }
        connection.timers(
                timers.schedule(() -> checkIdle(connection), idleTimeout.toMillis(), TimeUnit.MILLISECONDS),
                timers.schedule(() -> closeByServer(connection, StatusCode.SHUTDOWN, LIFETIME_REASON),
                        maxConnectionTime.toMillis(), TimeUnit.MILLISECONDS));
        log.trace(connection.id(), "->", "101 connected");
        if (closing) {
            closeByServer(connection, StatusCode.SHUTDOWN, SHUTDOWN_REASON);
        }
    }

    void received(Connection connection, String message) {
        if (connection.close() != null) {
            log.trace(connection.id(), "<-x (closed, dropped)", message);
            return;
        }
        log.trace(connection.id(), "<-", message);
        connection.enqueue(() -> route(connection, message));
    }

    void receivedBinary(Connection connection, int length) {
        log.trace(connection.id(), "<-", "binary frame of " + length + " bytes");
        closeByServer(connection, StatusCode.BAD_DATA, "Binary frames are not supported");
    }

    void failed(Connection connection, Throwable cause) {
        log.trace(connection.id(), "!!", String.valueOf(cause));
    }

    private void checkIdle(Connection connection) {
        long idleFor = System.currentTimeMillis() - connection.lastActiveAt();
        long remaining = idleTimeout.toMillis() - idleFor;
        if (remaining <= 0) {
            closeByServer(connection, StatusCode.SHUTDOWN, IDLE_REASON);
        } else if (connection.close() == null) {
            connection.idleTimer(timers.schedule(() -> checkIdle(connection), remaining, TimeUnit.MILLISECONDS));
        }
    }

    /** The gateway closes a connection (DELETE, limits, shutdown): the socket closes and $disconnect is queued at once. */
    void closeByServer(Connection connection, int statusCode, String reason) {
        if (connection.markClosed(statusCode, reason)) {
            log.trace(connection.id(), "->", "close " + statusCode + " " + reason);
            connection.closeSocket(statusCode, reason);
            disconnect(connection);
        }
    }

    void closed(Connection connection, int statusCode, String reason) {
        if (connection.markClosed(statusCode, reason)) {
            log.trace(connection.id(), "<-", "close " + statusCode + " " + (reason == null ? "" : reason));
            disconnect(connection);
        }
    }

    private void disconnect(Connection connection) {
        connections.remove(connection.id(), connection);
        SamTemplate.Route route = template.route(SamTemplate.DISCONNECT_ROUTE);
        connection.enqueue(() -> {
            if (route == null) {
                return;
            }
            Connection.Close close = connection.close();
            long started = System.nanoTime();
            String outcome;
            try {
                JsonNode result = functions.invoke(route.functionId(),
                        events.disconnect(connection, close.statusCode(), close.reason(), Ids.requestId()), lambdaRequestId());
                outcome = result.path("statusCode").asText("200");
            } catch (LambdaFunction.InvocationException e) {
                log.error(e.getMessage() + " on $disconnect of " + connection.id(), e.getCause());
                outcome = "Internal server error";
            }
            String closed = "close " + close.statusCode() + (close.reason() == null || close.reason().isEmpty() ? ""
                    : " " + GatewayLog.field(close.reason()));
            log.request(connection.id(), SamTemplate.DISCONNECT_ROUTE, closed, outcome, millisSince(started));
        });
    }

    // ------------------------------------------------------------------ messages

    private void route(Connection connection, String message) {
        long started = System.nanoTime();
        JsonNode frame = Json.parse(message);
        String key = routeKey(frame);
        SamTemplate.Route route = template.route(key);
        if (route == null) {
            route = template.route(SamTemplate.DEFAULT_ROUTE);
        }
        String requestId = Ids.requestId();
        if (route == null) {
            send(connection, errorFrame("Forbidden", connection, requestId));
            log.request(connection.id(), GatewayLog.field(key), GatewayLog.about(frame), "Forbidden (no route)", millisSince(started));
            return;
        }
        JsonNode result;
        try {
            result = functions.invoke(route.functionId(), events.message(connection, route.key(), message, requestId), lambdaRequestId());
        } catch (LambdaFunction.InvocationException e) {
            log.error(e.getMessage() + " on route " + route.key() + " of " + connection.id(), e.getCause());
            send(connection, errorFrame("Internal server error", connection, requestId));
            log.request(connection.id(), route.key(), GatewayLog.about(frame), "Internal server error", millisSince(started));
            return;
        }
        JsonNode body = result.path("body");
        if (route.routeResponse() && body.isTextual()) {
            send(connection, body.asText());
        }
        if (!CONNECTION_INIT.equals(route.key())) { // the connect line already says how a connection went
            String outcome = body.isTextual() ? GatewayLog.outcome(Json.parse(body.asText())) : "";
            log.request(connection.id(), route.key(), GatewayLog.about(frame),
                    outcome.isEmpty() ? result.path("statusCode").asText("200") : outcome, millisSince(started));
        }
    }

    /** The route key selected by the route selection expression; non-JSON, a missing field or a non-scalar select {@code $default}. */
    String routeKey(String message) {
        return routeKey(Json.parse(message));
    }

    private String routeKey(JsonNode node) {
        for (String field : selectionPath) {
            node = node.path(field);
        }
        return node.isValueNode() && !node.isNull() ? node.asText() : SamTemplate.DEFAULT_ROUTE;
    }

    private static String errorFrame(String message, Connection connection, String requestId) {
        ObjectNode frame = Json.object();
        frame.put("message", message);
        frame.put("connectionId", connection.id());
        frame.put("requestId", requestId);
        return Json.text(frame);
    }

    private void send(Connection connection, String text) {
        deliver(connection, text, org.eclipse.jetty.websocket.api.Callback.NOOP);
    }

    /** Sends {@code text}; with --trace, logs it as sent or, if the connection closed meanwhile, as dropped. */
    private void deliver(Connection connection, String text, org.eclipse.jetty.websocket.api.Callback done) {
        if (log.tracing()) {
            log.trace(connection.id(), connection.isOpen() ? "->" : "-x (closed, dropped)", text);
        }
        connection.send(text, done);
    }

    // ------------------------------------------------------------------ @connections

    /** Sends {@code data} to {@code connection} as a text message; {@code done} learns whether it was written. */
    void post(Connection connection, byte[] data, org.eclipse.jetty.websocket.api.Callback done) {
        post(connection, new String(data, StandardCharsets.UTF_8), done);
    }

    /** Sends {@code text} to {@code connection} as a POST to {@code @connections} does; {@code done} learns whether it was written. */
    void post(Connection connection, String text, org.eclipse.jetty.websocket.api.Callback done) {
        deliver(connection, text, done);
    }

    // ------------------------------------------------------------------ shutdown

    /** Closes every connection (1001) and waits up to {@code timeout} for their {@code $disconnect} to finish. */
    void closeAll(Duration timeout) throws InterruptedException {
        closing = true;
        Collection<Connection> open = List.copyOf(connections.values());
        CountDownLatch done = new CountDownLatch(open.size());
        for (Connection connection : open) {
            closeByServer(connection, StatusCode.SHUTDOWN, SHUTDOWN_REASON);
            connection.enqueue(done::countDown);
        }
        if (!done.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            log.warn("gave up waiting for $disconnect of " + done.getCount() + " connection(s)");
        }
    }
}
