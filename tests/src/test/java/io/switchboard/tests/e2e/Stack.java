package io.switchboard.tests.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import io.switchboard.local.LocalGateway;
import io.switchboard.local.Options;
import io.switchboard.testing.Dynalite;
import io.switchboard.tests.support.IsolatedGateway;
import io.switchboard.tests.support.IsolatedGateway.Subscriber;
import io.switchboard.tests.support.WsClient;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * One system under test: the real local gateway started in this JVM on a free port with the repository's
 * {@code template.yaml}, hosting the real functions (in their own class loader, see {@link IsolatedGateway}), on the
 * in-memory store or on a dynalite this stack starts; plus clients that trust its self-signed certificate and
 * probes of the gateway-side state. {@link #close()} stops all of it.
 */
final class Stack implements AutoCloseable {

    /** The key of the Lambda event fixtures in {@code events/} (so they are valid against every stack too). */
    static final String API_KEY = "da2-switchboardexamplekey0001";
    static final Region REGION = Region.US_EAST_1;
    static final String TABLE = "switchboard-e2e";
    /** Every single wait of the suites is bounded by this, unless a test says otherwise. */
    static final Duration WAIT = Duration.ofSeconds(10);

    private static Path tlsDirectory;

    final Store store;
    final Dynalite dynalite;
    final IsolatedGateway isolated;
    final LocalGateway gateway;
    /** The class loader of this stack's functions (see {@link IsolatedGateway}). */
    final ClassLoader functions;
    final HttpClient http;
    final SSLContext ssl;

    private Stack(Store store, Dynalite dynalite, IsolatedGateway isolated, SSLContext ssl) {
        this.store = store;
        this.dynalite = dynalite;
        this.isolated = isolated;
        this.gateway = isolated.gateway();
        this.functions = isolated.functions();
        this.ssl = ssl;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(ssl)
                .connectTimeout(WAIT).build();
    }

    static Stack start(Store store) {
        Dynalite dynalite = store == Store.DYNALITE ? Dynalite.start() : null;
        IsolatedGateway isolated = null;
        try {
            Options.Builder options = Options.builder()
                    .port(0)
                    .apiKey(API_KEY)
                    .template(root().resolve("template.yaml"))
                    .tlsDirectory(tlsDirectory())
                    .workerThreads(16)
                    .environment("AWS_REGION", REGION.id());
            if (dynalite != null) {
                options.dynamoDbEndpoint(dynalite.endpoint()).tableName(TABLE);
            }
            isolated = IsolatedGateway.start(options.build());
            return new Stack(store, dynalite, isolated, trusting(isolated.gateway().certificatePath()));
        } catch (Exception | Error e) {
            if (isolated != null) {
                isolated.close();
            }
            if (dynalite != null) {
                dynalite.close();
            }
            if (e instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException("cannot start the " + store + " stack: " + e.getMessage(), e);
        }
    }

    /** The repository root ({@code switchboard.root}, set by the module's surefire configuration). */
    static Path root() {
        String configured = System.getProperty("switchboard.root");
        if (configured != null && !configured.isBlank() && !configured.startsWith("${")) {
            return Path.of(configured).toAbsolutePath().normalize();
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("template.yaml")) && Files.isDirectory(dir.resolve("tests/node"))) {
                return dir;
            }
        }
        throw new IllegalStateException("cannot find the repository root above " + Path.of("").toAbsolutePath()
                + "; set -Dswitchboard.root");
    }

    /** One certificate for the whole test JVM (generating one per gateway would only cost time). */
    private static synchronized Path tlsDirectory() throws IOException {
        if (tlsDirectory == null) {
            Path dir = Files.createTempDirectory("switchboard-e2e-tls");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(dir), "delete " + dir));
            tlsDirectory = dir;
        }
        return tlsDirectory;
    }

    static SSLContext trusting(Path certificate) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(certificate)) {
            trust.setCertificateEntry("switchboard-local", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return context;
    }

    // ------------------------------------------------------------------ endpoints

    int port() {
        return gateway.port();
    }

    /** {@code 127.0.0.1:PORT}: what clients put in {@code host} of their auth headers. */
    String host() {
        return "127.0.0.1:" + port();
    }

    URI httpEndpoint() {
        return gateway.httpEndpoint();
    }

    URI ws() {
        return gateway.realtimeEndpoint();
    }

    URI wss() {
        return URI.create(ws().toString().replaceFirst("^ws:", "wss:"));
    }

    /** The {@code header-<base64url>} subprotocol carrying {@code x-api-key} (Amplify's connect auth). */
    String headerProtocol(String apiKey) {
        String json = "{\"host\":\"" + host() + "\",\"x-api-key\":\"" + apiKey + "\"}";
        return "header-" + Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    /** A client on {@code ws://} authorized the Amplify way (subprotocols {@code aws-appsync-event-ws} + {@code header-}). */
    WsClient connect() {
        return WsClient.open(http, ws(), WAIT, java.util.Map.of(), "aws-appsync-event-ws", headerProtocol(API_KEY));
    }

    /** {@code POST /event} with {@code x-api-key}, as {@code events.post} and curl do. */
    java.net.http.HttpResponse<String> publishHttp(String apiKey, String body) {
        java.net.http.HttpRequest request = java.net.http.HttpRequest.newBuilder(httpEndpoint())
                .timeout(WAIT)
                .header("content-type", "application/json")
                .header("x-api-key", apiKey)
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body))
                .build();
        try {
            return http.send(request, java.net.http.HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** A name no other test uses: {@code prefix-<10 hex digits>}, valid as a channel segment and as an id. */
    static String unique(String prefix) {
        return prefix + "-" + java.util.UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    }

    DynamoDbClient dynamoDb() {
        if (dynalite == null) {
            throw new IllegalStateException("the " + store + " stack has no DynamoDB");
        }
        return DynamoDbClient.builder()
                .endpointOverride(dynalite.endpoint())
                .region(REGION)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }

    // ------------------------------------------------------------------ gateway-side state

    /**
     * What the functions' own store (in memory or on dynalite) returns for a publish to {@code channel}: the
     * subscriptions a publish would reach.
     */
    List<Subscriber> subscribers(String channel) {
        return isolated.subscribers(channel);
    }

    /** The simple name of the store class the functions actually use (proves the parameterization took effect). */
    String storeClass() {
        return isolated.storeClass();
    }

    /** The connection id of the one subscription with id {@code subscriptionId} on {@code channel}. */
    String connectionIdOf(String channel, String subscriptionId) {
        List<String> ids = subscribers(channel).stream()
                .filter(s -> s.subscriptionId().equals(subscriptionId)).map(Subscriber::connectionId).toList();
        if (ids.size() != 1) {
            throw new AssertionError("expected one subscription " + subscriptionId + " on " + channel + ", found " + ids);
        }
        return ids.get(0);
    }

    <T> T inFunctions(Callable<T> call) {
        return isolated.inFunctions(call);
    }

    /** A line in the test output ({@code target/surefire-reports/*-output.txt}): what was observed, for people. */
    static void note(String observation) {
        System.out.println("[e2e] " + observation);
    }

    // ------------------------------------------------------------------ waiting

    /** Polls {@code condition} every few milliseconds for up to {@link #WAIT}; fails with {@code what} otherwise. */
    static void await(String what, BooleanSupplier condition) {
        await(what, WAIT, condition);
    }

    static void await(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long pause = 5;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for " + what);
            }
            try {
                Thread.sleep(pause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for " + what, e);
            }
            pause = Math.min(pause * 2, 50);
        }
    }

    // ------------------------------------------------------------------ shutdown

    @Override
    public void close() {
        try {
            isolated.close();
        } finally {
            if (dynalite != null) {
                dynalite.close();
            }
        }
    }

    /** Closes every stack given (nulls skipped); the first failure is rethrown after all were closed. */
    static void closeAll(Stack... stacks) {
        RuntimeException first = null;
        for (Stack stack : stacks) {
            if (stack == null) {
                continue;
            }
            try {
                stack.close();
            } catch (RuntimeException e) {
                if (first == null) {
                    first = e;
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String toString() {
        return store + " stack on port " + port();
    }
}
