package io.switchboard.local;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Runs tasks one at a time, in submission order, on a shared executor: one per connection, so a
 * connection's messages and its {@code $disconnect} reach the functions in the order they happened
 * while thousands of connections share a few threads.
 */
final class SerialExecutor implements Executor {

    private final Executor delegate;
    private final Queue<Runnable> tasks = new ArrayDeque<>();
    private boolean running;

    SerialExecutor(Executor delegate) {
        this.delegate = delegate;
    }

    @Override
    public void execute(Runnable task) {
        synchronized (tasks) {
            tasks.add(task);
            if (running) {
                return;
            }
            running = true;
        }
        submit();
    }

    private void submit() {
        try {
            delegate.execute(this::drain);
        } catch (RejectedExecutionException e) {
            // The gateway is shutting down; what is still queued will not run.
            synchronized (tasks) {
                tasks.clear();
                running = false;
            }
        }
    }

    /** Runs one task, then yields the thread to other connections before running the next. */
    private void drain() {
        Runnable next;
        synchronized (tasks) {
            next = tasks.poll();
        }
        try {
            next.run();
        } finally {
            synchronized (tasks) {
                if (tasks.isEmpty()) {
                    running = false;
                    next = null;
                }
            }
            if (next != null) {
                submit();
            }
        }
    }
}
