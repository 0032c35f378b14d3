package io.switchboard.tests.template;

import io.switchboard.local.CloudFormationYaml;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A SAM template read into plain maps and lists by the local gateway's own reader ({@link CloudFormationYaml}: the
 * short intrinsic tags such as {@code !Ref X}, {@code !Sub '...'}, {@code !GetAtt A.B} turned into their long form
 * {@code {Ref: X}}, {@code {Fn::Sub: ...}}, {@code {Fn::GetAtt: [A, B]}}), plus the few lookups the template tests
 * share. Read-only.
 */
final class CloudFormationTemplate {
    static final String FUNCTION = "AWS::Serverless::Function";

    private final Map<String, Object> root;

    private CloudFormationTemplate(Map<String, Object> root) {
        this.root = root;
    }

    static CloudFormationTemplate read(Path path) {
        try {
            return new CloudFormationTemplate(CloudFormationYaml.read(path));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Map<String, Object> root() {
        return root;
    }

    Map<String, Object> resources() {
        return map(root.get("Resources"));
    }

    Map<String, Object> section(String name) {
        return root.containsKey(name) ? map(root.get(name)) : Map.of();
    }

    /** The resources of one type, by logical id, in template order. */
    Map<String, Map<String, Object>> resourcesOfType(String type) {
        Map<String, Map<String, Object>> found = new LinkedHashMap<>();
        resources().forEach((id, resource) -> {
            if (type.equals(map(resource).get("Type"))) {
                found.put(id, map(resource));
            }
        });
        return found;
    }

    /** Logical ids of the {@code AWS::Serverless::Function}s. */
    List<String> functionIds() {
        return List.copyOf(resourcesOfType(FUNCTION).keySet());
    }

    static Map<String, Object> properties(Map<String, Object> resource) {
        return resource.containsKey("Properties") ? map(resource.get("Properties")) : Map.of();
    }

    Map<String, Object> properties(String logicalId) {
        Object resource = resources().get(logicalId);
        if (resource == null) {
            throw new AssertionError("template.yaml has no resource " + logicalId);
        }
        return properties(map(resource));
    }

    Map<String, Object> functionGlobals() {
        Map<String, Object> globals = section("Globals");
        return globals.containsKey("Function") ? map(globals.get("Function")) : Map.of();
    }

    /** A function property as SAM sees it: the function's own value, else the one in {@code Globals}. */
    Object functionProperty(String functionId, String name) {
        Map<String, Object> own = properties(functionId);
        return own.containsKey(name) ? own.get(name) : functionGlobals().get(name);
    }

    /** The environment a function gets: {@code Globals} variables overlaid with the function's own. */
    Map<String, Object> environment(String functionId) {
        Map<String, Object> merged = new LinkedHashMap<>(variables(functionGlobals()));
        merged.putAll(variables(properties(functionId)));
        return merged;
    }

    private static Map<String, Object> variables(Map<String, Object> holder) {
        if (!(holder.get("Environment") instanceof Map<?, ?> environment)) {
            return Map.of();
        }
        Object variables = environment.get("Variables");
        return variables == null ? Map.of() : map(variables);
    }

    /** The text of a {@code Fn::Sub} (short or list form), or null if {@code value} is not one. */
    static String subText(Object value) {
        if (value instanceof Map<?, ?> m && m.size() == 1 && m.containsKey("Fn::Sub")) {
            Object argument = m.get("Fn::Sub");
            if (argument instanceof List<?> list && !list.isEmpty()) {
                argument = list.get(0);
            }
            return argument instanceof String s ? s : null;
        }
        return null;
    }

    /** The target of a {@code Ref}, or null. */
    static String refTarget(Object value) {
        if (value instanceof Map<?, ?> m && m.size() == 1 && m.get("Ref") instanceof String target) {
            return target;
        }
        return null;
    }

    /** {@code "A.B"} for a {@code Fn::GetAtt}, or null. */
    static String getAtt(Object value) {
        if (value instanceof Map<?, ?> m && m.size() == 1 && m.get("Fn::GetAtt") instanceof List<?> parts) {
            return String.join(".", parts.stream().map(String::valueOf).toList());
        }
        return null;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object value) {
        if (!(value instanceof Map<?, ?>)) {
            throw new AssertionError("expected a mapping, got " + value);
        }
        return (Map<String, Object>) value;
    }

    static List<Object> list(Object value) {
        if (value instanceof List<?> list) {
            return List.copyOf(list);
        }
        return value == null ? List.of() : List.of(value);
    }
}
