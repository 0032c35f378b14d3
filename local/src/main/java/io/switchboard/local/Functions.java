package io.switchboard.local;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

/** The template's functions that the APIs invoke, each loaded once; events in and results out as JSON trees. */
final class Functions {

    private final Map<String, LambdaFunction> functions;

    private Functions(Map<String, LambdaFunction> functions) {
        this.functions = functions;
    }

    /** Loads every function a route, authorizer, HTTP route or schedule of {@code template} invokes. */
    static Functions load(SamTemplate template, ClassLoader loader, String region, String accountId) throws StartException {
        Set<String> used = new LinkedHashSet<>();
        template.routes().values().forEach(route -> {
            if (route.authorizer() != null) {
                used.add(route.authorizer().functionId());
            }
            used.add(route.functionId());
        });
        template.httpRoutes().forEach(route -> used.add(route.functionId()));
        template.schedules().forEach(schedule -> used.add(schedule.functionId()));
        Map<String, LambdaFunction> loaded = new LinkedHashMap<>();
        for (String id : used) {
            SamTemplate.FunctionSpec spec = template.functions().get(id);
            try {
                loaded.put(id, LambdaFunction.load(spec, loader, region, accountId));
            } catch (ReflectiveOperationException | LinkageError e) {
                Throwable cause = e.getCause() != null && !(e instanceof ClassNotFoundException) ? e.getCause() : e;
                throw new StartException("Cannot load " + id + " (Handler " + spec.handler() + "): " + cause, cause);
            }
        }
        return new Functions(loaded);
    }

    /** Invokes {@code functionId} with {@code event}; the result is the function's serialized output read back as JSON. */
    JsonNode invoke(String functionId, JsonNode event, String requestId) throws LambdaFunction.InvocationException {
        return Json.parse(functions.get(functionId).invoke(Json.bytes(event), requestId));
    }
}
