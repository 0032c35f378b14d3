package io.switchboard.core.memory;

import io.switchboard.core.spi.ConnectionSender;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** A {@link ConnectionSender} for tests: records every frame per connection; connections can be marked gone. */
public final class RecordingConnectionSender implements ConnectionSender {
    private final Map<String, List<String>> frames = new ConcurrentHashMap<>();
    private final Set<String> gone = ConcurrentHashMap.newKeySet();
    private final Set<String> closed = ConcurrentHashMap.newKeySet();

    @Override
    public SendResult send(String connectionId, String frame) {
        if (gone.contains(connectionId)) {
            return SendResult.GONE;
        }
        List<String> list = frames.computeIfAbsent(connectionId, k -> new ArrayList<>());
        synchronized (list) {
            list.add(frame);
        }
        return SendResult.DELIVERED;
    }

    @Override
    public void close(String connectionId) {
        closed.add(connectionId);
    }

    public void markGone(String connectionId) {
        gone.add(connectionId);
    }

    /** The frames sent to a connection so far, in order; the recording is cleared. */
    public List<String> drain(String connectionId) {
        List<String> list = frames.getOrDefault(connectionId, new ArrayList<>());
        synchronized (list) {
            List<String> copy = List.copyOf(list);
            list.clear();
            return copy;
        }
    }

    public List<String> sent(String connectionId) {
        List<String> list = frames.getOrDefault(connectionId, new ArrayList<>());
        synchronized (list) {
            return List.copyOf(list);
        }
    }

    public boolean wasClosed(String connectionId) {
        return closed.contains(connectionId);
    }
}
