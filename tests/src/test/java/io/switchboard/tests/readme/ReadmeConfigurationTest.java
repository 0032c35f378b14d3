package io.switchboard.tests.readme;

import io.switchboard.core.config.SwitchboardConfig;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The README's configuration reference names every variable the functions read ({@link SwitchboardConfig#VARIABLES}). */
class ReadmeConfigurationTest {

    @Test
    void everyVariableTheFunctionsRead_isInTheConfigurationTable() {
        String readme = Readme.text();
        int start = readme.indexOf("\n## Configuration");
        assertTrue(start >= 0, "README has no '## Configuration' section");
        int end = readme.indexOf("\n## ", start + 1);
        String section = readme.substring(start, end < 0 ? readme.length() : end);
        List<String> missing = new ArrayList<>();
        for (String name : SwitchboardConfig.VARIABLES) {
            if (name.equals("aws.endpointUrlLambda")) {
                continue; // the system-property spelling of AWS_ENDPOINT_URL_LAMBDA, named in its row
            }
            // a row may abbreviate a family: `SWITCHBOARD_OIDC_ISSUER`, `…_OIDC_CLIENT_ID`
            String abbreviated = name.startsWith("SWITCHBOARD_") ? "`…" + name.substring("SWITCHBOARD".length()) + "`" : null;
            if (!section.contains("`" + name + "`") && (abbreviated == null || !section.contains(abbreviated))) {
                missing.add(name);
            }
        }
        assertEquals(List.of(), missing, "variables the functions read but the README's Configuration table does not list");
    }
}
