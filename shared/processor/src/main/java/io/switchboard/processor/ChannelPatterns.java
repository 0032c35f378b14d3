package io.switchboard.processor;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The channel grammar of AppSync Events, as handler patterns use it: 1–5 segments of 1–50 letters, digits or
 * {@code -} (not starting or ending with {@code -}), optionally ending in {@code *}. Mirrors the runtime's rules.
 */
final class ChannelPatterns {
    static final Pattern NAMESPACE = Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9-]{0,48}[A-Za-z0-9])?");
    private static final int MAX_SEGMENTS = 5;
    private static final int MAX_SEGMENT_LENGTH = 50;

    /** A valid pattern: its segments before any wildcard, and whether it ends in {@code *}. */
    record Parsed(List<String> segments, boolean wildcard) {
        String canonical() {
            return "/" + String.join("/", segments) + (wildcard ? "/*" : "");
        }

        String namespace() {
            return segments.get(0);
        }
    }

    /** Thrown with the reason a pattern is invalid. */
    static final class Invalid extends Exception {
        private static final long serialVersionUID = 1L;

        Invalid(String reason) {
            super(reason, null, false, false);
        }
    }

    private ChannelPatterns() {}

    static Parsed parse(String raw) throws Invalid {
        String body = raw;
        if (body.startsWith("/")) {
            body = body.substring(1);
        }
        if (body.endsWith("/")) {
            body = body.substring(0, body.length() - 1);
        }
        if (body.isEmpty()) {
            throw new Invalid("it has no segments");
        }
        String[] parts = body.split("/", -1);
        if (parts.length > MAX_SEGMENTS) {
            throw new Invalid("it has " + parts.length + " segments; the maximum is " + MAX_SEGMENTS);
        }
        List<String> segments = new ArrayList<>(parts.length);
        boolean wildcard = false;
        for (int i = 0; i < parts.length; i++) {
            String segment = parts[i];
            if (segment.equals("*")) {
                if (i == 0) {
                    throw new Invalid("it needs a namespace before the wildcard, e.g. /chat/*");
                }
                if (i != parts.length - 1) {
                    throw new Invalid("'*' is only allowed as the last segment");
                }
                wildcard = true;
                continue;
            }
            if (segment.isEmpty()) {
                throw new Invalid("segment " + (i + 1) + " is empty");
            }
            if (segment.length() > MAX_SEGMENT_LENGTH) {
                throw new Invalid("segment " + (i + 1) + " is " + segment.length() + " characters long; the maximum is "
                    + MAX_SEGMENT_LENGTH);
            }
            for (int c = 0; c < segment.length(); c++) {
                char ch = segment.charAt(c);
                boolean ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '-';
                if (!ok) {
                    throw new Invalid("segment '" + segment + "' may only contain letters, digits and '-'"
                        + (segment.contains("*") ? " ('*' must be a whole segment)" : ""));
                }
            }
            if (segment.startsWith("-") || segment.endsWith("-")) {
                throw new Invalid("segment '" + segment + "' may not start or end with '-'");
            }
            segments.add(segment);
        }
        return new Parsed(segments, wildcard);
    }
}
