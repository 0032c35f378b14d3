package io.switchboard.tests.reliability;

import static org.junit.jupiter.api.Assertions.fail;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;

import io.switchboard.tests.support.Json;

/** A {@code java.net.http.WebSocket} client that queues every text message and remembers how the socket closed. */
final class Ws implements WebSocket.Listener, AutoCloseable {
    static final Duration WAIT = Duration.ofSeconds(20);

    record Close(int code, String reason) {
    }

    final BlockingQueue<String> messages = new LinkedBlockingQueue<>();
    final CompletableFuture<Close> closed = new CompletableFuture<>();
    private final StringBuilder partial = new StringBuilder();
    private WebSocket socket;

    static Ws open(HttpClient client, URI uri, Map<String, String> headers, String... subprotocols) {
        Ws ws = new Ws();
        WebSocket.Builder builder = client.newWebSocketBuilder().connectTimeout(WAIT);
        headers.forEach(builder::header);
        if (subprotocols.length > 0) {
            String[] rest = new String[subprotocols.length - 1];
            System.arraycopy(subprotocols, 1, rest, 0, rest.length);
            builder.subprotocols(subprotocols[0], rest);
        }
        ws.socket = builder.buildAsync(uri, ws).orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
        return ws;
    }

    WebSocket socket() {
        return socket;
    }

    void send(String text) {
        socket.sendText(text, true).orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
    }

    void sendBinary(byte[] data) {
        socket.sendBinary(ByteBuffer.wrap(data), true).orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
    }

    /** The next message as text, waiting at most {@link #WAIT}. */
    String nextText() {
        try {
            String message = messages.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            if (message == null) {
                fail("no message within " + WAIT + (closed.isDone() ? " (closed: " + closed.getNow(null) + ")" : ""));
            }
            return message;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    JsonNode next() {
        return Json.parse(nextText());
    }

    /** Messages looked at by {@link #next(Predicate, String)} but not wanted there: seen first by later calls. */
    private final java.util.Deque<String> skipped = new java.util.ArrayDeque<>();

    /**
     * The next message that {@code wanted} accepts, waiting at most {@link #WAIT}; messages it does not accept
     * are kept, in order, for later calls of this method (never dropped).
     */
    synchronized JsonNode next(Predicate<JsonNode> wanted, String what) {
        for (java.util.Iterator<String> it = skipped.iterator(); it.hasNext(); ) {
            JsonNode node = Json.parse(it.next());
            if (wanted.test(node)) {
                it.remove();
                return node;
            }
        }
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            String text;
            try {
                text = messages.poll(Math.max(1, (deadline - System.nanoTime()) / 1_000_000), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
            if (text == null) {
                break;
            }
            JsonNode node = Json.parse(text);
            if (wanted.test(node)) {
                return node;
            }
            skipped.add(text);
        }
        throw new AssertionError("no " + what + " within " + WAIT + "; other messages: " + skipped);
    }

    /** Forgets the messages {@link #next(Predicate, String)} skipped (a long-lived client that ignores most). */
    synchronized void forgetSkipped() {
        skipped.clear();
    }

    /** Asserts that nothing arrives for {@code quiet}. */
    void assertNothingWithin(Duration quiet) {
        try {
            String message = messages.poll(quiet.toMillis(), TimeUnit.MILLISECONDS);
            if (message != null) {
                fail("unexpected message: " + message);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    Close awaitClose() {
        try {
            return closed.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new AssertionError("socket not closed within " + WAIT, e);
        }
    }

    boolean isOpen() {
        return !closed.isDone() && !socket.isInputClosed();
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            messages.add(partial.toString());
            partial.setLength(0);
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
        messages.add("{\"binary\":true}");
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closed.complete(new Close(statusCode, reason));
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        closed.complete(new Close(-1, String.valueOf(error)));
    }

    @Override
    public void close() {
        if (socket != null && !socket.isOutputClosed()) {
            try {
                socket.sendClose(WebSocket.NORMAL_CLOSURE, "").get(2, TimeUnit.SECONDS);
            } catch (Exception e) {
                socket.abort();
            }
        }
    }
}
