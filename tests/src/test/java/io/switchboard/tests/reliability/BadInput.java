package io.switchboard.tests.reliability;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One bad input of the catalogue and exactly what Switchboard answers to it. {@link BadInputCatalogue#CASES} is the
 * list; {@link BadInputCatalogueTest} runs every case against the real local gateway and writes the README table
 * from the same list.
 *
 * @param number     position in the catalogue (1-based), stable names in test reports
 * @param category   what part of the protocol the case is about
 * @param name       what is wrong, in words
 * @param shown      the input as the README shows it (abridged)
 * @param transport  how the input is sent
 * @param setup      frames sent first on the same connection, each expecting a success reply
 * @param text       the text frame, HTTP body (UTF-8) or the header- JSON, depending on {@code transport}
 * @param bytes      raw bytes (binary/raw frames, non-UTF-8 HTTP bodies), or null
 * @param headers    HTTP request or upgrade headers
 * @param method     HTTP method
 * @param expect     the answer
 */
record BadInput(int number, String category, String name, String shown, Transport transport, List<String> setup,
                String text, byte[] bytes, Map<String, String> headers, String method, Expect expect) {

    enum Transport {
        /** A text frame with java.net.http.WebSocket on a fresh, API-key connection. */
        WS_TEXT,
        /** A binary message with java.net.http.WebSocket. */
        WS_BINARY,
        /** One unfragmented frame written byte by byte (opcode 1, {@code bytes} as the payload). */
        WS_RAW,
        /** A WebSocket upgrade offering {@code aws-appsync-event-ws} and {@code text} as the second subprotocol. */
        UPGRADE,
        /** An HTTP request to /event. */
        HTTP
    }

    /** What must come back. */
    sealed interface Expect permits Reply, Closed, ConnectionError, HttpAnswer, UpgradeRefused {
        /** The README's words for it. */
        String describe();

        /** Whether the offending connection stays open (then it must still subscribe and publish). */
        default boolean connectionSurvives() {
            return true;
        }
    }

    /**
     * A reply frame of {@code type}; {@code errorType}/{@code message} null for success replies. A message ending
     * in "…" is a prefix (the rest comes from the JSON parser). {@code id} is the id the reply must echo (or null:
     * none).
     */
    record Reply(String type, String id, String errorType, String message) implements Expect {
        public String describe() {
            String shownId = id == null ? "" : id.length() > 20 ? " (the " + id.length() + "-character id)" : " (id " + id + ")";
            return errorType == null ? "`" + type + "`" + shownId : "`" + type + "`" + shownId + " `" + errorType + "`: " + message;
        }
    }

    /** The gateway closes the socket with {@code code}. */
    record Closed(int code, String reason) implements Expect {
        public String describe() {
            return "socket closed " + code + " (" + reason + ")";
        }

        public boolean connectionSurvives() {
            return false;
        }
    }

    /** The upgrade succeeds; the first frame is answered with {@code connection_error}, then the socket closes. */
    record ConnectionError(String errorType, String message) implements Expect {
        public String describe() {
            return "`connection_error` `" + errorType + "`: " + message + "; then closed";
        }

        public boolean connectionSurvives() {
            return false;
        }
    }

    /** HTTP {@code status} with {@code {"errors":[{errorType, message}]}}, or with {@code rawBody} exactly. */
    record HttpAnswer(int status, String errorType, String message, String rawBody) implements Expect {
        public String describe() {
            return errorType == null ? "HTTP " + status + (rawBody == null ? "" : " `" + rawBody + "`")
                : "HTTP " + status + " `" + errorType + "`: " + message;
        }

        public boolean connectionSurvives() {
            return false;
        }
    }

    /** The upgrade itself is refused with HTTP {@code status} (before any WebSocket exists). */
    record UpgradeRefused(int status, String why) implements Expect {
        public String describe() {
            return "upgrade refused: HTTP " + status + " (" + why + ")";
        }

        public boolean connectionSurvives() {
            return false;
        }
    }

    // ------------------------------------------------------------------ building the list

    static final class Builder {
        private final List<BadInput> cases = new ArrayList<>();
        private String category = "";

        Builder category(String category) {
            this.category = category;
            return this;
        }

        Builder frame(String name, String frame, Expect expect) {
            return frame(name, abbreviate(frame), List.of(), frame, expect);
        }

        Builder frame(String name, String shown, List<String> setup, String frame, Expect expect) {
            cases.add(new BadInput(cases.size() + 1, category, name, abbreviate(shown), Transport.WS_TEXT, setup, frame, null,
                Map.of(), null, expect));
            return this;
        }

        Builder binary(String name, String shown, byte[] bytes, Expect expect) {
            cases.add(new BadInput(cases.size() + 1, category, name, shown, Transport.WS_BINARY, List.of(), null, bytes,
                Map.of(), null, expect));
            return this;
        }

        Builder raw(String name, String shown, byte[] bytes, Expect expect) {
            cases.add(new BadInput(cases.size() + 1, category, name, shown, Transport.WS_RAW, List.of(), null, bytes,
                Map.of(), null, expect));
            return this;
        }

        /** {@code protocol}: the second subprotocol offered (null: none); {@code headers}: upgrade headers. */
        Builder upgrade(String name, String shown, String protocol, Map<String, String> headers, Expect expect) {
            cases.add(new BadInput(cases.size() + 1, category, name, shown, Transport.UPGRADE, List.of(), protocol, null,
                headers, null, expect));
            return this;
        }

        Builder http(String name, String shown, String method, Map<String, String> headers, String body, Expect expect) {
            return http(name, shown, method, headers, body.getBytes(StandardCharsets.UTF_8), expect);
        }

        Builder http(String name, String shown, String method, Map<String, String> headers, byte[] body, Expect expect) {
            cases.add(new BadInput(cases.size() + 1, category, name, shown, Transport.HTTP, List.of(), null, body,
                headers, method, expect));
            return this;
        }

        List<BadInput> build() {
            return List.copyOf(cases);
        }
    }

    /** The input for the README: the API key object elided, long runs of one character counted, at most ~100 chars. */
    static String abbreviate(String text) {
        String oneLine = text.replace(BadInputCatalogue.AUTH, "\"authorization\":{…}").replace("\n", "\\n");
        oneLine = java.util.regex.Pattern.compile("(.)\\1{15,}").matcher(oneLine)
            .replaceAll(m -> java.util.regex.Matcher.quoteReplacement(m.group(1) + "…(" + m.group().length() + "×)"));
        return oneLine.length() <= 110 ? oneLine : oneLine.substring(0, 100) + "…(" + text.length() + " chars)";
    }

    @Override
    public String toString() {
        return String.format("%02d %s: %s", number, category, name);
    }
}
