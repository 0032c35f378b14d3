package io.switchboard.core.plugin;

import io.switchboard.api.spi.PayloadBinder;
import io.switchboard.core.protocol.FrameCodec;

/**
 * Binds payloads to a handler's own types with Jackson's {@code convertValue}. Only runs when a handler asks for
 * a typed payload ({@code event.payloadAs(Message.class)}); registered for {@code ServiceLoader} so events built
 * in tests find it too.
 */
public final class JacksonPayloadBinder implements PayloadBinder {
    static final JacksonPayloadBinder INSTANCE = new JacksonPayloadBinder();

    @Override
    public <T> T bind(Object payload, Class<T> type) {
        return FrameCodec.JSON.convertValue(payload, type);
    }
}
