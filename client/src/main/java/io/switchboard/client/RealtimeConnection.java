package io.switchboard.client;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import io.switchboard.core.protocol.Frame;
import io.switchboard.core.protocol.FrameCodec;
import io.switchboard.core.protocol.FrameException;

/**
 * The client's one WebSocket: opens it on demand ({@code header-} subprotocol, {@code connection_init}, wait for
 * {@code connection_ack}), watches its keep-alive, sends subscribe/unsubscribe/publish frames with their own
 * {@code authorization}, routes the answers and {@code data} frames, and after a drop reconnects with jittered
 * backoff and re-subscribes every live subscription with its id.
 *
 * <p>All state is confined to one event-loop thread; user threads and the WebSocket's threads only post tasks to it.
 * User callbacks and future completions run on a separate serial executor, so a slow consumer never stalls the
 * protocol.
 */
final class RealtimeConnection {

    private static final System.Logger LOG = System.getLogger(RealtimeConnection.class.getName());
    private static final AtomicInteger THREADS = new AtomicInteger();

    /** The headers AppSync signs for WebSocket operations besides host and the date (protocol.md §1.3, §4.4). */
    static final Map<String, String> SIGNED_CONTENT_HEADERS = orderedMap(
            "accept", "application/json, text/javascript",
            "content-encoding", "amz-1.0",
            "content-type", "application/json; charset=UTF-8");

    /** {@code connection_error} types after which reconnecting cannot help (as Amplify decides). */
    private static final Set<String> FINAL_ERROR_TYPES = Set.of("UnauthorizedException", "BadRequestException");
    private static final long DEFAULT_KEEP_ALIVE_MILLIS = 300_000;

    private enum Phase { IDLE, CONNECTING, CONNECTED, WAITING, CLOSED }

    /** A publish waiting for its socket or its answer. */
    private static final class PendingPublish {
        final String id = UUID.randomUUID().toString();
        final String channel;
        final List<String> events;
        final CompletableFuture<PublishResult> result = new CompletableFuture<>();
        boolean sent;
        ScheduledFuture<?> timer;

        PendingPublish(String channel, List<String> events) {
            this.channel = channel;
            this.events = events;
        }
    }

    private final HttpClient http;
    private final URI endpoint;
    private final URI realtime;
    private final String host;
    private final Auth auth;
    private final Duration connectTimeout;
    private final Duration requestTimeout;
    private final Duration keepAliveOverride;
    private final Backoff backoff;
    private final ScheduledThreadPoolExecutor loop;
    private final Executor callbacks;
    private final AtomicBoolean closed = new AtomicBoolean();

    // ------------------------------------------------------------------ confined to the loop
    private Phase phase = Phase.IDLE;
    private int generation;
    private WebSocket socket;
    private SocketListener socketListener;
    private CompletableFuture<WebSocket> sending;
    private int failedAttempts;
    private long keepAliveNanos;
    private long lastFrameNanos;
    private ScheduledFuture<?> handshakeTimer;
    private ScheduledFuture<?> watchdog;
    private ScheduledFuture<?> retryTimer;
    private final Map<String, Subscription> subscriptions = new LinkedHashMap<>();
    private final Map<String, PendingPublish> publishes = new LinkedHashMap<>();

    RealtimeConnection(HttpClient http, URI endpoint, URI realtime, Auth auth, Duration connectTimeout, Duration requestTimeout,
                       Duration keepAliveOverride, Backoff backoff, Executor callbacks) {
        this.http = http;
        this.endpoint = endpoint;
        this.realtime = realtime;
        this.host = Endpoints.host(endpoint);
        this.auth = auth;
        this.connectTimeout = connectTimeout;
        this.requestTimeout = requestTimeout;
        this.keepAliveOverride = keepAliveOverride;
        this.backoff = backoff;
        this.callbacks = callbacks;
        this.loop = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "switchboard-client-" + THREADS.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        this.loop.setRemoveOnCancelPolicy(true);
    }

    // ------------------------------------------------------------------ API (any thread)

    Subscription subscribe(String channel, Consumer<String> consumer, Subscription.Listener listener) {
        Subscription subscription = new Subscription(UUID.randomUUID().toString(), channel, consumer, listener, this);
        if (!post(() -> add(subscription))) {
            throw new IllegalStateException("the client is closed");
        }
        return subscription;
    }

    CompletableFuture<PublishResult> publish(String channel, List<String> events) {
        PendingPublish publish = new PendingPublish(channel, events);
        if (!post(() -> add(publish))) {
            return CompletableFuture.failedFuture(new IllegalStateException("the client is closed"));
        }
        return publish.result.copy();
    }

    void unsubscribe(Subscription subscription) {
        post(() -> remove(subscription));
    }

    /**
     * Fails what is pending, reports {@code CLOSED}, sends a close frame and waits briefly for the server's, then
     * stops the event loop. Idempotent.
     */
    void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        Future<SocketListener> shutdown;
        try {
            shutdown = loop.submit(this::shutdown);
        } catch (RejectedExecutionException e) {
            return;
        }
        SocketListener open = null;
        try {
            open = shutdown.get(5, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            LOG.log(System.Logger.Level.WARNING, "closing the Switchboard client's connection failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        loop.shutdownNow();
        if (open != null) {
            CompletableFuture<Void> peerClosed = open.peerClosed;
            try {
                open.socket.sendClose(WebSocket.NORMAL_CLOSURE, "").thenCompose(ws -> peerClosed)
                        .get(1, TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException e) {
                LOG.log(System.Logger.Level.DEBUG, "no close handshake from the server: {0}", e.toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            open.socket.abort();
        }
    }

    // ------------------------------------------------------------------ the event loop

    /** Runs {@code task} on the loop; false if the loop no longer accepts tasks (client closed). */
    private boolean post(Runnable task) {
        try {
            loop.execute(() -> guarded(task));
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    private ScheduledFuture<?> schedule(Runnable task, long delay, TimeUnit unit) {
        return loop.schedule(() -> guarded(task), delay, unit);
    }

    private static void guarded(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "Switchboard client event loop task failed", e);
        }
    }

    private void add(Subscription subscription) {
        if (phase == Phase.CLOSED) {
            fail(subscription, new SwitchboardException("the client is closed"));
            return;
        }
        subscriptions.put(subscription.id(), subscription);
        subscription.timer = schedule(() -> subscribeTimedOut(subscription), requestTimeout.toMillis(), TimeUnit.MILLISECONDS);
        switch (phase) {
            case CONNECTED -> {
                report(subscription, ConnectionState.CONNECTED);
                sendSubscribe(subscription);
            }
            case CONNECTING -> report(subscription, failedAttempts > 0 ? ConnectionState.RECONNECTING : ConnectionState.CONNECTING);
            case WAITING -> report(subscription, ConnectionState.RECONNECTING);
            default -> connect();
        }
    }

    private void add(PendingPublish publish) {
        if (phase == Phase.CLOSED) {
            publish.result.completeExceptionally(new SwitchboardException("the client is closed"));
            return;
        }
        publishes.put(publish.id, publish);
        publish.timer = schedule(() -> fail(publish, new SwitchboardException("no publish_success or publish_error within "
                + requestTimeout.toMillis() + " ms", new TimeoutException())), requestTimeout.toMillis(), TimeUnit.MILLISECONDS);
        if (phase == Phase.CONNECTED) {
            sendPublish(publish);
        } else if (phase == Phase.IDLE) {
            connect();
        }
    }

    private void remove(Subscription subscription) {
        if (subscriptions.remove(subscription.id()) != subscription) {
            return;
        }
        cancel(subscription.timer);
        subscription.markClosed();
        if (phase == Phase.CONNECTED && subscription.sent) {
            send(FrameCodec.encode(new Frame.Unsubscribe(subscription.id())));
        }
        SwitchboardException closedBeforeReady = new SwitchboardException("the subscription was closed");
        callbacks.execute(() -> subscription.readyFuture().completeExceptionally(closedBeforeReady));
        report(subscription, ConnectionState.CLOSED);
    }

    private void connect() {
        cancel(retryTimer);
        if (subscriptions.isEmpty() && publishes.isEmpty()) {
            phase = Phase.IDLE;
            failedAttempts = 0;
            return;
        }
        phase = Phase.CONNECTING;
        int attempt = ++generation;
        reportAll(failedAttempts > 0 ? ConnectionState.RECONNECTING : ConnectionState.CONNECTING);
        String subprotocol;
        try {
            Map<String, String> headers = authorization(auth.signs() ? SIGNED_CONTENT_HEADERS : Map.of(), "{}");
            subprotocol = Json.headerSubprotocol(headers);
        } catch (RuntimeException e) {
            dropped(attempt, "cannot authorize the connection: " + e.getMessage(), e);
            return;
        }
        handshakeTimer = schedule(() -> {
            if (attempt == generation && phase == Phase.CONNECTING) {
                dropped(attempt, "no connection_ack within " + connectTimeout.toMillis() + " ms", new TimeoutException());
            }
        }, connectTimeout.toMillis(), TimeUnit.MILLISECONDS);
        LOG.log(System.Logger.Level.DEBUG, "connecting to {0}", realtime);
        SocketListener listener = new SocketListener(attempt);
        http.newWebSocketBuilder()
                .subprotocols(Json.SUBPROTOCOL, subprotocol)
                .connectTimeout(connectTimeout)
                .buildAsync(realtime, listener)
                .whenComplete((ws, error) -> {
                    if (error != null) {
                        post(() -> attemptFailed(attempt, error));
                    }
                });
    }

    private void opened(int attempt, SocketListener listener) {
        if (attempt != generation || phase != Phase.CONNECTING) {
            listener.socket.abort();
            return;
        }
        socket = listener.socket;
        socketListener = listener;
        sending = CompletableFuture.completedFuture(socket);
        lastFrameNanos = System.nanoTime();
        send(FrameCodec.encode(new Frame.ConnectionInit()));
    }

    private void attemptFailed(int attempt, Throwable error) {
        if (attempt != generation) {
            return;
        }
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof WebSocketHandshakeException handshake) {
            int status = handshake.getResponse().statusCode();
            if (status == 401 || status == 403) {
                refuseAll(new SwitchboardException("the WebSocket upgrade was refused: HTTP " + status, status,
                        List.of(new ErrorDetail("UnauthorizedException", null)), cause));
                return;
            }
        }
        dropped(attempt, "cannot connect to " + realtime + ": " + cause, cause);
    }

    private void received(int attempt, String text) {
        if (attempt != generation || socket == null) {
            return;
        }
        lastFrameNanos = System.nanoTime();
        Frame frame;
        try {
            frame = FrameCodec.decode(text);
        } catch (FrameException e) {
            LOG.log(System.Logger.Level.DEBUG, "ignoring a frame the client cannot read: {0}", e.getMessage());
            return;
        }
        if (frame instanceof Frame.ConnectionAck ack) {
            acknowledged(ack);
        } else if (frame instanceof Frame.ConnectionError error) {
            connectionError(error);
        } else if (frame instanceof Frame.Data data) {
            Subscription subscription = subscriptions.get(data.id());
            if (subscription != null && data.event() != null) {
                String event = data.event();
                callbacks.execute(() -> {
                    if (subscription.isOpen()) {
                        subscription.consumer().accept(event);
                    }
                });
            }
        } else if (frame instanceof Frame.SubscribeSuccess success) {
            Subscription subscription = subscriptions.get(success.id());
            if (subscription != null && !subscription.confirmed) {
                subscription.confirmed = true;
                cancel(subscription.timer);
                callbacks.execute(() -> subscription.readyFuture().complete(subscription));
            }
        } else if (frame instanceof Frame.SubscribeError error) {
            Subscription subscription = subscriptions.get(error.id());
            if (subscription != null) {
                fail(subscription, SwitchboardException.of("subscribe to " + subscription.channel() + " refused", 0,
                        Json.errors(error.errors())));
            }
        } else if (frame instanceof Frame.PublishSuccess success) {
            PendingPublish publish = publishes.remove(success.id());
            if (publish != null) {
                cancel(publish.timer);
                PublishResult result = Json.publishResult(success);
                callbacks.execute(() -> publish.result.complete(result));
            }
        } else if (frame instanceof Frame.PublishError error) {
            PendingPublish publish = publishes.get(error.id());
            if (publish != null) {
                fail(publish, SwitchboardException.of("publish to " + publish.channel + " refused", 0, Json.errors(error.errors())));
            }
        } else if (frame instanceof Frame.BroadcastError error) {
            Subscription subscription = subscriptions.get(error.id());
            if (subscription != null) {
                notifyError(subscription, SwitchboardException.of("broadcast to " + subscription.channel() + " failed", 0,
                        Json.errors(error.errors())));
            }
        } else if (frame instanceof Frame.Error error) {
            genericError(error);
        }
        // ka only counts as liveness; unsubscribe answers and client-side frame types are ignored
    }

    private void acknowledged(Frame.ConnectionAck ack) {
        if (phase != Phase.CONNECTING) {
            return;
        }
        cancel(handshakeTimer);
        phase = Phase.CONNECTED;
        failedAttempts = 0;
        long millis = keepAliveOverride != null ? keepAliveOverride.toMillis()
                : ack.connectionTimeoutMs() > 0 ? ack.connectionTimeoutMs() : DEFAULT_KEEP_ALIVE_MILLIS;
        keepAliveNanos = TimeUnit.MILLISECONDS.toNanos(millis);
        armWatchdog(keepAliveNanos);
        LOG.log(System.Logger.Level.DEBUG, "connected to {0}; keep-alive timeout {1} ms", realtime, millis);
        reportAll(ConnectionState.CONNECTED);
        for (Subscription subscription : List.copyOf(subscriptions.values())) {
            sendSubscribe(subscription);
        }
        for (PendingPublish publish : List.copyOf(publishes.values())) {
            if (!publish.sent) {
                sendPublish(publish);
            }
        }
    }

    private void connectionError(Frame.ConnectionError frame) {
        List<ErrorDetail> errors = Json.errors(frame.errors());
        SwitchboardException error = SwitchboardException.of("connection refused", 0, errors);
        if (errors.stream().anyMatch(e -> FINAL_ERROR_TYPES.contains(e.errorType()))) {
            refuseAll(error);
        } else {
            subscriptions.values().forEach(s -> notifyError(s, error));
            dropped(generation, "connection_error " + errors, error);
        }
    }

    private void genericError(Frame.Error frame) {
        SwitchboardException error = SwitchboardException.of("request failed", 0, Json.errors(frame.errors()));
        if (frame.id() != null) {
            PendingPublish publish = publishes.get(frame.id());
            if (publish != null) {
                fail(publish, error);
                return;
            }
            Subscription subscription = subscriptions.get(frame.id());
            if (subscription != null) {
                if (subscription.confirmed) {
                    notifyError(subscription, error);
                } else {
                    fail(subscription, error);
                }
                return;
            }
        }
        subscriptions.values().forEach(s -> notifyError(s, error));
    }

    private void sendSubscribe(Subscription subscription) {
        Map<String, String> authorization;
        try {
            authorization = authorization(auth.signs() ? SIGNED_CONTENT_HEADERS : Map.of(), Json.subscribeBody(subscription.channel()));
        } catch (RuntimeException e) {
            fail(subscription, new SwitchboardException("cannot authorize the subscription: " + e.getMessage(), e));
            return;
        }
        send(FrameCodec.encode(new Frame.Subscribe(subscription.id(), subscription.channel(), authorization)));
        subscription.sent = true;
    }

    private void sendPublish(PendingPublish publish) {
        Map<String, String> authorization;
        try {
            authorization = authorization(auth.signs() ? SIGNED_CONTENT_HEADERS : Map.of(),
                    Json.publishBody(publish.channel, publish.events));
        } catch (RuntimeException e) {
            fail(publish, new SwitchboardException("cannot authorize the publish: " + e.getMessage(), e));
            return;
        }
        send(FrameCodec.encode(new Frame.Publish(publish.id, publish.channel, publish.events, authorization)));
        publish.sent = true;
    }

    /** {@code host} plus the auth headers for a POST of {@code body} to the HTTP endpoint (signed for IAM). */
    private Map<String, String> authorization(Map<String, String> contentHeaders, String body) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("host", host);
        headers.putAll(auth.headers(endpoint, contentHeaders, body));
        return headers;
    }

    /** Queues a text frame behind the previous one (java.net.http allows one outstanding send). */
    private void send(String text) {
        int attempt = generation;
        sending = sending.thenCompose(ws -> ws.sendText(text, true));
        sending.whenComplete((ws, error) -> {
            if (error != null) {
                post(() -> dropped(attempt, "sending failed: " + error, error));
            }
        });
    }

    private void armWatchdog(long delayNanos) {
        cancel(watchdog);
        int attempt = generation;
        watchdog = schedule(() -> {
            if (attempt != generation || phase != Phase.CONNECTED) {
                return;
            }
            long quiet = System.nanoTime() - lastFrameNanos;
            if (quiet >= keepAliveNanos) {
                dropped(attempt, "no keep-alive or data for " + TimeUnit.NANOSECONDS.toMillis(quiet) + " ms", null);
            } else {
                armWatchdog(keepAliveNanos - quiet);
            }
        }, delayNanos, TimeUnit.NANOSECONDS);
    }

    /** The socket of {@code attempt} is gone or unusable: fail in-flight publishes, then reconnect if anything needs it. */
    private void dropped(int attempt, String reason, Throwable cause) {
        if (attempt != generation || phase != Phase.CONNECTING && phase != Phase.CONNECTED) {
            return;
        }
        LOG.log(System.Logger.Level.DEBUG, "connection to {0} lost: {1}", realtime, reason);
        closeSocket();
        failedAttempts++;
        for (PendingPublish publish : List.copyOf(publishes.values())) {
            if (publish.sent) {
                fail(publish, new SwitchboardException("the connection dropped before the publish was acknowledged: " + reason, cause));
            }
        }
        for (Subscription subscription : subscriptions.values()) {
            subscription.sent = false;
        }
        if (subscriptions.isEmpty() && publishes.isEmpty()) {
            phase = Phase.IDLE;
            failedAttempts = 0;
            return;
        }
        phase = Phase.WAITING;
        reportAll(ConnectionState.RECONNECTING);
        long delay = backoff.delayMillis(failedAttempts);
        retryTimer = schedule(() -> {
            if (phase == Phase.WAITING) {
                connect();
            }
        }, delay, TimeUnit.MILLISECONDS);
    }

    /** The connection was refused for good: every subscription and publish fails, and nothing reconnects. */
    private void refuseAll(SwitchboardException error) {
        closeSocket();
        cancel(retryTimer);
        phase = Phase.IDLE;
        failedAttempts = 0;
        for (PendingPublish publish : List.copyOf(publishes.values())) {
            fail(publish, error);
        }
        for (Subscription subscription : List.copyOf(subscriptions.values())) {
            fail(subscription, error);
        }
    }

    private void subscribeTimedOut(Subscription subscription) {
        if (subscriptions.get(subscription.id()) != subscription || subscription.confirmed) {
            return;
        }
        if (phase == Phase.CONNECTED && subscription.sent) {
            send(FrameCodec.encode(new Frame.Unsubscribe(subscription.id())));
        }
        fail(subscription, new SwitchboardException("no subscribe_success for " + subscription.channel() + " within "
                + requestTimeout.toMillis() + " ms", new TimeoutException()));
    }

    private void fail(Subscription subscription, SwitchboardException error) {
        subscriptions.remove(subscription.id(), subscription);
        cancel(subscription.timer);
        subscription.markClosed();
        callbacks.execute(() -> subscription.readyFuture().completeExceptionally(error));
        notifyError(subscription, error);
        report(subscription, ConnectionState.CLOSED);
    }

    private void fail(PendingPublish publish, SwitchboardException error) {
        publishes.remove(publish.id, publish);
        cancel(publish.timer);
        callbacks.execute(() -> publish.result.completeExceptionally(error));
    }

    private void notifyError(Subscription subscription, SwitchboardException error) {
        callbacks.execute(() -> subscription.listener().onError(error));
    }

    private void reportAll(ConnectionState state) {
        subscriptions.values().forEach(s -> report(s, state));
    }

    private void report(Subscription subscription, ConnectionState state) {
        if (subscription.reported == state || subscription.reported == ConnectionState.CLOSED) {
            return;
        }
        subscription.reported = state;
        callbacks.execute(() -> subscription.listener().onStateChange(state));
    }

    private void closeSocket() {
        cancel(handshakeTimer);
        cancel(watchdog);
        generation++;
        if (socket != null) {
            socket.abort();
        }
        socket = null;
        socketListener = null;
        sending = null;
    }

    /** On the loop: everything fails or closes; returns the open socket for a clean close handshake, or null. */
    private SocketListener shutdown() {
        SwitchboardException error = new SwitchboardException("the client is closed");
        cancel(handshakeTimer);
        cancel(watchdog);
        cancel(retryTimer);
        generation++;
        SocketListener open = phase == Phase.CONNECTED ? socketListener : null;
        if (open == null && socket != null) {
            socket.abort();
        }
        socket = null;
        socketListener = null;
        phase = Phase.CLOSED;
        for (PendingPublish publish : List.copyOf(publishes.values())) {
            fail(publish, error);
        }
        for (Subscription subscription : List.copyOf(subscriptions.values())) {
            subscriptions.remove(subscription.id());
            cancel(subscription.timer);
            subscription.markClosed();
            callbacks.execute(() -> subscription.readyFuture().completeExceptionally(error));
            report(subscription, ConnectionState.CLOSED);
        }
        return open;
    }

    private static void cancel(ScheduledFuture<?> timer) {
        if (timer != null) {
            timer.cancel(false);
        }
    }

    private static Map<String, String> orderedMap(String... namesAndValues) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            map.put(namesAndValues[i], namesAndValues[i + 1]);
        }
        return java.util.Collections.unmodifiableMap(map);
    }

    // ------------------------------------------------------------------ the socket's callbacks (its own threads)

    /** One socket's listener: reassembles partial text frames and posts whole ones to the loop, tagged with its attempt. */
    private final class SocketListener implements WebSocket.Listener {
        private final int attempt;
        private final StringBuilder partial = new StringBuilder();
        final CompletableFuture<Void> peerClosed = new CompletableFuture<>();
        volatile WebSocket socket;

        SocketListener(int attempt) {
            this.attempt = attempt;
        }

        @Override
        public void onOpen(WebSocket webSocket) {
            socket = webSocket;
            webSocket.request(1);
            if (!post(() -> opened(attempt, this))) {
                webSocket.abort();
            }
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                post(() -> received(attempt, text));
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            peerClosed.complete(null);
            post(() -> dropped(attempt, "closed by the server (" + statusCode + (reason.isEmpty() ? "" : " " + reason) + ")", null));
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            peerClosed.complete(null);
            post(() -> dropped(attempt, "socket error: " + error, error));
        }
    }
}
