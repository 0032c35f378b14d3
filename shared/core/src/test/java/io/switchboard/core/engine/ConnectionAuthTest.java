package io.switchboard.core.engine;

import io.switchboard.core.auth.AuthMode;
import io.switchboard.core.protocol.ErrorTypes;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class ConnectionAuthTest {

    static Stream<ConnectionAuth> outcomes() {
        return Stream.of(
            new ConnectionAuth(true, AuthMode.API_KEY, null, null),
            new ConnectionAuth(true, null, null, null),
            new ConnectionAuth(false, AuthMode.API_KEY, ErrorTypes.UNAUTHORIZED_EXCEPTION, "Invalid API key"),
            ConnectionAuth.denied(ErrorTypes.BAD_REQUEST, "The header- subprotocol is not valid base64url"));
    }

    @ParameterizedTest
    @MethodSource("outcomes")
    void fromContext_toContextOfAnyOutcome_givesItBack(ConnectionAuth auth) {
        Map<String, String> context = auth.toContext();
        assertEquals(auth, ConnectionAuth.fromContext(context));
        // API Gateway hands the context back as Map<String, Object>
        assertEquals(auth, ConnectionAuth.fromContext(new HashMap<String, Object>(context)));
    }

    static Stream<Arguments> foreignContexts() {
        return Stream.of(
            arguments(null, ConnectionAuth.denied(ErrorTypes.UNAUTHORIZED_EXCEPTION, "The connection was not authorized")),
            arguments(Map.of(), ConnectionAuth.denied(ErrorTypes.UNAUTHORIZED_EXCEPTION, "The connection was not authorized")),
            arguments(Map.of("principalId", "me"), ConnectionAuth.denied(ErrorTypes.UNAUTHORIZED_EXCEPTION,
                "The connection was not authorized")),
            arguments(Map.of("sbAuth", "denied"), new ConnectionAuth(false, null, ErrorTypes.UNAUTHORIZED_EXCEPTION,
                "The connection was not authorized")),
            arguments(Map.of("sbAuth", "maybe"), new ConnectionAuth(false, null, ErrorTypes.UNAUTHORIZED_EXCEPTION,
                "The connection was not authorized")),
            arguments(Map.of("sbAuth", "allowed", "sbMode", "NOT_A_MODE"), new ConnectionAuth(true, null, null, null)));
    }

    @ParameterizedTest
    @MethodSource("foreignContexts")
    void fromContext_missingOrForeignContext_failsClosed(Map<String, ?> context, ConnectionAuth expected) {
        assertEquals(expected, ConnectionAuth.fromContext(context));
    }
}
