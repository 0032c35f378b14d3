package io.switchboard.local;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** Real clients for the tests: java.net.http HTTP and WebSocket, trusting the gateway's certificate. */
final class TestClients {

    static final Duration WAIT = Duration.ofSeconds(30); // generous: first SDK calls are slow on a loaded 2-core machine

    private TestClients() {
    }

    static HttpClient http(Path certificate) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(certificate)) {
            trust.setCertificateEntry("switchboard", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(context).connectTimeout(WAIT).build();
    }

    /** The {@code header-...} subprotocol Amplify sends: base64url of the auth headers, no padding. */
    static String headerProtocol(String host, String apiKey) {
        String json = "{\"host\":\"" + host + "\",\"x-api-key\":\"" + apiKey + "\"}";
        return "header-" + Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    /** A WebSocket client that queues every text message and remembers how the socket closed. */
    static final class Ws implements WebSocket.Listener {
        record Close(int code, String reason) {
        }

        final BlockingQueue<String> messages = new LinkedBlockingQueue<>();
        final CompletableFuture<Close> closed = new CompletableFuture<>();
        private final StringBuilder partial = new StringBuilder();
        WebSocket socket;

        static Ws open(HttpClient client, URI uri, String... subprotocols) {
            return open(client, uri, java.util.Map.of(), subprotocols);
        }

        static Ws open(HttpClient client, URI uri, java.util.Map<String, String> headers, String... subprotocols) {
            Ws ws = new Ws();
            WebSocket.Builder builder = client.newWebSocketBuilder().connectTimeout(WAIT);
            headers.forEach(builder::header);
            if (subprotocols.length > 0) {
                String[] rest = new String[subprotocols.length - 1];
                System.arraycopy(subprotocols, 1, rest, 0, rest.length);
                builder.subprotocols(subprotocols[0], rest);
            }
            ws.socket = builder.buildAsync(uri, ws).join();
            return ws;
        }

        void send(String text) {
            socket.sendText(text, true).join();
        }

        String next() throws InterruptedException {
            String message = messages.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertNotNull(message, "no message within " + WAIT);
            return message;
        }

        void assertNothingWithin(Duration duration) throws InterruptedException {
            assertNull(messages.poll(duration.toMillis(), TimeUnit.MILLISECONDS));
        }

        Close awaitClose() throws Exception {
            return closed.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
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
            messages.add("binary:" + StandardCharsets.UTF_8.decode(data));
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
    }
}
