package io.switchboard.tests.bench;

import io.switchboard.local.LocalGateway;
import io.switchboard.local.Options;
import io.switchboard.local.StartException;

import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A local gateway in this JVM whose functions get a class loader of their own. The functions keep JVM-wide state
 * in statics ({@code SwitchboardRuntime.shared()} reads the configuration, API key digests included, once; the
 * in-memory store is a singleton), so a second gateway started in the same test JVM would otherwise answer with the
 * first one's configuration. Child-first for Switchboard's function-side classes (api, core, aws, functions and
 * the example app), read from private copies of their jars; everything else is shared with the test class path.
 */
public final class IsolatedGateway implements AutoCloseable {
    private static final List<String> ANCHORS = List.of("io.switchboard.functions.SwitchboardRuntime",
        "io.switchboard.core.engine.Engine", "io.switchboard.api.ChannelNamespace",
        "io.switchboard.aws.DynamoDbSubscriptionStore");

    private final LocalGateway gateway;
    private final Loader loader;

    private IsolatedGateway(LocalGateway gateway, Loader loader) {
        this.gateway = gateway;
        this.loader = loader;
    }

    /** Starts a gateway with {@code options}, its functions loaded in a fresh class loader. */
    public static IsolatedGateway start(Options options) throws StartException {
        Loader loader = Loader.create();
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(loader);
        try {
            return new IsolatedGateway(LocalGateway.start(options), loader);
        } catch (StartException | RuntimeException e) {
            loader.closeQuietly();
            throw e;
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    public LocalGateway gateway() {
        return gateway;
    }

    @Override
    public void close() {
        try {
            gateway.close();
        } finally {
            loader.closeQuietly();
        }
    }

    private static final class Loader extends URLClassLoader {
        static {
            registerAsParallelCapable();
        }

        private final List<Path> copies;

        private Loader(URL[] urls, ClassLoader parent, List<Path> copies) {
            super("switchboard-functions", urls, parent);
            this.copies = copies;
        }

        static Loader create() {
            ClassLoader parent = IsolatedGateway.class.getClassLoader();
            Set<URL> urls = new LinkedHashSet<>();
            List<Path> copies = new ArrayList<>();
            for (String anchor : ANCHORS) {
                try {
                    CodeSource source = Class.forName(anchor, false, parent).getProtectionDomain().getCodeSource();
                    Path location = Path.of(source.getLocation().toURI());
                    if (Files.isRegularFile(location)) { // a jar: copy it, a concurrent mvn install may replace it
                        Path copy = Files.createTempFile("switchboard-bench-", "-" + location.getFileName());
                        Files.copy(location, copy, StandardCopyOption.REPLACE_EXISTING);
                        copies.add(copy);
                        location = copy;
                    }
                    urls.add(location.toUri().toURL());
                } catch (ClassNotFoundException | URISyntaxException | IOException | RuntimeException e) {
                    throw new IllegalStateException("cannot locate " + anchor + " on the test class path", e);
                }
            }
            return new Loader(urls.toArray(URL[]::new), parent, copies);
        }

        private static boolean isolated(String name) {
            return name.startsWith("io.switchboard.") && !name.startsWith("io.switchboard.local.")
                && !name.startsWith("io.switchboard.tests.") && !name.startsWith("io.switchboard.testing.");
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!isolated(name)) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> type = findLoadedClass(name);
                if (type == null) {
                    try {
                        type = findClass(name);
                    } catch (ClassNotFoundException e) {
                        return super.loadClass(name, resolve);
                    }
                }
                if (resolve) {
                    resolveClass(type);
                }
                return type;
            }
        }

        @Override
        public URL getResource(String name) {
            URL own = findResource(name);
            return own != null ? own : super.getResource(name);
        }

        /** Own entries first, then the parent's, each once (ServiceLoader reads every copy it is given). */
        @Override
        public Enumeration<URL> getResources(String name) throws IOException {
            Map<String, URL> all = new LinkedHashMap<>();
            for (Enumeration<URL> own = findResources(name); own.hasMoreElements(); ) {
                URL url = own.nextElement();
                all.putIfAbsent(url.toString(), url);
            }
            for (Enumeration<URL> inherited = getParent().getResources(name); inherited.hasMoreElements(); ) {
                URL url = inherited.nextElement();
                all.putIfAbsent(url.toString(), url);
            }
            return Collections.enumeration(new ArrayList<>(all.values()));
        }

        void closeQuietly() {
            try {
                close();
            } catch (IOException e) {
                // the copies are temporary files either way
            }
            for (Path copy : copies) {
                try {
                    Files.deleteIfExists(copy);
                } catch (IOException e) {
                    copy.toFile().deleteOnExit();
                }
            }
        }
    }
}
