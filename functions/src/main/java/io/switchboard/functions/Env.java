package io.switchboard.functions;

/**
 * The one place that reads the process environment. Lambda sets environment variables; the local gateway, which
 * hosts every function in one JVM, sets system properties of the same names.
 */
final class Env {
    private Env() {}

    static String get(String name) {
        String value = System.getenv(name);
        return value != null ? value : System.getProperty(name);
    }

    /** Whether the process environment itself (not a system property) has the variable: what the SDK's environment credentials read. */
    static boolean inProcessEnvironment(String name) {
        String value = System.getenv(name);
        return value != null && !value.isBlank();
    }
}
