package io.switchboard.local;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Resolves CloudFormation intrinsic functions as far as a local run can: parameters resolve to
 * their {@code Default}, pseudo parameters to local values, and everything that only exists in a
 * deployed stack (a resource's {@code Ref}, {@code Fn::GetAtt}) stays symbolic as
 * {@code ${LogicalId}} / {@code ${LogicalId.Attribute}}. That symbolic text is what lets the
 * template reader follow {@code integrations/${X}} and {@code functions/${F.Arn}/invocations}.
 */
final class Intrinsics {

    private static final Pattern SUB_VARIABLE = Pattern.compile("\\$\\{([^}]*)}");

    /** A resolved value: its text, and the references that could not be resolved locally. */
    record Resolved(String text, Set<String> unresolved) {
        boolean literal() {
            return unresolved.isEmpty();
        }
    }

    private final Map<String, String> parameters;
    private final Map<String, String> pseudoParameters;

    Intrinsics(Map<String, String> parameters, Map<String, String> pseudoParameters) {
        this.parameters = parameters;
        this.pseudoParameters = pseudoParameters;
    }

    Resolved resolve(Object value) {
        Set<String> unresolved = new LinkedHashSet<>();
        String text = resolve(value, unresolved);
        return new Resolved(text, Set.copyOf(unresolved));
    }

    /** The logical id a {@code !Ref X} (or a bare string {@code X}) points at, or null. */
    static String refTarget(Object value) {
        if (value instanceof String s) {
            return s;
        }
        if (value instanceof Map<?, ?> map && map.size() == 1 && map.get("Ref") instanceof String target) {
            return target;
        }
        return null;
    }

    private String resolve(Object value, Set<String> unresolved) {
        if (value == null) {
            unresolved.add("null");
            return "";
        }
        if (value instanceof String || value instanceof Number || value instanceof Boolean) {
            return String.valueOf(value);
        }
        if (value instanceof Map<?, ?> map && map.size() == 1) {
            Map.Entry<?, ?> entry = map.entrySet().iterator().next();
            Object argument = entry.getValue();
            switch (String.valueOf(entry.getKey())) {
                case "Ref":
                    return reference(String.valueOf(argument), unresolved);
                case "Fn::GetAtt":
                    return getAtt(argument, unresolved);
                case "Fn::Sub":
                    return sub(argument, unresolved);
                case "Fn::Join":
                    return join(argument, unresolved);
                case "Fn::Select":
                    return select(argument, unresolved);
                default:
                    break;
            }
            unresolved.add(String.valueOf(entry.getKey()));
            return "${" + entry.getKey() + "}";
        }
        unresolved.add(value.getClass().getSimpleName());
        return "${?}";
    }

    private String reference(String name, Set<String> unresolved) {
        if (parameters.containsKey(name)) {
            String value = parameters.get(name);
            if (value != null) {
                return value;
            }
        } else if (pseudoParameters.containsKey(name)) {
            return pseudoParameters.get(name);
        }
        unresolved.add(name);
        return "${" + name + "}";
    }

    private static String getAtt(Object argument, Set<String> unresolved) {
        String name = argument instanceof List<?> list
                ? String.join(".", list.stream().map(String::valueOf).toList())
                : String.valueOf(argument);
        unresolved.add(name);
        return "${" + name + "}";
    }

    private String sub(Object argument, Set<String> unresolved) {
        String template;
        Map<?, ?> variables = Map.of();
        if (argument instanceof List<?> list && list.size() == 2 && list.get(1) instanceof Map<?, ?> vars) {
            template = String.valueOf(list.get(0));
            variables = vars;
        } else {
            template = String.valueOf(argument);
        }
        Matcher matcher = SUB_VARIABLE.matcher(template);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String name = matcher.group(1);
            String replacement;
            if (name.startsWith("!")) {
                replacement = "${" + name.substring(1) + "}";
            } else if (variables.containsKey(name)) {
                replacement = resolve(variables.get(name), unresolved);
            } else if (name.contains(".")) {
                unresolved.add(name);
                replacement = "${" + name + "}";
            } else {
                replacement = reference(name, unresolved);
            }
            matcher.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        matcher.appendTail(out);
        return out.toString();
    }

    private String join(Object argument, Set<String> unresolved) {
        if (argument instanceof List<?> list && list.size() == 2 && list.get(1) instanceof List<?> parts) {
            String delimiter = String.valueOf(list.get(0));
            List<String> resolved = new ArrayList<>();
            for (Object part : parts) {
                resolved.add(resolve(part, unresolved));
            }
            return String.join(delimiter, resolved);
        }
        unresolved.add("Fn::Join");
        return "${Fn::Join}";
    }

    private String select(Object argument, Set<String> unresolved) {
        if (argument instanceof List<?> list && list.size() == 2 && list.get(1) instanceof List<?> items) {
            try {
                int index = Integer.parseInt(resolve(list.get(0), unresolved));
                if (index >= 0 && index < items.size()) {
                    return resolve(items.get(index), unresolved);
                }
            } catch (NumberFormatException e) {
                // falls through to unresolved
            }
        }
        unresolved.add("Fn::Select");
        return "${Fn::Select}";
    }
}
