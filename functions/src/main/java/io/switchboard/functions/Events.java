package io.switchboard.functions;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketResponse;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.core.protocol.FrameCodec;
import org.slf4j.MDC;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * API Gateway's events read from, and the functions' responses written to, the invocation's byte streams with the
 * engine's own Jackson tree and streaming APIs; small readers for the loosely typed parts; the logging keys.
 *
 * <p>The functions are {@code RequestStreamHandler}s rather than POJO handlers: the Lambda runtime would otherwise
 * map the events through its own shaded, reflection-driven Jackson (hundreds of classes and ~0.4 s of a cold start
 * on this machine), and it silently drops fields its classes lack ({@code disconnectStatusCode}). The events are
 * still handed to the handlers as aws-lambda-java-events objects, filled here by hand.
 */
final class Events {
    private Events() {}

    // ------------------------------------------------------------------ reading events

    /** A WebSocket API event (any route) as the runtime's serializer would have filled it. */
    static APIGatewayV2WebSocketEvent webSocket(InputStream in) throws IOException {
        JsonNode root = read(in);
        APIGatewayV2WebSocketEvent event = new APIGatewayV2WebSocketEvent();
        event.setHeaders(strings(root.get("headers")));
        event.setMultiValueHeaders(stringLists(root.get("multiValueHeaders")));
        event.setQueryStringParameters(strings(root.get("queryStringParameters")));
        event.setBody(text(root.get("body")));
        event.setIsBase64Encoded(root.path("isBase64Encoded").asBoolean(false));
        JsonNode rc = root.path("requestContext");
        APIGatewayV2WebSocketEvent.RequestContext context = new APIGatewayV2WebSocketEvent.RequestContext();
        context.setRouteKey(text(rc.get("routeKey")));
        context.setEventType(text(rc.get("eventType")));
        context.setConnectionId(text(rc.get("connectionId")));
        context.setRequestId(text(rc.get("requestId")));
        context.setExtendedRequestId(text(rc.get("extendedRequestId")));
        context.setMessageId(text(rc.get("messageId")));
        context.setDomainName(text(rc.get("domainName")));
        context.setStage(text(rc.get("stage")));
        context.setApiId(text(rc.get("apiId")));
        context.setMessageDirection(text(rc.get("messageDirection")));
        context.setRequestTime(text(rc.get("requestTime")));
        context.setConnectedAt(rc.path("connectedAt").asLong(0));
        context.setRequestTimeEpoch(rc.path("requestTimeEpoch").asLong(0));
        JsonNode identity = rc.get("identity");
        if (identity != null && identity.isObject()) {
            APIGatewayV2WebSocketEvent.RequestIdentity id = new APIGatewayV2WebSocketEvent.RequestIdentity();
            id.setSourceIp(text(identity.get("sourceIp")));
            id.setUserAgent(text(identity.get("userAgent")));
            id.setApiKey(text(identity.get("apiKey")));
            context.setIdentity(id);
        }
        JsonNode authorizer = rc.get("authorizer");
        if (authorizer != null && authorizer.isObject()) {
            @SuppressWarnings("unchecked")
            Map<String, Object> map = (Map<String, Object>) plain(authorizer);
            context.setAuthorizer(map);
        }
        event.setRequestContext(context);
        return event;
    }

    /** An HTTP API (payload format 2.0) event as the runtime's serializer would have filled it. */
    static APIGatewayV2HTTPEvent http(InputStream in) throws IOException {
        JsonNode root = read(in);
        JsonNode rc = root.path("requestContext");
        APIGatewayV2HTTPEvent.RequestContext.RequestContextBuilder context = APIGatewayV2HTTPEvent.RequestContext.builder()
            .withRouteKey(text(rc.get("routeKey")))
            .withRequestId(text(rc.get("requestId")))
            .withDomainName(text(rc.get("domainName")))
            .withDomainPrefix(text(rc.get("domainPrefix")))
            .withTime(text(rc.get("time")))
            .withStage(text(rc.get("stage")))
            .withApiId(text(rc.get("apiId")))
            .withAccountId(text(rc.get("accountId")))
            .withTimeEpoch(rc.path("timeEpoch").asLong(0));
        JsonNode http = rc.get("http");
        if (http != null && http.isObject()) {
            context.withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder()
                .withMethod(text(http.get("method"))).withPath(text(http.get("path")))
                .withProtocol(text(http.get("protocol"))).withSourceIp(text(http.get("sourceIp")))
                .withUserAgent(text(http.get("userAgent"))).build());
        }
        JsonNode iam = rc.path("authorizer").get("iam");
        if (iam != null && iam.isObject()) {
            APIGatewayV2HTTPEvent.RequestContext.IAM.IAMBuilder caller = APIGatewayV2HTTPEvent.RequestContext.IAM.builder()
                .withAccessKey(text(iam.get("accessKey"))).withAccountId(text(iam.get("accountId")))
                .withCallerId(text(iam.get("callerId"))).withPrincipalOrgId(text(iam.get("principalOrgId")))
                .withUserArn(text(iam.get("userArn"))).withUserId(text(iam.get("userId")));
            JsonNode cognito = iam.get("cognitoIdentity");
            if (cognito != null && cognito.isObject()) {
                List<String> amr = new ArrayList<>();
                cognito.path("amr").forEach(a -> amr.add(a.asText()));
                caller.withCognitoIdentity(APIGatewayV2HTTPEvent.RequestContext.CognitoIdentity.builder()
                    .withAmr(amr).withIdentityId(text(cognito.get("identityId")))
                    .withIdentityPoolId(text(cognito.get("identityPoolId"))).build());
            }
            context.withAuthorizer(APIGatewayV2HTTPEvent.RequestContext.Authorizer.builder().withIam(caller.build()).build());
        }
        return APIGatewayV2HTTPEvent.builder()
            .withVersion(text(root.get("version")))
            .withRouteKey(text(root.get("routeKey")))
            .withRawPath(text(root.get("rawPath")))
            .withRawQueryString(text(root.get("rawQueryString")))
            .withHeaders(strings(root.get("headers")))
            .withQueryStringParameters(strings(root.get("queryStringParameters")))
            .withBody(text(root.get("body")))
            .withIsBase64Encoded(root.path("isBase64Encoded").asBoolean(false))
            .withRequestContext(context.build())
            .build();
    }

    private static JsonNode read(InputStream in) throws IOException {
        JsonNode root = FrameCodec.JSON.readTree(in);
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("The invocation's event is not a JSON object: "
                + (root == null ? "nothing" : root.getNodeType().toString().toLowerCase()));
        }
        return root;
    }

    private static String text(JsonNode node) {
        return node == null || node.isNull() ? null : node.isValueNode() ? node.asText() : node.toString();
    }

    /** A JSON object of scalars as a map of strings ({@code null} when absent, as the runtime leaves it). */
    private static Map<String, String> strings(JsonNode node) {
        if (node == null || !node.isObject()) {
            return null;
        }
        Map<String, String> map = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            map.put(e.getKey(), text(e.getValue()));
        }
        return map;
    }

    private static Map<String, List<String>> stringLists(JsonNode node) {
        if (node == null || !node.isObject()) {
            return null;
        }
        Map<String, List<String>> map = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            List<String> values = new ArrayList<>();
            e.getValue().forEach(v -> values.add(text(v)));
            map.put(e.getKey(), values);
        }
        return map;
    }

    /** A JSON tree as plain Java values (maps, lists, strings, numbers, booleans, null), as an untyped POJO field gets it. */
    private static Object plain(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.isObject()) {
            Map<String, Object> map = new LinkedHashMap<>();
            node.fields().forEachRemaining(e -> map.put(e.getKey(), plain(e.getValue())));
            return map;
        }
        if (node.isArray()) {
            List<Object> list = new ArrayList<>();
            node.forEach(v -> list.add(plain(v)));
            return list;
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        return node.isNumber() ? node.numberValue() : node.asText();
    }

    // ------------------------------------------------------------------ writing responses

    /** A WebSocket integration response, absent members left out (as the runtime writes it). */
    static void write(APIGatewayV2WebSocketResponse response, OutputStream out) throws IOException {
        try (JsonGenerator json = generator(out)) {
            json.writeStartObject();
            json.writeNumberField("statusCode", response.getStatusCode());
            writeHeaders(json, response.getHeaders());
            if (response.getBody() != null) {
                json.writeStringField("body", response.getBody());
            }
            json.writeBooleanField("isBase64Encoded", response.isIsBase64Encoded());
            json.writeEndObject();
        }
    }

    /** An HTTP API (2.0) response, absent members left out (as the runtime writes it). */
    static void write(APIGatewayV2HTTPResponse response, OutputStream out) throws IOException {
        try (JsonGenerator json = generator(out)) {
            json.writeStartObject();
            json.writeNumberField("statusCode", response.getStatusCode());
            writeHeaders(json, response.getHeaders());
            if (response.getCookies() != null) {
                json.writeArrayFieldStart("cookies");
                for (String cookie : response.getCookies()) {
                    json.writeString(cookie);
                }
                json.writeEndArray();
            }
            if (response.getBody() != null) {
                json.writeStringField("body", response.getBody());
            }
            json.writeBooleanField("isBase64Encoded", response.getIsBase64Encoded());
            json.writeEndObject();
        }
    }

    private static JsonGenerator generator(OutputStream out) throws IOException {
        return FrameCodec.JSON.getFactory().createGenerator(out).disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
    }

    private static void writeHeaders(JsonGenerator json, Map<String, String> headers) throws IOException {
        if (headers != null) {
            json.writeObjectFieldStart("headers");
            for (Map.Entry<String, String> h : headers.entrySet()) {
                json.writeStringField(h.getKey(), h.getValue());
            }
            json.writeEndObject();
        }
    }

    // ------------------------------------------------------------------ logging keys and loose parts

    /**
     * Puts the invocation's logging keys in the MDC ({@code PowertoolsLogging.withLogging} clears it afterwards):
     * {@code connection_id}, {@code route} and {@code request_id} (API Gateway's {@code requestContext.requestId});
     * null values are left out.
     */
    static void logging(String connectionId, String route, String requestId) {
        if (connectionId != null) {
            MDC.put("connection_id", connectionId);
        }
        if (route != null) {
            MDC.put("route", route);
        }
        if (requestId != null) {
            MDC.put("request_id", requestId);
        }
    }

    /** A JSON object of scalar values as a map of strings; anything else is an empty map. */
    static Map<String, String> stringMap(Object value) {
        Map<String, String> result = new LinkedHashMap<>();
        if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> {
                if (k != null && v != null && !(v instanceof Map) && !(v instanceof Iterable)) {
                    result.put(String.valueOf(k), String.valueOf(v));
                }
            });
        }
        return result;
    }

    /**
     * Single-value headers merged with multi-value ones (repeated headers joined with ", "), so a
     * {@code Sec-WebSocket-Protocol} sent twice is seen whole.
     */
    static Map<String, String> headers(Map<String, String> single, Map<String, ? extends Iterable<String>> multi) {
        Map<String, String> result = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        if (single != null) {
            result.putAll(single);
        }
        if (multi != null) {
            multi.forEach((name, values) -> {
                if (values != null) {
                    String joined = String.join(", ", values);
                    if (!joined.isEmpty()) {
                        result.put(name, joined);
                    }
                }
            });
        }
        return result;
    }
}
