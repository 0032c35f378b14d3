package io.switchboard.local;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Builds the events API Gateway sends to Lambda, as JSON, field for field as in
 * {@code apigateway-events.md}: the WebSocket {@code $connect} authorizer event (§5), the
 * {@code $connect} / MESSAGE / {@code $disconnect} events (§1–§3) and the HTTP API 2.0 event (§6).
 */
final class Events {

    /** One request header, with the name cased as the client sent it. */
    record Header(String name, String value) {
    }

    /** What the gateway knows about a WebSocket upgrade request while {@code $connect} is pending. */
    record Upgrade(String connectionId, long connectedAt, String requestId, List<Header> headers, String rawQuery,
                   String sourceIp, String userAgent, boolean secure) {
    }

    /** An HTTP request to the HTTP API. */
    record HttpRequest(String method, String rawPath, String rawQuery, List<Header> headers, byte[] body,
                       String sourceIp, String protocol, boolean secure) {
    }

    private final String apiId;
    private final String httpApiId;
    private final String stage;
    private final String domainName;
    private final String region;
    private final String accountId;
    private final int port;

    Events(String apiId, String httpApiId, String stage, String domainName, int port, String region, String accountId) {
        this.apiId = apiId;
        this.httpApiId = httpApiId;
        this.stage = stage;
        this.domainName = domainName;
        this.port = port;
        this.region = region;
        this.accountId = accountId;
    }

    /**
     * The event EventBridge sends for a {@code Schedule} event: {@code detail-type} "Scheduled Event",
     * the rule's ARN in {@code resources}, an empty {@code detail}.
     */
    ObjectNode scheduled(String ruleName, String id, long time) {
        ObjectNode event = Json.object();
        event.put("version", "0");
        event.put("id", id);
        event.put("detail-type", "Scheduled Event");
        event.put("source", "aws.events");
        event.put("account", accountId);
        event.put("time", java.time.Instant.ofEpochMilli(time).truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
        event.put("region", region);
        event.putArray("resources").add("arn:aws:events:" + region + ":" + accountId + ":rule/" + ruleName);
        event.set("detail", Json.object());
        return event;
    }

    String methodArn(String routeKey) {
        return "arn:aws:execute-api:" + region + ":" + accountId + ":" + apiId + "/" + stage + "/" + routeKey;
    }

    /** The REQUEST authorizer event of {@code $connect} (§5): all upgrade headers, including Connection and Upgrade. */
    ObjectNode authorizer(Upgrade upgrade) {
        ObjectNode event = Json.object();
        event.put("type", "REQUEST");
        event.put("methodArn", methodArn(SamTemplate.CONNECT_ROUTE));
        List<Header> headers = forwardedHeaders(upgrade, true);
        event.set("headers", singleValued(headers));
        event.set("multiValueHeaders", multiValued(headers));
        query(event, upgrade.rawQuery());
        event.set("stageVariables", Json.object());
        ObjectNode context = requestContext(SamTemplate.CONNECT_ROUTE, "CONNECT", upgrade.requestId(), upgrade.connectedAt(),
                System.currentTimeMillis(), upgrade.connectionId(), null);
        ObjectNode identity = Json.object();
        identity.put("sourceIp", upgrade.sourceIp());
        context.set("identity", identity);
        event.set("requestContext", reorder(context));
        return event;
    }

    /** The {@code $connect} integration event (§1); {@code authorizer} is null without an authorizer. */
    ObjectNode connect(Upgrade upgrade, ObjectNode authorizer) {
        ObjectNode event = Json.object();
        List<Header> headers = forwardedHeaders(upgrade, false);
        event.set("headers", singleValued(headers));
        event.set("multiValueHeaders", multiValued(headers));
        query(event, upgrade.rawQuery());
        ObjectNode context = requestContext(SamTemplate.CONNECT_ROUTE, "CONNECT", upgrade.requestId(), upgrade.connectedAt(),
                System.currentTimeMillis(), upgrade.connectionId(), authorizer);
        context.set("identity", identity(upgrade.sourceIp(), upgrade.userAgent()));
        event.set("requestContext", reorder(context));
        event.put("isBase64Encoded", false);
        return event;
    }

    /** A MESSAGE event (§2): no headers, the frame text as {@code body}. */
    ObjectNode message(Connection connection, String routeKey, String body, String requestId) {
        ObjectNode event = Json.object();
        ObjectNode context = requestContext(routeKey, "MESSAGE", requestId, connection.connectedAt(),
                System.currentTimeMillis(), connection.id(), connection.authorizer());
        context.put("messageId", Ids.requestId());
        context.set("identity", identity(connection.sourceIp(), connection.userAgent()));
        event.set("requestContext", reorder(context));
        event.put("body", body);
        event.put("isBase64Encoded", false);
        return event;
    }

    /** The {@code $disconnect} event (§3), with API Gateway's odd fixed header set and the close code and reason. */
    ObjectNode disconnect(Connection connection, int statusCode, String reason, String requestId) {
        ObjectNode event = Json.object();
        List<Header> headers = List.of(new Header("Host", domainName), new Header("x-api-key", ""),
                new Header("X-Forwarded-For", ""), new Header("x-restapi", ""));
        event.set("headers", singleValued(headers));
        event.set("multiValueHeaders", multiValued(headers));
        ObjectNode context = requestContext(SamTemplate.DISCONNECT_ROUTE, "DISCONNECT", requestId, connection.connectedAt(),
                System.currentTimeMillis(), connection.id(), connection.authorizer());
        context.put("disconnectStatusCode", statusCode);
        context.put("disconnectReason", reason == null ? "" : reason);
        context.set("identity", identity(connection.sourceIp(), connection.userAgent()));
        event.set("requestContext", reorder(context));
        event.put("isBase64Encoded", false);
        return event;
    }

    /** An HTTP API payload 2.0 event (§6) on the {@code $default} stage. */
    ObjectNode http(HttpRequest request, String routeKey, String requestId) {
        long now = System.currentTimeMillis();
        ObjectNode event = Json.object();
        event.put("version", "2.0");
        event.put("routeKey", routeKey);
        event.put("rawPath", request.rawPath());
        event.put("rawQueryString", request.rawQuery() == null ? "" : request.rawQuery());

        List<String> cookies = new ArrayList<>();
        Map<String, String> headers = new LinkedHashMap<>();
        for (Header header : request.headers()) {
            String name = header.name().toLowerCase(Locale.ROOT);
            if (name.equals("cookie")) {
                for (String cookie : header.value().split(";")) {
                    if (!cookie.isBlank()) {
                        cookies.add(cookie.trim());
                    }
                }
                continue;
            }
            headers.merge(name, header.value(), (a, b) -> a + "," + b);
        }
        headers.merge("x-forwarded-for", request.sourceIp(), (a, b) -> a + ", " + b);
        headers.putIfAbsent("x-forwarded-port", Integer.toString(port));
        headers.putIfAbsent("x-forwarded-proto", request.secure() ? "https" : "http");
        headers.putIfAbsent("x-amzn-trace-id", Ids.traceId(now));
        if (!cookies.isEmpty()) {
            ArrayNode array = event.putArray("cookies");
            cookies.forEach(array::add);
        }
        ObjectNode headerNode = event.putObject("headers");
        headers.forEach(headerNode::put);
        Map<String, List<String>> query = parseQuery(request.rawQuery());
        if (!query.isEmpty()) {
            ObjectNode params = event.putObject("queryStringParameters");
            query.forEach((name, values) -> params.put(name, String.join(",", values)));
        }

        ObjectNode context = event.putObject("requestContext");
        context.put("accountId", accountId);
        context.put("apiId", httpApiId);
        context.put("domainName", domainName);
        context.put("domainPrefix", domainName.split("[.:]", 2)[0]);
        ObjectNode http = context.putObject("http");
        http.put("method", request.method());
        http.put("path", request.rawPath());
        http.put("protocol", request.protocol());
        http.put("sourceIp", request.sourceIp());
        String userAgent = headers.get("user-agent");
        if (userAgent != null) {
            http.put("userAgent", userAgent);
        }
        context.put("requestId", requestId);
        context.put("routeKey", routeKey);
        context.put("stage", "$default");
        context.put("time", Ids.clfTime(now));
        context.put("timeEpoch", now);

        byte[] body = request.body();
        if (body != null && body.length > 0) {
            String contentType = headers.getOrDefault("content-type", "");
            if (isText(contentType, body)) {
                event.put("body", new String(body, StandardCharsets.UTF_8));
                event.put("isBase64Encoded", false);
            } else {
                event.put("body", Base64.getEncoder().encodeToString(body));
                event.put("isBase64Encoded", true);
            }
        } else {
            event.put("isBase64Encoded", false);
        }
        return event;
    }

    // ------------------------------------------------------------------ helpers

    private ObjectNode requestContext(String routeKey, String eventType, String requestId, long connectedAt, long now,
                                      String connectionId, JsonNode authorizer) {
        ObjectNode context = Json.object();
        context.put("routeKey", routeKey);
        context.put("eventType", eventType);
        context.put("extendedRequestId", requestId);
        context.put("requestTime", Ids.clfTime(now));
        context.put("messageDirection", "IN");
        if (authorizer != null) {
            context.set("authorizer", authorizer.deepCopy());
        }
        context.put("stage", stage);
        context.put("connectedAt", connectedAt);
        context.put("requestTimeEpoch", now);
        context.put("requestId", requestId);
        context.put("domainName", domainName);
        context.put("connectionId", connectionId);
        context.put("apiId", apiId);
        return context;
    }

    /** Puts the fields in the order of the captured samples (identity after requestTimeEpoch); cosmetic but it eases diffs. */
    private static ObjectNode reorder(ObjectNode context) {
        ObjectNode ordered = Json.object();
        List<String> order = List.of("routeKey", "messageId", "disconnectStatusCode", "disconnectReason", "eventType",
                "extendedRequestId", "requestTime", "messageDirection", "authorizer", "stage", "connectedAt",
                "requestTimeEpoch", "identity", "requestId", "domainName", "connectionId", "apiId");
        for (String name : order) {
            if (context.has(name)) {
                ordered.set(name, context.get(name));
            }
        }
        return ordered;
    }

    private static ObjectNode identity(String sourceIp, String userAgent) {
        ObjectNode identity = Json.object();
        if (userAgent != null) {
            identity.put("userAgent", userAgent);
        }
        identity.put("sourceIp", sourceIp);
        return identity;
    }

    /** The upgrade headers plus what API Gateway adds; the integration event leaves out Connection, Upgrade and content-length. */
    private List<Header> forwardedHeaders(Upgrade upgrade, boolean forAuthorizer) {
        List<Header> headers = new ArrayList<>();
        boolean contentLength = false;
        String forwardedFor = null;
        for (Header header : upgrade.headers()) {
            String name = header.name().toLowerCase(Locale.ROOT);
            if (!forAuthorizer && (name.equals("connection") || name.equals("upgrade") || name.equals("content-length"))) {
                continue;
            }
            if (name.equals("x-forwarded-for")) {
                forwardedFor = header.value();
                continue;
            }
            contentLength |= name.equals("content-length");
            headers.add(header);
        }
        if (forAuthorizer && !contentLength) {
            headers.add(new Header("content-length", "0"));
        }
        headers.add(new Header("X-Amzn-Trace-Id", Ids.traceId(upgrade.connectedAt())));
        headers.add(new Header("X-Forwarded-For", forwardedFor == null ? upgrade.sourceIp() : forwardedFor + ", " + upgrade.sourceIp()));
        headers.add(new Header("X-Forwarded-Port", Integer.toString(port)));
        headers.add(new Header("X-Forwarded-Proto", upgrade.secure() ? "https" : "http"));
        return headers;
    }

    private static ObjectNode singleValued(List<Header> headers) {
        ObjectNode node = Json.object();
        headers.forEach(h -> node.put(h.name(), h.value()));
        return node;
    }

    private static ObjectNode multiValued(List<Header> headers) {
        ObjectNode node = Json.object();
        for (Header header : headers) {
            JsonNode existing = node.get(header.name());
            ArrayNode values = existing instanceof ArrayNode array ? array : node.putArray(header.name());
            values.add(header.value());
        }
        return node;
    }

    private static void query(ObjectNode event, String rawQuery) {
        Map<String, List<String>> query = parseQuery(rawQuery);
        if (query.isEmpty()) {
            return;
        }
        ObjectNode single = event.putObject("queryStringParameters");
        ObjectNode multi = event.putObject("multiValueQueryStringParameters");
        query.forEach((name, values) -> {
            single.put(name, values.get(values.size() - 1));
            ArrayNode array = multi.putArray(name);
            values.forEach(array::add);
        });
    }

    static Map<String, List<String>> parseQuery(String rawQuery) {
        Map<String, List<String>> query = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return query;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = Text.percentDecode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : Text.percentDecode(pair.substring(eq + 1));
            query.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        }
        return query;
    }

    private static boolean isText(String contentType, byte[] body) {
        String type = contentType.toLowerCase(Locale.ROOT);
        if (type.isEmpty()) {
            return Text.isUtf8(body);
        }
        return type.startsWith("text/") || type.contains("json") || type.contains("xml") || type.contains("javascript")
                || type.startsWith("application/x-www-form-urlencoded");
    }
}
