package io.switchboard.functions;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * The classes a cold start's first {@code $connect} or {@code subscribe} loads beyond building the engine — the
 * SDK's request path (marshallers, signer, HTTP client, response handling), the first JSON log line — listed in
 * {@value #RESOURCE} in the order they were loaded. On a cold start the start thread loads them, without
 * initialising them, once it has built the engine: the invocation's thread is busy with the event then, and finds
 * them loaded when it makes its first request. A name that is no longer in the jar is skipped.
 *
 * <p>The list is generated from fresh cold starts: {@code ColdStartClassesTest} (tests module) checks it against
 * them in every build and rewrites it with {@code -Dswitchboard.coldStartClasses=write}.
 */
final class ColdStartClasses {
    static final String RESOURCE = "/META-INF/switchboard/cold-start-classes.txt";

    private ColdStartClasses() {}

    /** Loads the listed classes that are not loaded yet. */
    static void preload() {
        String list;
        try (InputStream in = ColdStartClasses.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                return;
            }
            list = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return;
        }
        ClassLoader loader = ColdStartClasses.class.getClassLoader();
        for (String line : list.split("\n")) {
            String name = line.strip();
            if (name.isEmpty() || name.startsWith("#")) {
                continue;
            }
            try {
                Class.forName(name, false, loader);
            } catch (ClassNotFoundException | LinkageError e) {
                // gone from the jar since the list was made: nothing to load ahead
            }
        }
    }
}
