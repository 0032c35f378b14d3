package io.switchboard.tests.reliability;

import static io.switchboard.tests.reliability.Gateway.API_KEY;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import io.switchboard.tests.reliability.BadInput.Closed;
import io.switchboard.tests.reliability.BadInput.ConnectionError;
import io.switchboard.tests.reliability.BadInput.HttpAnswer;
import io.switchboard.tests.reliability.BadInput.Reply;
import io.switchboard.tests.reliability.BadInput.UpgradeRefused;
import io.switchboard.tests.support.Json;

/**
 * The bad-input catalogue: every case, with the exact answer. Messages ending in "…" are prefixes (the rest is
 * the JSON parser's own words). The README table is generated from this list ({@link BadInputCatalogueTest}).
 */
final class BadInputCatalogue {
    static final String AUTH = "\"authorization\":{\"x-api-key\":\"" + API_KEY + "\"}";
    static final String BAD_REQUEST = "BadRequestException";
    static final String INVALID_INPUT = "InvalidInputError";
    static final String ID_RULE = "Field 'id' must be 1 to 128 letters, digits, '-', '_' or '+'; got ";
    static final String NAMESPACES = "declared namespaces: …";

    private BadInputCatalogue() {
    }

    static String subscribe(String id, String channel) {
        return "{\"type\":\"subscribe\",\"id\":" + Json.quote(id) + ",\"channel\":" + Json.quote(channel) + "," + AUTH + "}";
    }

    /** {@code events}: the JSON array text as sent. */
    static String publish(String id, String channel, String events) {
        return "{\"type\":\"publish\",\"id\":" + Json.quote(id) + ",\"channel\":" + Json.quote(channel) + ",\"events\":"
            + events + "," + AUTH + "}";
    }

    static Reply error(String errorType, String message) {
        return new Reply("error", null, errorType, message);
    }

    static Reply subscribeError(String id, String errorType, String message) {
        return new Reply("subscribe_error", id, errorType, message);
    }

    static Reply publishError(String id, String errorType, String message) {
        return new Reply("publish_error", id, errorType, message);
    }

    static HttpAnswer http(int status, String errorType, String message) {
        return new HttpAnswer(status, errorType, message, null);
    }

    static String nested(int depth) {
        return "[".repeat(depth) + "]".repeat(depth);
    }

    static String header(String json) {
        return Gateway.headerProtocolOf(json);
    }

    static final Map<String, String> JSON_KEY = Map.of("content-type", "application/json", "x-api-key", API_KEY);

    static final List<BadInput> CASES = build();

    private static List<BadInput> build() {
        BadInput.Builder b = new BadInput.Builder();
        String longId = "a".repeat(129);
        String segment51 = "s".repeat(51);
        String sixEvents = "[\"1\",\"2\",\"3\",\"4\",\"5\",\"6\"]";
        List<String> twoHundred = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            twoHundred.add(subscribe("m" + i, "/default/many/m" + i));
        }

        b.category("Frame syntax")
            .frame("malformed JSON (truncated)", "{\"type\":\"subscribe\",", error(BAD_REQUEST, "Frame is not valid JSON: …"))
            .frame("trailing garbage after the object", "{\"type\":\"connection_init\"} x", error(BAD_REQUEST, "Frame is not valid JSON: …"))
            .frame("a JSON array as the frame", "[{\"type\":\"connection_init\"}]", error(BAD_REQUEST, "Frame must be a JSON object, got an array"))
            .frame("a JSON number as the frame", "42", error(BAD_REQUEST, "Frame must be a JSON object, got a number"))
            .frame("a JSON string as the frame", "\"connection_init\"", error(BAD_REQUEST, "Frame must be a JSON object, got a string"))
            .frame("JSON null as the frame", "null", error(BAD_REQUEST, "Frame must be a JSON object, got null"))
            .frame("empty text frame", "(0 bytes)", List.of(), "", error(BAD_REQUEST, "Frame is empty"))
            .frame("whitespace-only text frame", "(space, newline, tab, space)", List.of(), " \n\t ", error(BAD_REQUEST, "Frame is empty"))
            .frame("deeply nested JSON frame (20,000 levels)", "[[[[… 20,000 deep …]]]]", List.of(), nested(20_000),
                error(BAD_REQUEST, "Frame is not valid JSON: Document nesting depth (1001) exceeds the maximum allowed …"))
            .frame("deep nesting inside an ignored field", "{\"type\":\"connection_init\",\"payload\":[[[… 5,000 deep …]]]}", List.of(),
                "{\"type\":\"connection_init\",\"payload\":" + nested(5_000) + "}",
                error(BAD_REQUEST, "Frame is not valid JSON: Document nesting depth (1001) exceeds the maximum allowed …"))
            .frame("number with 2,000 digits in a frame", "{\"type\":\"connection_init\",\"n\":1111…(2,000 digits)}", List.of(),
                "{\"type\":\"connection_init\",\"n\":" + "1".repeat(2000) + "}",
                error(BAD_REQUEST, "Frame is not valid JSON: Number value length (2000) exceeds the maximum allowed …"))
            .frame("duplicate keys (last one wins, as JSON.parse)", "{\"type\":\"ka\",\"type\":\"connection_init\"}",
                new Reply("connection_ack", null, null, null));

        b.category("type field")
            .frame("missing type", "{\"id\":\"x1\"}", error(BAD_REQUEST, "Frame has no 'type' field"))
            .frame("type null", "{\"type\":null}", error(BAD_REQUEST, "Frame has no 'type' field"))
            .frame("type is a number", "{\"type\":1}", error(BAD_REQUEST, "Field 'type' must be a string, got a number"))
            .frame("type is an object", "{\"type\":{\"name\":\"subscribe\"}}", error(BAD_REQUEST, "Field 'type' must be a string, got an object"))
            .frame("unknown type (GraphQL's start)", "{\"type\":\"start\",\"id\":\"x1\",\"payload\":{}}",
                error("UnsupportedOperation", "Unknown frame type 'start'"))
            .frame("type in the wrong case", "{\"type\":\"SUBSCRIBE\",\"id\":\"x1\"}", error("UnsupportedOperation", "Unknown frame type 'SUBSCRIBE'"))
            .frame("server-only type ka from a client", "{\"type\":\"ka\"}",
                error("UnsupportedOperation", "Frame type 'ka' is sent by the server, not by clients"))
            .frame("server-only type data from a client", "{\"type\":\"data\",\"id\":\"x1\",\"event\":\"{}\"}",
                error("UnsupportedOperation", "Frame type 'data' is sent by the server, not by clients"));

        b.category("id field")
            .frame("subscribe without id", "{\"type\":\"subscribe\",\"channel\":\"/default/a\"," + AUTH + "}",
                error(BAD_REQUEST, "Field 'id' is required in a subscribe frame"))
            .frame("id is a number", "{\"type\":\"subscribe\",\"id\":7,\"channel\":\"/default/a\"," + AUTH + "}",
                error(BAD_REQUEST, "Field 'id' must be a string, got a number"))
            .frame("id is empty", subscribe("", "/default/a"), error(BAD_REQUEST, ID_RULE + "''"))
            .frame("id with a space and '!'", subscribe("bad id!", "/default/a"), error(BAD_REQUEST, ID_RULE + "'bad id!'"))
            .frame("id with '.' and '/'", subscribe("a.b/c", "/default/a"), error(BAD_REQUEST, ID_RULE + "'a.b/c'"))
            .frame("id with non-ASCII letters", subscribe("caf\u00e9", "/default/a"), error(BAD_REQUEST, ID_RULE + "'caf?'"))
            .frame("id of 129 characters", subscribe(longId, "/default/a"), error(BAD_REQUEST, ID_RULE + "129 characters"))
            .frame("id of exactly 128 characters (accepted)", subscribe("b".repeat(128), "/default/a"),
                new Reply("subscribe_success", "b".repeat(128), null, null))
            .frame("publish without id", "{\"type\":\"publish\",\"channel\":\"/default/a\",\"events\":[\"1\"]," + AUTH + "}",
                error(BAD_REQUEST, "Field 'id' is required in a publish frame"))
            .frame("unsubscribe without id", "{\"type\":\"unsubscribe\"}", error(BAD_REQUEST, "Field 'id' is required in a unsubscribe frame"));

        b.category("channel and authorization fields")
            .frame("subscribe without channel", "{\"type\":\"subscribe\",\"id\":\"c1\"," + AUTH + "}",
                subscribeError("c1", BAD_REQUEST, "Field 'channel' is required in a subscribe frame"))
            .frame("channel is a number", "{\"type\":\"subscribe\",\"id\":\"c1\",\"channel\":5," + AUTH + "}",
                subscribeError("c1", BAD_REQUEST, "Field 'channel' must be a string, got a number"))
            .frame("channel is an array", "{\"type\":\"publish\",\"id\":\"c1\",\"channel\":[\"/default/a\"],\"events\":[\"1\"]," + AUTH + "}",
                publishError("c1", BAD_REQUEST, "Field 'channel' must be a string, got an array"))
            .frame("authorization is a string", "{\"type\":\"subscribe\",\"id\":\"c1\",\"channel\":\"/default/a\",\"authorization\":\"" + API_KEY + "\"}",
                subscribeError("c1", BAD_REQUEST, "Field 'authorization' must be an object of header names to strings, got a string"))
            .frame("authorization value is an object", "{\"type\":\"subscribe\",\"id\":\"c1\",\"channel\":\"/default/a\",\"authorization\":{\"x-api-key\":{\"k\":1}}}",
                subscribeError("c1", BAD_REQUEST, "authorization['x-api-key'] must be a string, got an object"))
            .frame("subscribe without authorization", "{\"type\":\"subscribe\",\"id\":\"c1\",\"channel\":\"/default/a\"}",
                subscribeError("c1", "UnauthorizedException", "No valid credentials to subscribe (allowed auth modes: API_KEY)"))
            .frame("subscribe with a wrong API key", "{\"type\":\"subscribe\",\"id\":\"c1\",\"channel\":\"/default/a\",\"authorization\":{\"x-api-key\":\"da2-wrong\"}}",
                subscribeError("c1", "UnauthorizedException", "…"));

        b.category("Channel forms (subscribe)")
            .frame("empty channel", subscribe("ch", ""), subscribeError("ch", BAD_REQUEST, "Invalid Channel Format: channel '' has no segments"))
            .frame("channel '/' only", subscribe("ch", "/"), subscribeError("ch", BAD_REQUEST, "Invalid Channel Format: channel '/' has no segments"))
            .frame("six segments", subscribe("ch", "/default/1/2/3/4/5"),
                subscribeError("ch", BAD_REQUEST, "Invalid Channel Format: channel '/default/1/2/3/4/5' has 6 segments; the maximum is 5"))
            .frame("wildcard as a sixth segment", subscribe("ch", "/default/1/2/3/4/*"),
                subscribeError("ch", BAD_REQUEST, "Invalid Channel Format: channel '/default/1/2/3/4/*' has 6 segments; the maximum is 5"))
            .frame("segment of 51 characters", subscribe("ch", "/default/" + segment51),
                subscribeError("ch", BAD_REQUEST, "Invalid Channel Format: segment 2 of '/default/" + segment51 + "' is 51 characters long; the maximum is 50"))
            .frame("channel longer than 5 full segments", subscribe("ch", "/" + "a".repeat(300)),
                subscribeError("ch", BAD_REQUEST, "Invalid Channel Format: channel is 301 characters long; at most 5 segments of 50 characters"))
            .frame("empty middle segment", subscribe("ch", "/default//a"),
                subscribeError("ch", BAD_REQUEST, "Invalid Channel Format: segment 2 of '/default//a' is empty"))
            .frame("underscore in a segment", subscribe("ch", "/default/a_b"),
                subscribeError("ch", BAD_REQUEST, "Invalid Channel Format: segment 'a_b' may only contain letters, digits and '-'"))
            .frame("dot and space in a segment", subscribe("ch", "/default/a. b"),
                subscribeError("ch", BAD_REQUEST, "Invalid Channel Format: segment 'a. b' may only contain letters, digits and '-'"))
            .frame("non-ASCII letter in a segment", subscribe("ch", "/default/\u00e9t\u00e9"),
                subscribeError("ch", BAD_REQUEST, "Invalid Channel Format: segment '?t?' may only contain letters, digits and '-'"))
            .frame("segment starting with '-'", subscribe("ch", "/default/-a"),
                subscribeError("ch", BAD_REQUEST, "Invalid Channel Format: segment '-a' may not start or end with '-'"))
            .frame("segment ending with '-'", subscribe("ch", "/default/a-"),
                subscribeError("ch", BAD_REQUEST, "Invalid Channel Format: segment 'a-' may not start or end with '-'"))
            .frame("wildcard in the middle", subscribe("ch", "/default/*/a"),
                subscribeError("ch", BAD_REQUEST, "Invalid Channel Format: '*' is only allowed as the last segment of '/default/*/a'"))
            .frame("bare wildcard /*", subscribe("ch", "/*"),
                subscribeError("ch", BAD_REQUEST, "Invalid Channel Format: '/*' needs a namespace before the wildcard, e.g. /default/*"))
            .frame("partial wildcard a*", subscribe("ch", "/default/a*"),
                subscribeError("ch", BAD_REQUEST, "Invalid Channel Format: segment 'a*' may only contain letters, digits and '-'"))
            .frame("double wildcard **", subscribe("ch", "/default/**"),
                subscribeError("ch", BAD_REQUEST, "Invalid Channel Format: segment '**' may only contain letters, digits and '-'"))
            .frame("unknown namespace", subscribe("ch", "/nope/a"),
                subscribeError("ch", "ResourceNotFound", "Namespace 'nope' not found; " + NAMESPACES))
            .frame("namespace in the wrong case", subscribe("ch", "/DEFAULT/a"),
                subscribeError("ch", "ResourceNotFound", "Namespace 'DEFAULT' not found; " + NAMESPACES));

        b.category("publish")
            .frame("publish to a wildcard channel", publish("p1", "/default/*", "[\"1\"]"),
                publishError("p1", BAD_REQUEST, "Invalid Channel Format: cannot publish to a wildcard channel '/default/*'"))
            .frame("publish to an unknown namespace", publish("p1", "/nope/a", "[\"1\"]"),
                publishError("p1", "ResourceNotFound", "Namespace 'nope' not found; " + NAMESPACES))
            .frame("publish with a wrong API key", "{\"type\":\"publish\",\"id\":\"p1\",\"channel\":\"/default/a\",\"events\":[\"1\"],\"authorization\":{\"x-api-key\":\"da2-wrong\"}}",
                publishError("p1", "UnauthorizedException", "…"))
            .frame("0 events", publish("p1", "/default/a", "[]"), publishError("p1", INVALID_INPUT, "A publish carries 1 to 5 events, got 0"))
            .frame("6 events", publish("p1", "/default/a", sixEvents), publishError("p1", INVALID_INPUT, "A publish carries 1 to 5 events, got 6"))
            .frame("events missing", "{\"type\":\"publish\",\"id\":\"p1\",\"channel\":\"/default/a\"," + AUTH + "}",
                publishError("p1", INVALID_INPUT, "Field 'events' is required: an array of 1 to 5 JSON strings"))
            .frame("events is a string, not an array", publish("p1", "/default/a", "\"{}\""),
                publishError("p1", INVALID_INPUT, "Field 'events' must be an array of JSON strings, got a string"))
            .frame("an event that is a number, not a string", publish("p1", "/default/a", "[1]"),
                publishError("p1", INVALID_INPUT, "events[0] must be a string holding JSON (e.g. \"{\\\"a\\\":1}\"), got a number"))
            .frame("an event that is an object, not a string", publish("p1", "/default/a", "[\"1\",{\"a\":1}]"),
                publishError("p1", INVALID_INPUT, "events[1] must be a string holding JSON (e.g. \"{\\\"a\\\":1}\"), got an object"))
            .frame("an event that is not JSON text", publish("p1", "/default/a", "[\"hello\"]"),
                publishError("p1", INVALID_INPUT, "events[0] is not valid JSON text: …"))
            .frame("an empty event string", publish("p1", "/default/a", "[\"\"]"),
                publishError("p1", INVALID_INPUT, "events[0] is not valid JSON text: is empty"))
            .frame("an event with two JSON values", publish("p1", "/default/a", "[\"{} {}\"]"),
                publishError("p1", INVALID_INPUT, "events[0] is not valid JSON text: …"))
            .frame("lone high surrogate \\ud800 in an event", publish("p1", "/default/a", "[\"\\\"\\ud800\\\"\"]"),
                publishError("p1", INVALID_INPUT, "events[0] contains an unpaired UTF-16 surrogate"))
            .frame("lone low surrogate \\udc00 in an event", publish("p1", "/default/a", "[\"1\",\"\\\"x\\udc00\\\"\"]"),
                publishError("p1", INVALID_INPUT, "events[1] contains an unpaired UTF-16 surrogate"))
            .frame("deeply nested event (5,000 levels)", "{\"type\":\"publish\",…,\"events\":[\"[[[… 5,000 deep …]]]\"]}", List.of(),
                publish("p1", "/default/a", "[\"" + nested(5_000) + "\"]"),
                publishError("p1", INVALID_INPUT, "events[0] is not valid JSON text: Document nesting depth (1001) exceeds the maximum allowed …"))
            .frame("event with a 2,000-digit number", "{\"type\":\"publish\",…,\"events\":[\"1111…(2,000 digits)\"]}", List.of(),
                publish("p1", "/default/a", "[\"" + "1".repeat(2000) + "\"]"),
                publishError("p1", INVALID_INPUT, "events[0] is not valid JSON text: Number value length (2000) exceeds the maximum allowed …"))
            .frame("event over 120 KB once escaped (frame still under 128 KB)", "{\"type\":\"publish\",…,\"events\":[\"\\\"…124,990 chars…\\\"\"]}",
                List.of(), publish("p1", "/default/a", "[\"\\\"" + "w".repeat(124_990) + "\\\"\"]"),
                publishError("p1", INVALID_INPUT, "events[0] is 124994 bytes once escaped for delivery; the maximum is 122880 bytes (API Gateway's 128 KB WebSocket message limit)"))
            .frame("event 1e999999 (overflows a double; forwarded unchanged)", publish("p1", "/default/num", "[\"1e999999\"]"),
                new Reply("publish_success", "p1", null, null));

        b.category("Operations and ids")
            .frame("duplicate subscription id", subscribe("dup", "/default/b") + "  (after the same id on /default/a)",
                List.of(subscribe("dup", "/default/a")), subscribe("dup", "/default/b"),
                subscribeError("dup", BAD_REQUEST, "Subscription id 'dup' is already in use on this connection (duplicated subscription)"))
            .frame("unsubscribe of an unknown id", "{\"type\":\"unsubscribe\",\"id\":\"nope\"}",
                new Reply("unsubscribe_error", "nope", "UnknownOperationError", "Unknown operation id nope"))
            .frame("unsubscribe twice", "{\"type\":\"unsubscribe\",\"id\":\"u1\"}  (after subscribe and unsubscribe of u1)",
                List.of(subscribe("u1", "/default/a"), "{\"type\":\"unsubscribe\",\"id\":\"u1\"}"), "{\"type\":\"unsubscribe\",\"id\":\"u1\"}",
                new Reply("unsubscribe_error", "u1", "UnknownOperationError", "Unknown operation id u1"))
            .frame("subscribe before connection_init (accepted, §2.3)", subscribe("early", "/default/a"),
                new Reply("subscribe_success", "early", null, null))
            .frame("connection_init twice (ack again)", "{\"type\":\"connection_init\"}  (after connection_init)",
                List.of("{\"type\":\"connection_init\"}"), "{\"type\":\"connection_init\"}", new Reply("connection_ack", null, null, null))
            .frame("201st subscription on a connection", subscribe("m200", "/default/many/m200") + "  (after 200 subscriptions)",
                twoHundred, subscribe("m200", "/default/many/m200"),
                subscribeError("m200", "MaxSubscriptionsReachedError", "This connection already has the maximum of 200 subscriptions"));

        b.category("WebSocket framing")
            .binary("binary frame", "binary message 0x01 0x02 0x03", new byte[] {1, 2, 3},
                new Closed(1003, "Binary frames are not supported"))
            .raw("one frame over 32 KB", "one unfragmented text frame of 40,000 bytes",
                ("{\"type\":\"connection_init\",\"pad\":\"" + "x".repeat(40_000 - 36) + "\"}").getBytes(StandardCharsets.UTF_8),
                new Closed(1009, "Cannot handle payload lengths larger than 32768"))
            .frame("message over 128 KB (fragmented)", "{\"type\":\"publish\",…} of 140,000 bytes in 32 KB fragments", List.of(),
                publish("p1", "/default/a", "[\"" + "\\\"".repeat(1) + "y".repeat(140_000) + "\\\"" + "\"]"),
                new Closed(1009, "Text message too large: 140,130 > 131,072"))
            .raw("invalid UTF-8 in a text frame", "text frame bytes 7B 22 74 FF FE 22 7D",
                new byte[] {0x7b, 0x22, 0x74, (byte) 0xff, (byte) 0xfe, 0x22, 0x7d}, new Closed(1007, "Invalid UTF-8"));

        b.category("Connect (header- subprotocol, upgrade headers)")
            .upgrade("header- not base64url", "header-a", "header-a", Map.of(),
                new ConnectionError(BAD_REQUEST, "The header- subprotocol is not valid base64url"))
            .upgrade("header- not JSON", "header-" + "aGVsbG8", header("hello"), Map.of(),
                new ConnectionError(BAD_REQUEST, "The header- subprotocol does not hold JSON: Frame is not valid JSON: …"))
            .upgrade("header- JSON array", "header-base64url([1,2])", header("[1,2]"), Map.of(),
                new ConnectionError(BAD_REQUEST, "The header- subprotocol must hold a JSON object of header names to strings, got an array"))
            .upgrade("header- with a wrong API key", "header-base64url({\"x-api-key\":\"da2-wrong\"})", header("{\"x-api-key\":\"da2-wrong\"}"), Map.of(),
                new ConnectionError("UnauthorizedException", "…"))
            .upgrade("no credentials at all", "only aws-appsync-event-ws offered", null, Map.of(),
                new ConnectionError("UnauthorizedException", "…"))
            .upgrade("huge header- subprotocol (12 KB)", "header-base64url({\"x-api-key\":\"…12 KB…\"})",
                header("{\"x-api-key\":\"" + "k".repeat(9_000) + "\"}"), Map.of(),
                new UpgradeRefused(431, "request header fields too large"))
            .upgrade("oversize upgrade header (10 KB x-api-key)", "x-api-key: <10,000 characters>", null,
                Map.of("x-api-key", "k".repeat(10_000)), new UpgradeRefused(431, "request header fields too large"));

        b.category("HTTP publish")
            .http("GET /event", "GET /event", "GET", Map.of("x-api-key", API_KEY), "",
                new HttpAnswer(404, null, null, "{\"message\":\"Not Found\"}"))
            .http("PUT /event", "PUT /event {…}", "PUT", JSON_KEY, "{\"channel\":\"/default/a\",\"events\":[\"1\"]}",
                new HttpAnswer(404, null, null, "{\"message\":\"Not Found\"}"))
            .http("DELETE /event", "DELETE /event", "DELETE", Map.of("x-api-key", API_KEY), "",
                new HttpAnswer(404, null, null, "{\"message\":\"Not Found\"}"))
            .http("empty body", "POST /event (no body)", "POST", JSON_KEY, "", http(400, BAD_REQUEST, "Request body is empty"))
            .http("body is not JSON", "channel=/default/a", "POST", JSON_KEY, "channel=/default/a",
                http(400, BAD_REQUEST, "Request body is not valid JSON: …"))
            .http("body is a JSON array", "[{\"channel\":\"/default/a\"}]", "POST", JSON_KEY, "[{\"channel\":\"/default/a\"}]",
                http(400, BAD_REQUEST, "Request body must be a JSON object with 'channel' and 'events', got an array"))
            .http("body without channel", "{\"events\":[\"1\"]}", "POST", JSON_KEY, "{\"events\":[\"1\"]}",
                http(400, BAD_REQUEST, "Field 'channel' is required"))
            .http("HTTP channel is a number", "{\"channel\":1,\"events\":[\"1\"]}", "POST", JSON_KEY, "{\"channel\":1,\"events\":[\"1\"]}",
                http(400, BAD_REQUEST, "Field 'channel' must be a string, got a number"))
            .http("HTTP events missing", "{\"channel\":\"/default/a\"}", "POST", JSON_KEY, "{\"channel\":\"/default/a\"}",
                http(400, BAD_REQUEST, "Field 'events' is required: an array of 1 to 5 JSON strings"))
            .http("HTTP 6 events", "{\"channel\":\"/default/a\",\"events\":[\"1\",…6 items]}", "POST", JSON_KEY,
                "{\"channel\":\"/default/a\",\"events\":" + sixEvents + "}", http(400, BAD_REQUEST, "A publish carries 1 to 5 events, got 6"))
            .http("wildcard channel", "{\"channel\":\"default/*\",\"events\":[\"1\"]}", "POST", JSON_KEY,
                "{\"channel\":\"default/*\",\"events\":[\"1\"]}",
                http(400, BAD_REQUEST, "Invalid Channel Format: cannot publish to a wildcard channel 'default/*'"))
            .http("unknown namespace (namespaces not listed to unauthenticated callers)", "{\"channel\":\"/nope/a\",\"events\":[\"1\"]}", "POST", JSON_KEY,
                "{\"channel\":\"/nope/a\",\"events\":[\"1\"]}", http(404, "ResourceNotFound", "Namespace 'nope' not found"))
            .http("no API key", "POST /event without x-api-key", "POST", Map.of("content-type", "application/json"),
                "{\"channel\":\"/default/a\",\"events\":[\"1\"]}",
                http(401, "UnauthorizedException", "No valid credentials to publish (allowed auth modes: API_KEY, AWS_IAM)"))
            .http("HTTP lone surrogate \\ud800 in an event", "{\"channel\":\"/default/a\",\"events\":[\"\\\"\\ud800\\\"\"]}", "POST", JSON_KEY,
                "{\"channel\":\"/default/a\",\"events\":[\"\\\"\\ud800\\\"\"]}",
                http(400, BAD_REQUEST, "events[0] contains an unpaired UTF-16 surrogate"))
            .http("invalid UTF-8 body (no content-type)", "bytes {\"channel\":\"/default/a\",\"events\":[\"\\\"<FF FE>\\\"\"]}", "POST",
                Map.of("x-api-key", API_KEY), invalidUtf8Body(), http(400, BAD_REQUEST, "Request body is not valid UTF-8 text"))
            .http("invalid UTF-8 body (application/octet-stream)", "same bytes, content-type application/octet-stream", "POST",
                Map.of("x-api-key", API_KEY, "content-type", "application/octet-stream"), invalidUtf8Body(),
                http(400, BAD_REQUEST, "Request body is not valid UTF-8 text"))
            .http("event over 120 KB once escaped", "{\"channel\":\"/default/a\",\"events\":[\"\\\"…130,000 chars…\\\"\"]}", "POST", JSON_KEY,
                "{\"channel\":\"/default/a\",\"events\":[\"\\\"" + "z".repeat(130_000) + "\\\"\"]}",
                http(400, BAD_REQUEST, "events[0] is 130004 bytes once escaped for delivery; the maximum is 122880 bytes (API Gateway's 128 KB WebSocket message limit)"))
            .http("deeply nested body", "[[[[… 20,000 deep …]]]]", "POST", JSON_KEY, nested(20_000),
                http(400, BAD_REQUEST, "Request body is not valid JSON: Document nesting depth (1001) exceeds the maximum allowed …"))
            .http("content-type text/plain (accepted: the body is JSON whatever the type)", "content-type: text/plain, valid body", "POST",
                Map.of("content-type", "text/plain", "x-api-key", API_KEY), "{\"channel\":\"/default/ct\",\"events\":[\"1\"]}",
                new HttpAnswer(200, null, null, null))
            .http("content-type form-urlencoded, as curl -d sends (accepted)", "content-type: application/x-www-form-urlencoded, valid body", "POST",
                Map.of("content-type", "application/x-www-form-urlencoded", "x-api-key", API_KEY), "{\"channel\":\"/default/ct\",\"events\":[\"1\"]}",
                new HttpAnswer(200, null, null, null));
        return b.build();
    }

    static byte[] invalidUtf8Body() {
        byte[] head = "{\"channel\":\"/default/a\",\"events\":[\"\\\"".getBytes(StandardCharsets.UTF_8);
        byte[] tail = "\\\"\"]}".getBytes(StandardCharsets.UTF_8);
        byte[] body = new byte[head.length + 2 + tail.length];
        System.arraycopy(head, 0, body, 0, head.length);
        body[head.length] = (byte) 0xff;
        body[head.length + 1] = (byte) 0xfe;
        System.arraycopy(tail, 0, body, head.length + 2, tail.length);
        return body;
    }

    static String base64(String text) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
