package io.switchboard.local;

import java.io.PrintStream;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The gateway's own log on stderr, for people: one line per API call ({@code $connect}, {@code $disconnect}, each
 * routed message, each HTTP request) with connection id, route, channel, outcome and time taken; warnings and
 * failures; and with {@code --trace} every frame in and out. Credentials never reach it: values of
 * {@code x-api-key}, {@code Authorization} and {@code X-Amz-Security-Token} keys and the payload of
 * {@code header-...} subprotocols are masked, and request lines carry no payload.
 */
final class GatewayLog {

    private static final Pattern SECRET_JSON_VALUE = Pattern.compile(
            "(\"(?:x-api-key|authorization|x-amz-security-token)\"\\s*:\\s*)\"(?:[^\"\\\\]|\\\\.)*\"",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern HEADER_SUBPROTOCOL = Pattern.compile("header-[A-Za-z0-9_=+/-]+");
    private static final Pattern UNPRINTABLE = Pattern.compile("[^\\x20-\\x7e]");
    private static final int MAX_FIELD = 120;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");

    private final PrintStream err;
    private final boolean trace;

    GatewayLog(PrintStream err, boolean trace) {
        this.err = err;
        this.trace = trace;
    }

    boolean tracing() {
        return trace;
    }

    /** A frame received from ({@code <-}) or sent to ({@code ->}) a connection, or an HTTP exchange; printed only with --trace. */
    void trace(String subject, String direction, String text) {
        if (trace) {
            print(subject + " " + direction + " " + mask(text));
        }
    }

    /**
     * One API call: {@code subject} (a connection id, or {@code HTTP}), the route, what it was about
     * (a channel, an event count; may be null), its outcome (a status, a frame type and error type) and its duration.
     */
    void request(String subject, String route, String detail, String outcome, long millis) {
        StringBuilder line = new StringBuilder(96).append(subject).append(' ').append(route);
        if (detail != null && !detail.isEmpty()) {
            line.append(' ').append(detail);
        }
        print(mask(line.append(" -> ").append(outcome).append(" (").append(millis).append(" ms)").toString()));
    }

    /** What a request frame or HTTP publish body is about: its channel and how many events it carries. */
    static String about(JsonNode request) {
        StringBuilder about = new StringBuilder();
        if (request.path("channel").isTextual()) {
            about.append(field(request.path("channel").asText()));
        }
        JsonNode events = request.path("events");
        if (events.isArray()) {
            about.append(about.length() > 0 ? " " : "").append('(').append(events.size())
                    .append(events.size() == 1 ? " event)" : " events)");
        }
        return about.toString();
    }

    /**
     * What a reply says, without its payload: a frame's {@code type}, and the {@code errorType} of its first error
     * (frames and HTTP error bodies alike); empty when it is not such JSON.
     */
    static String outcome(JsonNode reply) {
        StringBuilder outcome = new StringBuilder();
        if (reply.path("type").isTextual()) {
            outcome.append(field(reply.path("type").asText()));
        }
        JsonNode errorType = reply.path("errors").path(0).path("errorType");
        if (errorType.isTextual()) {
            outcome.append(outcome.length() > 0 ? " " : "").append(field(errorType.asText()));
        }
        return outcome.toString();
    }

    /** Client-chosen text (a channel, an error type, a close reason) made safe for one log line. */
    static String field(String text) {
        if (text == null) {
            return "";
        }
        String printable = UNPRINTABLE.matcher(text).replaceAll("?");
        return printable.length() > MAX_FIELD ? printable.substring(0, MAX_FIELD) + "..." : printable;
    }

    void warn(String message) {
        print("WARN " + mask(message));
    }

    void error(String message, Throwable cause) {
        synchronized (err) {
            print("ERROR " + mask(message));
            if (cause != null) {
                cause.printStackTrace(err);
            }
        }
    }

    static String mask(String text) {
        if (text == null) {
            return null;
        }
        String masked = SECRET_JSON_VALUE.matcher(text).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + "\"***\""));
        return HEADER_SUBPROTOCOL.matcher(masked).replaceAll("header-***");
    }

    private void print(String line) {
        synchronized (err) {
            err.println(LocalTime.now().format(TIME) + " " + line);
            err.flush();
        }
    }
}
