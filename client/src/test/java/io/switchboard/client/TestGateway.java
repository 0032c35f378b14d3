package io.switchboard.client;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import io.switchboard.local.LocalGateway;
import io.switchboard.local.Options;

/**
 * The real local gateway, started in this JVM with the repository's {@code template.yaml}, one per test JVM: the
 * functions keep JVM-wide state (configuration read once, the in-memory store), so a second gateway on another port
 * or with another key would not work. {@link #restart()} brings it back on the same port with the same key.
 */
final class TestGateway {

    static final String API_KEY = "da2-switchboardclientintegrationtests";
    /** The credentials the gateway's functions verify SigV4 signatures against. */
    static final String ACCESS_KEY_ID = "AKIDSWITCHBOARDTEST";
    static final String SECRET_ACCESS_KEY = "switchboard-client-test-secret";

    private static LocalGateway gateway;
    private static Path tls;
    private static int port;

    private TestGateway() {
    }

    static synchronized LocalGateway get() throws Exception {
        if (gateway == null) {
            tls = Files.createTempDirectory("switchboard-client-tls");
            gateway = LocalGateway.start(options(0));
            port = gateway.port();
            warmUp(gateway);
            Runtime.getRuntime().addShutdownHook(new Thread(TestGateway::stop, "test-gateway-stop"));
        }
        return gateway;
    }

    /**
     * One subscribe, HTTP publish and delivery with generous timeouts: the functions' first invocations (class
     * loading, the runtime serializer) can take seconds on a busy machine, which the tests' timeouts should not absorb.
     */
    private static void warmUp(LocalGateway gateway) throws Exception {
        try (SwitchboardClient client = SwitchboardClient.newBuilder().endpoint(gateway.httpEndpoint()).auth(Auth.apiKey(API_KEY))
                .connectTimeout(Duration.ofSeconds(30)).requestTimeout(Duration.ofSeconds(30)).build()) {
            BlockingQueue<String> events = new LinkedBlockingQueue<>();
            client.subscribe("/default/warm-up", events::add).ready().get(30, TimeUnit.SECONDS);
            client.publish("/default/warm-up", "0");
            client.publishOverWebSocket("/default/warm-up", "1").get(30, TimeUnit.SECONDS);
            for (int i = 0; i < 2; i++) {
                if (events.poll(30, TimeUnit.SECONDS) == null) {
                    throw new IllegalStateException("the local gateway did not deliver the warm-up events");
                }
            }
        }
    }

    /** Closes the gateway (every socket is closed, {@code $disconnect} runs) and starts it again on the same port. */
    static synchronized LocalGateway restart() throws Exception {
        get().close();
        gateway = LocalGateway.start(options(port));
        return gateway;
    }

    /** Stops the gateway at the end of the test JVM. */
    static synchronized void stop() {
        if (gateway != null) {
            gateway.close();
        }
    }

    private static Options options(int port) {
        return Options.builder()
                .port(port)
                .apiKey(API_KEY)
                .template(Path.of(System.getProperty("switchboard.template", "../template.yaml")))
                .tlsDirectory(tls)
                .workerThreads(4)
                .environment("AWS_ACCESS_KEY_ID", ACCESS_KEY_ID)
                .environment("AWS_SECRET_ACCESS_KEY", SECRET_ACCESS_KEY)
                .build();
    }

    /** An SSLContext trusting the gateway's self-signed certificate (PEM at {@code certificatePath()}). */
    static SSLContext sslContext() throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(get().certificatePath())) {
            trust.setCertificateEntry("switchboard-local", CertificateFactory.getInstance("X.509").generateCertificate(in));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the gateway's certificate", e);
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return context;
    }
}
