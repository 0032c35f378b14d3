package io.switchboard.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs dynalite, a DynamoDB-protocol server on Node.js pinned in {@code tests/node}, for tests: on a free loopback
 * port, in memory or on a LevelDB folder, until {@link #close()}. Installs the pinned Node packages with
 * {@code npm ci} when they are missing. Tests use it instead of DynamoDB Local, whose licence we cannot accept.
 *
 * <p>dynalite has no transactions and no {@code UpdateTimeToLive}; everything else the stores use works.
 */
public final class Dynalite implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration NPM_TIMEOUT = Duration.ofMinutes(10);

    private final Path nodeDir;
    private final Path cli;
    private final Path dataDir;
    private final int port;
    private final Path log;
    private Process process;

    private Dynalite(Path nodeDir, Path dataDir, int port) throws IOException {
        this.nodeDir = nodeDir;
        this.cli = nodeDir.resolve("node_modules/dynalite/cli.js");
        this.dataDir = dataDir;
        this.port = port;
        this.log = Files.createTempFile("dynalite-" + port + "-", ".log");
        log.toFile().deleteOnExit();
    }

    /** Starts an in-memory server on a free port. */
    public static Dynalite start() {
        return launch(null);
    }

    /** Starts a server that keeps its data in {@code dataDir}, so that it survives {@link #stop()} and {@link #restart()}. */
    public static Dynalite startPersistent(Path dataDir) {
        return launch(dataDir);
    }

    private static Dynalite launch(Path dataDir) {
        try {
            Path nodeDir = repositoryRoot().resolve("tests/node");
            requireNode();
            installPackagesIfMissing(nodeDir);
            Dynalite dynalite = new Dynalite(nodeDir, dataDir, freePort());
            dynalite.restart();
            return dynalite;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code http://127.0.0.1:<port>}, for the SDK's {@code endpointOverride}. */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    public int port() {
        return port;
    }

    /** Starts the server again on the same port (after {@link #stop()}); a running server is stopped first. */
    public synchronized void restart() {
        stop();
        List<String> command = new ArrayList<>(List.of("node", cli.toString(), "--host", "127.0.0.1",
            "--port", Integer.toString(port), "--createTableMs", "0", "--deleteTableMs", "0", "--updateTableMs", "0"));
        if (dataDir != null) {
            command.add("--path");
            command.add(dataDir.toString());
        }
        try {
            process = new ProcessBuilder(command).directory(nodeDir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        } catch (IOException e) {
            throw new IllegalStateException("Could not start dynalite (" + String.join(" ", command) + ")", e);
        }
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!answers(port)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("dynalite exited with status " + process.exitValue() + " on start: "
                    + logTail());
            }
            if (System.nanoTime() > deadline) {
                stop();
                throw new IllegalStateException("dynalite did not listen on port " + port + " within "
                    + START_TIMEOUT.toSeconds() + " s: " + logTail());
            }
            pause(Duration.ofMillis(50));
        }
    }

    /** Stops the server and its child processes, and waits until the port no longer answers. */
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        Process p = process;
        if (p.isAlive()) {
            resume(); // a suspended process would hold SIGTERM until continued
        }
        process = null;
        p.descendants().forEach(ProcessHandle::destroy);
        p.destroy();
        try {
            if (!p.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly().waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
        }
        long deadline = System.nanoTime() + STOP_TIMEOUT.toNanos();
        while (answers(port) && System.nanoTime() < deadline) {
            pause(Duration.ofMillis(20));
        }
    }

    /**
     * Freezes the server ({@code SIGSTOP}): it keeps accepting connections but answers nothing, as a hung server
     * does, until {@link #resume()}. POSIX only.
     */
    public synchronized void suspend() {
        signal("-STOP");
    }

    /** Lets a {@link #suspend() suspended} server run again. */
    public synchronized void resume() {
        signal("-CONT");
    }

    private void signal(String signal) {
        if (process == null) {
            throw new IllegalStateException("dynalite is not running");
        }
        try {
            Process kill = new ProcessBuilder("kill", signal, Long.toString(process.pid())).redirectErrorStream(true).start();
            String output = new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill " + signal + " " + process.pid() + " failed: " + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not run kill " + signal, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while signalling dynalite", e);
        }
    }

    @Override
    public void close() {
        stop();
    }

    // --- setup -----------------------------------------------------------------------------------------------------

    /** The nearest ancestor of the working directory holding {@code tests/node/package.json}. */
    static Path repositoryRoot() {
        Path start = Path.of("").toAbsolutePath();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("tests/node/package.json"))) {
                return dir;
            }
        }
        throw new IllegalStateException("Cannot find the repository root (a folder with tests/node/package.json) "
            + "above " + start + "; run the tests from inside the Switchboard repository");
    }

    private static void requireNode() {
        try {
            Process p = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
            String version = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("'node --version' failed: " + version);
            }
        } catch (IOException e) {
            throw new IllegalStateException("Node.js is not installed or not on the PATH ('node' could not be run). "
                + "The DynamoDB tests run dynalite on Node.js 18 or later: install Node.js and run the tests again.", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while checking for Node.js", e);
        }
    }

    /** Runs {@code npm ci} once, under a file lock so that parallel test JVMs do not install at the same time. */
    private static void installPackagesIfMissing(Path nodeDir) throws IOException {
        Path marker = nodeDir.resolve("node_modules/dynalite/cli.js");
        if (Files.isRegularFile(marker)) {
            return;
        }
        Path lockFile = Path.of(System.getProperty("java.io.tmpdir"), "switchboard-npm-ci.lock");
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock ignored = channel.lock()) {
            if (Files.isRegularFile(marker)) {
                return;
            }
            Path npmLog = Files.createTempFile("npm-ci-", ".log");
            Process npm;
            try {
                npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund").directory(nodeDir.toFile())
                    .redirectErrorStream(true).redirectOutput(npmLog.toFile()).start();
            } catch (IOException e) {
                throw new IllegalStateException("npm is not on the PATH; it installs dynalite into " + nodeDir, e);
            }
            boolean done = npm.waitFor(NPM_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            if (!done || npm.exitValue() != 0 || !Files.isRegularFile(marker)) {
                npm.destroyForcibly();
                throw new IllegalStateException("'npm ci' in " + nodeDir + " failed; its output is in " + npmLog + ":\n"
                    + tail(npmLog));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while installing dynalite", e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static boolean answers(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void pause(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for dynalite", e);
        }
    }

    private String logTail() {
        return "output in " + log + ":\n" + tail(log);
    }

    private static String tail(Path file) {
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            return text.length() > 4000 ? text.substring(text.length() - 4000) : text;
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }
}
