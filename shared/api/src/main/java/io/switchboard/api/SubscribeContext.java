package io.switchboard.api;

/** The context of a subscribe: {@link #channel()} is the requested channel or pattern. */
public final class SubscribeContext extends HandlerContext {

    private SubscribeContext(Builder b) {
        super(b);
    }

    /** A builder, for tests and runtimes: {@code SubscribeContext.builder().channel("/chat/private/bob").build()}. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public Operation operation() {
        return Operation.SUBSCRIBE;
    }

    public static final class Builder extends HandlerContext.Builder<Builder> {
        private Builder() {}

        public SubscribeContext build() {
            return new SubscribeContext(this);
        }
    }
}
