package io.switchboard.core.channel;

import java.util.ArrayList;
import java.util.List;

/**
 * A concrete channel such as {@code /sample/channel/test}: 1–5 segments, no wildcard. Publishes go to a
 * {@code ChannelPath}. The first segment is the namespace.
 */
public final class ChannelPath {
    private final List<String> segments;
    private final String path;

    ChannelPath(List<String> segments) {
        this.segments = List.copyOf(segments);
        this.path = "/" + String.join("/", segments);
    }

    /** Parses a publish channel; a leading or trailing slash is optional, case is kept. */
    public static ChannelPath parse(String raw) {
        ChannelGrammar.Parsed parsed = ChannelGrammar.parse(raw);
        if (parsed.wildcard()) {
            throw new InvalidChannelException(
                "Invalid Channel Format: cannot publish to a wildcard channel '" + ChannelGrammar.printable(raw) + "'");
        }
        return new ChannelPath(parsed.segments());
    }

    public List<String> segments() {
        return segments;
    }

    public String namespace() {
        return segments.get(0);
    }

    /** The canonical form with one leading slash and no trailing slash. */
    public String path() {
        return path;
    }

    /**
     * Every subscription pattern that matches this channel: the exact path, then one wildcard per ancestor,
     * most specific first. {@code /a/b/c} gives {@code /a/b/c}, {@code /a/b/*}, {@code /a/*}.
     */
    public List<String> matchingPatterns() {
        List<String> patterns = new ArrayList<>(segments.size());
        patterns.add(path);
        StringBuilder prefix = new StringBuilder(path.length() + 2);
        List<String> wildcards = new ArrayList<>(segments.size() - 1);
        for (int i = 0; i < segments.size() - 1; i++) {
            prefix.append('/').append(segments.get(i));
            wildcards.add(prefix + "/*");
        }
        for (int i = wildcards.size() - 1; i >= 0; i--) {
            patterns.add(wildcards.get(i));
        }
        return patterns;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ChannelPath other && other.path.equals(path);
    }

    @Override
    public int hashCode() {
        return path.hashCode();
    }

    @Override
    public String toString() {
        return path;
    }
}
