package io.switchboard.local;

import java.io.IOException;
import java.net.BindException;
import java.net.URI;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.switchboard.aws.DynamoDbTables;
import org.eclipse.jetty.http.HttpCompliance;
import org.eclipse.jetty.server.DetectorConnectionFactory;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Switchboard's local gateway: on one port (plain text and TLS), what API Gateway does in the
 * cloud — the WebSocket API with its authorizer, routes and {@code @connections} API, and the HTTP
 * API — hosting the function classes named in {@code template.yaml} in this JVM, whose frames are handed to the
 * sockets directly ({@code InProcessConnectionSender}) unless {@link Options#connectionsOverHttp()}.
 *
 * <p>Start it from the command line ({@code java -jar switchboard-local.jar --help}) or in-process
 * with {@link #start(Options)}; {@link #close()} closes every socket, runs {@code $disconnect} for
 * each and stops.
 */
public final class LocalGateway implements AutoCloseable {

    static final String ACCOUNT_ID = "000000000000";
    private static final Duration DISCONNECT_GRACE = Duration.ofSeconds(10);

    private final Server server;
    private final int port;
    private final String advertisedHost;
    private final String apiKey;
    private final String stage;
    private final Path certificatePath;
    private final WebSocketApi webSocketApi;
    private final ThreadPoolExecutor workers;
    private final ScheduledThreadPoolExecutor timers;
    private final Map<String, String> replacedProperties;
    private final InProcessConnectionSender inProcessSender;
    private final Runnable detachSender;
    private final AtomicBoolean closed = new AtomicBoolean();

    private LocalGateway(Server server, int port, String advertisedHost, String apiKey, String stage, Path certificatePath,
                         WebSocketApi webSocketApi, ThreadPoolExecutor workers, ScheduledThreadPoolExecutor timers,
                         Map<String, String> replacedProperties, InProcessConnectionSender inProcessSender,
                         Runnable detachSender) {
        this.server = server;
        this.port = port;
        this.advertisedHost = advertisedHost;
        this.apiKey = apiKey;
        this.stage = stage;
        this.certificatePath = certificatePath;
        this.webSocketApi = webSocketApi;
        this.workers = workers;
        this.timers = timers;
        this.replacedProperties = replacedProperties;
        this.inProcessSender = inProcessSender;
        this.detachSender = detachSender;
    }

    /** The log4j configuration of the command line: the functions' log lines as readable text, on stderr. */
    static final String LOG_CONFIGURATION = "io/switchboard/local/log4j2-local.xml";

    /** Command line entry point; see {@code --help}. */
    public static void main(String[] args) {
        // Before any logger exists: the functions' own log4j2.xml (Lambda's JSON) is on the class path too.
        if (System.getProperty("log4j2.configurationFile") == null) {
            System.setProperty("log4j2.configurationFile", LOG_CONFIGURATION);
        }
        System.exit(Cli.run(args, System.out, System.err));
    }

    /**
     * Starts a gateway: reads the template, prepares the certificate, binds the port, sets the
     * functions' system properties, loads the functions and starts serving.
     *
     * @throws StartException with a one-line message when any of that fails
     */
    public static LocalGateway start(Options options) throws StartException {
        String region = firstNonNull(options.environment().get("AWS_REGION"), System.getenv("AWS_REGION"),
                System.getProperty("AWS_REGION"), "us-east-1");
        SamTemplate template;
        try {
            template = SamTemplate.load(options.template(), region, ACCOUNT_ID);
        } catch (NoSuchFileException e) {
            throw new StartException("Template not found: " + options.template().toAbsolutePath() + " (use --template PATH)", e);
        } catch (IOException | RuntimeException e) {
            throw new StartException("Cannot use template " + options.template() + ": " + e.getMessage(), e);
        }
        TlsCertificate certificate;
        try {
            certificate = TlsCertificate.loadOrCreate(options.tlsDirectory());
        } catch (IOException e) {
            throw new StartException(e.getMessage(), e);
        }
        String apiKey = options.apiKey() != null ? options.apiKey() : Ids.apiKey();

        QueuedThreadPool jettyThreads = new QueuedThreadPool(200, 8);
        jettyThreads.setName("switchboard-http");
        jettyThreads.setDaemon(true);
        Server server = new Server(jettyThreads);
        server.setStopTimeout(2000);
        ServerConnector connector = connector(server, certificate, options);
        try {
            connector.open();
        } catch (IOException e) {
            if (e instanceof BindException || e.getCause() instanceof BindException) {
                throw new StartException("Port " + options.port() + " is already in use on " + options.host()
                        + " (choose another with --port, or --port 0 for any free port)", e);
            }
            throw new StartException("Cannot listen on " + options.host() + ":" + options.port() + ": " + e.getMessage(), e);
        }
        int port = connector.getLocalPort();
        String advertisedHost = advertisedHost(options.host());

        ThreadPoolExecutor workers = new ThreadPoolExecutor(options.workerThreads(), options.workerThreads(),
                60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), daemonThreads("switchboard-fn"));
        workers.allowCoreThreadTimeOut(true);
        ScheduledThreadPoolExecutor timers = new ScheduledThreadPoolExecutor(1, daemonThreads("switchboard-timer"));
        timers.setRemoveOnCancelPolicy(true);

        GatewayLog log = new GatewayLog(System.err, options.trace());
        template.httpRoutes().stream()
                .filter(route -> route.authorizer() != null && !HttpApi.IAM.equals(route.authorizer()))
                .forEach(route -> log.warn("authorizer " + route.authorizer() + " of " + route.routeKey()
                        + " is not emulated; the route is served without it"));
        String connectionsEndpoint = "http://" + advertisedHost + ":" + port + "/" + template.stage();
        Map<String, String> replaced = applySystemProperties(template, options, region, apiKey, connectionsEndpoint, log);
        Runnable detachSender = () -> { };
        try {
            ClassLoader loader = Thread.currentThread().getContextClassLoader() != null
                    ? Thread.currentThread().getContextClassLoader() : LocalGateway.class.getClassLoader();
            if (options.dynamoDbEndpoint() != null) {
                createTable(options.dynamoDbEndpoint(), options.tableName(), region);
            }
            Functions functions = Functions.load(template, loader, region, ACCOUNT_ID);
            String domainName = advertisedHost + ":" + port;
            Events events = new Events(Ids.apiId(), Ids.apiId(), template.stage(), domainName, port, region, ACCOUNT_ID);
            WebSocketApi webSocketApi = new WebSocketApi(template, functions, events, log, workers, timers,
                    options.idleTimeout(), options.maxConnectionTime());
            InProcessConnectionSender inProcessSender = null;
            if (!options.connectionsOverHttp()) {
                // before the functions' first invocation builds their engine
                inProcessSender = new InProcessConnectionSender(webSocketApi, log);
                detachSender = inProcessSender.install(loader);
            }
            HttpApi httpApi = new HttpApi(template.httpRoutes(), functions, events, log, workers);
            scheduleEvents(template, options, functions, events, log, workers, timers);
            Console console = new Console(loader, "http://" + domainName + "/event", "ws://" + domainName + "/event/realtime", apiKey);
            WebSocketUpgradeHandler upgradeHandler = WebSocketUpgradeHandler.from(server, container -> {
                container.setMaxFrameSize(WebSocketApi.MAX_FRAME_BYTES);
                container.setAutoFragment(false);
                container.setMaxTextMessageSize(WebSocketApi.MAX_MESSAGE_BYTES);
                container.setMaxBinaryMessageSize(WebSocketApi.MAX_MESSAGE_BYTES);
                // The gateway's own timers enforce API Gateway's idle and lifetime limits.
                container.setIdleTimeout(options.maxConnectionTime().plusMinutes(1));
            });
            upgradeHandler.setHandler(new Router(webSocketApi, new ConnectionsApi(webSocketApi, template.stage()), httpApi, console,
                    template.stage(), upgradeHandler.getServerWebSocketContainer()));
            server.setHandler(upgradeHandler);
            server.start();
            return new LocalGateway(server, port, advertisedHost, apiKey, template.stage(), certificate.certificatePath(),
                    webSocketApi, workers, timers, replaced, inProcessSender, detachSender);
        } catch (StartException e) {
            detachSender.run();
            abort(server, connector, workers, timers, replaced);
            throw e;
        } catch (Exception e) {
            detachSender.run();
            abort(server, connector, workers, timers, replaced);
            throw new StartException("Cannot start the gateway: " + e, e);
        }
    }

    /**
     * Emulates EventBridge for the template's {@code Schedule} events (the keep-alive): each function is invoked with
     * a scheduled event at its {@code rate(...)}, or at {@link Options#scheduleRate()}; {@code cron(...)} is not
     * emulated and only warned about.
     */
    private static void scheduleEvents(SamTemplate template, Options options, Functions functions, Events events, GatewayLog log,
                                       ThreadPoolExecutor workers, ScheduledThreadPoolExecutor timers) {
        for (SamTemplate.Schedule schedule : template.schedules()) {
            Duration rate = options.scheduleRate() != null ? options.scheduleRate() : schedule.rate();
            if (rate == null) {
                log.warn("schedule " + schedule.expression() + " of " + schedule.functionId() + " is not emulated (only rate(...) is)");
                continue;
            }
            String rule = "switchboard-local-" + schedule.functionId() + schedule.eventName();
            Runnable invoke = () -> {
                log.trace(schedule.functionId(), "<-", "scheduled event " + schedule.eventName());
                try {
                    functions.invoke(schedule.functionId(), events.scheduled(rule, java.util.UUID.randomUUID().toString(),
                            System.currentTimeMillis()), java.util.UUID.randomUUID().toString());
                } catch (LambdaFunction.InvocationException e) {
                    log.error(e.getMessage() + " on the schedule " + schedule.eventName() + " of " + schedule.functionId(), e.getCause());
                }
            };
            timers.scheduleAtFixedRate(() -> workers.execute(invoke), rate.toMillis(), rate.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** Creates the subscription table on a local DynamoDB-protocol server, as the stack does in the cloud. */
    private static void createTable(URI endpoint, String tableName, String region) throws StartException {
        try (DynamoDbClient client = DynamoDbClient.builder()
                .endpointOverride(endpoint)
                .region(Region.of(region))
                .httpClient(UrlConnectionHttpClient.create())
                .build()) {
            DynamoDbTables.createIfMissing(client, tableName);
        } catch (RuntimeException e) {
            throw new StartException("Cannot prepare table " + tableName + " at " + endpoint + ": " + e.getMessage(), e);
        }
    }

    private static ServerConnector connector(Server server, TlsCertificate certificate, Options options) throws StartException {
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendDateHeader(true);
        // Keep header names as the client cased them: API Gateway passes them through that way.
        http.setHttpCompliance(HttpCompliance.RFC9110.with("switchboard", HttpCompliance.Violation.CASE_SENSITIVE_FIELD_NAME));
        // ... and their values exactly as sent: Jetty's header cache would otherwise hand back its own spelling of
        // common values (e.g. "charset=utf-8" for "charset=UTF-8"), which breaks SigV4 signatures over them.
        http.setHeaderCacheCaseSensitive(true);
        SecureRequestCustomizer secure = new SecureRequestCustomizer();
        secure.setSniHostCheck(false);
        http.addCustomizer(secure);
        HttpConnectionFactory plain = new HttpConnectionFactory(http);

        SslContextFactory.Server ssl = new SslContextFactory.Server();
        byte[] secret = new byte[16];
        new SecureRandom().nextBytes(secret);
        char[] password = HexFormat.of().formatHex(secret).toCharArray();
        try {
            ssl.setKeyStore(certificate.keyStore(password));
        } catch (GeneralSecurityException | IOException e) {
            throw new StartException("Cannot use the TLS certificate " + certificate.certificatePath() + ": " + e.getMessage(), e);
        }
        ssl.setKeyStorePassword(new String(password));
        ssl.setSniRequired(false);
        SslConnectionFactory tls = new SslConnectionFactory(ssl, plain.getProtocol());
        // Sniff each connection: a TLS ClientHello goes to TLS, anything else is plain HTTP.
        DetectorConnectionFactory detector = new DetectorConnectionFactory(tls);

        ServerConnector connector = new ServerConnector(server, detector, plain);
        connector.setHost(options.host());
        connector.setPort(options.port());
        connector.setIdleTimeout(Duration.ofSeconds(65).toMillis());
        server.addConnector(connector);
        return connector;
    }

    /**
     * Sets the system properties the functions read (they fall back from environment variables to
     * system properties of the same name) and returns the previous values, to restore on close.
     */
    private static Map<String, String> applySystemProperties(SamTemplate template, Options options, String region, String apiKey,
                                                             String connectionsEndpoint, GatewayLog log) {
        Map<String, String> properties = new LinkedHashMap<>(template.environment());
        properties.put("SWITCHBOARD_LOCAL", "true");
        if (options.dynamoDbEndpoint() == null) {
            properties.put("SWITCHBOARD_STORE", "memory");
        } else {
            properties.put("SWITCHBOARD_STORE", "dynamodb");
            properties.put("SWITCHBOARD_DYNAMODB_ENDPOINT", options.dynamoDbEndpoint().toString());
            properties.put("TABLE_NAME", options.tableName());
        }
        properties.put("SWITCHBOARD_CONNECTIONS_ENDPOINT", connectionsEndpoint);
        properties.put("SWITCHBOARD_API_KEYS", Ids.sha256Hex(apiKey));
        // the gateway prints a readable line per request instead of the functions' EMF metric lines
        properties.put("POWERTOOLS_METRICS_DISABLED", "true");
        properties.put("AWS_REGION", region);
        if (System.getProperty("aws.region") == null) {
            properties.put("aws.region", region);
        }
        if (!hasAwsCredentials()) {
            properties.put("aws.accessKeyId", "local");
            properties.put("aws.secretAccessKey", "local");
        }
        properties.putAll(options.environment());
        for (String name : List.of("SWITCHBOARD_LOCAL", "SWITCHBOARD_STORE", "SWITCHBOARD_CONNECTIONS_ENDPOINT", "SWITCHBOARD_API_KEYS")) {
            if (System.getenv(name) != null && !options.environment().containsKey(name)) {
                log.warn("the environment variable " + name + " is set; functions that prefer environment variables "
                        + "over system properties will use it instead of the gateway's value");
            }
        }
        Map<String, String> previous = new LinkedHashMap<>();
        properties.forEach((name, value) -> {
            previous.put(name, System.getProperty(name));
            System.setProperty(name, value);
        });
        return previous;
    }

    private static boolean hasAwsCredentials() {
        for (String name : List.of("AWS_ACCESS_KEY_ID", "AWS_PROFILE", "AWS_WEB_IDENTITY_TOKEN_FILE",
                "AWS_CONTAINER_CREDENTIALS_FULL_URI", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI")) {
            if (System.getenv(name) != null) {
                return true;
            }
        }
        return System.getProperty("aws.accessKeyId") != null;
    }

    private static String advertisedHost(String host) {
        if (host.isEmpty() || host.equals("0.0.0.0")) {
            return "127.0.0.1";
        }
        if (host.equals("::") || host.equals("[::]")) {
            return "[::1]";
        }
        return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger counter = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + "-" + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    private static void abort(Server server, ServerConnector connector, ThreadPoolExecutor workers, ScheduledThreadPoolExecutor timers,
                              Map<String, String> replaced) {
        try {
            server.stop();
        } catch (Exception e) {
            // already failing to start; the original failure is what the user needs
        }
        connector.close();
        workers.shutdownNow();
        timers.shutdownNow();
        restore(replaced);
    }

    private static void restore(Map<String, String> replaced) {
        replaced.forEach((name, value) -> {
            if (value == null) {
                System.clearProperty(name);
            } else {
                System.setProperty(name, value);
            }
        });
    }

    @SafeVarargs
    private static <T> T firstNonNull(T... values) {
        for (T value : values) {
            if (value != null) {
                return value;
            }
        }
        return null;
    }

    /** The port the gateway listens on (plain text and TLS). */
    public int port() {
        return port;
    }

    /** The API key; its SHA-256 is in the functions' {@code SWITCHBOARD_API_KEYS}. */
    public String apiKey() {
        return apiKey;
    }

    /** The self-signed certificate (PEM) served for TLS; trust it with {@code NODE_EXTRA_CA_CERTS}. */
    public Path certificatePath() {
        return certificatePath;
    }

    /** The WebSocket API's stage, from the template ({@code @connections} lives under it). */
    public String stage() {
        return stage;
    }

    /** {@code http://127.0.0.1:PORT/event}: the HTTP publish endpoint, and what Amplify's {@code endpoint} is set to. */
    public URI httpEndpoint() {
        return URI.create("http://" + advertisedHost + ":" + port + "/event");
    }

    /** {@code ws://127.0.0.1:PORT/event/realtime}; the same path over {@code wss://} on the same port. */
    public URI realtimeEndpoint() {
        return URI.create("ws://" + advertisedHost + ":" + port + "/event/realtime");
    }

    /** {@code http://127.0.0.1:PORT/{stage}}: the endpoint override for {@code ApiGatewayManagementApiClient}. */
    public URI connectionsEndpoint() {
        return URI.create("http://" + advertisedHost + ":" + port + "/" + stage);
    }

    /** {@code http://127.0.0.1:PORT/}: the browser console. */
    public URI consoleUrl() {
        return URI.create("http://" + advertisedHost + ":" + port + "/");
    }

    /** The sender the hosted functions were given; null with {@link Options#connectionsOverHttp()}. */
    InProcessConnectionSender inProcessSender() {
        return inProcessSender;
    }

    /** Number of open WebSocket connections. */
    public int connectionCount() {
        return webSocketApi.size();
    }

    /** Closes every socket (1001), runs {@code $disconnect} for each, stops serving and restores the system properties. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            webSocketApi.closeAll(DISCONNECT_GRACE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            server.stop();
        } catch (Exception e) {
            System.err.println("WARN stopping the HTTP server: " + e);
        }
        workers.shutdown();
        try {
            workers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        timers.shutdownNow();
        detachSender.run();
        restore(replacedProperties);
    }
}
