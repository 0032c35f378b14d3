package io.switchboard.tests.template;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipFile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code template.yaml} through the real tools, pinned in {@code tests/python/requirements.txt}: {@code sam validate
 * --lint}, {@code cfn-lint} and {@code sam build} (no Docker: the functions are the shaded jar the reactor built
 * before this module). Each run is a subprocess with a timeout; a failure prints the command and its whole output.
 */
class TemplateToolsTest {
    private static final long TIMEOUT_SECONDS = 300;

    @Test
    void samValidateLint_template_reportsNothing() {
        Project.Run run = Project.run(TIMEOUT_SECONDS,
            Project.tool("sam").toString(), "validate", "--lint", "--template-file", Project.template().toString());

        assertEquals(0, run.exitCode(), run.describe());
        assertEquals(List.of(Project.template() + " is a valid SAM Template"), run.nonBlankLines(), run.describe());
    }

    @Test
    void cfnLint_template_reportsNothing() {
        Project.Run run = Project.run(TIMEOUT_SECONDS, Project.tool("cfn-lint").toString(), "template.yaml");

        assertEquals(0, run.exitCode(), run.describe());
        assertEquals("", run.output().strip(), run.describe());
    }

    /**
     * cfn-lint checks a SAM template's AWS::Serverless::* resources against SAM's schema only (a Ref to a missing
     * log group or a 1000 s timeout there goes unnoticed), so the template is also run through the SAM translator
     * offline, as CloudFormation will, and the resulting plain CloudFormation is linted too.
     */
    @Test
    void cfnLint_samTransformedTemplate_reportsNothing() throws IOException {
        Path transformed = Project.root().resolve("target/sam-transformed.json");
        Files.createDirectories(transformed.getParent());
        Project.Run translate = Project.run(TIMEOUT_SECONDS, Project.tool("python").toString(), "-c", TRANSLATE,
            Project.template().toString(), transformed.toString());
        assertEquals(0, translate.exitCode(), translate.describe());

        Project.Run lint = Project.run(TIMEOUT_SECONDS, Project.tool("cfn-lint").toString(), transformed.toString());

        assertEquals(0, lint.exitCode(), lint.describe());
        assertEquals("", lint.output().strip(), lint.describe());
    }

    /** The SAM transform without AWS: local CodeUris become an S3 placeholder, the region is a fixed pseudo value. */
    private static final String TRANSLATE = """
        import json, os, sys
        os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
        from samtranslator.translator.transform import transform
        from samtranslator.yaml_helper import yaml_parse
        class NoManagedPolicies:
            def load(self):
                return {}
        with open(sys.argv[1], encoding="utf-8") as f:
            template = yaml_parse(f.read())
        for resource in template.get("Resources", {}).values():
            if resource.get("Type") == "AWS::Serverless::Function":
                resource.setdefault("Properties", {})["CodeUri"] = "s3://placeholder-bucket/switchboard-functions.jar"
        with open(sys.argv[2], "w", encoding="utf-8") as f:
            json.dump(transform(template, {}, NoManagedPolicies()), f, indent=1, default=str)
        """;

    @Test
    void samBuild_template_stagesTheFunctionsJarForEveryFunction() throws IOException {
        Path jar = Project.root().resolve("functions/target/switchboard-functions.jar");
        assertTrue(Files.isRegularFile(jar), jar + " is missing: the functions module is packaged before this one in"
            + " the reactor (mvn -pl functions -am package -DskipTests builds it alone)");
        Path buildDir = Project.root().resolve("target/sam-build");
        deleteRecursively(buildDir);

        Project.Run run = Project.run(TIMEOUT_SECONDS, Project.tool("sam").toString(), "build",
            "--template-file", Project.template().toString(), "--build-dir", buildDir.toString());

        assertEquals(0, run.exitCode(), run.describe());
        assertTrue(run.output().contains("Build Succeeded"), run.describe());
        Path builtTemplate = buildDir.resolve("template.yaml");
        assertTrue(Files.isRegularFile(builtTemplate), "no " + builtTemplate + "\n" + run.describe());

        // What sam deploy will upload: each function's CodeUri, relative to the built template, must be that jar
        // and hold the function's handler class.
        CloudFormationTemplate built = CloudFormationTemplate.read(builtTemplate);
        List<String> problems = new ArrayList<>();
        for (String id : built.functionIds()) {
            Map<String, Object> properties = built.properties(id);
            Object codeUri = properties.get("CodeUri");
            if (!(codeUri instanceof String path)) {
                problems.add(id + ": CodeUri is " + codeUri + ", not a path");
                continue;
            }
            Path staged = buildDir.resolve(path).normalize();
            if (!Files.isRegularFile(staged) || !Files.isSameFile(staged, jar)) {
                problems.add(id + ": CodeUri " + path + " resolves to " + staged + ", not " + jar);
                continue;
            }
            String handlerClass = String.valueOf(properties.get("Handler")).split("::")[0];
            try (ZipFile zip = new ZipFile(staged.toFile())) {
                if (zip.getEntry(handlerClass.replace('.', '/') + ".class") == null) {
                    problems.add(id + ": " + staged + " has no class " + handlerClass);
                }
            }
        }
        assertFalse(built.functionIds().isEmpty(), "the built template has no functions");
        assertEquals(List.of(), problems, run.describe());
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
