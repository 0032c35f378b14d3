package io.switchboard.local;

import java.io.PrintStream;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The gateway's own log on stderr: warnings and failures always, and with {@code --trace} every
 * frame in and out. Credentials never reach it: values of {@code x-api-key}, {@code Authorization}
 * and {@code X-Amz-Security-Token} keys and the payload of {@code header-...} subprotocols are masked.
 */
final class GatewayLog {

    private static final Pattern SECRET_JSON_VALUE = Pattern.compile(
            "(\"(?:x-api-key|authorization|x-amz-security-token)\"\\s*:\\s*)\"(?:[^\"\\\\]|\\\\.)*\"",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern HEADER_SUBPROTOCOL = Pattern.compile("header-[A-Za-z0-9_=+/-]+");
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
