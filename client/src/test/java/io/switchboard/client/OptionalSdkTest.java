package io.switchboard.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;

/** The AWS SDK dependencies are optional: without them every mode but IAM works, and IAM fails only when used. */
class OptionalSdkTest {

    static URLClassLoader withoutSdk() throws MalformedURLException {
        List<URL> urls = new ArrayList<>();
        int hidden = 0;
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (entry.replace('\\', '/').contains("/software/amazon/awssdk/")) {
                hidden++;
            } else {
                urls.add(Path.of(entry).toUri().toURL());
            }
        }
        assertTrue(hidden > 0, "the test class path has no AWS SDK jars to hide: " + System.getProperty("java.class.path"));
        return new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader());
    }

    @SuppressWarnings("unchecked")
    static Supplier<String> load(ClassLoader loader, String name) throws ReflectiveOperationException {
        return (Supplier<String>) Class.forName(name, true, loader).getDeclaredConstructor().newInstance();
    }

    @Test
    void nonIamModes_workWithoutTheSdk() throws Exception {
        try (URLClassLoader loader = withoutSdk()) {
            assertThrows(ClassNotFoundException.class,
                    () -> loader.loadClass("software.amazon.awssdk.auth.credentials.AwsCredentialsProvider"));
            String described = load(loader, SdkFreeProbe.class.getName()).get();
            assertTrue(described.contains("Auth[API_KEY]"), described);
        }
    }

    @Test
    void iam_withoutTheSdk_failsWhenUsed() throws Exception {
        try (URLClassLoader loader = withoutSdk()) {
            Supplier<String> iam = load(loader, SdkFreeProbe.Iam.class.getName());
            NoClassDefFoundError error = assertThrows(NoClassDefFoundError.class, iam::get);
            assertEquals(true, error.getMessage().startsWith("software/amazon/awssdk/"), error.getMessage());
        }
    }
}
