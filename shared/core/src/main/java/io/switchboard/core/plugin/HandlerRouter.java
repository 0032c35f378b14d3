package io.switchboard.core.plugin;

import io.switchboard.api.spi.PublishRoute;
import io.switchboard.api.spi.SubscribeRoute;
import io.switchboard.core.channel.ChannelPath;
import io.switchboard.core.channel.ChannelPattern;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds the handler for a channel: the most specific pattern wins — the exact channel, then the longest wildcard
 * prefix. {@code /chat/*} covers every channel below {@code /chat} (not {@code /chat} itself), as subscriptions
 * do. A subscribe to a wildcard is routed as the pattern it is: {@code /chat/rooms/*} reaches a handler for
 * {@code /chat/rooms/*} or {@code /chat/*}, never one for {@code /chat/rooms/lobby}. Immutable once built.
 */
public final class HandlerRouter {
    private final Map<String, PublishRoute> publishExact = new HashMap<>();
    private final Map<String, PublishRoute> publishWildcard = new HashMap<>();
    private final Map<String, SubscribeRoute> subscribeExact = new HashMap<>();
    private final Map<String, SubscribeRoute> subscribeWildcard = new HashMap<>();
    /** Namespaces with at least one publish route: any other channel is answered with one set lookup. */
    private final Set<String> publishNamespaces = new HashSet<>();

    HandlerRouter(List<PublishRoute> publishRoutes, List<SubscribeRoute> subscribeRoutes) {
        for (PublishRoute route : publishRoutes) {
            ChannelPattern pattern = ChannelPattern.parse(route.pattern());
            (pattern.wildcard() ? publishWildcard : publishExact).put(key(pattern.segments(), pattern.segments().size()), route);
            publishNamespaces.add(pattern.namespace());
        }
        for (SubscribeRoute route : subscribeRoutes) {
            ChannelPattern pattern = ChannelPattern.parse(route.pattern());
            (pattern.wildcard() ? subscribeWildcard : subscribeExact).put(key(pattern.segments(), pattern.segments().size()), route);
        }
    }

    public boolean hasPublishRoutes() {
        return !publishExact.isEmpty() || !publishWildcard.isEmpty();
    }

    public boolean hasSubscribeRoutes() {
        return !subscribeExact.isEmpty() || !subscribeWildcard.isEmpty();
    }

    /** The handler for a publish to {@code channel}, or {@code null}. */
    public PublishRoute publishRoute(ChannelPath channel) {
        if (!publishNamespaces.contains(channel.namespace())) {
            return null;
        }
        return find(publishExact, publishWildcard, channel.segments(), false);
    }

    /** The handler for a subscribe to {@code pattern}, or {@code null}. */
    public SubscribeRoute subscribeRoute(ChannelPattern pattern) {
        if (!hasSubscribeRoutes()) {
            return null;
        }
        return find(subscribeExact, subscribeWildcard, pattern.segments(), pattern.wildcard());
    }

    /**
     * @param segments the channel's segments (before the {@code *} of a wildcard subscribe)
     * @param wildcard the channel is itself a wildcard: no exact route can match it, and a wildcard route with
     *     the same prefix covers it
     */
    private static <R> R find(Map<String, R> exact, Map<String, R> wildcards, List<String> segments, boolean wildcard) {
        if (!wildcard && !exact.isEmpty()) {
            R route = exact.get(key(segments, segments.size()));
            if (route != null) {
                return route;
            }
        }
        if (wildcards.isEmpty()) {
            return null;
        }
        for (int length = wildcard ? segments.size() : segments.size() - 1; length >= 1; length--) {
            R route = wildcards.get(key(segments, length));
            if (route != null) {
                return route;
            }
        }
        return null;
    }

    private static String key(List<String> segments, int length) {
        StringBuilder sb = new StringBuilder(64);
        for (int i = 0; i < length; i++) {
            sb.append('/').append(segments.get(i));
        }
        return sb.toString();
    }
}
