package io.switchboard.local;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

import com.amazonaws.services.lambda.runtime.RequestHandler;

/** Finds the concrete {@code I, O} of a class implementing {@code RequestHandler<I, O>}, through superclasses and interfaces. */
final class GenericTypes {

    private GenericTypes() {
    }

    static Type[] requestHandlerTypes(Class<?> type) throws NoSuchMethodException {
        Deque<Step> queue = new ArrayDeque<>();
        queue.add(new Step(type, Map.of()));
        while (!queue.isEmpty()) {
            Step step = queue.poll();
            Class<?> raw = step.type instanceof ParameterizedType p ? (Class<?>) p.getRawType() : (Class<?>) step.type;
            Map<TypeVariable<?>, Type> bindings = bind(step.type, raw, step.bindings);
            if (raw == RequestHandler.class) {
                Type[] args = ((ParameterizedType) step.type).getActualTypeArguments();
                return new Type[] {substitute(args[0], step.bindings), substitute(args[1], step.bindings)};
            }
            for (Type parent : raw.getGenericInterfaces()) {
                queue.add(new Step(parent, bindings));
            }
            if (raw.getGenericSuperclass() != null) {
                queue.add(new Step(raw.getGenericSuperclass(), bindings));
            }
        }
        throw new NoSuchMethodException(type.getName() + " does not implement RequestHandler with concrete type parameters");
    }

    private record Step(Type type, Map<TypeVariable<?>, Type> bindings) {
    }

    private static Map<TypeVariable<?>, Type> bind(Type type, Class<?> raw, Map<TypeVariable<?>, Type> outer) {
        if (!(type instanceof ParameterizedType p)) {
            return Map.of();
        }
        Map<TypeVariable<?>, Type> bindings = new HashMap<>();
        TypeVariable<?>[] variables = raw.getTypeParameters();
        Type[] actual = p.getActualTypeArguments();
        for (int i = 0; i < variables.length; i++) {
            bindings.put(variables[i], substitute(actual[i], outer));
        }
        return bindings;
    }

    private static Type substitute(Type type, Map<TypeVariable<?>, Type> bindings) {
        if (type instanceof TypeVariable<?> variable) {
            Type bound = bindings.get(variable);
            if (bound != null) {
                return bound;
            }
            Type[] bounds = variable.getBounds();
            return bounds.length > 0 ? bounds[0] : Object.class;
        }
        return type;
    }
}
