package io.switchboard.api;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What every handler can read about the request, mirroring AppSync's handler context: the caller's identity, the
 * request headers and domain name, the channel with its segments and namespace, the operation, and a
 * per-request {@link #stash() stash}. Build one in tests with {@link PublishContext#builder()} or
 * {@link SubscribeContext#builder()}.
 */
public abstract sealed class HandlerContext permits PublishContext, SubscribeContext {
    private final Map<String, Object> identity;
    private final Map<String, String> handlerContext;
    private final Map<String, String> headers;
    private final String domainName;
    private final String channel;
    private final List<String> segments;
    private final Map<String, Object> stash;

    HandlerContext(Builder<?> b) {
        if (b.channel == null) {
            throw new IllegalStateException("channel is required");
        }
        this.identity = b.identity == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(b.identity));
        this.handlerContext = handlerContextOf(this.identity);
        TreeMap<String, String> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        h.putAll(b.headers);
        this.headers = Collections.unmodifiableMap(h);
        this.domainName = b.domainName;
        this.channel = b.channel;
        this.segments = List.copyOf(b.segments);
        this.stash = b.stash != null ? b.stash : new LinkedHashMap<>();
    }

    /** {@link Operation#PUBLISH} or {@link Operation#SUBSCRIBE}. */
    public abstract Operation operation();

    /**
     * The caller's identity: {@code null} for API key callers; for {@code AWS_LAMBDA} callers a map holding
     * {@code handlerContext} (what the authorizer returned); for IAM and JWT callers the fields AppSync documents.
     */
    public Map<String, Object> identity() {
        return identity;
    }

    /** The {@code AWS_LAMBDA} authorizer's handler context for this caller; empty for other auth modes. */
    public Map<String, String> handlerContext() {
        return handlerContext;
    }

    /** The request headers (names compared case-insensitively). */
    public Map<String, String> headers() {
        return headers;
    }

    /** One request header, or {@code null}. */
    public String header(String name) {
        return headers.get(name);
    }

    /** The custom domain the request came in on, or {@code null} for the default endpoint. */
    public String domainName() {
        return domainName;
    }

    /**
     * The channel, e.g. {@code /chat/rooms/lobby}; for a subscribe the requested pattern as sent in canonical
     * form, possibly ending in {@code /*}.
     */
    public String channel() {
        return channel;
    }

    /** The channel's segments, e.g. {@code [chat, rooms, lobby]} (a wildcard subscribe ends with {@code *}). */
    public List<String> segments() {
        return segments;
    }

    /** The channel's namespace (its first segment). */
    public String namespace() {
        return segments.get(0);
    }

    /** Scratch space shared by the handler calls of one request. */
    public Map<String, Object> stash() {
        return stash;
    }

    private static Map<String, String> handlerContextOf(Map<String, Object> identity) {
        Object hc = identity == null ? null : identity.get("handlerContext");
        if (!(hc instanceof Map<?, ?> map)) {
            return Map.of();
        }
        Map<String, String> out = new LinkedHashMap<>();
        map.forEach((k, v) -> {
            if (k != null && v != null) {
                out.put(String.valueOf(k), String.valueOf(v));
            }
        });
        return Collections.unmodifiableMap(out);
    }

    /** Common builder steps; {@code channel} is required. */
    public abstract static class Builder<B extends Builder<B>> {
        private Map<String, Object> identity;
        private final Map<String, String> headers = new LinkedHashMap<>();
        private String domainName;
        private String channel;
        private List<String> segments;
        private Map<String, Object> stash;

        Builder() {}

        @SuppressWarnings("unchecked")
        private B self() {
            return (B) this;
        }

        /** The channel (leading slash optional), e.g. {@code /chat/rooms/lobby}; segments and namespace follow. */
        public B channel(String path) {
            Objects.requireNonNull(path, "path");
            String body = path.startsWith("/") ? path.substring(1) : path;
            if (body.endsWith("/")) {
                body = body.substring(0, body.length() - 1);
            }
            if (body.isEmpty()) {
                throw new IllegalArgumentException("channel needs at least one segment: '" + path + "'");
            }
            this.channel = "/" + body;
            this.segments = new ArrayList<>(List.of(body.split("/", -1)));
            return self();
        }

        /** The caller's identity as AppSync shows it; {@code null} (the default) for API key callers. */
        public B identity(Map<String, Object> identity) {
            this.identity = identity;
            return self();
        }

        /** An {@code AWS_LAMBDA} caller whose authorizer returned {@code handlerContext}. */
        public B handlerContext(Map<String, String> handlerContext) {
            Map<String, Object> id = new LinkedHashMap<>();
            id.put("handlerContext", Map.copyOf(handlerContext));
            this.identity = id;
            return self();
        }

        public B header(String name, String value) {
            headers.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
            return self();
        }

        public B headers(Map<String, String> headers) {
            headers.forEach((k, v) -> {
                if (k != null && v != null) {
                    this.headers.put(k, v);
                }
            });
            return self();
        }

        public B domainName(String domainName) {
            this.domainName = domainName;
            return self();
        }

        /** The stash to share (mutable); a fresh empty one by default. */
        public B stash(Map<String, Object> stash) {
            this.stash = stash;
            return self();
        }
    }
}
