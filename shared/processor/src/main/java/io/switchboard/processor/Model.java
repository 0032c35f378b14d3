package io.switchboard.processor;

import java.util.ArrayList;
import java.util.List;

/** What the processor found in one round, already validated: the input of {@link RegistryWriter}. */
final class Model {
    private Model() {}

    /** One {@code @ChannelNamespace} class. */
    record Namespace(String className, String name, List<String> publishAuthModes, List<String> subscribeAuthModes,
                     List<Route> routes) {
        Namespace(String className, String name, List<String> publishAuthModes, List<String> subscribeAuthModes) {
            this(className, name, publishAuthModes, subscribeAuthModes, new ArrayList<>());
        }
    }

    enum Kind { PER_EVENT, AGGREGATE, SUBSCRIBE }

    /**
     * One handler method.
     *
     * @param arguments per-event mode: {@code event} / {@code context} in the method's parameter order
     * @param returnsVoid a subscribe handler declared {@code void}
     */
    record Route(Kind kind, String pattern, String methodName, boolean isStatic, List<String> arguments,
                 boolean returnsVoid) {}

    /** The {@code @Authorizer} class. */
    record Authorizer(String className, boolean isStatic, String identityValidationExpression, int resultTtlSeconds) {}
}
