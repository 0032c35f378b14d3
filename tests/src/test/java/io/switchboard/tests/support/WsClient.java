package io.switchboard.tests.support;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A protocol client on {@code java.net.http.WebSocket}: every text message is queued as it arrives, the close
 * (code and reason) is remembered, and every wait is bounded by the {@code wait} it was opened with. Failures are
 * {@link AssertionError}s naming what did not happen.
 */
public final class WsClient implements WebSocket.Listener, AutoCloseable {

    public record Close(int code, String reason) {
    }

    private final BlockingQueue<String> messages = new LinkedBlockingQueue<>();
    private final CompletableFuture<Close> closed = new CompletableFuture<>();
    private final StringBuilder partial = new StringBuilder();
    /** Messages looked at by {@link #next(Predicate, String)} but not wanted there: seen first by later calls. */
    private final Deque<String> skipped = new ArrayDeque<>();
    private final Duration wait;
    private WebSocket socket;

    private WsClient(Duration wait) {
        this.wait = wait;
    }

    /**
     * Opens {@code uri} with the extra {@code headers}, offering {@code subprotocols}; an upgrade the server refuses
     * is an {@link AssertionError} whose cause is the {@link java.net.http.WebSocketHandshakeException}.
     */
    public static WsClient open(HttpClient client, URI uri, Duration wait, Map<String, String> headers,
                                String... subprotocols) {
        WsClient ws = new WsClient(wait);
        WebSocket.Builder builder = client.newWebSocketBuilder().connectTimeout(wait);
        headers.forEach(builder::header);
        if (subprotocols.length > 0) {
            builder.subprotocols(subprotocols[0], Arrays.copyOfRange(subprotocols, 1, subprotocols.length));
        }
        try {
            ws.socket = builder.buildAsync(uri, ws).get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while opening " + uri, e);
        } catch (ExecutionException e) {
            throw new AssertionError("cannot open " + uri + ": " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new AssertionError("cannot open " + uri + " within " + wait.toMillis() + " ms", e);
        }
        return ws;
    }

    public WebSocket socket() {
        return socket;
    }

    public String subprotocol() {
        return socket.getSubprotocol();
    }

    // ------------------------------------------------------------------ sending

    public void send(String text) {
        try {
            socket.sendText(text, true).get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new AssertionError("cannot send " + abbreviate(text) + ": " + e, e);
        }
    }

    public void send(JsonNode frame) {
        send(Json.text(frame));
    }

    /** {@code subscribe} with the API key in {@code authorization}, as every AppSync client sends it. */
    public void subscribe(String id, String channel, String apiKey) {
        send(Json.subscribe(id, channel, apiKey));
    }

    public void publish(String id, String channel, String apiKey, String... events) {
        send(Json.publish(id, channel, apiKey, events));
    }

    public void sendBinary(byte[] data) {
        try {
            socket.sendBinary(ByteBuffer.wrap(data), true).get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new AssertionError("cannot send a binary frame: " + e, e);
        }
    }

    // ------------------------------------------------------------------ receiving

    /** The next text message as it was received, waiting up to the client's wait. */
    public String nextText() {
        try {
            String message = messages.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
            assertNotNull(message, "no message within " + wait.toMillis() + " ms"
                    + (closed.isDone() ? " (the socket closed: " + closeNow() + ")" : ""));
            return message;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /**
     * The next text message that is not a {@code ka} (the gateway's keep-alive schedule may send one at any
     * moment), exactly as received.
     */
    public String nextNonKaText() {
        while (true) {
            String text = nextText();
            if (!isKa(text)) {
                return text;
            }
        }
    }

    /** The next message, parsed, including {@code ka}. */
    public JsonNode next() {
        return Json.parse(nextText());
    }

    /** The next message that is not a {@code ka}. */
    public JsonNode nextFrame() {
        while (true) {
            JsonNode frame = next();
            if (!"ka".equals(frame.path("type").asText())) {
                return frame;
            }
        }
    }

    /** The next {@code n} non-{@code ka} messages. */
    public List<JsonNode> nextFrames(int n) {
        List<JsonNode> frames = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            frames.add(nextFrame());
        }
        return frames;
    }

    /**
     * The next message that {@code wanted} accepts, waiting up to the client's wait; messages it does not accept
     * are kept, in order, for later calls of this method (never dropped).
     */
    public synchronized JsonNode next(Predicate<JsonNode> wanted, String what) {
        for (Iterator<String> it = skipped.iterator(); it.hasNext(); ) {
            JsonNode node = Json.parse(it.next());
            if (wanted.test(node)) {
                it.remove();
                return node;
            }
        }
        long deadline = System.nanoTime() + wait.toNanos();
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
        throw new AssertionError("no " + what + " within " + wait.toMillis() + " ms; other messages: " + skipped);
    }

    /** Forgets the messages {@link #next(Predicate, String)} skipped (a long-lived client that ignores most). */
    public synchronized void forgetSkipped() {
        skipped.clear();
    }

    /**
     * The text messages already received and those that arrive within {@code duration} ({@code ka} included), in
     * order; {@link Duration#ZERO} takes only what has arrived.
     */
    public List<String> textsWithin(Duration duration) {
        List<String> texts = new ArrayList<>();
        long deadline = System.nanoTime() + duration.toNanos();
        try {
            while (true) {
                long left = deadline - System.nanoTime();
                String message = messages.poll(Math.max(0, left), TimeUnit.NANOSECONDS);
                if (message != null) {
                    texts.add(message);
                } else if (left <= 0) {
                    return texts;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Fails if a non-{@code ka} message has arrived or arrives within {@code duration}. */
    public void assertNothingWithin(Duration duration) {
        for (String message : textsWithin(duration)) {
            if (!isKa(message)) {
                fail("unexpected message: " + message);
            }
        }
    }

    /** The close the server made, waiting up to the client's wait. */
    public Close awaitClose() {
        try {
            return closed.get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } catch (ExecutionException e) {
            throw new AssertionError("the socket failed instead of closing: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new AssertionError("the socket did not close within " + wait.toMillis() + " ms", e);
        }
    }

    /** Neither closed nor failed, and still reading. */
    public boolean isOpen() {
        return !closed.isDone() && !socket.isInputClosed();
    }

    private String closeNow() {
        try {
            return String.valueOf(closed.getNow(null));
        } catch (RuntimeException e) {
            return e.getCause() == null ? e.toString() : e.getCause().toString();
        }
    }

    private static boolean isKa(String text) {
        return "ka".equals(Json.parse(text).path("type").asText());
    }

    // ------------------------------------------------------------------ listener

    @Override
    public void onOpen(WebSocket webSocket) {
        webSocket.request(1);
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
        messages.add("{\"type\":\"<binary>\",\"text\":" + Json.quote(StandardCharsets.UTF_8.decode(data).toString()) + "}");
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
        closed.completeExceptionally(error);
    }

    /** Closes from the client side (1000) without waiting for the server's answer; the TCP connection is dropped. */
    @Override
    public void close() {
        if (socket == null || socket.isOutputClosed() && socket.isInputClosed()) {
            return;
        }
        try {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "").get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            // the server may have closed it already
        }
        socket.abort();
    }

    /** Closes with 1000 and waits until the server answered the close (or gave up). */
    public void closeAndAwait() {
        try {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(wait.toMillis(), TimeUnit.MILLISECONDS);
            closed.get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new AssertionError("closing the socket failed: " + e, e);
        }
    }

    private static String abbreviate(String text) {
        return text.length() > 200 ? text.substring(0, 200) + "... (" + text.length() + " chars)" : text;
    }
}
