package io.switchboard.tests.support;

import io.switchboard.local.LocalGateway;
import io.switchboard.local.Options;
import io.switchboard.local.StartException;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
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
import java.util.concurrent.Callable;

/**
 * A local gateway started in this JVM whose functions get a class loader of their own. The functions keep JVM-wide
 * state in statics — {@code SwitchboardRuntime.shared()} reads the configuration (store, table, {@code @connections}
 * endpoint, API key digests) once, the in-memory store is a singleton — so a second gateway in the same test JVM
 * would otherwise silently talk to the first one's store and configuration.
 *
 * <p>The loader is child-first for Switchboard's function-side classes (api, core, aws, functions and the example
 * app), read from private copies of their jars, so that a concurrent {@code mvn install} cannot change them under the
 * running functions. Everything else (the JDK, the Lambda runtime interfaces and events the gateway hands in, the AWS
 * SDK, Jackson, logging, the gateway itself, the tests) comes from the test class path, shared, as in one Lambda
 * sandbox.
 */
public final class IsolatedGateway implements AutoCloseable {

    private final LocalGateway gateway;
    private final FunctionsClassLoader functions;

    private IsolatedGateway(LocalGateway gateway, FunctionsClassLoader functions) {
        this.gateway = gateway;
        this.functions = functions;
    }

    /** Starts a gateway with {@code options}, its functions loaded in a fresh class loader. */
    public static IsolatedGateway start(Options options) throws StartException {
        FunctionsClassLoader functions = FunctionsClassLoader.create();
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(functions);
        try {
            return new IsolatedGateway(LocalGateway.start(options), functions);
        } catch (StartException | RuntimeException | Error e) {
            functions.closeQuietly();
            throw e;
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    public LocalGateway gateway() {
        return gateway;
    }

    /** The class loader of this gateway's functions: load their classes through it to see their state. */
    public ClassLoader functions() {
        return functions;
    }

    /**
     * Runs {@code call} with the functions' class loader as the context class loader; the cause of an
     * {@link InvocationTargetException} (reflection into the functions) is rethrown as it is when unchecked.
     */
    public <T> T inFunctions(Callable<T> call) {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(functions);
        try {
            return call.call();
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            throw cause instanceof RuntimeException r ? r : new IllegalStateException(cause);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    /** A subscription the functions' store holds, as a publish would find it. */
    public record Subscriber(String connectionId, String subscriptionId) {
    }

    /**
     * What the functions' own store ({@code SwitchboardRuntime.shared().engine().store()}, in memory or on a
     * DynamoDB endpoint) returns for a publish to {@code channel}: the subscriptions a publish would reach.
     */
    public List<Subscriber> subscribers(String channel) {
        return inFunctions(() -> {
            Object store = engineStore();
            Class<?> pathType = functions.loadClass("io.switchboard.core.channel.ChannelPath");
            Object path = pathType.getMethod("parse", String.class).invoke(null, channel);
            Class<?> storeType = functions.loadClass("io.switchboard.core.spi.SubscriptionStore");
            List<?> found = (List<?>) storeType.getMethod("findSubscribers", pathType).invoke(store, path);
            List<Subscriber> result = new ArrayList<>();
            for (Object subscriber : found) {
                Method connectionId = subscriber.getClass().getMethod("connectionId");
                Method subscriptionId = subscriber.getClass().getMethod("subscriptionId");
                result.add(new Subscriber((String) connectionId.invoke(subscriber), (String) subscriptionId.invoke(subscriber)));
            }
            return result;
        });
    }

    /** The simple name of the store class the functions actually use. */
    public String storeClass() {
        return inFunctions(() -> engineStore().getClass().getSimpleName());
    }

    private Object engineStore() throws Exception {
        Class<?> runtimeType = functions.loadClass("io.switchboard.functions.SwitchboardRuntime");
        Object runtime = runtimeType.getMethod("shared").invoke(null);
        Object engine = runtimeType.getMethod("engine").invoke(runtime);
        return engine.getClass().getMethod("store").invoke(engine);
    }

    /** Stops the gateway, then closes the class loader and deletes its jar copies. */
    @Override
    public void close() {
        try {
            gateway.close();
        } finally {
            functions.closeQuietly();
        }
    }

    private static final class FunctionsClassLoader extends URLClassLoader {

        static {
            registerAsParallelCapable();
        }

        /** One class per module whose code must be private to a gateway. */
        private static final List<String> ANCHORS = List.of(
                "io.switchboard.functions.SwitchboardRuntime",  // functions + the example namespaces + generated registry
                "io.switchboard.core.engine.Engine",
                "io.switchboard.api.ChannelNamespace",
                "io.switchboard.aws.DynamoDbSubscriptionStore");

        private final List<Path> copies;

        private FunctionsClassLoader(URL[] urls, ClassLoader parent, List<Path> copies) {
            super("switchboard-functions", urls, parent);
            this.copies = copies;
        }

        static FunctionsClassLoader create() {
            ClassLoader parent = IsolatedGateway.class.getClassLoader();
            Set<URL> urls = new LinkedHashSet<>();
            List<Path> copies = new ArrayList<>();
            Set<Path> seen = new java.util.HashSet<>();
            try {
                for (String anchor : ANCHORS) {
                    try {
                        CodeSource source = Class.forName(anchor, false, parent).getProtectionDomain().getCodeSource();
                        if (source == null || source.getLocation() == null) {
                            throw new IllegalStateException("no code source for " + anchor);
                        }
                        Path location = Path.of(source.getLocation().toURI());
                        if (!seen.add(location)) {
                            continue;
                        }
                        if (Files.isRegularFile(location)) { // a jar: copy it, a concurrent mvn install may replace it
                            Path copy = Files.createTempFile("switchboard-functions-", "-" + location.getFileName());
                            copy.toFile().deleteOnExit(); // should a test forget to close the gateway
                            copies.add(copy);
                            Files.copy(location, copy, StandardCopyOption.REPLACE_EXISTING);
                            location = copy;
                        } // a classes directory is used as it is
                        urls.add(location.toUri().toURL());
                    } catch (ClassNotFoundException | URISyntaxException | IOException e) {
                        throw new IllegalStateException("cannot locate " + anchor + " on the test class path", e);
                    }
                }
            } catch (RuntimeException e) {
                deleteAll(copies);
                throw e;
            }
            return new FunctionsClassLoader(urls.toArray(URL[]::new), parent, copies);
        }

        private static boolean isolated(String name) {
            return name.startsWith("io.switchboard.")
                    && !name.startsWith("io.switchboard.local.")
                    && !name.startsWith("io.switchboard.tests.")
                    && !name.startsWith("io.switchboard.testing.");
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

        /** Own entries first, then the parent's, each URL once (ServiceLoader reads every copy it is given). */
        @Override
        public Enumeration<URL> getResources(String name) throws IOException {
            Map<String, URL> all = new LinkedHashMap<>();
            for (Enumeration<URL> own = findResources(name); own.hasMoreElements(); ) {
                URL url = own.nextElement();
                all.putIfAbsent(url.toString(), url);
            }
            ClassLoader parent = getParent();
            if (parent != null) {
                for (Enumeration<URL> inherited = parent.getResources(name); inherited.hasMoreElements(); ) {
                    URL url = inherited.nextElement();
                    all.putIfAbsent(url.toString(), url);
                }
            }
            return Collections.enumeration(new ArrayList<>(all.values()));
        }

        /** Closes the jars and deletes the copies. */
        void closeQuietly() {
            try {
                close();
            } catch (IOException e) {
                // the copies are temporary files either way
            }
            deleteAll(copies);
        }

        private static void deleteAll(List<Path> copies) {
            for (Path copy : copies) {
                try {
                    Files.deleteIfExists(copy);
                } catch (IOException e) {
                    // deleted on exit
                }
            }
        }
    }
}
