package io.switchboard.tests.e2e;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.switchboard.tests.support.Json;

/**
 * A protocol client on {@code java.net.http.WebSocket}: every text message is queued as it arrives, the close
 * (code and reason) is remembered, and every wait is bounded by {@link Stack#WAIT}.
 */
final class WsClient implements WebSocket.Listener, AutoCloseable {

    record Close(int code, String reason) {
    }

    private final BlockingQueue<String> messages = new LinkedBlockingQueue<>();
    final CompletableFuture<Close> closed = new CompletableFuture<>();
    private final StringBuilder partial = new StringBuilder();
    private WebSocket socket;

    static WsClient open(HttpClient client, URI uri, Map<String, String> headers, String... subprotocols) {
        WsClient ws = new WsClient();
        WebSocket.Builder builder = client.newWebSocketBuilder().connectTimeout(Stack.WAIT);
        headers.forEach(builder::header);
        if (subprotocols.length > 0) {
            builder.subprotocols(subprotocols[0], java.util.Arrays.copyOfRange(subprotocols, 1, subprotocols.length));
        }
        try {
            ws.socket = builder.buildAsync(uri, ws).get(Stack.WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while opening " + uri, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new AssertionError("cannot open " + uri + ": " + e, e);
        }
        return ws;
    }

    WebSocket socket() {
        return socket;
    }

    String subprotocol() {
        return socket.getSubprotocol();
    }

    // ------------------------------------------------------------------ sending

    void send(String text) {
        try {
            socket.sendText(text, true).get(Stack.WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new AssertionError("cannot send " + abbreviate(text) + ": " + e, e);
        }
    }

    void send(JsonNode frame) {
        send(Json.text(frame));
    }

    /** {@code subscribe} with the API key in {@code authorization}, as every AppSync client sends it. */
    void subscribe(String id, String channel, String apiKey) {
        send(Json.subscribe(id, channel, apiKey));
    }

    void publish(String id, String channel, String apiKey, String... events) {
        send(Json.publish(id, channel, apiKey, events));
    }

    void sendBinary(byte[] data) {
        try {
            socket.sendBinary(ByteBuffer.wrap(data), true).get(Stack.WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new AssertionError("cannot send a binary frame: " + e, e);
        }
    }

    // ------------------------------------------------------------------ receiving

    /** The next text message as it was received, waiting up to {@link Stack#WAIT}. */
    String nextText() {
        try {
            String message = messages.poll(Stack.WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertNotNull(message, "no message within " + Stack.WAIT.toMillis() + " ms"
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
    String nextNonKaText() {
        while (true) {
            String text = nextText();
            if (!"ka".equals(Json.parse(text).path("type").asText())) {
                return text;
            }
        }
    }

    /** The next message, parsed, including {@code ka}. */
    JsonNode next() {
        return Json.parse(nextText());
    }

    /** The next message that is not a {@code ka}. */
    JsonNode nextFrame() {
        while (true) {
            JsonNode frame = next();
            if (!"ka".equals(frame.path("type").asText())) {
                return frame;
            }
        }
    }

    /** The next {@code n} non-{@code ka} messages. */
    List<JsonNode> nextFrames(int n) {
        List<JsonNode> frames = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            frames.add(nextFrame());
        }
        return frames;
    }

    /** Fails if a non-{@code ka} message arrives within {@code duration}. */
    void assertNothingWithin(Duration duration) {
        long deadline = System.nanoTime() + duration.toNanos();
        try {
            while (true) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                String message = messages.poll(left, TimeUnit.NANOSECONDS);
                if (message != null && !"ka".equals(Json.parse(message).path("type").asText())) {
                    fail("unexpected message: " + message);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** The close the server made, waiting up to {@link Stack#WAIT}. */
    Close awaitClose() {
        try {
            return closed.get(Stack.WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } catch (ExecutionException e) {
            throw new AssertionError("the socket failed instead of closing: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new AssertionError("the socket did not close within " + Stack.WAIT.toMillis() + " ms", e);
        }
    }

    boolean isClosed() {
        return closed.isDone();
    }

    private String closeNow() {
        try {
            return String.valueOf(closed.getNow(null));
        } catch (RuntimeException e) {
            return e.getCause() == null ? e.toString() : e.getCause().toString();
        }
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
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "").get(Stack.WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            // the server may have closed it already
        }
        socket.abort();
    }

    /** Closes with 1000 and waits until the server answered the close (or gave up). */
    void closeAndAwait() {
        try {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(Stack.WAIT.toMillis(), TimeUnit.MILLISECONDS);
            closed.get(Stack.WAIT.toMillis(), TimeUnit.MILLISECONDS);
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

    /** An {@code ObjectNode} view helper for tests building frames by hand. */
    static ObjectNode frame(String type) {
        return Json.object().put("type", type);
    }
}
