package io.switchboard.local;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Evaluates the IAM policy a REQUEST authorizer returns against the method ARN, as API Gateway
 * does: an explicit Deny wins, otherwise an Allow of {@code execute-api:Invoke} (wildcards allowed)
 * on a matching resource is needed. Anything unparsable is INVALID (API Gateway answers 500).
 */
final class IamPolicy {

    enum Decision { ALLOW, DENY, INVALID }

    private static final String ACTION = "execute-api:Invoke";

    private IamPolicy() {
    }

    static Decision evaluate(JsonNode policy, String methodArn) {
        JsonNode statements = policy.path("Statement");
        List<JsonNode> list = new ArrayList<>();
        if (statements.isArray()) {
            statements.forEach(list::add);
        } else if (statements.isObject()) {
            list.add(statements);
        } else {
            return Decision.INVALID;
        }
        boolean allowed = false;
        for (JsonNode statement : list) {
            String effect = statement.path("Effect").asText("");
            List<String> actions = strings(statement.path("Action"));
            List<String> resources = strings(statement.path("Resource"));
            if (actions == null || resources == null || !(effect.equals("Allow") || effect.equals("Deny"))) {
                return Decision.INVALID;
            }
            boolean applies = actions.stream().anyMatch(a -> matches(a.toLowerCase(Locale.ROOT), ACTION.toLowerCase(Locale.ROOT)))
                    && resources.stream().anyMatch(r -> matches(r, methodArn));
            if (applies && effect.equals("Deny")) {
                return Decision.DENY;
            }
            allowed |= applies;
        }
        return allowed ? Decision.ALLOW : Decision.DENY;
    }

    private static List<String> strings(JsonNode node) {
        List<String> values = new ArrayList<>();
        if (node.isTextual()) {
            values.add(node.asText());
        } else if (node.isArray()) {
            for (JsonNode item : node) {
                if (!item.isTextual()) {
                    return null;
                }
                values.add(item.asText());
            }
        } else {
            return null;
        }
        return values;
    }

    /** IAM wildcard match: {@code *} any run of characters, {@code ?} one character. */
    static boolean matches(String pattern, String value) {
        StringBuilder regex = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            if (c == '*') {
                regex.append(".*");
            } else if (c == '?') {
                regex.append('.');
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString(), Pattern.DOTALL).matcher(value).matches();
    }
}
