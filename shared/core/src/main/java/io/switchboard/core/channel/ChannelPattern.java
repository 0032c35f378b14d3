package io.switchboard.core.channel;

import java.util.List;

/**
 * What a subscription listens to: a concrete channel ({@code /a/b}) or a wildcard ({@code /a/*}). A wildcard is
 * only allowed as the last segment and matches every descendant at any depth: {@code /a/*} matches {@code /a/b}
 * and {@code /a/b/c}, not {@code /a} and not {@code /ab/c}.
 */
public final class ChannelPattern {
    private final List<String> segments;
    private final boolean wildcard;
    private final String value;

    private ChannelPattern(List<String> segments, boolean wildcard) {
        this.segments = List.copyOf(segments);
        this.wildcard = wildcard;
        this.value = "/" + String.join("/", segments) + (wildcard ? "/*" : "");
    }

    /** Parses a subscribe channel; a leading or trailing slash is optional, case is kept. */
    public static ChannelPattern parse(String raw) {
        ChannelGrammar.Parsed parsed = ChannelGrammar.parse(raw);
        return new ChannelPattern(parsed.segments(), parsed.wildcard());
    }

    /** The segments before the wildcard (all of them for a concrete pattern). */
    public List<String> segments() {
        return segments;
    }

    public boolean wildcard() {
        return wildcard;
    }

    public String namespace() {
        return segments.get(0);
    }

    /** The canonical form, e.g. {@code /a/b} or {@code /a/*}; this is what stores index. */
    public String value() {
        return value;
    }

    public boolean matches(ChannelPath channel) {
        List<String> target = channel.segments();
        if (!wildcard) {
            return target.equals(segments);
        }
        return target.size() > segments.size() && target.subList(0, segments.size()).equals(segments);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ChannelPattern other && other.value.equals(value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }

    @Override
    public String toString() {
        return value;
    }
}
