package io.switchboard.api.spi;

import io.switchboard.api.SubscribeContext;
import io.switchboard.api.SubscribeDecision;

import java.util.Objects;

/** An {@code @OnSubscribe} method: its pattern and a direct call to it. */
public final class SubscribeRoute {

    @FunctionalInterface
    public interface Handler {
        SubscribeDecision handle(SubscribeContext context) throws Exception;
    }

    private final String pattern;
    private final String source;
    private final Handler handler;

    private SubscribeRoute(String pattern, String source, Handler handler) {
        this.pattern = Objects.requireNonNull(pattern, "pattern");
        this.source = Objects.requireNonNull(source, "source");
        this.handler = Objects.requireNonNull(handler, "handler");
    }

    /** {@code source} names the method ({@code com.acme.Chat#onlyOwner}), for logs. */
    public static SubscribeRoute of(String pattern, String source, Handler handler) {
        return new SubscribeRoute(pattern, source, handler);
    }

    public String pattern() {
        return pattern;
    }

    public String source() {
        return source;
    }

    public Handler handler() {
        return handler;
    }

    @Override
    public String toString() {
        return "SubscribeRoute[" + pattern + " -> " + source + "]";
    }
}
