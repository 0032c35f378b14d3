package io.switchboard.core.protocol;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fuzzes the frame decoder: any text either decodes or fails with the protocol's own {@link FrameException}
 * (never another exception, never a stack overflow on deep nesting); a decoded frame encodes to a JSON object of
 * the same type, and client frames survive encode → decode unchanged.
 *
 * <p>Seeds: {@code src/test/resources/io/switchboard/core/protocol/FrameCodecFuzzTestInputs/decode/}. Regression mode
 * runs them in every {@code mvn verify}; fuzzing: see the README's "Fuzzing" section.
 */
class FrameCodecFuzzTest {

    @FuzzTest
    void decode(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        Frame frame;
        try {
            frame = FrameCodec.decode(text);
        } catch (FrameException e) {
            assertNotNull(e.errorType());
            assertNotNull(e.getMessage());
            // the reply frame built from it must be valid JSON as well
            JsonNode error = FrameCodec.parse(FrameCodec.encodeErrors(java.util.List.of(e.toError())));
            assertTrue(error.path("errors").isArray());
            return;
        }
        String encoded = FrameCodec.encode(frame);
        JsonNode tree = FrameCodec.parse(encoded);
        assertTrue(tree.isObject(), encoded);
        assertEquals(frame.type(), tree.path("type").asText());
        if (frame instanceof Frame.Subscribe || frame instanceof Frame.Publish || frame instanceof Frame.Unsubscribe
            || frame instanceof Frame.ConnectionInit) {
            assertEquals(frame, FrameCodec.decode(encoded), "client frames survive encode -> decode");
        }
    }
}
