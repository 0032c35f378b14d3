package io.switchboard.tests.template;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Where the template tests find things: the repository root ({@code switchboard.root}, else the nearest directory
 * above the working directory holding {@code template.yaml}) and the Python tools ({@code switchboard.venv}, the
 * virtualenv {@code bin/test} creates with {@code sam} and {@code cfn-lint}); and how they run those tools.
 */
final class Project {
    static final String VENV_PROPERTY = "switchboard.venv";
    static final String ROOT_PROPERTY = "switchboard.root";

    private Project() {}

    static Path root() {
        String configured = property(ROOT_PROPERTY);
        if (configured != null) {
            return Path.of(configured).toAbsolutePath().normalize();
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("template.yaml")) && Files.isRegularFile(dir.resolve("pom.xml"))) {
                return dir;
            }
        }
        throw new IllegalStateException("No template.yaml above " + Path.of("").toAbsolutePath()
            + "; set -D" + ROOT_PROPERTY + "=<repository root>");
    }

    static Path template() {
        return root().resolve("template.yaml");
    }

    /** A program of the tools virtualenv, failing the test with what to do when it is not there. */
    static Path tool(String name) {
        String venv = property(VENV_PROPERTY);
        if (venv == null) {
            fail("System property " + VENV_PROPERTY + " is not set, so sam and cfn-lint cannot be found. Run bin/test"
                + " (it creates target/venv from tests/python/requirements.txt and passes -D" + VENV_PROPERTY
                + "=<repository>/target/venv to Maven), or pass -D" + VENV_PROPERTY + "=<virtualenv> yourself.");
        }
        Path program = Path.of(venv).resolve("bin").resolve(name);
        if (!Files.isExecutable(program)) {
            fail(program + " does not exist or is not executable: " + VENV_PROPERTY + "=" + venv
                + " is not a virtualenv with tests/python/requirements.txt installed. Run bin/test to create it.");
        }
        return program;
    }

    /** What a finished tool run printed (stdout and stderr interleaved) and its exit code. */
    record Run(List<String> command, int exitCode, String output) {
        String describe() {
            return String.join(" ", command) + "\nexit code " + exitCode + ", output:\n" + output;
        }

        List<String> nonBlankLines() {
            return output.lines().filter(line -> !line.isBlank()).toList();
        }
    }

    /** Runs a command in the repository root, killing it after {@code timeoutSeconds}. */
    static Run run(long timeoutSeconds, String... command) {
        List<String> argv = List.of(command);
        ProcessBuilder builder = new ProcessBuilder(argv).directory(root().toFile()).redirectErrorStream(true);
        builder.environment().put("SAM_CLI_TELEMETRY", "0");
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start " + argv, e);
        }
        try {
            process.getOutputStream().close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        Thread reader = new Thread(() -> copy(process.getInputStream(), output), "output of " + argv.get(0));
        reader.start();
        try {
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                reader.join(5_000);
                fail(String.join(" ", argv) + " did not finish within " + timeoutSeconds + " s; output so far:\n"
                    + output.toString(StandardCharsets.UTF_8));
            }
            reader.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IllegalStateException("Interrupted while running " + argv, e);
        }
        String text;
        synchronized (output) {
            text = output.toString(StandardCharsets.UTF_8);
        }
        return new Run(new ArrayList<>(argv), process.exitValue(), text);
    }

    private static void copy(InputStream in, ByteArrayOutputStream out) {
        byte[] buffer = new byte[8192];
        try (in) {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                synchronized (out) {
                    out.write(buffer, 0, n);
                }
            }
        } catch (IOException e) {
            synchronized (out) {
                out.writeBytes(("\n[reading the output failed: " + e + "]").getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    private static String property(String name) {
        String value = System.getProperty(name);
        // An unset Maven property reaches surefire's systemPropertyVariables as the literal "${name}" or as "".
        return value == null || value.isBlank() || value.startsWith("${") ? null : value;
    }
}
