package io.switchboard.functions;

import io.switchboard.aws.ApiGatewayConnectionSender;
import io.switchboard.aws.DynamoDbSubscriptionStore;
import io.switchboard.core.auth.AuthProviders;
import io.switchboard.core.auth.AuthService;
import io.switchboard.core.config.SwitchboardConfig;
import io.switchboard.core.engine.ConnectAuthorizer;
import io.switchboard.core.engine.Engine;
import io.switchboard.core.memory.InMemorySubscriptionStore;
import io.switchboard.core.plugin.Plugins;
import io.switchboard.core.protocol.FrameCodec;
import io.switchboard.core.spi.ConnectionSender;
import io.switchboard.core.spi.SubscriptionStore;
import org.apache.logging.log4j.core.LifeCycle;
import org.apache.logging.log4j.spi.AbstractLoggerAdapter;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;

import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * Wires the engine for the functions: configuration read once, then the store, the sender and the auth service,
 * each built when first needed (the {@code $connect} authorizer never builds a store or a sender). One instance
 * per JVM; in the local gateway all functions share it, and with it the in-memory store.
 */
public final class SwitchboardRuntime {
    private static volatile SwitchboardRuntime shared;
    private static final AtomicBoolean BACKGROUND_BUILD = new AtomicBoolean();

    private final SwitchboardConfig config;
    private final AuthService auth;
    private final Plugins plugins;
    private final Function<SwitchboardConfig, SubscriptionStore> storeFactory;
    private final Function<SwitchboardConfig, ConnectionSender> senderFactory;
    private final EmfMetrics metrics;
    private volatile Engine engine;

    public SwitchboardRuntime(SwitchboardConfig config,
                              Function<SwitchboardConfig, SubscriptionStore> storeFactory,
                              Function<SwitchboardConfig, ConnectionSender> senderFactory) {
        this(config, storeFactory, senderFactory, Plugins.shared());
    }

    /**
     * A runtime with these plugins (the application's are found on the class path by the other constructors):
     * their namespaces join the configured ones and their {@code @Authorizer} serves {@code AWS_LAMBDA}.
     */
    public SwitchboardRuntime(SwitchboardConfig config,
                              Function<SwitchboardConfig, SubscriptionStore> storeFactory,
                              Function<SwitchboardConfig, ConnectionSender> senderFactory,
                              Plugins plugins) {
        this(config, storeFactory, senderFactory, plugins, EmfMetrics.from(Env::get));
    }

    SwitchboardRuntime(SwitchboardConfig config,
                       Function<SwitchboardConfig, SubscriptionStore> storeFactory,
                       Function<SwitchboardConfig, ConnectionSender> senderFactory,
                       Plugins plugins, EmfMetrics metrics) {
        this.metrics = metrics;
        this.config = plugins.applyTo(config);
        plugins.checkAuthModes(this.config);
        this.plugins = plugins;
        this.storeFactory = storeFactory;
        this.senderFactory = senderFactory;
        this.auth = AuthProviders.create(this.config, plugins.authorizer(), Clock.systemUTC());
    }

    /** A runtime over ready-made parts (tests, embedding). */
    public static SwitchboardRuntime of(SwitchboardConfig config, SubscriptionStore store, ConnectionSender sender) {
        return new SwitchboardRuntime(config, c -> store, c -> sender);
    }

    /** The JVM-wide runtime, configured from the environment on first use. */
    public static SwitchboardRuntime shared() {
        SwitchboardRuntime runtime = shared;
        if (runtime == null) {
            synchronized (SwitchboardRuntime.class) {
                runtime = shared;
                if (runtime == null) {
                    shared = runtime = new SwitchboardRuntime(SwitchboardConfig.from(Env::get),
                        SwitchboardRuntime::defaultStore, SwitchboardRuntime::defaultSender);
                    SnapStartPriming.register(runtime.config());
                }
            }
        }
        return runtime;
    }

    /**
     * Starts building the shared runtime's engine on a daemon thread, so that it overlaps with whatever the calling
     * thread does meanwhile (on a cold start: configuring logging, reading the event); {@link #engine()} waits for it.
     * Once per JVM. Not on a SnapStart snapshot's initialisation ({@code AWS_LAMBDA_INITIALIZATION_TYPE=snap-start}),
     * whose real clients are built after the restore ({@link SnapStartPriming}), nor in the local gateway
     * ({@code SWITCHBOARD_LOCAL}), a long-lived host that hands in its own sender ({@link #useHostSender}) after
     * loading the functions. A failure is left to the first {@link #engine()} call, which tries again and reports it.
     */
    static void buildInBackground() {
        if (BACKGROUND_BUILD.getAndSet(true) || "snap-start".equals(Env.get("AWS_LAMBDA_INITIALIZATION_TYPE"))
                || Boolean.parseBoolean(Env.get("SWITCHBOARD_LOCAL"))) {
            return;
        }
        CountDownLatch bound = new CountDownLatch(1);
        Thread thread = new Thread(() -> {
            try {
                // first what needs no logger, while the calling thread binds SLF4J to Log4j: Jackson's start-up
                FrameCodec.JSON.readTree("{\"warm\":[\"up\",1,true]}");
                bound.await();
                // Then the engine. Log4j lets the first thread that asks for a logger configure it while the others
                // carry on (their loggers follow when it is done); if this thread is first, the invocation's thread
                // builds the engine meanwhile instead (ready()).
                shared().engine();
                // last, while the invocation's thread reads its event: the classes its first request will load
                ColdStartClasses.preload();
            } catch (IOException | InterruptedException | RuntimeException e) {
                // the invocation's own engine() call builds it again and reports what is wrong
            }
        }, "switchboard-start");
        thread.setDaemon(true);
        thread.start();
        // SLF4J binds its provider here, before any other thread asks for a logger: one asked for while it binds
        // would be a substitute that records lines and replays them with a warning
        LoggerFactory.getILoggerFactory();
        bound.countDown();
    }

    private static volatile boolean loggingReady;

    /**
     * Gets the runtime ready for an invocation: the engine built (here, unless another thread is building it), and
     * the first time, logging's configuration finished, whichever thread does it, so that no line of the
     * invocation is lost to a half-configured Log4j. On a cold start the start thread may be the one configuring
     * logging; building the engine before waiting for it lets the two overlap. A failure to build is left to the
     * invocation's own {@link #engine()} call, which reports it inside the invocation's logging scope.
     */
    void ready() {
        try {
            engine();
        } catch (RuntimeException e) {
            // reported by the invocation
        }
        if (!loggingReady) {
            awaitLogging();
            loggingReady = true;
        }
    }

    /** Waits (at most 10 s) while another thread is configuring Log4j. */
    private static void awaitLogging() {
        if (!(LoggerFactory.getILoggerFactory() instanceof AbstractLoggerAdapter<?> adapter)) {
            return;
        }
        long deadline = System.nanoTime() + 10_000_000_000L;
        for (org.apache.logging.log4j.spi.LoggerContext context : adapter.getLoggerContexts()) {
            while (context instanceof LifeCycle lifeCycle && lifeCycle.getState() == LifeCycle.State.STARTING
                    && System.nanoTime() < deadline) {
                try {
                    Thread.sleep(1);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    public SwitchboardConfig config() {
        return config;
    }

    public ConnectAuthorizer connectAuthorizer() {
        return new ConnectAuthorizer(config, auth);
    }

    public Engine engine() {
        Engine e = engine;
        if (e == null) {
            synchronized (this) {
                e = engine;
                if (e == null) {
                    engine = e = new Engine(config, storeFactory.apply(config), senderFactory.apply(config), auth, plugins,
                        metrics, FanOutWiring.dispatcher(config, this::engine));
                }
            }
        }
        return e;
    }

    /** The engine's metrics, written as one EMF line per invocation that counted something. */
    EmfMetrics metrics() {
        return metrics;
    }

    // ------------------------------------------------------------------ default parts

    private static final class SharedMemory {
        static final InMemorySubscriptionStore STORE = new InMemorySubscriptionStore();
    }

    private static SubscriptionStore defaultStore(SwitchboardConfig config) {
        if ("memory".equals(config.store())) {
            return SharedMemory.STORE;
        }
        if (config.tableName() == null) {
            throw new IllegalStateException("TABLE_NAME is not set: the DynamoDB store needs the table's name");
        }
        DynamoDbClientBuilder builder = DynamoDbClient.builder().httpClient(UrlConnectionHttpClient.create());
        if (Env.inProcessEnvironment("AWS_ACCESS_KEY_ID") && Env.inProcessEnvironment("AWS_SECRET_ACCESS_KEY")) {
            // Lambda's own credentials are in the environment (on-demand start): read them there, rather than walk
            // the default chain (system properties, web identity, profile files, container, instance metadata) on
            // the cold path. A SnapStart restore has none there and keeps the default chain (container credentials).
            builder.credentialsProvider(EnvironmentVariableCredentialsProvider.create());
        }
        if (config.region() != null) {
            builder.region(Region.of(config.region()));
        }
        if (config.dynamoDbEndpoint() != null) {
            builder.endpointOverride(URI.create(config.dynamoDbEndpoint()));
        }
        return new DynamoDbSubscriptionStore(builder.build(), config.tableName(), Clock.systemUTC());
    }

    private static volatile ConnectionSender hostSender;

    /**
     * For a host that runs the functions in its own JVM, such as the local gateway: the sender the shared runtime's
     * engine uses instead of the API Gateway client on {@code SWITCHBOARD_CONNECTIONS_ENDPOINT}. Call it before the
     * functions are first invoked: an engine built with a host sender follows later calls (a host that restarts hands
     * in its new sender; {@code null}, no host, makes every connection gone), one built without keeps the client.
     */
    public static void useHostSender(ConnectionSender sender) {
        hostSender = sender;
    }

    /** The host's sender as it is at each call. */
    private static final class HostSender implements ConnectionSender {
        @Override
        public SendResult send(String connectionId, String frame) {
            ConnectionSender host = hostSender;
            return host == null ? SendResult.GONE : host.send(connectionId, frame);
        }

        @Override
        public SendResult send(String connectionId, String frame, long deadlineNanos) {
            ConnectionSender host = hostSender;
            return host == null ? SendResult.GONE : host.send(connectionId, frame, deadlineNanos);
        }

        @Override
        public void close(String connectionId) {
            ConnectionSender host = hostSender;
            if (host != null) {
                host.close(connectionId);
            }
        }
    }

    private static ConnectionSender defaultSender(SwitchboardConfig config) {
        if (hostSender != null) {
            return new HostSender();
        }
        if (config.connectionsEndpoint() == null) {
            throw new IllegalStateException(
                "SWITCHBOARD_CONNECTIONS_ENDPOINT is not set: the functions need the WebSocket API's @connections endpoint");
        }
        Region region = Region.of(config.region() != null ? config.region() : "us-east-1");
        return ApiGatewayConnectionSender.builder().endpoint(URI.create(config.connectionsEndpoint())).region(region)
            .maxRate(config.connectionsRps()).build();
    }
}
