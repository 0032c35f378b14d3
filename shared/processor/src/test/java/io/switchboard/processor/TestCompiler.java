package io.switchboard.processor;

import io.switchboard.api.spi.PluginRegistry;

import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.StandardLocation;
import javax.tools.ToolProvider;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Compiles fixture sources in-process with {@code javax.tools.JavaCompiler} and the processor, against the API
 * classes the test itself runs with.
 */
final class TestCompiler {

    /** One compiler error: file name, line, message, and the source text at the reported position. */
    record Error(String file, long line, String message, String at) {
        @Override
        public String toString() {
            return file + ":" + line + ": " + message;
        }
    }

    record Result(boolean success, List<Error> errors, List<String> warnings, Path classes, Path generated) {

        /** The generated sources, by path relative to the generated-sources directory. */
        List<Path> generatedSources() {
            try (Stream<Path> files = Files.walk(generated)) {
                return files.filter(Files::isRegularFile).map(generated::relativize).sorted().toList();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        String serviceFile() throws IOException {
            Path file = classes.resolve(SwitchboardProcessor.SERVICE_FILE);
            return Files.exists(file) ? Files.readString(file) : null;
        }

        /** A class loader over the compiled fixtures, with the API from the test's own class path. */
        URLClassLoader loader() throws IOException {
            return new URLClassLoader(new URL[] {classes.toUri().toURL()}, TestCompiler.class.getClassLoader());
        }
    }

    private TestCompiler() {}

    /** {@code sources}: fully qualified class name → source text. */
    static Result compile(Map<String, String> sources) throws IOException {
        Path root = Files.createTempDirectory("switchboard-processor-test");
        Path src = Files.createDirectories(root.resolve("src"));
        Path classes = Files.createDirectories(root.resolve("classes"));
        Path generated = Files.createDirectories(root.resolve("generated"));
        List<File> files = new ArrayList<>();
        for (Map.Entry<String, String> e : sources.entrySet()) {
            Path file = src.resolve(e.getKey().replace('.', '/') + ".java");
            Files.createDirectories(file.getParent());
            Files.writeString(file, e.getValue(), StandardCharsets.UTF_8);
            files.add(file.toFile());
        }
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager fm = compiler.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8)) {
            fm.setLocation(StandardLocation.CLASS_OUTPUT, List.of(classes.toFile()));
            fm.setLocation(StandardLocation.SOURCE_OUTPUT, List.of(generated.toFile()));
            fm.setLocation(StandardLocation.CLASS_PATH, List.of(apiLocation()));
            JavaCompiler.CompilationTask task = compiler.getTask(null, fm, diagnostics,
                List.of("--release", "17", "-Xlint:all,-processing") /* as the build compiles */, null, fm.getJavaFileObjectsFromFiles(files));
            task.setProcessors(List.of(new SwitchboardProcessor()));
            boolean success = task.call();
            List<Error> errors = new ArrayList<>();
            List<String> warnings = new ArrayList<>();
            for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
                String message = d.getMessage(Locale.ROOT);
                if (d.getKind() == Diagnostic.Kind.ERROR) {
                    String name = d.getSource() == null ? null : Path.of(d.getSource().toUri()).getFileName().toString();
                    String at = null;
                    if (d.getSource() != null && d.getPosition() != Diagnostic.NOPOS) {
                        String text = d.getSource().getCharContent(true).toString();
                        at = text.substring((int) d.getPosition(), Math.min(text.length(), (int) d.getPosition() + 40));
                    }
                    errors.add(new Error(name, d.getLineNumber(), message, at));
                } else if (d.getKind() == Diagnostic.Kind.WARNING || d.getKind() == Diagnostic.Kind.MANDATORY_WARNING) {
                    warnings.add(message);
                }
            }
            return new Result(success, errors, warnings, classes, generated);
        }
    }

    private static File apiLocation() {
        try {
            return new File(PluginRegistry.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
