package io.switchboard.core.protocol;

/**
 * A client frame that cannot be accepted as sent. Carries what the reply needs: the frame {@code type} and
 * {@code id} when they could be read (so the error goes back as {@code subscribe_error}, {@code publish_error} …),
 * and the protocol error.
 */
public final class FrameException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String frameType;
    private final String frameId;
    private final String errorType;

    public FrameException(String frameType, String frameId, String errorType, String message) {
        super(message);
        this.frameType = frameType;
        this.frameId = frameId;
        this.errorType = errorType;
    }

    /** The frame's {@code type} if it was a known client type, else {@code null}. */
    public String frameType() {
        return frameType;
    }

    /** The frame's {@code id} if it was present and valid, else {@code null}. */
    public String frameId() {
        return frameId;
    }

    public String errorType() {
        return errorType;
    }

    public ProtocolError toError() {
        return new ProtocolError(errorType, getMessage());
    }
}
