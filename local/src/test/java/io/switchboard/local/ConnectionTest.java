package io.switchboard.local;

import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A connection is reachable from the moment {@code $connect} accepted it, as on API Gateway, although its socket opens
 * a moment later (after the client has its 101): what is sent in between waits and goes out first, in order.
 */
class ConnectionTest {

    @Test
    void messagesSentBeforeTheSocketOpens_goOutFirst_inOrder() {
        Connection connection = new Connection("c1=", 0, "127.0.0.1", "test", null, Runnable::run);
        List<String> outcomes = new ArrayList<>();
        assertTrue(connection.isOpen(), "accepted by $connect: reachable before its socket opens");
        connection.send("one", callback(outcomes, "one"));
        connection.send("two", callback(outcomes, "two"));
        assertEquals(List.of(), outcomes, "nothing can be written before the socket opens");

        List<String> written = new ArrayList<>();
        connection.opened(session(written));
        connection.send("three", callback(outcomes, "three"));
        assertEquals(List.of("one", "two", "three"), written);
        assertEquals(List.of("one written", "two written", "three written"), outcomes);
    }

    @Test
    void aConnectionClosedBeforeItsSocketOpens_failsWhatWaited() {
        Connection connection = new Connection("c2=", 0, "127.0.0.1", "test", null, Runnable::run);
        List<String> outcomes = new ArrayList<>();
        connection.send("early", callback(outcomes, "early"));
        assertTrue(connection.markClosed(1000, "Connection Closed Normally"));
        assertEquals(List.of("early failed"), outcomes, "its socket may never open: what waited fails at once");
        List<String> written = new ArrayList<>();
        connection.opened(session(written));
        assertEquals(List.of(), written);
        assertEquals(List.of("early failed"), outcomes);
        connection.send("late", callback(outcomes, "late"));
        assertEquals(List.of("early failed", "late failed"), outcomes);
    }

    private static Callback callback(List<String> outcomes, String name) {
        return Callback.from(() -> outcomes.add(name + " written"), x -> outcomes.add(name + " failed"));
    }

    /** A Jetty session that writes text messages into {@code written} and completes their callbacks at once. */
    private static Session session(List<String> written) {
        return (Session) Proxy.newProxyInstance(Session.class.getClassLoader(), new Class<?>[] {Session.class},
            (proxy, method, args) -> {
                switch (method.getName()) {
                    case "sendText" -> {
                        written.add((String) args[0]);
                        ((Callback) args[1]).succeed();
                        return null;
                    }
                    case "isOpen" -> {
                        return true;
                    }
                    case "hashCode" -> {
                        return System.identityHashCode(proxy);
                    }
                    case "equals" -> {
                        return proxy == args[0];
                    }
                    default -> throw new UnsupportedOperationException(method.getName());
                }
            });
    }
}
