package io.switchboard.tests.e2e;

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
 * A fresh copy of Switchboard's function-side classes (functions, example namespaces, core, api, aws) for one
 * gateway, so that every gateway of the test JVM gets its own functions. The functions keep JVM-wide state in
 * statics — {@code SwitchboardRuntime.shared()} reads the configuration (store, table, {@code @connections}
 * endpoint, API key digests) once, the in-memory store is a singleton — so a second gateway in the same class
 * loader would silently talk to the first one's store and (closed) port.
 *
 * <p>The modules' jars are copied first, so that a concurrent {@code mvn install} cannot change them under the
 * running functions. Child-first only for {@code io.switchboard.*} classes found in those modules' class path entries; everything
 * else (the JDK, the Lambda runtime interfaces and events the gateway hands in, the AWS SDK, Jackson, logging, the
 * gateway itself) comes from the test class path, shared, as in one Lambda sandbox.
 */
public final class FunctionsClassLoader extends URLClassLoader {

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

    public static FunctionsClassLoader create() {
        ClassLoader parent = FunctionsClassLoader.class.getClassLoader();
        Set<URL> urls = new LinkedHashSet<>();
        List<Path> copies = new ArrayList<>();
        Set<Path> seen = new java.util.HashSet<>();
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
                Path used = snapshot(location);
                if (!used.equals(location)) {
                    copies.add(used);
                }
                urls.add(used.toUri().toURL());
            } catch (ClassNotFoundException | URISyntaxException | IOException e) {
                throw new IllegalStateException("cannot locate " + anchor + " on the test class path", e);
            }
        }
        return new FunctionsClassLoader(urls.toArray(URL[]::new), parent, copies);
    }

    /**
     * A private copy of a jar (a classes directory is used as it is): classes are read lazily, and a
     * {@code mvn install} running meanwhile would replace the jar under an open class loader.
     */
    private static Path snapshot(Path location) throws IOException {
        if (!Files.isRegularFile(location)) {
            return location;
        }
        Path copy = Files.createTempFile("switchboard-e2e-", "-" + location.getFileName());
        copy.toFile().deleteOnExit();
        return Files.copy(location, copy, StandardCopyOption.REPLACE_EXISTING);
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

    /** Closes the jars and deletes the copies. */
    @Override
    public void close() throws IOException {
        try {
            super.close();
        } finally {
            for (Path copy : copies) {
                Files.deleteIfExists(copy);
            }
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
}
