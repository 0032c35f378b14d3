package io.switchboard.core.config;

import io.switchboard.core.auth.AuthMode;
import io.switchboard.core.auth.Operation;

import java.util.Set;

/**
 * A declared channel namespace and the auth modes its publishes and subscribes accept: the API defaults, the
 * modes its {@code @ChannelNamespace} declares, or an override in {@code SWITCHBOARD_NAMESPACE_AUTH}
 * ({@link SwitchboardConfig#declaredNamespace}).
 */
public record NamespaceConfig(String name, Set<AuthMode> publishModes, Set<AuthMode> subscribeModes) {
    public NamespaceConfig {
        publishModes = Set.copyOf(publishModes);
        subscribeModes = Set.copyOf(subscribeModes);
    }

    /** The modes accepted for {@code operation} ({@code PUBLISH} or {@code SUBSCRIBE}) in this namespace. */
    public Set<AuthMode> modes(Operation operation) {
        return switch (operation) {
            case PUBLISH -> publishModes;
            case SUBSCRIBE -> subscribeModes;
            case CONNECT -> throw new IllegalArgumentException("connect is authorized at API level, not per namespace");
        };
    }
}
