package io.switchboard.local;

/** The gateway could not start: the port is taken, the template is unusable, a handler cannot be loaded. The message is one line for a user. */
public final class StartException extends Exception {

    private static final long serialVersionUID = 1L;

    public StartException(String message, Throwable cause) {
        super(message, cause);
    }
}
