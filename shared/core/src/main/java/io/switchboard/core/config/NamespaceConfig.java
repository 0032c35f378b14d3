package io.switchboard.core.config;

import io.switchboard.core.auth.AuthMode;

import java.util.Set;

/** A declared channel namespace and the auth modes its publishes and subscribes accept. */
public record NamespaceConfig(String name, Set<AuthMode> publishModes, Set<AuthMode> subscribeModes) {
    public NamespaceConfig {
        publishModes = Set.copyOf(publishModes);
        subscribeModes = Set.copyOf(subscribeModes);
    }
}
