package io.switchboard.core.engine;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.core.protocol.Frame;
import io.switchboard.core.protocol.FrameCodec;
import io.switchboard.core.protocol.FrameException;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Fuzzes the engine's message path end to end (decode, validate, authorize, store, fan out, encode) on the
 * in-memory store. The input is up to 8 frames, one per line, sent in order on one connection (a fresh one per
 * input) while a witness connection listens on {@code /default/*}; each line is also sent as an HTTP publish body.
 * Properties: {@link Engine#message} and {@link Engine#publishHttp} never throw; every reply is one valid JSON
 * server frame with a known type, error frames carry a non-empty {@code errors[]} of {errorType, message} strings,
 * echoed ids match the id pattern, the connection is never closed; every HTTP answer has a known status and a JSON
 * body ({@code successful}/{@code failed} on 200, {@code errors[]} otherwise); every data frame the witness
 * receives carries an event that is JSON text.
 *
 * <p>Seeds: {@code src/test/resources/io/switchboard/core/engine/EngineFuzzTestInputs/messages/}.
 */
class EngineFuzzTest {
    private static final Pattern ID = Pattern.compile("[a-zA-Z0-9_+-]{1,128}");
    private static final Set<String> SERVER_TYPES = Set.of("connection_ack", "ka", "subscribe_success",
        "subscribe_error", "unsubscribe_success", "unsubscribe_error", "publish_success", "publish_error", "error");
    private static final Set<Integer> STATUSES = Set.of(200, 400, 401, 403, 404, 429, 503);
    private static final EngineFixture FIXTURE = new EngineFixture();
    private static final ConnectionAuth WITNESS = FIXTURE.open("witness");
    private static int inputs;

    static {
        FIXTURE.one("witness", WITNESS, EngineFixture.subscribe("w", "/default/*"));
    }

    @FuzzTest
    void messages(byte[] input) {
        String connection = "fuzz-" + (inputs++ % 4);
        FIXTURE.engine.disconnect(connection);
        ConnectionAuth auth = FIXTURE.open(connection);
        String[] frames = new String(input, StandardCharsets.UTF_8).split("\n", 8);
        for (String frame : frames) {
            MessageResult result;
            try {
                result = FIXTURE.engine.message(connection, frame, auth);
            } catch (RuntimeException e) {
                throw new AssertionError("engine.message threw for " + FrameCodec.quote(frame), e);
            }
            assertFalse(result.close(), "an authorized connection is never closed by a frame");
            assertFalse(result.replies().isEmpty(), "every frame is answered");
            for (String reply : result.replies()) {
                checkReply(reply);
            }
            HttpResult http;
            try {
                http = FIXTURE.engine.publishHttp(Map.of("x-api-key", EngineFixture.KEY, "content-type",
                    "application/json"), frame);
            } catch (RuntimeException e) {
                throw new AssertionError("engine.publishHttp threw for " + FrameCodec.quote(frame), e);
            }
            checkHttp(http);
        }
        for (String data : FIXTURE.sender.drain("witness")) {
            JsonNode tree = FrameCodec.parse(data);
            assertEquals("data", tree.path("type").asText(), data);
            assertEquals("w", tree.path("id").asText(), data);
            assertTrue(tree.path("event").isTextual(), data);
            FrameCodec.parse(tree.path("event").textValue()); // the event is JSON text (FrameException otherwise)
        }
        FIXTURE.sender.drain(connection);
    }

    private static void checkReply(String reply) {
        JsonNode tree;
        Frame frame;
        try {
            tree = FrameCodec.parse(reply);
            frame = FrameCodec.decode(reply);
        } catch (FrameException e) {
            fail("reply is not a valid frame: " + reply + ": " + e.getMessage());
            return;
        }
        assertTrue(SERVER_TYPES.contains(frame.type()), reply);
        JsonNode id = tree.get("id");
        if (id != null) {
            assertTrue(id.isTextual() && ID.matcher(id.textValue()).matches(), () -> "echoed id breaks the pattern: " + reply);
        }
        if (frame.type().endsWith("error")) {
            JsonNode errors = tree.path("errors");
            assertTrue(errors.isArray() && errors.size() > 0, reply);
            for (JsonNode error : errors) {
                assertTrue(error.path("errorType").isTextual() && !error.path("errorType").textValue().isEmpty(), reply);
                assertTrue(error.path("message").isTextual() && !error.path("message").textValue().isEmpty(), reply);
            }
        }
    }

    private static void checkHttp(HttpResult http) {
        assertTrue(STATUSES.contains(http.status()), () -> "status " + http.status() + ": " + http.body());
        JsonNode body = FrameCodec.parse(http.body());
        if (http.status() == 200) {
            assertTrue(body.path("successful").isArray() && body.path("failed").isArray(), http.body());
        } else {
            JsonNode errors = body.path("errors");
            assertTrue(errors.isArray() && errors.size() == 1, http.body());
            assertTrue(errors.get(0).path("errorType").isTextual(), http.body());
            assertTrue(errors.get(0).path("message").isTextual(), http.body());
        }
    }
}
