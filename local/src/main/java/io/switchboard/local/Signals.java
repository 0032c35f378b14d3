package io.switchboard.local;

import java.lang.reflect.Method;
import java.lang.reflect.Proxy;

/**
 * Ctrl-C and SIGTERM handling that lets the gateway close its sockets, run every
 * {@code $disconnect} and then exit 0; a plain shutdown hook would end with exit code 130.
 * Uses {@code sun.misc.Signal} (module jdk.unsupported) reflectively, so the build stays free of
 * internal-API warnings; where it is missing, the shutdown hook alone does the cleanup.
 */
final class Signals {

    private Signals() {
    }

    /** Runs {@code action} on a new thread at the first SIGINT or SIGTERM; false if signals cannot be handled. */
    static boolean onInterrupt(Runnable action) {
        try {
            Class<?> signalClass = Class.forName("sun.misc.Signal");
            Class<?> handlerClass = Class.forName("sun.misc.SignalHandler");
            Object handler = Proxy.newProxyInstance(Signals.class.getClassLoader(), new Class<?>[] {handlerClass},
                    (proxy, method, args) -> {
                        if (method.getName().equals("handle")) {
                            new Thread(action, "switchboard-signal").start();
                        }
                        return null;
                    });
            Method handle = signalClass.getMethod("handle", signalClass, handlerClass);
            for (String name : new String[] {"INT", "TERM"}) {
                handle.invoke(null, signalClass.getConstructor(String.class).newInstance(name), handler);
            }
            return true;
        } catch (ReflectiveOperationException | IllegalArgumentException e) {
            return false;
        }
    }
}
