package io.switchboard.api.spi;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** One {@code @ChannelNamespace} class: the namespace it declares, its auth mode overrides and its routes. */
public final class NamespacePlugin {
    private final String name;
    private final String source;
    private final List<String> publishAuthModes;
    private final List<String> subscribeAuthModes;
    private final List<PublishRoute> publishRoutes;
    private final List<SubscribeRoute> subscribeRoutes;

    private NamespacePlugin(Builder b) {
        this.name = b.name;
        this.source = b.source;
        this.publishAuthModes = List.copyOf(b.publishAuthModes);
        this.subscribeAuthModes = List.copyOf(b.subscribeAuthModes);
        this.publishRoutes = List.copyOf(b.publishRoutes);
        this.subscribeRoutes = List.copyOf(b.subscribeRoutes);
    }

    /** {@code source} names the declaring class, for messages. */
    public static Builder builder(String name, String source) {
        return new Builder(name, source);
    }

    public String name() {
        return name;
    }

    public String source() {
        return source;
    }

    /** Auth mode names; empty means the API defaults. */
    public List<String> publishAuthModes() {
        return publishAuthModes;
    }

    public List<String> subscribeAuthModes() {
        return subscribeAuthModes;
    }

    public List<PublishRoute> publishRoutes() {
        return publishRoutes;
    }

    public List<SubscribeRoute> subscribeRoutes() {
        return subscribeRoutes;
    }

    @Override
    public String toString() {
        return "NamespacePlugin[" + name + " from " + source + "]";
    }

    public static final class Builder {
        private final String name;
        private final String source;
        private final List<String> publishAuthModes = new ArrayList<>();
        private final List<String> subscribeAuthModes = new ArrayList<>();
        private final List<PublishRoute> publishRoutes = new ArrayList<>();
        private final List<SubscribeRoute> subscribeRoutes = new ArrayList<>();

        private Builder(String name, String source) {
            this.name = Objects.requireNonNull(name, "name");
            this.source = Objects.requireNonNull(source, "source");
        }

        public Builder publishAuthModes(String... modes) {
            publishAuthModes.addAll(List.of(modes));
            return this;
        }

        public Builder subscribeAuthModes(String... modes) {
            subscribeAuthModes.addAll(List.of(modes));
            return this;
        }

        public Builder route(PublishRoute route) {
            publishRoutes.add(Objects.requireNonNull(route, "route"));
            return this;
        }

        public Builder route(SubscribeRoute route) {
            subscribeRoutes.add(Objects.requireNonNull(route, "route"));
            return this;
        }

        public NamespacePlugin build() {
            return new NamespacePlugin(this);
        }
    }
}
