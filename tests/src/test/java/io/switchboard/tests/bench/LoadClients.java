package io.switchboard.tests.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * The load generator's clients: real WebSocket subscribers (java.net.http), an HTTP publisher and a WebSocket
 * publisher, speaking the AppSync Events protocol with an API key; and the delivery accounting. Every event carries
 * its publish number, its index in the publish and the generator's {@link System#nanoTime()} at sending, so that
 * each subscription's deliveries can be checked exactly (missing, duplicated, out of order within one publish) and
 * each delivery timed.
 */
final class LoadClients implements AutoCloseable {
    static final int MAX_EVENTS = 5;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(60);
    /** How long a publish may take to be answered: the gateway answers after its fan-out, which queues under overload. */
    private static final Duration PUBLISH_WAIT = Duration.ofMinutes(5);

    /** One subscription and what it received: bit {@code publish * 5 + index} per event. */
    static final class Sub {
        final String id;
        final String pattern;
        final BitSet received = new BitSet();
        long duplicates;
        long outOfOrder;
        long total;

        Sub(String id, String pattern) {
            this.id = id;
            this.pattern = pattern;
        }

        synchronized void record(int publish, int index) {
            int bit = publish * MAX_EVENTS + index;
            total++;
            if (received.get(bit)) {
                duplicates++;
                return;
            }
            int next = received.nextSetBit(bit + 1);
            if (next >= 0 && next < (publish + 1) * MAX_EVENTS) {
                outOfOrder++; // a later event of the same publish arrived first
            }
            received.set(bit);
        }

        /** Whether {@code channel} reaches this subscription (exact, or a wildcard on an ancestor). */
        boolean matches(String channel) {
            if (pattern.endsWith("/*")) {
                String prefix = pattern.substring(0, pattern.length() - 1);
                return channel.startsWith(prefix) && channel.length() > prefix.length();
            }
            return pattern.equals(channel);
        }
    }

    /** One publish as sent, and how the gateway answered it. */
    record Publish(int number, String channel, int events, boolean webSocket, long sentNanos,
                   CompletableFuture<Boolean> accepted) {}

    /** Delivery latency in 100 µs buckets up to 60 s. */
    static final class Latency {
        private static final int BUCKETS = 600_000;
        private final AtomicLongArray buckets = new AtomicLongArray(BUCKETS);
        private final LongAdder count = new LongAdder();

        void record(long nanos) {
            int bucket = (int) Math.min(BUCKETS - 1, Math.max(0, nanos / 100_000));
            buckets.incrementAndGet(bucket);
            count.increment();
        }

        long count() {
            return count.sum();
        }

        /** The quantile in milliseconds (upper edge of its bucket). */
        double quantileMillis(double q) {
            long total = count.sum();
            if (total == 0) {
                return Double.NaN;
            }
            long rank = (long) Math.ceil(q * total);
            long seen = 0;
            for (int i = 0; i < BUCKETS; i++) {
                seen += buckets.get(i);
                if (seen >= rank) {
                    return (i + 1) / 10.0;
                }
            }
            return BUCKETS / 10.0;
        }

        void reset() {
            for (int i = 0; i < BUCKETS; i++) {
                buckets.set(i, 0);
            }
            count.reset();
        }
    }

    private final URI http;
    private final URI realtime;
    private final String host;
    private final String apiKey;
    private final List<HttpClient> clients = new ArrayList<>();
    private final HttpClient publisherHttp;
    private final List<Connection> connections = new ArrayList<>();
    private final Map<String, Sub> subsById = new ConcurrentHashMap<>();
    private final List<Publish> publishes = new ArrayList<>();
    private final Latency latency = new Latency();
    private final LongAdder deliveries = new LongAdder();
    private final AtomicLong lastDeliveryNanos = new AtomicLong();
    private final LongAdder unparsed = new LongAdder();
    private final LongAdder keepAlives = new LongAdder();
    private Connection publisher;
    private final String padding;

    LoadClients(URI http, URI realtime, String host, String apiKey, int expectedSockets, int eventBytes) {
        this.http = http;
        this.realtime = realtime;
        this.host = host;
        this.apiKey = apiKey;
        int n = Math.max(1, Math.min(16, expectedSockets / 500));
        for (int i = 0; i < n; i++) {
            clients.add(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(WAIT).build());
        }
        publisherHttp = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(WAIT).build();
        padding = "x".repeat(Math.max(0, eventBytes - 60));
    }

    // ------------------------------------------------------------------ setup

    /**
     * Opens {@code count} connections, {@code connection_init} each, and subscribes connection {@code c} to
     * {@code patterns.apply(c)} (subscription ids unique across the run); at most {@code parallel} handshakes at once.
     */
    void connect(int count, java.util.function.IntFunction<List<String>> patterns, int parallel) {
        Semaphore inFlight = new Semaphore(parallel);
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (int c = 0; c < count; c++) {
            inFlight.acquireUninterruptibly();
            int index = c;
            Connection connection = new Connection(index);
            synchronized (connections) {
                connections.add(connection);
            }
            CompletableFuture<Void> ready = connection.open(clients.get(index % clients.size()))
                .thenCompose(ignored -> connection.init())
                .thenCompose(ignored -> {
                    List<CompletableFuture<JsonNode>> subscribed = new ArrayList<>();
                    List<String> list = patterns.apply(index);
                    for (int s = 0; s < list.size(); s++) {
                        Sub sub = new Sub("c" + index + "s" + s, list.get(s));
                        subsById.put(sub.id, sub);
                        connection.subs.put(sub.id, sub);
                        subscribed.add(connection.subscribe(sub));
                    }
                    return CompletableFuture.allOf(subscribed.toArray(CompletableFuture[]::new));
                })
                .whenComplete((ok, failure) -> inFlight.release());
            all.add(ready);
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).orTimeout(10, TimeUnit.MINUTES).join();
        publisher = new Connection(-1);
        publisher.open(clients.get(0)).thenCompose(ignored -> publisher.init()).orTimeout(1, TimeUnit.MINUTES).join();
    }

    int subscriptions() {
        return subsById.size();
    }

    int sockets() {
        return connections.size();
    }

    // ------------------------------------------------------------------ publishing

    /** Sends publish {@code number} to {@code channel} with {@code events} events, over WebSocket or HTTP. */
    Publish publish(String channel, int events, boolean webSocket) {
        int number;
        Publish publish;
        synchronized (publishes) {
            number = publishes.size();
            long sent = System.nanoTime();
            StringBuilder list = new StringBuilder("[");
            for (int i = 0; i < events; i++) {
                String event = "{\"p\":" + number + ",\"i\":" + i + ",\"t\":" + sent + ",\"pad\":\"" + padding + "\"}";
                list.append(i == 0 ? "" : ",").append(quote(event));
            }
            list.append(']');
            CompletableFuture<Boolean> accepted;
            if (webSocket) {
                String id = "p" + number;
                accepted = publisher.request(id, PUBLISH_WAIT, "{\"type\":\"publish\",\"id\":\"" + id + "\",\"channel\":\"" + channel
                        + "\",\"events\":" + list + ",\"authorization\":" + authorization() + "}")
                    .thenApply(reply -> {
                        boolean ok = "publish_success".equals(reply.path("type").asText())
                            && reply.path("successful").size() == events;
                        if (!ok) {
                            failure("WebSocket publish answered " + shorten(reply.toString()));
                        }
                        return ok;
                    });
            } else {
                HttpRequest request = HttpRequest.newBuilder(http).timeout(PUBLISH_WAIT)
                    .header("content-type", "application/json").header("x-api-key", apiKey)
                    .POST(HttpRequest.BodyPublishers.ofString("{\"channel\":\"" + channel + "\",\"events\":" + list + "}"))
                    .build();
                accepted = publisherHttp.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                    .thenApply(response -> {
                        boolean ok = response.statusCode() == 200
                            && parse(response.body()).path("successful").size() == events;
                        if (!ok) {
                            failure("HTTP publish answered " + response.statusCode() + " " + shorten(response.body()));
                        }
                        return ok;
                    });
            }
            publish = new Publish(number, channel, events, webSocket, sent, accepted.exceptionally(x -> {
                failure((webSocket ? "WebSocket" : "HTTP") + " publish failed: " + x);
                return false;
            }));
            publishes.add(publish);
        }
        return publish;
    }

    private final Map<String, Long> failures = new ConcurrentHashMap<>();

    private void failure(String reason) {
        failures.merge(reason, 1L, Long::sum);
    }

    /** Why publishes failed, with counts. */
    Map<String, Long> failures() {
        return Map.copyOf(failures);
    }

    private static String shorten(String text) {
        return text == null ? "" : text.length() > 160 ? text.substring(0, 160) + "…" : text;
    }

    List<Publish> publishes() {
        synchronized (publishes) {
            return List.copyOf(publishes);
        }
    }

    // ------------------------------------------------------------------ accounting

    /** Deliveries expected from the accepted publishes, per subscription, and how each subscription fared. */
    record Accounting(long publishes, long publishFailures, long expected, long received, long missing, long duplicates,
                      long outOfOrder, long unexpected, long subscriptionsShort, long keepAlives, long unparsed) {
        boolean exact() {
            return publishFailures == 0 && missing == 0 && duplicates == 0 && outOfOrder == 0 && unexpected == 0
                && unparsed == 0;
        }
    }

    long expectedDeliveries() {
        long expected = 0;
        for (Publish p : publishes()) {
            for (Sub sub : subsById.values()) {
                if (sub.matches(p.channel())) {
                    expected += p.events();
                }
            }
        }
        return expected;
    }

    /** Waits until every expected delivery arrived, or until nothing arrived for {@code quiet}. */
    void drain(Duration quiet, Duration max) {
        for (Publish p : publishes()) {
            p.accepted().orTimeout(max.toMillis(), TimeUnit.MILLISECONDS).exceptionally(x -> false).join();
        }
        long expected = expectedDeliveries();
        long deadline = System.nanoTime() + max.toNanos();
        long lastCount = -1;
        long lastChange = System.nanoTime();
        while (System.nanoTime() < deadline) {
            long now = deliveries.sum();
            if (now >= expected) {
                LoadTarget.sleep(200); // let duplicates, if any, show up
                return;
            }
            if (now != lastCount) {
                lastCount = now;
                lastChange = System.nanoTime();
            } else if (System.nanoTime() - lastChange > quiet.toNanos()) {
                return;
            }
            LoadTarget.sleep(50);
        }
    }

    Accounting account() {
        List<Publish> all = publishes();
        long failures = 0;
        long expected = 0;
        long missing = 0;
        long unexpected = 0;
        long duplicates = 0;
        long outOfOrder = 0;
        long received = 0;
        long shortSubs = 0;
        Map<String, List<Publish>> byChannel = new LinkedHashMap<>();
        for (Publish p : all) {
            if (Boolean.TRUE.equals(p.accepted().getNow(false))) {
                byChannel.computeIfAbsent(p.channel(), k -> new ArrayList<>()).add(p);
            } else {
                failures++;
            }
        }
        for (Sub sub : subsById.values()) {
            synchronized (sub) {
                BitSet want = new BitSet();
                byChannel.forEach((channel, list) -> {
                    if (sub.matches(channel)) {
                        for (Publish p : list) {
                            want.set(p.number() * MAX_EVENTS, p.number() * MAX_EVENTS + p.events());
                        }
                    }
                });
                BitSet lacking = (BitSet) want.clone();
                lacking.andNot(sub.received);
                BitSet extra = (BitSet) sub.received.clone();
                extra.andNot(want);
                expected += want.cardinality();
                missing += lacking.cardinality();
                unexpected += extra.cardinality();
                duplicates += sub.duplicates;
                outOfOrder += sub.outOfOrder;
                received += sub.total;
                if (!lacking.isEmpty()) {
                    shortSubs++;
                }
            }
        }
        return new Accounting(all.size(), failures, expected, received, missing, duplicates, outOfOrder, unexpected,
            shortSubs, keepAlives.sum(), unparsed.sum());
    }

    Latency latency() {
        return latency;
    }

    long deliveries() {
        return deliveries.sum();
    }

    long lastDeliveryNanos() {
        return lastDeliveryNanos.get();
    }

    @Override
    public void close() {
        List<CompletableFuture<?>> closing = new ArrayList<>();
        for (Connection c : connections) {
            closing.add(c.close());
        }
        if (publisher != null) {
            closing.add(publisher.close());
        }
        try {
            CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            // closing is best effort; the gateway closes the rest when it stops
        }
    }

    // ------------------------------------------------------------------ one socket

    private String authorization() {
        return "{\"x-api-key\":\"" + apiKey + "\",\"host\":\"" + host + "\"}";
    }

    private final class Connection implements WebSocket.Listener {
        final int index;
        final Map<String, Sub> subs = new ConcurrentHashMap<>();
        final Map<String, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
        final CompletableFuture<JsonNode> ack = new CompletableFuture<>();
        final StringBuilder partial = new StringBuilder();
        volatile WebSocket socket;

        Connection(int index) {
            this.index = index;
        }

        CompletableFuture<WebSocket> open(HttpClient client) {
            String header = "header-" + Base64.getUrlEncoder().withoutPadding().encodeToString(
                ("{\"host\":\"" + host + "\",\"x-api-key\":\"" + apiKey + "\"}").getBytes(StandardCharsets.UTF_8));
            return client.newWebSocketBuilder().connectTimeout(WAIT).subprotocols("aws-appsync-event-ws", header)
                .buildAsync(realtime, this).thenApply(ws -> socket = ws);
        }

        CompletableFuture<JsonNode> init() {
            return socket.sendText("{\"type\":\"connection_init\"}", true).thenCompose(ws -> ack)
                .orTimeout(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        }

        CompletableFuture<JsonNode> subscribe(Sub sub) {
            return request(sub.id, WAIT, "{\"type\":\"subscribe\",\"id\":\"" + sub.id + "\",\"channel\":\"" + sub.pattern
                    + "\",\"authorization\":" + authorization() + "}")
                .thenApply(reply -> {
                    if (!"subscribe_success".equals(reply.path("type").asText())) {
                        throw new IllegalStateException("subscribe " + sub.pattern + " failed: " + reply);
                    }
                    return reply;
                });
        }

        CompletableFuture<JsonNode> request(String id, Duration wait, String frame) {
            CompletableFuture<JsonNode> reply = new CompletableFuture<>();
            pending.put(id, reply);
            synchronized (this) {
                // one sendText at a time per socket, as java.net.http requires
                socket.sendText(frame, true).join();
            }
            return reply.orTimeout(wait.toMillis(), TimeUnit.MILLISECONDS);
        }

        CompletableFuture<?> close() {
            WebSocket ws = socket;
            return ws == null ? CompletableFuture.completedFuture(null)
                : ws.sendClose(WebSocket.NORMAL_CLOSURE, "done").exceptionally(x -> null);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            String message;
            if (partial.length() == 0 && last) {
                message = data.toString();
            } else {
                partial.append(data);
                if (!last) {
                    webSocket.request(1);
                    return null;
                }
                message = partial.toString();
                partial.setLength(0);
            }
            try {
                handle(message);
            } finally {
                webSocket.request(1);
            }
            return null;
        }

        private void handle(String message) {
            if (message.startsWith("{\"type\":\"data\"")) {
                long now = System.nanoTime();
                int idStart = message.indexOf("\"id\":\"") + 6;
                String id = message.substring(idStart, message.indexOf('"', idStart));
                Sub sub = subs.get(id);
                long p = number(message, "\\\"p\\\":");
                long i = number(message, "\\\"i\\\":");
                long t = number(message, "\\\"t\\\":");
                if (sub == null || p < 0 || i < 0 || t < 0) {
                    unparsed.increment();
                    return;
                }
                sub.record((int) p, (int) i);
                latency.record(now - t);
                deliveries.increment();
                lastDeliveryNanos.accumulateAndGet(now, Math::max);
                return;
            }
            if (message.equals("{\"type\":\"ka\"}")) {
                keepAlives.increment();
                return;
            }
            JsonNode frame = parse(message);
            String type = frame.path("type").asText();
            if ("connection_ack".equals(type)) {
                ack.complete(frame);
            } else if (frame.hasNonNull("id")) {
                CompletableFuture<JsonNode> reply = pending.remove(frame.get("id").asText());
                if (reply != null) {
                    reply.complete(frame);
                }
            } else if ("connection_error".equals(type) || "error".equals(type)) {
                ack.completeExceptionally(new IllegalStateException("connection " + index + ": " + message));
            }
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            ack.completeExceptionally(error);
            pending.values().forEach(f -> f.completeExceptionally(error));
        }
    }

    /** The digits after {@code marker} in {@code text}, or -1. */
    private static long number(String text, String marker) {
        int at = text.indexOf(marker);
        if (at < 0) {
            return -1;
        }
        long value = 0;
        boolean any = false;
        for (int i = at + marker.length(); i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                break;
            }
            value = value * 10 + (c - '0');
            any = true;
        }
        return any ? value : -1;
    }

    private static JsonNode parse(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            return JSON.createObjectNode();
        }
    }

    private static String quote(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
