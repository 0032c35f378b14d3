package io.switchboard.core.auth;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.core.protocol.ErrorTypes;
import io.switchboard.core.protocol.FrameCodec;
import io.switchboard.core.protocol.FrameException;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The credentials of a WebSocket connect: plain upgrade headers (native SDKs) with the JSON object of the
 * {@code header-<base64url>} subprotocol (browsers, Amplify JS) laid over them.
 */
public final class ConnectHeaders {

    /** The subprotocol every AppSync Events client offers and the server must select. */
    public static final String SUBPROTOCOL = "aws-appsync-event-ws";
    private static final String HEADER_PREFIX = "header-";
    private static final int MAX_HEADER_SUBPROTOCOL = 16 * 1024;

    private ConnectHeaders() {}

    /** The subprotocols offered in {@code Sec-WebSocket-Protocol} (comma-separated, possibly repeated). */
    public static List<String> offeredSubprotocols(Headers upgradeHeaders) {
        List<String> offered = new ArrayList<>();
        String value = upgradeHeaders.get("Sec-WebSocket-Protocol");
        if (value != null) {
            for (String part : value.split(",")) {
                String trimmed = part.trim();
                if (!trimmed.isEmpty()) {
                    offered.add(trimmed);
                }
            }
        }
        return offered;
    }

    /**
     * Upgrade headers plus the decoded {@code header-} subprotocol.
     *
     * @throws FrameException ({@code BadRequestException}) when the {@code header-} subprotocol is not base64url
     *     JSON of an object, or too large
     */
    public static Headers resolve(Headers upgradeHeaders) {
        for (String protocol : offeredSubprotocols(upgradeHeaders)) {
            if (protocol.startsWith(HEADER_PREFIX)) {
                return upgradeHeaders.with(decodeHeaderSubprotocol(protocol.substring(HEADER_PREFIX.length())));
            }
        }
        return upgradeHeaders;
    }

    static Headers decodeHeaderSubprotocol(String encoded) {
        if (encoded.length() > MAX_HEADER_SUBPROTOCOL) {
            throw bad("The header- subprotocol is " + encoded.length() + " characters long; the maximum is "
                + MAX_HEADER_SUBPROTOCOL);
        }
        byte[] json;
        try {
            String normalized = encoded.replace('+', '-').replace('/', '_');
            while (normalized.endsWith("=")) {
                normalized = normalized.substring(0, normalized.length() - 1);
            }
            json = Base64.getUrlDecoder().decode(normalized);
        } catch (IllegalArgumentException e) {
            throw bad("The header- subprotocol is not valid base64url");
        }
        JsonNode node;
        try {
            node = FrameCodec.parse(new String(json, StandardCharsets.UTF_8));
        } catch (FrameException e) {
            throw bad("The header- subprotocol does not hold JSON: " + e.getMessage());
        }
        if (!node.isObject()) {
            throw bad("The header- subprotocol must hold a JSON object of header names to strings, got "
                + FrameCodec.describe(node));
        }
        Map<String, String> headers = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> e = fields.next();
            if (e.getValue().isValueNode() && !e.getValue().isNull()) {
                headers.put(e.getKey(), e.getValue().asText());
            }
        }
        return Headers.of(headers);
    }

    private static FrameException bad(String message) {
        return new FrameException(null, null, ErrorTypes.BAD_REQUEST, message);
    }
}
