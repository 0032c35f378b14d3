package io.switchboard.local;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * How to start a {@link LocalGateway}. Every field has the default the command line has; build with
 * {@code Options.builder().port(0).template(path).build()}.
 *
 * @param host              address to bind; loopback by default
 * @param port              port to bind, 0 for a free one
 * @param apiKey            the API key; null generates one ({@code da2-...})
 * @param template          the SAM template naming the functions and routes
 * @param tlsDirectory      where the self-signed certificate lives
 * @param idleTimeout       a connection without a frame from its client for this long is closed
 * @param maxConnectionTime a connection is closed after this long regardless
 * @param trace             log every frame in and out (credentials masked)
 * @param dynamoDbEndpoint  a DynamoDB-protocol server for the store instead of memory, or null
 * @param tableName         the table on {@code dynamoDbEndpoint}, created if missing
 * @param environment       extra system properties for the functions, applied last (may override the gateway's own)
 * @param workerThreads     threads invoking functions (per-connection order is kept regardless)
 * @param scheduleRate      how often every {@code Schedule} event of the template fires, instead of its own
 *                          {@code rate(...)}; null keeps the template's (the keep-alive's KeepAliveRateMinutes)
 * @param connectionsOverHttp the functions send their frames with the AWS SDK client through the {@code @connections}
 *                          API on this port, as in the cloud, instead of handing them to the socket in this JVM
 */
public record Options(
        String host,
        int port,
        String apiKey,
        Path template,
        Path tlsDirectory,
        Duration idleTimeout,
        Duration maxConnectionTime,
        boolean trace,
        URI dynamoDbEndpoint,
        String tableName,
        Map<String, String> environment,
        int workerThreads,
        Duration scheduleRate,
        boolean connectionsOverHttp) {

    public static final int DEFAULT_PORT = 8080;
    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(10);
    public static final Duration DEFAULT_MAX_CONNECTION_TIME = Duration.ofHours(2);
    public static final int DEFAULT_WORKER_THREADS = 64;
    public static final String DEFAULT_TABLE_NAME = "switchboard-local";

    public Options {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(template, "template");
        Objects.requireNonNull(tlsDirectory, "tlsDirectory");
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        Objects.requireNonNull(maxConnectionTime, "maxConnectionTime");
        Objects.requireNonNull(tableName, "tableName");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be between 0 and 65535: " + port);
        }
        if (idleTimeout.isNegative() || idleTimeout.isZero() || maxConnectionTime.isNegative() || maxConnectionTime.isZero()) {
            throw new IllegalArgumentException("timeouts must be positive");
        }
        if (workerThreads < 1) {
            throw new IllegalArgumentException("workerThreads must be at least 1");
        }
        if (scheduleRate != null && (scheduleRate.isNegative() || scheduleRate.isZero())) {
            throw new IllegalArgumentException("scheduleRate must be positive");
        }
        environment = Map.copyOf(environment);
    }

    public static Builder builder() {
        return new Builder();
    }

    public static Path defaultTlsDirectory() {
        return Path.of(System.getProperty("user.home"), ".switchboard", "tls");
    }

    /** Builder with the command line's defaults. */
    public static final class Builder {
        private String host = DEFAULT_HOST;
        private int port = DEFAULT_PORT;
        private String apiKey;
        private Path template = Path.of("template.yaml");
        private Path tlsDirectory = defaultTlsDirectory();
        private Duration idleTimeout = DEFAULT_IDLE_TIMEOUT;
        private Duration maxConnectionTime = DEFAULT_MAX_CONNECTION_TIME;
        private boolean trace;
        private URI dynamoDbEndpoint;
        private String tableName = DEFAULT_TABLE_NAME;
        private final Map<String, String> environment = new LinkedHashMap<>();
        private int workerThreads = DEFAULT_WORKER_THREADS;
        private Duration scheduleRate;
        private boolean connectionsOverHttp;

        private Builder() {
        }

        public Builder host(String host) {
            this.host = host;
            return this;
        }

        public Builder port(int port) {
            this.port = port;
            return this;
        }

        public Builder apiKey(String apiKey) {
            this.apiKey = apiKey;
            return this;
        }

        public Builder template(Path template) {
            this.template = template;
            return this;
        }

        public Builder tlsDirectory(Path tlsDirectory) {
            this.tlsDirectory = tlsDirectory;
            return this;
        }

        public Builder idleTimeout(Duration idleTimeout) {
            this.idleTimeout = idleTimeout;
            return this;
        }

        public Builder maxConnectionTime(Duration maxConnectionTime) {
            this.maxConnectionTime = maxConnectionTime;
            return this;
        }

        public Builder trace(boolean trace) {
            this.trace = trace;
            return this;
        }

        /** Use the DynamoDB store on this endpoint (e.g. {@code http://127.0.0.1:8000}) instead of the in-memory one. */
        public Builder dynamoDbEndpoint(URI dynamoDbEndpoint) {
            this.dynamoDbEndpoint = dynamoDbEndpoint;
            return this;
        }

        public Builder tableName(String tableName) {
            this.tableName = tableName;
            return this;
        }

        /** An extra system property for the functions, e.g. {@code SWITCHBOARD_STORE=dynamodb}. */
        public Builder environment(String name, String value) {
            this.environment.put(name, value);
            return this;
        }

        public Builder workerThreads(int workerThreads) {
            this.workerThreads = workerThreads;
            return this;
        }

        /** Fire every {@code Schedule} event of the template at this rate instead of its own (null: the template's). */
        public Builder scheduleRate(Duration scheduleRate) {
            this.scheduleRate = scheduleRate;
            return this;
        }

        /**
         * Have the functions send their frames with the AWS SDK client through the {@code @connections} API over HTTP,
         * as in the cloud (slower; for checking that path), instead of straight to the socket in this JVM.
         */
        public Builder connectionsOverHttp(boolean connectionsOverHttp) {
            this.connectionsOverHttp = connectionsOverHttp;
            return this;
        }

        public Options build() {
            return new Options(host, port, apiKey, template, tlsDirectory, idleTimeout, maxConnectionTime, trace,
                    dynamoDbEndpoint, tableName, environment, workerThreads, scheduleRate, connectionsOverHttp);
        }
    }
}
