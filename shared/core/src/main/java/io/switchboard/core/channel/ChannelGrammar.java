package io.switchboard.core.channel;

import java.util.ArrayList;
import java.util.List;

/** The channel path grammar of AppSync Events: 1–5 segments of 1–50 letters, digits or dashes. */
final class ChannelGrammar {
    static final int MAX_SEGMENTS = 5;
    static final int MAX_SEGMENT_LENGTH = 50;
    private static final int MAX_RAW_LENGTH = 1 + MAX_SEGMENTS * (MAX_SEGMENT_LENGTH + 1);

    record Parsed(List<String> segments, boolean wildcard) {}

    private ChannelGrammar() {}

    static Parsed parse(String raw) {
        if (raw == null) {
            throw new InvalidChannelException("Invalid Channel Format: channel is required");
        }
        if (raw.length() > MAX_RAW_LENGTH) {
            throw new InvalidChannelException("Invalid Channel Format: channel is " + raw.length()
                + " characters long; at most " + MAX_SEGMENTS + " segments of " + MAX_SEGMENT_LENGTH + " characters");
        }
        String body = raw;
        if (body.startsWith("/")) {
            body = body.substring(1);
        }
        if (body.endsWith("/")) {
            body = body.substring(0, body.length() - 1);
        }
        if (body.isEmpty()) {
            throw new InvalidChannelException("Invalid Channel Format: channel '" + printable(raw) + "' has no segments");
        }
        String[] parts = body.split("/", -1);
        if (parts.length > MAX_SEGMENTS) {
            throw new InvalidChannelException("Invalid Channel Format: channel '" + printable(raw) + "' has "
                + parts.length + " segments; the maximum is " + MAX_SEGMENTS);
        }
        List<String> segments = new ArrayList<>(parts.length);
        boolean wildcard = false;
        for (int i = 0; i < parts.length; i++) {
            String segment = parts[i];
            if (segment.equals("*")) {
                if (i != parts.length - 1) {
                    throw new InvalidChannelException("Invalid Channel Format: '*' is only allowed as the last segment of '"
                        + printable(raw) + "'");
                }
                if (i == 0) {
                    throw new InvalidChannelException("Invalid Channel Format: '" + printable(raw)
                        + "' needs a namespace before the wildcard, e.g. /default/*");
                }
                wildcard = true;
                continue;
            }
            checkSegment(raw, segment, i);
            segments.add(segment);
        }
        return new Parsed(segments, wildcard);
    }

    private static void checkSegment(String raw, String segment, int index) {
        if (segment.isEmpty()) {
            throw new InvalidChannelException("Invalid Channel Format: segment " + (index + 1) + " of '" + printable(raw)
                + "' is empty");
        }
        if (segment.length() > MAX_SEGMENT_LENGTH) {
            throw new InvalidChannelException("Invalid Channel Format: segment " + (index + 1) + " of '" + printable(raw)
                + "' is " + segment.length() + " characters long; the maximum is " + MAX_SEGMENT_LENGTH);
        }
        for (int i = 0; i < segment.length(); i++) {
            char c = segment.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
            if (!ok) {
                throw new InvalidChannelException("Invalid Channel Format: segment '" + printable(segment)
                    + "' may only contain letters, digits and '-'");
            }
        }
        if (segment.charAt(0) == '-' || segment.charAt(segment.length() - 1) == '-') {
            throw new InvalidChannelException("Invalid Channel Format: segment '" + segment
                + "' may not start or end with '-'");
        }
    }

    /** A short, log- and message-safe rendering of client input. */
    static String printable(String raw) {
        StringBuilder out = new StringBuilder(Math.min(raw.length(), 80));
        for (int i = 0; i < raw.length() && out.length() < 80; i++) {
            char c = raw.charAt(i);
            out.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        if (raw.length() > 80) {
            out.append("...");
        }
        return out.toString();
    }
}
