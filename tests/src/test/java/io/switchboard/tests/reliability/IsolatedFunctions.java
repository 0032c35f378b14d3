package io.switchboard.tests.reliability;

import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
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
 * A private copy of the function-side classes (functions, core, api, aws) for one gateway: the functions keep
 * their configuration and in-memory store in statics ({@code SwitchboardRuntime.shared()}), so every gateway of
 * the test JVM needs its own. Child-first for {@code io.switchboard.*} (not the gateway, not the tests); the rest
 * is shared with the test class path. (The same technique as the e2e suites' loader.)
 */
final class IsolatedFunctions extends URLClassLoader {

    static {
        registerAsParallelCapable();
    }

    private static final List<String> ANCHORS = List.of(
            "io.switchboard.functions.SwitchboardRuntime",
            "io.switchboard.core.engine.Engine",
            "io.switchboard.api.ChannelNamespace",
            "io.switchboard.aws.DynamoDbSubscriptionStore");

    private IsolatedFunctions(URL[] urls, ClassLoader parent) {
        super("switchboard-functions-reliability", urls, parent);
    }

    static IsolatedFunctions create() {
        ClassLoader parent = IsolatedFunctions.class.getClassLoader();
        Set<URL> urls = new LinkedHashSet<>();
        for (String anchor : ANCHORS) {
            try {
                CodeSource source = Class.forName(anchor, false, parent).getProtectionDomain().getCodeSource();
                urls.add(source.getLocation().toURI().toURL());
            } catch (ClassNotFoundException | URISyntaxException | IOException | NullPointerException e) {
                throw new IllegalStateException("cannot locate " + anchor + " on the test class path", e);
            }
        }
        return new IsolatedFunctions(urls.toArray(URL[]::new), parent);
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

    @Override
    public Enumeration<URL> getResources(String name) throws IOException {
        Map<String, URL> all = new LinkedHashMap<>();
        for (Enumeration<URL> own = findResources(name); own.hasMoreElements(); ) {
            URL url = own.nextElement();
            all.putIfAbsent(url.toString(), url);
        }
        if (getParent() != null) {
            for (Enumeration<URL> inherited = getParent().getResources(name); inherited.hasMoreElements(); ) {
                URL url = inherited.nextElement();
                all.putIfAbsent(url.toString(), url);
            }
        }
        return Collections.enumeration(new ArrayList<>(all.values()));
    }
}
