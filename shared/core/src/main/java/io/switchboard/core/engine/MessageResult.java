package io.switchboard.core.engine;

import java.util.List;

/**
 * What to send back to the connection that sent a frame, in order, and whether to close it afterwards.
 */
public record MessageResult(List<String> replies, boolean close) {
    public MessageResult {
        replies = List.copyOf(replies);
    }

    static MessageResult reply(String... frames) {
        return new MessageResult(List.of(frames), false);
    }
}
