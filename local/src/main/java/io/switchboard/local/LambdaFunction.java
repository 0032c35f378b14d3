package io.switchboard.local;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Optional;
import java.util.ServiceLoader;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.CustomPojoSerializer;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.amazonaws.services.lambda.runtime.serialization.factories.JacksonFactory;

/**
 * One function of the template, loaded and invoked the way the Lambda Java runtime does it:
 * the handler class is instantiated once with its public no-arg constructor, the handler method
 * is picked by the runtime's rules, and the event goes in (and the result comes out) through the
 * runtime's own serializer ({@code aws-lambda-java-serialization}). Input and output are JSON bytes.
 */
final class LambdaFunction {

    /** The handler threw, or its input/output could not be (de)serialized; {@code getCause()} is what it threw. */
    static final class InvocationException extends Exception {
        InvocationException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private static final byte[] JSON_NULL = "null".getBytes(StandardCharsets.US_ASCII);

    /** The runtime's preference among overloads: non-bridge first, then longer signatures, a trailing Context counting double. */
    private static final Comparator<Method> METHOD_PRIORITY = Comparator
            .comparing(Method::isBridge)
            .thenComparing(m -> -(m.getParameterCount() + (lastIsContext(m) ? 1 : 0)));

    private final SamTemplate.FunctionSpec spec;
    private final String arn;
    private final StreamInvoker invoker;
    private final LambdaLogger logger;

    private LambdaFunction(SamTemplate.FunctionSpec spec, String arn, StreamInvoker invoker) {
        this.spec = spec;
        this.arn = arn;
        this.invoker = invoker;
        this.logger = new StderrLogger(System.err);
    }

    /** Loads and instantiates the handler of {@code spec}; failures are reported as the runtime would at init. */
    static LambdaFunction load(SamTemplate.FunctionSpec spec, ClassLoader loader, String region, String accountId)
            throws ReflectiveOperationException {
        String handler = spec.handler();
        int separator = handler.indexOf("::");
        String className = separator < 0 ? handler : handler.substring(0, separator);
        String methodName = separator < 0 ? null : handler.substring(separator + 2);
        Class<?> type = Class.forName(className, true, loader);
        StreamInvoker invoker = methodName == null ? interfaceInvoker(type, loader) : methodInvoker(type, methodName, loader);
        String arn = "arn:aws:lambda:" + region + ":" + accountId + ":function:" + spec.logicalId();
        return new LambdaFunction(spec, arn, invoker);
    }

    String name() {
        return spec.logicalId();
    }

    /** Invokes the function with the event {@code input} (JSON) and returns its serialized result (JSON). */
    byte[] invoke(byte[] input, String requestId) throws InvocationException {
        long deadline = System.currentTimeMillis() + spec.timeoutSeconds() * 1000L;
        Context context = new InvocationContext(requestId, deadline);
        ByteArrayOutputStream output = new ByteArrayOutputStream(512);
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(invoker.loader());
        try {
            invoker.invoke(new ByteArrayInputStream(input), output, context);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new InvocationException(name() + " failed: " + cause, cause);
        } catch (Exception e) {
            throw new InvocationException(name() + " failed: " + e, e);
        } finally {
            thread.setContextClassLoader(previous);
        }
        long overrun = System.currentTimeMillis() - deadline;
        if (overrun > 0) {
            logger.log("WARN " + name() + " ran " + overrun + " ms past its Timeout of " + spec.timeoutSeconds()
                    + " s; Lambda would have stopped it\n");
        }
        return output.toByteArray();
    }

    // ------------------------------------------------------------------ handler discovery

    @FunctionalInterface
    private interface Call {
        void invoke(InputStream in, OutputStream out, Context context) throws Exception;
    }

    private record StreamInvoker(Call call, ClassLoader loader) {
        void invoke(InputStream in, OutputStream out, Context context) throws Exception {
            call.invoke(in, out, context);
        }
    }

    /** {@code Handler: pkg.Class} without a method: the class implements RequestStreamHandler or RequestHandler. */
    private static StreamInvoker interfaceInvoker(Class<?> type, ClassLoader loader) throws ReflectiveOperationException {
        if (RequestStreamHandler.class.isAssignableFrom(type)) {
            RequestStreamHandler handler = (RequestStreamHandler) newInstance(type);
            return new StreamInvoker(handler::handleRequest, loader);
        }
        if (RequestHandler.class.isAssignableFrom(type)) {
            Method method = type.getMethod("handleRequest", Object.class, Context.class);
            Type[] types = GenericTypes.requestHandlerTypes(type);
            return pojo(newInstance(type), method, types[0], types[1], true, loader);
        }
        throw new NoSuchMethodException(type.getName() + " implements neither RequestHandler nor RequestStreamHandler");
    }

    /** {@code Handler: pkg.Class::method}: the runtime's overload resolution over the public methods of that name. */
    private static StreamInvoker methodInvoker(Class<?> type, String name, ClassLoader loader) throws ReflectiveOperationException {
        Method[] candidates = Arrays.stream(type.getMethods())
                .filter(m -> m.getName().equals(name))
                .sorted(METHOD_PRIORITY)
                .toArray(Method[]::new);
        for (Method method : candidates) {
            Optional<StreamInvoker> invoker = fromOverload(type, method, loader);
            if (invoker.isPresent()) {
                return invoker.get();
            }
        }
        throw new NoSuchMethodException("No public method named " + name + " with an appropriate signature on " + type.getName());
    }

    private static Optional<StreamInvoker> fromOverload(Class<?> type, Method m, ClassLoader loader)
            throws ReflectiveOperationException {
        Class<?>[] p = m.getParameterTypes();
        Type[] generic = m.getGenericParameterTypes();
        Type result = m.getGenericReturnType();
        boolean streams = p.length >= 2 && p[0] == InputStream.class && p[1] == OutputStream.class;
        boolean pojoInput = p.length >= 1 && p[0] != Context.class && p[0] != InputStream.class && p[0] != OutputStream.class;
        if (p.length == 3 && streams && p[2] == Context.class) {
            Object target = target(type, m);
            return Optional.of(new StreamInvoker((in, out, ctx) -> m.invoke(target, in, out, ctx), loader));
        }
        if (p.length == 2 && streams) {
            Object target = target(type, m);
            return Optional.of(new StreamInvoker((in, out, ctx) -> m.invoke(target, in, out), loader));
        }
        if (p.length == 2 && pojoInput && p[1] == Context.class) {
            return Optional.of(pojo(target(type, m), m, generic[0], result, true, loader));
        }
        if (p.length == 1 && p[0] == Context.class) {
            return Optional.of(pojo(target(type, m), m, null, result, true, loader));
        }
        if (p.length == 1 && pojoInput) {
            return Optional.of(pojo(target(type, m), m, generic[0], result, false, loader));
        }
        if (p.length == 0) {
            return Optional.of(pojo(target(type, m), m, null, result, false, loader));
        }
        return Optional.empty();
    }

    private static Object target(Class<?> type, Method m) throws ReflectiveOperationException {
        return Modifier.isStatic(m.getModifiers()) ? null : newInstance(type);
    }

    private static StreamInvoker pojo(Object target, Method method, Type input, Type output, boolean withContext, ClassLoader loader) {
        PojoSerializer<Object> in = input == null ? null : serializer(input, loader);
        PojoSerializer<Object> out = isVoid(output) ? null : serializer(output, loader);
        method.setAccessible(true);
        return new StreamInvoker((stream, sink, context) -> {
            Object event;
            try {
                event = in == null ? null : in.fromJson(stream);
            } catch (RuntimeException e) {
                throw new IOException("An error occurred during JSON parsing", e);
            }
            Object[] args = input == null
                    ? (withContext ? new Object[] {context} : new Object[0])
                    : (withContext ? new Object[] {event, context} : new Object[] {event});
            Object value = method.invoke(target, args);
            if (out == null) {
                sink.write(JSON_NULL);
            } else {
                out.toJson(value, sink);
            }
        }, loader);
    }

    /** The serializer the runtime picks: a CustomPojoSerializer if one is registered, the event mixins for supported events, else Jackson. */
    @SuppressWarnings("unchecked")
    private static PojoSerializer<Object> serializer(Type type, ClassLoader loader) {
        Optional<CustomPojoSerializer> custom = ServiceLoader.load(CustomPojoSerializer.class, loader).findFirst();
        if (custom.isPresent()) {
            CustomPojoSerializer serializer = custom.get();
            return new PojoSerializer<>() {
                @Override
                public Object fromJson(InputStream input) {
                    return serializer.fromJson(input, type);
                }

                @Override
                public Object fromJson(String input) {
                    return serializer.fromJson(input, type);
                }

                @Override
                public void toJson(Object value, OutputStream output) {
                    serializer.toJson(value, output, type);
                }
            };
        }
        if (type instanceof Class<?> c && LambdaEventSerializers.isLambdaSupportedEvent(c.getName())) {
            return LambdaEventSerializers.serializerFor((Class<Object>) c, loader);
        }
        return JacksonFactory.getInstance().getSerializer(type);
    }

    private static boolean isVoid(Type type) {
        return type == void.class || type == Void.class;
    }

    private static boolean lastIsContext(Method m) {
        Class<?>[] p = m.getParameterTypes();
        return p.length > 0 && p[p.length - 1] == Context.class;
    }

    private static Object newInstance(Class<?> type) throws ReflectiveOperationException {
        Constructor<?> constructor;
        try {
            constructor = type.getConstructor();
        } catch (NoSuchMethodException e) {
            throw new NoSuchMethodException("Class " + type.getName() + " has no public zero-argument constructor");
        }
        return constructor.newInstance();
    }

    // ------------------------------------------------------------------ context

    private final class InvocationContext implements Context {
        private final String requestId;
        private final long deadline;

        InvocationContext(String requestId, long deadline) {
            this.requestId = requestId;
            this.deadline = deadline;
        }

        @Override
        public String getAwsRequestId() {
            return requestId;
        }

        @Override
        public String getLogGroupName() {
            return "/aws/lambda/" + spec.logicalId();
        }

        @Override
        public String getLogStreamName() {
            return "switchboard-local";
        }

        @Override
        public String getFunctionName() {
            return spec.logicalId();
        }

        @Override
        public String getFunctionVersion() {
            return "$LATEST";
        }

        @Override
        public String getInvokedFunctionArn() {
            return arn;
        }

        @Override
        public CognitoIdentity getIdentity() {
            return null;
        }

        @Override
        public ClientContext getClientContext() {
            return null;
        }

        @Override
        public int getRemainingTimeInMillis() {
            return (int) Math.max(0, deadline - System.currentTimeMillis());
        }

        @Override
        public int getMemoryLimitInMB() {
            return spec.memoryMb();
        }

        @Override
        public LambdaLogger getLogger() {
            return logger;
        }
    }

    /** The function's LambdaLogger: what it logs goes to the gateway's stderr, one record per call. */
    private static final class StderrLogger implements LambdaLogger {
        private final PrintStream err;

        StderrLogger(PrintStream err) {
            this.err = err;
        }

        @Override
        public void log(String message) {
            if (message == null) {
                return;
            }
            synchronized (err) {
                err.print(message);
                if (!message.endsWith("\n")) {
                    err.println();
                }
                err.flush();
            }
        }

        @Override
        public void log(byte[] message) {
            log(new String(message, StandardCharsets.UTF_8));
        }
    }
}
