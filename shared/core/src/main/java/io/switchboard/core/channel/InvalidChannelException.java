package io.switchboard.core.channel;

/** A channel that breaks the grammar of AppSync Events channels; the message says what is wrong. */
public final class InvalidChannelException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public InvalidChannelException(String message) {
        super(message);
    }
}
