package io.switchboard.local;

import java.io.PrintStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/** The command line: flags, the {@code keygen} subcommand, the banner, and Ctrl-C. */
final class Cli {

    static final int EXIT_OK = 0;
    static final int EXIT_USAGE = 2;
    static final String READY = "Switchboard local gateway ready on port ";

    private static final String USAGE = """
            Usage: java -jar switchboard-local.jar [options]
                   java -jar switchboard-local.jar keygen

            Runs the WebSocket and HTTP APIs of template.yaml on one port, plain text and TLS,
            with the functions it names hosted in this JVM.

            Options:
              --port N                      port to listen on (default 8080; 0 picks a free one)
              --host HOST                   address to bind (default 127.0.0.1)
              --api-key KEY                 API key to accept (default: a new da2-... key)
              --template PATH               SAM template (default template.yaml)
              --tls-dir DIR                 where cert.pem and key.pem live (default ~/.switchboard/tls)
              --idle-timeout-seconds N      close connections idle this long (default 600)
              --max-connection-seconds N    close connections open this long (default 7200)
              --dynamodb-endpoint URL       keep subscriptions in DynamoDB at URL instead of memory
              --table NAME                  table on that endpoint, created if missing (default switchboard-local)
              --env NAME=VALUE              extra system property for the functions (repeatable)
              --workers N                   threads invoking functions (default 64)
              --schedule-rate-seconds N     fire the template's Schedule events (the keep-alive) every N s
                                            instead of at their own rate(...)
              --connections-over-http       the functions send frames with the AWS SDK client through the
                                            @connections API over HTTP, as in the cloud (slower), instead
                                            of handing them to the socket in this JVM
              --trace                       log every frame in and out (credentials masked)
              --help                        show this help

            keygen prints a new API key and its SHA-256 digest (the value for ApiKeyHashes).
            """;

    private Cli() {
    }

    /** Runs the command line; returns the exit code (serving blocks until Ctrl-C). */
    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length > 0 && args[0].equals("keygen")) {
            if (args.length > 1) {
                err.println("keygen takes no arguments");
                return EXIT_USAGE;
            }
            String key = Ids.apiKey();
            out.println("API key: " + key);
            out.println("SHA-256: " + Ids.sha256Hex(key));
            return EXIT_OK;
        }
        Options options;
        try {
            options = parse(args);
        } catch (HelpRequested e) {
            out.print(USAGE);
            return EXIT_OK;
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage() + " (see --help)");
            return EXIT_USAGE;
        }
        LocalGateway gateway;
        try {
            gateway = LocalGateway.start(options);
        } catch (StartException e) {
            err.println(e.getMessage());
            return EXIT_USAGE;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runnable stop = () -> {
            gateway.close();
            stopped.countDown();
        };
        // Ctrl-C and SIGTERM: close, run every $disconnect, exit 0. The hook covers any other way the JVM ends.
        Runtime.getRuntime().addShutdownHook(new Thread(stop, "switchboard-shutdown"));
        Signals.onInterrupt(stop);
        out.print(banner(gateway, options));
        out.flush();
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return EXIT_OK;
    }

    static String banner(LocalGateway gateway, Options options) {
        String secure = gateway.realtimeEndpoint().toString().replaceFirst("^ws:", "wss:");
        String store = options.dynamoDbEndpoint() == null ? "in memory"
                : "DynamoDB at " + options.dynamoDbEndpoint() + ", table " + options.tableName();
        return """
                Switchboard local gateway
                  HTTP endpoint       %s
                  Realtime endpoint   %s
                                      %s
                  API key             %s
                  TLS certificate     %s
                  Console             %s
                  @connections        %s/@connections/{connectionId}
                  Store               %s
                %s%d
                """.formatted(gateway.httpEndpoint(), gateway.realtimeEndpoint(), secure, gateway.apiKey(),
                gateway.certificatePath().toAbsolutePath(), gateway.consoleUrl(), gateway.connectionsEndpoint(), store,
                READY, gateway.port());
    }

    static Options parse(String[] args) throws HelpRequested {
        Options.Builder builder = Options.builder();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String value = null;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                value = arg.substring(eq + 1);
                arg = arg.substring(0, eq);
            }
            switch (arg) {
                case "--help", "-h" -> throw new HelpRequested();
                case "--trace" -> builder.trace(true);
                case "--connections-over-http" -> builder.connectionsOverHttp(true);
                case "--port" -> builder.port(integer(arg, value != null ? value : next(args, ++i, arg), 0, 65535));
                case "--host" -> builder.host(value != null ? value : next(args, ++i, arg));
                case "--api-key" -> builder.apiKey(nonEmpty(arg, value != null ? value : next(args, ++i, arg)));
                case "--template" -> builder.template(Path.of(value != null ? value : next(args, ++i, arg)));
                case "--tls-dir" -> builder.tlsDirectory(Path.of(value != null ? value : next(args, ++i, arg)));
                case "--idle-timeout-seconds" -> builder.idleTimeout(
                        Duration.ofSeconds(integer(arg, value != null ? value : next(args, ++i, arg), 1, Integer.MAX_VALUE)));
                case "--max-connection-seconds" -> builder.maxConnectionTime(
                        Duration.ofSeconds(integer(arg, value != null ? value : next(args, ++i, arg), 1, Integer.MAX_VALUE)));
                case "--dynamodb-endpoint" -> builder.dynamoDbEndpoint(url(arg, value != null ? value : next(args, ++i, arg)));
                case "--table" -> builder.tableName(nonEmpty(arg, value != null ? value : next(args, ++i, arg)));
                case "--workers" -> builder.workerThreads(integer(arg, value != null ? value : next(args, ++i, arg), 1, 10_000));
                case "--schedule-rate-seconds" -> builder.scheduleRate(
                        Duration.ofSeconds(integer(arg, value != null ? value : next(args, ++i, arg), 1, Integer.MAX_VALUE)));
                case "--env" -> {
                    String pair = value != null ? value : next(args, ++i, arg);
                    int split = pair.indexOf('=');
                    if (split <= 0) {
                        throw new IllegalArgumentException("--env expects NAME=VALUE, got " + pair);
                    }
                    builder.environment(pair.substring(0, split), pair.substring(split + 1));
                }
                default -> throw new IllegalArgumentException("Unknown option " + args[i]);
            }
        }
        return builder.build();
    }

    private static String next(String[] args, int index, String flag) {
        if (index >= args.length) {
            throw new IllegalArgumentException(flag + " needs a value");
        }
        return args[index];
    }

    private static URI url(String flag, String value) {
        try {
            URI uri = new URI(value);
            if (uri.getScheme() == null || uri.getHost() == null) {
                throw new IllegalArgumentException(flag + " expects a URL such as http://127.0.0.1:8000, got " + value);
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(flag + " expects a URL such as http://127.0.0.1:8000, got " + value, e);
        }
    }

    private static String nonEmpty(String flag, String value) {
        if (value.isBlank()) {
            throw new IllegalArgumentException(flag + " must not be empty");
        }
        return value;
    }

    private static int integer(String flag, String value, int min, int max) {
        try {
            int n = Integer.parseInt(value);
            if (n < min || n > max) {
                throw new IllegalArgumentException(flag + " must be between " + min + " and " + max + ", got " + value);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + " expects a number, got " + value, e);
        }
    }

    /** {@code --help} was given. */
    static final class HelpRequested extends Exception {
        private static final long serialVersionUID = 1L;
    }
}
