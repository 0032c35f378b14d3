package io.switchboard.local;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.switchboard.core.spi.ConnectionSender;
import io.switchboard.functions.SwitchboardRuntime;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.StatusCode;

/**
 * The hosted functions' {@link ConnectionSender}: hands each frame straight to the gateway's connection, as a POST to
 * {@code @connections} does, without the round trip through the gateway's own port (the AWS SDK client, a socket and
 * Jetty's request parsing cost hundreds of microseconds of CPU per frame). The rules are {@link ConnectionsApi}'s: a
 * frame over 128 KB is refused (413 there, {@link SendResult#FAILED} here), an unknown or closed connection is
 * {@link SendResult#GONE} (410), and a send returns once its frame is written to the socket, a failed write being
 * GONE too; so slow sockets hold a fan-out back as they do over HTTP. {@code --trace} shows the frames as it shows
 * POSTed ones. {@code --connections-over-http} leaves the functions on the SDK client instead.
 */
final class InProcessConnectionSender implements ConnectionSender {

    /** The longest a send waits for its frame to be written: the SDK client's request timeout. */
    static final long WRITE_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(5);

    private static final String RUNTIME = "io.switchboard.functions.SwitchboardRuntime";

    private final WebSocketApi webSocketApi;
    private final GatewayLog log;

    InProcessConnectionSender(WebSocketApi webSocketApi, GatewayLog log) {
        this.webSocketApi = webSocketApi;
        this.log = log;
    }

    @Override
    public SendResult send(String connectionId, String frame) {
        return send(connectionId, frame, Long.MAX_VALUE);
    }

    /**
     * Sends the frame and waits until it is written, at most until {@code deadlineNanos} and {@link #WRITE_TIMEOUT_NANOS}:
     * a frame still queued then is FAILED, not THROTTLED, because it cannot be taken back and would arrive twice.
     */
    @Override
    public SendResult send(String connectionId, String frame, long deadlineNanos) {
        if (ConnectionsApi.tooLarge(frame)) {
            log.warn("frame for " + connectionId + " is over the " + ConnectionsApi.MAX_POST_BYTES
                    + "-byte limit of @connections (PayloadTooLargeException); not sent");
            return SendResult.FAILED;
        }
        Connection connection = webSocketApi.connection(connectionId);
        if (connection == null) {
            return SendResult.GONE;
        }
        Written written = new Written();
        webSocketApi.post(connection, frame, written);
        if (written.isDone()) {
            return written.join() ? SendResult.DELIVERED : SendResult.GONE;
        }
        long now = System.nanoTime();
        long wait = Math.min(WRITE_TIMEOUT_NANOS, deadlineNanos == Long.MAX_VALUE ? Long.MAX_VALUE : deadlineNanos - now);
        try {
            return written.get(Math.max(0, wait), TimeUnit.NANOSECONDS) ? SendResult.DELIVERED : SendResult.GONE;
        } catch (TimeoutException e) {
            log.warn("frame for " + connectionId + " not written within " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - now)
                    + " ms (the client reads slowly); counted as failed, it stays queued");
            return SendResult.FAILED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return SendResult.FAILED;
        } catch (ExecutionException e) {
            return SendResult.FAILED; // never: Written completes normally
        }
    }

    /** Closes the connection as a DELETE on {@code @connections} does; an unknown or closed one is left alone. */
    @Override
    public void close(String connectionId) {
        Connection connection = webSocketApi.connection(connectionId);
        if (connection != null) {
            webSocketApi.closeByServer(connection, StatusCode.NORMAL, WebSocketApi.DELETE_REASON);
        }
    }

    @Override
    public String toString() {
        return "in-process @connections sender";
    }

    /** Whether a frame was written (true) or its connection failed first (false). */
    private static final class Written extends CompletableFuture<Boolean> implements Callback {
        @Override
        public void succeed() {
            complete(Boolean.TRUE);
        }

        @Override
        public void fail(Throwable x) {
            complete(Boolean.FALSE);
        }
    }

    // ------------------------------------------------------------------ handing it to the functions

    /**
     * Makes the functions of {@code loader} send through this sender ({@code SwitchboardRuntime.useHostSender}) and
     * returns what undoes it. Call before the functions are first invoked. A loader of their own (the test suites give
     * every gateway one) holds its own copy of Switchboard's classes, {@code ConnectionSender} included, so the sender
     * is then handed over as a proxy of that copy's interface. Functions that are not Switchboard's are left alone.
     */
    Runnable install(ClassLoader loader) {
        Class<?> runtime;
        try {
            runtime = Class.forName(RUNTIME, false, loader);
        } catch (ClassNotFoundException e) {
            return () -> { };
        }
        if (runtime == SwitchboardRuntime.class) {
            SwitchboardRuntime.useHostSender(this);
            return () -> SwitchboardRuntime.useHostSender(null);
        }
        try {
            Class<?> senderType = Class.forName(ConnectionSender.class.getName(), false, runtime.getClassLoader());
            Method use = runtime.getMethod("useHostSender", senderType);
            use.invoke(null, bridge(senderType));
            return () -> {
                try {
                    use.invoke(null, (Object) null);
                } catch (ReflectiveOperationException e) {
                    log.warn("could not detach the in-process sender from the functions: " + e);
                }
            };
        } catch (ReflectiveOperationException | RuntimeException e) {
            Throwable cause = e instanceof InvocationTargetException ? e.getCause() : e;
            log.warn("the functions' class loader has no SwitchboardRuntime.useHostSender (" + cause
                    + "); their frames go through the @connections API over HTTP");
            return () -> { };
        }
    }

    /** This sender behind {@code senderType}, the {@code ConnectionSender} interface of another class loader. */
    private Object bridge(Class<?> senderType) throws NoSuchMethodException {
        Object[] results = senderType.getMethod("send", String.class, String.class).getReturnType().getEnumConstants();
        Object[] byOrdinal = new Object[SendResult.values().length];
        for (SendResult result : SendResult.values()) {
            for (Object theirs : results) {
                if (((Enum<?>) theirs).name().equals(result.name())) {
                    byOrdinal[result.ordinal()] = theirs;
                }
            }
            if (byOrdinal[result.ordinal()] == null) {
                throw new NoSuchMethodException("SendResult." + result.name());
            }
        }
        return Proxy.newProxyInstance(senderType.getClassLoader(), new Class<?>[] {senderType}, (proxy, method, args) -> {
            switch (method.getName()) {
                case "send" -> {
                    SendResult result = args.length == 3
                            ? send((String) args[0], (String) args[1], (Long) args[2])
                            : send((String) args[0], (String) args[1]);
                    return byOrdinal[result.ordinal()];
                }
                case "close" -> {
                    close((String) args[0]);
                    return null;
                }
                case "equals" -> {
                    return proxy == args[0];
                }
                case "hashCode" -> {
                    return System.identityHashCode(proxy);
                }
                case "toString" -> {
                    return toString();
                }
                default -> throw new UnsupportedOperationException(method.toString());
            }
        });
    }
}
