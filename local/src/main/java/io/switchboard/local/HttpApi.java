package io.switchboard.local;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The HTTP API (payload format 2.0): routes declared as {@code HttpApi} events invoke their
 * function, whose response is mapped back as API Gateway maps it. On {@code AWS_IAM} routes a SigV4
 * {@code Authorization} header is required (403 without) and its access key becomes
 * {@code requestContext.authorizer.iam}; the signature itself is not verified. CORS is permissive, so a
 * page served from another origin can publish.
 */
final class HttpApi {

    static final String IAM = "AWS_IAM";
    private static final Pattern SIGV4_CREDENTIAL = Pattern.compile("Credential=([^/,\\s]+)/");

    private final List<SamTemplate.HttpRoute> routes;
    private final Functions functions;
    private final Events events;
    private final GatewayLog log;
    private final Executor workers;

    HttpApi(List<SamTemplate.HttpRoute> routes, Functions functions, Events events, GatewayLog log, Executor workers) {
        this.routes = routes;
        this.functions = functions;
        this.events = events;
        this.log = log;
        this.workers = workers;
    }

    /** True if some route is declared for {@code path} (whatever its method). */
    boolean serves(String path) {
        return routes.stream().anyMatch(r -> r.path().equals(path));
    }

    void handle(Request request, Response response, Callback callback) {
        String path = request.getHttpURI().getPath();
        String origin = request.getHeaders().get(HttpHeader.ORIGIN);
        if (origin != null) {
            response.getHeaders().put(HttpHeader.ACCESS_CONTROL_ALLOW_ORIGIN, "*");
        }
        if ("OPTIONS".equals(request.getMethod()) && request.getHeaders().get(HttpHeader.ACCESS_CONTROL_REQUEST_METHOD) != null) {
            preflight(request, response, callback, path);
            return;
        }
        SamTemplate.HttpRoute route = routes.stream()
                .filter(r -> r.path().equals(path) && (r.method().equals(request.getMethod()) || r.method().equals("ANY")))
                .findFirst().orElse(null);
        if (route == null) {
            HttpResponses.notFound(response, callback);
            return;
        }
        HttpResponses.readBody(request, response, callback, body -> workers.execute(() -> invoke(route, request, body, response, callback)));
    }

    /** The request's line in the gateway log: route, channel and event count, status, time. */
    private void logRequest(SamTemplate.HttpRoute route, String about, String outcome, long startedNanos) {
        log.request("HTTP", route.routeKey(), about, outcome, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos));
    }

    /**
     * The access key id of a SigV4 {@code Authorization} header, or null. The signature is not checked:
     * the gateway has no credentials to check it against.
     */
    static String sigV4AccessKey(String authorization) {
        if (authorization == null || !authorization.startsWith("AWS4-HMAC-SHA256 ")) {
            return null;
        }
        Matcher matcher = SIGV4_CREDENTIAL.matcher(authorization);
        return matcher.find() ? matcher.group(1) : null;
    }

    /** What an HTTP API puts in {@code requestContext.authorizer} for a request signed by {@code accessKey}. */
    private static ObjectNode iamAuthorizer(String accessKey) {
        ObjectNode authorizer = Json.object();
        ObjectNode iam = authorizer.putObject("iam");
        iam.put("accessKey", accessKey);
        iam.put("accountId", LocalGateway.ACCOUNT_ID);
        iam.put("callerId", accessKey);
        iam.putNull("cognitoIdentity");
        iam.putNull("principalOrgId");
        iam.put("userArn", "arn:aws:iam::" + LocalGateway.ACCOUNT_ID + ":user/local");
        iam.put("userId", accessKey);
        return authorizer;
    }

    private void preflight(Request request, Response response, Callback callback, String path) {
        Set<String> methods = new LinkedHashSet<>();
        routes.stream().filter(r -> r.path().equals(path)).forEach(r -> methods.add(r.method().equals("ANY") ? "*" : r.method()));
        methods.add("OPTIONS");
        response.getHeaders().put(HttpHeader.ACCESS_CONTROL_ALLOW_ORIGIN, "*");
        response.getHeaders().put(HttpHeader.ACCESS_CONTROL_ALLOW_METHODS, String.join(", ", methods));
        String requested = request.getHeaders().get(HttpHeader.ACCESS_CONTROL_REQUEST_HEADERS);
        response.getHeaders().put(HttpHeader.ACCESS_CONTROL_ALLOW_HEADERS, requested == null ? "*" : requested);
        response.getHeaders().put(HttpHeader.ACCESS_CONTROL_MAX_AGE, "600");
        response.setStatus(204);
        response.write(true, null, callback);
    }

    private void invoke(SamTemplate.HttpRoute route, Request request, byte[] body, Response response, Callback callback) {
        long started = System.nanoTime();
        String about = GatewayLog.about(Json.parse(body));
        List<Events.Header> headers = new ArrayList<>();
        for (HttpField field : request.getHeaders()) {
            headers.add(new Events.Header(field.getName(), field.getValue()));
        }
        String requestId = Ids.requestId();
        Events.HttpRequest httpRequest = new Events.HttpRequest(request.getMethod(), request.getHttpURI().getPath(),
                request.getHttpURI().getQuery(), headers, body, Request.getRemoteAddr(request),
                request.getConnectionMetaData().getHttpVersion().asString(), request.isSecure());
        String subject = "HTTP " + request.getMethod() + " " + request.getHttpURI().getPath();
        log.trace(subject, "<-", new String(body, StandardCharsets.UTF_8));
        response.getHeaders().put("apigw-requestid", requestId);
        ObjectNode authorizer = null;
        if (IAM.equals(route.authorizer())) {
            String accessKey = sigV4AccessKey(request.getHeaders().get(HttpHeader.AUTHORIZATION));
            if (accessKey == null) {
                log.trace(subject, "->", "403 (no SigV4 Authorization header)");
                logRequest(route, about, "403 (no SigV4 Authorization header)", started);
                HttpResponses.json(response, callback, 403, "{\"message\":\"Forbidden\"}");
                return;
            }
            authorizer = iamAuthorizer(accessKey);
        }
        JsonNode result;
        try {
            ObjectNode event = events.http(httpRequest, route.routeKey(), requestId);
            if (authorizer != null) {
                ((ObjectNode) event.get("requestContext")).set("authorizer", authorizer);
            }
            result = functions.invoke(route.functionId(), event, UUID.randomUUID().toString());
        } catch (LambdaFunction.InvocationException e) {
            log.error(e.getMessage() + " on " + route.routeKey(), e.getCause());
            log.trace(subject, "->", "500");
            logRequest(route, about, "500", started);
            HttpResponses.json(response, callback, 500, "{\"message\":\"Internal Server Error\"}");
            return;
        }
        if (!result.isObject() || !result.has("statusCode")) {
            String text = result.isTextual() ? result.asText() : Json.text(result);
            log.trace(subject, "->", "200 " + text);
            logRequest(route, about, "200", started);
            response.setStatus(200);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
            response.write(true, ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)), callback);
            return;
        }
        int status = result.path("statusCode").asInt(500);
        response.setStatus(status);
        for (Map.Entry<String, JsonNode> header : result.path("headers").properties()) {
            response.getHeaders().put(header.getKey(), header.getValue().asText());
        }
        for (Map.Entry<String, JsonNode> header : result.path("multiValueHeaders").properties()) {
            header.getValue().forEach(value -> response.getHeaders().add(header.getKey(), value.asText()));
        }
        result.path("cookies").forEach(cookie -> response.getHeaders().add(HttpHeader.SET_COOKIE, cookie.asText()));
        JsonNode bodyNode = result.path("body");
        byte[] out = null;
        if (bodyNode.isTextual()) {
            try {
                out = result.path("isBase64Encoded").asBoolean(false)
                        ? Base64.getDecoder().decode(bodyNode.asText())
                        : bodyNode.asText().getBytes(StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                log.warn(route.functionId() + " returned isBase64Encoded with a body that is not base64; API Gateway answers 500");
                response.getHeaders().clear();
                logRequest(route, about, "500", started);
                HttpResponses.json(response, callback, 500, "{\"message\":\"Internal Server Error\"}");
                return;
            }
        }
        log.trace(subject, "->", status + (out == null ? "" : " " + new String(out, StandardCharsets.UTF_8)));
        String errorType = status >= 400 && out != null ? GatewayLog.outcome(Json.parse(out)) : "";
        logRequest(route, about, status + (errorType.isEmpty() ? "" : " " + errorType), started);
        response.write(true, out == null ? null : ByteBuffer.wrap(out), callback);
    }
}
