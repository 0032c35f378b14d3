package io.switchboard.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** Records what a subscription hears: events, state changes, errors; with waits that fail after a few seconds. */
final class Recorder implements Subscription.Listener, Consumer<String> {

    static final long WAIT_SECONDS = 10;

    final BlockingQueue<String> events = new LinkedBlockingQueue<>();
    final BlockingQueue<ConnectionState> states = new LinkedBlockingQueue<>();
    final BlockingQueue<SwitchboardException> errors = new LinkedBlockingQueue<>();
    final List<ConnectionState> history = java.util.Collections.synchronizedList(new ArrayList<>());

    @Override
    public void accept(String event) {
        events.add(event);
    }

    @Override
    public void onStateChange(ConnectionState state) {
        history.add(state);
        states.add(state);
    }

    @Override
    public void onError(SwitchboardException error) {
        errors.add(error);
    }

    String event() throws InterruptedException {
        String event = events.poll(WAIT_SECONDS, TimeUnit.SECONDS);
        assertNotNull(event, "no event arrived");
        return event;
    }

    /** Waits for {@code state}, skipping the states before it. */
    void awaitState(ConnectionState state) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (System.nanoTime() < deadline) {
            ConnectionState next = states.poll(100, TimeUnit.MILLISECONDS);
            if (next == state) {
                return;
            }
        }
        assertEquals(state, null, "state never reached; history " + history);
    }

    /** Waits until {@code count} state changes were reported, and returns them. */
    List<ConnectionState> awaitHistory(int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (history.size() < count && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        synchronized (history) {
            return List.copyOf(history);
        }
    }

    SwitchboardException error() throws InterruptedException {
        SwitchboardException error = errors.poll(WAIT_SECONDS, TimeUnit.SECONDS);
        assertNotNull(error, "no error arrived");
        return error;
    }
}
