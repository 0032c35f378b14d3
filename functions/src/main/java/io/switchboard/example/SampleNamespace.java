package io.switchboard.example;

import io.switchboard.api.ChannelNamespace;

/** {@code /sample/...}, e.g. {@code /sample/channel/*}: events pass through unchanged. */
@ChannelNamespace("sample")
public final class SampleNamespace {
}
