package io.switchboard.client;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import javax.net.ssl.SSLContext;

/**
 * A client of one Switchboard (or AWS AppSync Events) API: publishes over HTTP, subscribes and publishes over the
 * real-time WebSocket. Thread-safe; share one per API and close it when done.
 *
 * <pre>{@code
 * SwitchboardClient client = SwitchboardClient.newBuilder()
 *         .endpoint(URI.create("https://api.example.com/event"))
 *         .auth(Auth.apiKey(apiKey))
 *         .build();
 * client.publish("/default/chat", "{\"text\":\"hi\"}");
 * Subscription s = client.subscribe("/default/*", event -> System.out.println(event));
 * }</pre>
 *
 * <p>The WebSocket is opened by the first {@link #subscribe} or {@link #publishOverWebSocket} and shared by all of
 * them; a client that only publishes over HTTP starts no threads of its own. Event and listener callbacks run one
 * at a time, in order, on the client's callback thread (or the {@link Builder#executor executor} given).
 */
public final class SwitchboardClient implements AutoCloseable {

    private static final String CONTENT_TYPE = "application/json; charset=UTF-8";
    private static final Map<String, String> HTTP_CONTENT_HEADERS = Map.of(
            "accept", "application/json, text/javascript",
            "content-type", CONTENT_TYPE);

    private final URI endpoint;
    private final URI realtimeEndpoint;
    private final Auth auth;
    private final HttpClient http;
    private final Duration connectTimeout;
    private final Duration requestTimeout;
    private final Duration keepAliveTimeout;
    private final Backoff backoff;
    private final Executor executor;
    private RealtimeConnection realtime;
    private ExecutorService ownedExecutor;
    private boolean closed;

    private SwitchboardClient(Builder builder) {
        this.endpoint = builder.endpoint;
        this.realtimeEndpoint = builder.realtimeEndpoint != null ? builder.realtimeEndpoint : Endpoints.realtime(builder.endpoint);
        this.auth = builder.auth;
        this.connectTimeout = builder.connectTimeout;
        this.requestTimeout = builder.requestTimeout;
        this.keepAliveTimeout = builder.keepAliveTimeout;
        this.backoff = new Backoff(builder.reconnectBase, builder.reconnectCap);
        this.executor = builder.executor;
        HttpClient.Builder http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(builder.connectTimeout);
        if (builder.sslContext != null) {
            http.sslContext(builder.sslContext);
        }
        this.http = http.build();
    }

    /** A builder; {@link Builder#endpoint endpoint} and {@link Builder#auth auth} are required. */
    public static Builder newBuilder() {
        return new Builder();
    }

    /** The HTTP publish endpoint, e.g. {@code https://<id>.appsync-api.<region>.amazonaws.com/event}. */
    public URI endpoint() {
        return endpoint;
    }

    /** The WebSocket endpoint, given or derived from {@link #endpoint()}. */
    public URI realtimeEndpoint() {
        return realtimeEndpoint;
    }

    // ------------------------------------------------------------------ HTTP publish

    /**
     * Publishes 1 to 5 events (each a JSON value as text, e.g. {@code "{\"a\":1}"} or {@code "42"}) to a channel with
     * {@code POST endpoint}, and waits for the answer.
     *
     * @throws SwitchboardException on a non-2xx answer (with its status and {@code errors[]}) or a transport failure
     */
    public PublishResult publish(String channel, List<String> events) {
        HttpRequest request = publishRequest(channel, events);
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new SwitchboardException("HTTP publish to " + endpoint + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SwitchboardException("HTTP publish interrupted", e);
        }
        return publishResult(response);
    }

    /** {@link #publish(String, List)} with the events as arguments. */
    public PublishResult publish(String channel, String... events) {
        return publish(channel, List.of(events));
    }

    /** {@link #publish(String, List)} without blocking; the future fails with a {@link SwitchboardException}. */
    public CompletableFuture<PublishResult> publishAsync(String channel, List<String> events) {
        HttpRequest request;
        try {
            request = publishRequest(channel, events);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8))
                .handle((response, error) -> {
                    if (error != null) {
                        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
                        throw new CompletionException(new SwitchboardException("HTTP publish to " + endpoint + " failed: " + cause, cause));
                    }
                    return publishResult(response);
                });
    }

    private HttpRequest publishRequest(String channel, List<String> events) {
        String body = Json.publishBody(Json.channel(requireChannel(channel)), requireEvents(events));
        Map<String, String> headers = new LinkedHashMap<>(HTTP_CONTENT_HEADERS);
        headers.putAll(auth.headers(endpoint, HTTP_CONTENT_HEADERS, body));
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint)
                .timeout(requestTimeout)
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        // java.net.http sets Host itself, to the value the signature covers (host, and the port unless it is the default).
        headers.forEach((name, value) -> {
            if (!name.toLowerCase(Locale.ROOT).equals("host")) {
                request.setHeader(name, value);
            }
        });
        return request.build();
    }

    private static PublishResult publishResult(HttpResponse<String> response) {
        int status = response.statusCode();
        if (status / 100 == 2) {
            try {
                return Json.publishResult(response.body());
            } catch (RuntimeException e) {
                throw new SwitchboardException("HTTP publish answered " + status + " with a body that is not a publish result", status,
                        List.of(), e);
            }
        }
        List<ErrorDetail> errors = Json.errors(response.body(), response.headers().firstValue("x-amzn-ErrorType").orElse(null));
        throw SwitchboardException.of("HTTP publish refused", status, errors);
    }

    // ------------------------------------------------------------------ WebSocket

    /** {@link #subscribe(String, Consumer, Subscription.Listener)} without a listener. */
    public Subscription subscribe(String channel, Consumer<String> onEvent) {
        return subscribe(channel, onEvent, Subscription.SILENT);
    }

    /**
     * Subscribes to a channel or wildcard over the WebSocket, opening it if needed. Returns at once; the
     * subscription's {@link Subscription#ready()} completes on {@code subscribe_success} and fails on
     * {@code subscribe_error}. Each event reaches {@code onEvent} as JSON text.
     *
     * @throws IllegalStateException if the client is closed
     */
    public Subscription subscribe(String channel, Consumer<String> onEvent, Subscription.Listener listener) {
        Objects.requireNonNull(onEvent, "onEvent");
        Objects.requireNonNull(listener, "listener");
        return realtime().subscribe(Json.channel(requireChannel(channel)), onEvent, listener);
    }

    /**
     * Publishes over the WebSocket (opening it if needed). The future completes on {@code publish_success} and fails
     * with a {@link SwitchboardException} on {@code publish_error}, when the socket drops before the answer, or after
     * the request timeout. A publish is never re-sent.
     */
    public CompletableFuture<PublishResult> publishOverWebSocket(String channel, List<String> events) {
        String normalized;
        List<String> copy;
        try {
            normalized = Json.channel(requireChannel(channel));
            copy = requireEvents(events);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        RealtimeConnection connection;
        try {
            connection = realtime();
        } catch (IllegalStateException e) {
            return CompletableFuture.failedFuture(e);
        }
        return connection.publish(normalized, copy);
    }

    /** {@link #publishOverWebSocket(String, List)} with the events as arguments. */
    public CompletableFuture<PublishResult> publishOverWebSocket(String channel, String... events) {
        return publishOverWebSocket(channel, List.of(events));
    }

    private synchronized RealtimeConnection realtime() {
        if (closed) {
            throw new IllegalStateException("the client is closed");
        }
        if (realtime == null) {
            Executor callbacks;
            if (executor != null) {
                callbacks = new SerialExecutor(executor);
            } else {
                ownedExecutor = Executors.newSingleThreadExecutor(runnable -> {
                    Thread thread = new Thread(runnable, "switchboard-client-callbacks");
                    thread.setDaemon(true);
                    return thread;
                });
                callbacks = new SerialExecutor(ownedExecutor);
            }
            realtime = new RealtimeConnection(http, endpoint, realtimeEndpoint, auth, connectTimeout, requestTimeout,
                    keepAliveTimeout, backoff, callbacks);
        }
        return realtime;
    }

    /**
     * Closes the WebSocket (with a close frame), fails pending WebSocket operations, reports {@code CLOSED} to every
     * subscription and stops the client's threads. HTTP publishes still in flight complete. Idempotent.
     */
    @Override
    public void close() {
        RealtimeConnection connection;
        ExecutorService callbacks;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            connection = realtime;
            callbacks = ownedExecutor;
        }
        if (connection != null) {
            connection.close();
        }
        if (callbacks != null) {
            callbacks.shutdown();
            try {
                callbacks.awaitTermination(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static String requireChannel(String channel) {
        Objects.requireNonNull(channel, "channel");
        if (channel.isBlank()) {
            throw new IllegalArgumentException("channel is blank");
        }
        return channel;
    }

    private static List<String> requireEvents(List<String> events) {
        List<String> copy = List.copyOf(Objects.requireNonNull(events, "events"));
        if (copy.isEmpty()) {
            throw new IllegalArgumentException("events is empty: publish 1 to 5 events");
        }
        return copy;
    }

    @Override
    public String toString() {
        return "SwitchboardClient[" + endpoint + ", " + realtimeEndpoint + ", " + auth + "]";
    }

    /** Builds a {@link SwitchboardClient}; setters are named after what they set. */
    public static final class Builder {
        private URI endpoint;
        private URI realtimeEndpoint;
        private Auth auth;
        private SSLContext sslContext;
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration requestTimeout = Duration.ofSeconds(15);
        private Duration keepAliveTimeout;
        private Duration reconnectBase = Duration.ofMillis(200);
        private Duration reconnectCap = Duration.ofSeconds(10);
        private Executor executor;

        private Builder() {
        }

        /** The HTTP publish endpoint ({@code http(s)://host[:port]/event}); required. */
        public Builder endpoint(URI endpoint) {
            this.endpoint = Endpoints.checkHttp(Objects.requireNonNull(endpoint, "endpoint"));
            return this;
        }

        /**
         * The WebSocket endpoint. By default derived from the HTTP endpoint as the AWS clients do: an AppSync host's
         * {@code appsync-api} becomes {@code appsync-realtime-api}, and {@code /realtime} is appended to the path
         * ({@code http} → {@code ws}, {@code https} → {@code wss}). Set it for API Gateway, whose WebSocket API has
         * its own host and stage path.
         */
        public Builder realtimeEndpoint(URI realtimeEndpoint) {
            this.realtimeEndpoint = Endpoints.checkRealtime(Objects.requireNonNull(realtimeEndpoint, "realtimeEndpoint"));
            return this;
        }

        /** How to authorize every request; required. */
        public Builder auth(Auth auth) {
            this.auth = Objects.requireNonNull(auth, "auth");
            return this;
        }

        /** TLS for {@code https}/{@code wss}, e.g. one trusting the local gateway's self-signed certificate. */
        public Builder sslContext(SSLContext sslContext) {
            this.sslContext = Objects.requireNonNull(sslContext, "sslContext");
            return this;
        }

        /** Time to connect, and for the WebSocket to be acknowledged ({@code connection_ack}); default 10 s. */
        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = positive(connectTimeout, "connectTimeout");
            return this;
        }

        /** Time for an HTTP publish's answer, and for {@code subscribe_success} / {@code publish_success}; default 15 s. */
        public Builder requestTimeout(Duration requestTimeout) {
            this.requestTimeout = positive(requestTimeout, "requestTimeout");
            return this;
        }

        /**
         * Replaces the server's {@code connectionTimeoutMs}: with no frame ({@code ka}, {@code data}, anything) for
         * this long, the socket is dropped and reopened. By default the ack's value (300 s when absent).
         */
        public Builder keepAliveTimeout(Duration keepAliveTimeout) {
            this.keepAliveTimeout = positive(keepAliveTimeout, "keepAliveTimeout");
            return this;
        }

        /**
         * Reconnect delays: attempt n waits a random time between half and all of {@code min(cap, base·2ⁿ⁻¹)};
         * default 200 ms and 10 s.
         */
        public Builder reconnectBackoff(Duration base, Duration cap) {
            this.reconnectBase = positive(base, "base");
            this.reconnectCap = positive(cap, "cap");
            if (cap.compareTo(base) < 0) {
                throw new IllegalArgumentException("cap is shorter than base");
            }
            return this;
        }

        /** Where event and listener callbacks run (still one at a time, in order); default a thread of the client's. */
        public Builder executor(Executor executor) {
            this.executor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /** @throws IllegalStateException if the endpoint or the auth is missing */
        public SwitchboardClient build() {
            if (endpoint == null) {
                throw new IllegalStateException("endpoint is required");
            }
            if (auth == null) {
                throw new IllegalStateException("auth is required");
            }
            return new SwitchboardClient(this);
        }

        private static Duration positive(Duration duration, String name) {
            Objects.requireNonNull(duration, name);
            if (duration.isNegative() || duration.isZero()) {
                throw new IllegalArgumentException(name + " must be positive");
            }
            return duration;
        }
    }
}
