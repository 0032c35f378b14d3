package io.switchboard.example;

import io.switchboard.api.ChannelNamespace;

/** {@code /default/...}: the namespace AppSync creates with every new API; events pass through unchanged. */
@ChannelNamespace("default")
public final class DefaultNamespace {
}
