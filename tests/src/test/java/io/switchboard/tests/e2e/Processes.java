package io.switchboard.tests.e2e;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the external programs the suites drive (curl, node) with a hard time limit. */
public final class Processes {

    /** A finished run: exit code, and stdout and stderr kept apart. */
    public record Run(List<String> command, int exitCode, String stdout, String stderr) {
        public String describe() {
            return String.join(" ", command) + "\nexit code " + exitCode + "\n--- stdout ---\n" + stdout
                    + "\n--- stderr ---\n" + stderr;
        }
    }

    private Processes() {
    }

    /** The absolute path of {@code program} on the PATH, failing the test with {@code hint} when it is not there. */
    static Path onPath(String program, String hint) {
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(java.io.File.pathSeparator)) {
                if (dir.isEmpty()) {
                    continue;
                }
                Path candidate = Path.of(dir, program);
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                    return candidate;
                }
            }
        }
        return fail("'" + program + "' is not on the PATH (" + path + "). " + hint);
    }

    /** Runs {@code command} in {@code directory}, killing it (and its children) after {@code timeout}. */
    public static Run run(Path directory, Map<String, String> environment, Duration timeout, List<String> command) {
        ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile());
        builder.environment().putAll(environment);
        Process process;
        try {
            process = builder.start();
            process.getOutputStream().close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        Thread out = copier(process.getInputStream(), stdout, "stdout of " + command.get(0));
        Thread err = copier(process.getErrorStream(), stderr, "stderr of " + command.get(0));
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                out.join(5_000);
                err.join(5_000);
                fail(String.join(" ", command) + " did not finish within " + timeout.toSeconds() + " s and was killed."
                        + "\n--- stdout ---\n" + text(stdout) + "\n--- stderr ---\n" + text(stderr));
            }
            out.join(10_000);
            err.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            throw new AssertionError("interrupted while running " + command, e);
        }
        return new Run(command, process.exitValue(), text(stdout), text(stderr));
    }

    private static Thread copier(InputStream in, ByteArrayOutputStream sink, String name) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[8192];
            try (in) {
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    synchronized (sink) {
                        sink.write(buffer, 0, n);
                    }
                }
            } catch (IOException e) {
                synchronized (sink) {
                    sink.writeBytes(("\n[reading failed: " + e + "]").getBytes(StandardCharsets.UTF_8));
                }
            }
        }, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private static String text(ByteArrayOutputStream bytes) {
        synchronized (bytes) {
            return bytes.toString(StandardCharsets.UTF_8);
        }
    }
}
