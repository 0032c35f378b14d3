package io.switchboard.core.auth;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.switchboard.core.protocol.ErrorTypes;
import io.switchboard.core.protocol.FrameException;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * Fuzzes the {@code header-} subprotocol decoder. {@link #subprotocol} feeds the raw input as the whole
 * {@code Sec-WebSocket-Protocol} value (garbage base64, separators, huge values); {@link #headerJson} feeds it as
 * the JSON inside a correctly base64url-encoded {@code header-} entry, so that the JSON layer is fuzzed too. Only
 * a {@code BadRequestException} {@link FrameException} may escape, and the decoded headers never carry null names
 * or values.
 *
 * <p>Seeds: {@code src/test/resources/io/switchboard/core/auth/ConnectHeadersFuzzTestInputs/<method>/}.
 */
class ConnectHeadersFuzzTest {

    @FuzzTest
    void subprotocol(byte[] input) {
        resolve(new String(input, StandardCharsets.UTF_8));
    }

    @FuzzTest
    void headerJson(byte[] input) {
        String encoded = Base64.getUrlEncoder().withoutPadding().encodeToString(input);
        resolve("aws-appsync-event-ws, header-" + encoded);
    }

    private static void resolve(String protocols) {
        Headers upgrade = Headers.of(Map.of("Sec-WebSocket-Protocol", protocols, "host", "h.example"));
        try {
            Headers resolved = ConnectHeaders.resolve(upgrade);
            resolved.asMap().forEach((k, v) -> {
                assertNotNull(k);
                assertNotNull(v);
            });
            ConnectHeaders.offeredSubprotocols(resolved);
        } catch (FrameException e) {
            assertEquals(ErrorTypes.BAD_REQUEST, e.errorType());
            assertNotNull(e.getMessage());
        }
    }
}
