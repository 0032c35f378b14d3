package io.switchboard.tests.readme;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.tests.e2e.Processes;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * What can be proven here of the README's {@code sam} commands, which need an AWS account ({@code deploy},
 * {@code delete}) or Docker ({@code local invoke}), with the pinned {@code sam} of the tools virtualenv
 * ({@code -Dswitchboard.venv}, as bin/test passes it): each command's flags are options of that sam; the functions
 * and files they name exist; {@code samconfig.toml}, read by sam's own loader, supplies what a plain {@code sam deploy}
 * and {@code sam delete} rely on, with keys sam knows; and sam's own parameter handling reads the README's overrides
 * as template parameters and keeps the deployed {@code ApiKeyHashes} on a plain deploy. {@code sam build} and
 * {@code sam validate --lint} themselves run in {@code TemplateToolsTest}.
 */
class ReadmeDeployTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(180);
    private static final Pattern OPTION = Pattern.compile("--?[A-Za-z][\\w-]*");

    /** Run by the virtualenv's python in the repository root: what sam makes of samconfig.toml and template.yaml. */
    private static final String SAM_CONFIG = """
        import json, sys, tomllib
        from samcli.lib.config.samconfig import SamConfig
        from samcli.cli.types import CfnParameterOverridesType
        from samcli.commands.deploy.deploy_context import DeployContext
        from samcli.yamlhelper import yaml_parse
        def section(cmd):
            return SamConfig(".").get_all([cmd], "parameters")   # a fresh one: get_all merges into what it read
        def overrides(text):
            return CfnParameterOverridesType().convert(text, None, None) if text else {}
        with open("samconfig.toml", "rb") as f:
            document = tomllib.load(f)
        out = {"file": {cmd: values.get("parameters", {}) for cmd, values in document.get("default", {}).items()},
               "deploy": section("deploy"), "delete": section("delete"), "validate": section("validate")}
        with open("template.yaml", encoding="utf-8") as f:
            template = yaml_parse(f.read())
        out["parameters"] = sorted(template.get("Parameters", {}))
        out["functions"] = sorted(k for k, v in template.get("Resources", {}).items()
                                  if v.get("Type") == "AWS::Serverless::Function")
        out["deployOverrides"] = overrides(out["deploy"].get("parameter_overrides"))
        out["plainDeploy"] = DeployContext.merge_parameters(template, out["deployOverrides"])
        out["readmeOverrides"] = overrides(sys.argv[1])
        print(json.dumps(out, default=str))
        """;

    private static List<List<String>> samCommands;
    private static JsonNode config;
    /** The options each sam subcommand's --help lists. */
    private static final Map<String, Set<String>> options = new LinkedHashMap<>();

    @BeforeAll
    static void askSam() throws Exception {
        Path venv = venv();
        samCommands = Readme.commands().stream().map(ReadmeCommands.Command::text).distinct()
            .filter(text -> text.startsWith("sam ")).map(text -> List.of(text.split(" "))).toList();
        assertTrue(samCommands.size() >= 5, "the README's sam commands were not found: " + samCommands);
        Matcher value = Pattern.compile("--parameter-overrides (\\S+)").matcher(Readme.command("sam deploy --guided"));
        String readmeOverrides = value.find() ? value.group(1) : "";

        Set<String> subcommands = new TreeSet<>(List.of("deploy", "delete", "validate"));   // samconfig.toml's too
        for (List<String> command : samCommands) {
            if (command.stream().anyMatch(word -> word.startsWith("-"))) {
                subcommands.add(subcommand(command));
            }
        }
        Map<String, CompletableFuture<Processes.Run>> helps = new LinkedHashMap<>();
        for (String subcommand : subcommands) {
            List<String> argv = new ArrayList<>(List.of(venv.resolve("bin/sam").toString()));
            argv.addAll(List.of(subcommand.split(" ")));
            argv.add("--help");
            helps.put(subcommand, CompletableFuture.supplyAsync(() -> sam(argv)));
        }
        Processes.Run python = sam(List.of(venv.resolve("bin/python").toString(), "-c", SAM_CONFIG, readmeOverrides));
        assertEquals(0, python.exitCode(), python.describe());
        config = new ObjectMapper().readTree(python.stdout());
        for (Map.Entry<String, CompletableFuture<Processes.Run>> help : helps.entrySet()) {
            Processes.Run run = help.getValue().join();
            assertEquals(0, run.exitCode(), run.describe());
            options.put(help.getKey(), options(run.stdout()));
        }
    }

    @Test
    void samCommands_useOnlyFlagsThePinnedSamAccepts() {
        List<String> problems = new ArrayList<>();
        Set<String> functions = strings(config.get("functions"));
        for (List<String> command : samCommands) {
            String subcommand = subcommand(command);
            Set<String> accepted = options.getOrDefault(subcommand, Set.of());
            for (String word : command.subList(1 + subcommand.split(" ").length, command.size())) {
                String flag = word.split("=", 2)[0];
                if (flag.startsWith("-") && !accepted.contains(flag)) {
                    problems.add(String.join(" ", command) + ": sam " + subcommand + " has no option " + flag);
                } else if (word.endsWith(".json") && !Files.isRegularFile(Readme.root().resolve(word))) {
                    problems.add(String.join(" ", command) + ": no file " + word);
                } else if (subcommand.equals("local invoke") && word.endsWith("Function") && !functions.contains(word)) {
                    problems.add(String.join(" ", command) + ": the template has no function " + word);
                }
            }
        }
        assertEquals(List.of(), problems, () -> String.join("\n", problems) + "\nsam's options: " + options);
    }

    @Test
    void samconfig_suppliesWhatThePlainDeployAndDeleteNeed() {
        String readme = Readme.text();
        JsonNode deploy = config.get("deploy");

        String stack = deploy.path("stack_name").asText();
        assertEquals("sam delete --stack-name " + stack, Readme.command("sam delete"),
            "sam delete must remove the stack sam deploy creates");
        assertTrue(readme.contains("(stack `" + stack + "`"), "the README names the stack samconfig.toml deploys");
        assertEquals(stack, config.get("delete").path("stack_name").asText(), "a plain sam delete finds the stack too");
        assertTrue(deploy.path("capabilities").asText().contains("CAPABILITY_IAM"), deploy.toString());
        assertTrue(readme.contains("`CAPABILITY_IAM`"), "the README says samconfig.toml holds CAPABILITY_IAM");
        assertTrue(deploy.path("confirm_changeset").asBoolean(), "the README promises changeset confirmation");
        assertTrue(deploy.path("resolve_s3").asBoolean() || deploy.has("s3_bucket"),
            "a plain sam deploy needs an S3 bucket for the jar: resolve_s3 or s3_bucket");
        assertTrue(config.get("validate").path("lint").asBoolean(), "a plain sam validate lints");

        // every key is an option of the command it configures, so that sam uses it instead of ignoring it
        List<String> unknown = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> sections = config.get("file").fields(); sections.hasNext(); ) {
            Map.Entry<String, JsonNode> section = sections.next();
            List<String> commands = section.getKey().equals("global") ? List.of("deploy", "delete") : List.of(section.getKey());
            for (String key : strings(fieldNames(section.getValue()))) {
                for (String command : commands) {
                    if (!options.containsKey(command) || !options.get(command).contains("--" + key.replace('_', '-'))) {
                        unknown.add("[" + section.getKey() + "] " + key + " is not an option of sam " + command);
                    }
                }
            }
        }
        assertEquals(List.of(), unknown, () -> String.join("\n", unknown));

        // what sam deploy sends CloudFormation without --parameter-overrides: samconfig's values, the rest kept
        Set<String> parameters = strings(config.get("parameters"));
        Set<String> overridden = strings(fieldNames(config.get("deployOverrides")));
        assertTrue(parameters.containsAll(overridden), "samconfig.toml overrides parameters the template lacks: "
            + overridden + " vs " + parameters);
        assertFalse(overridden.contains("ApiKeyHashes"), "samconfig.toml must not reset the deployed key digests");
        JsonNode apiKeyHashes = null;
        for (JsonNode parameter : config.get("plainDeploy")) {
            if (parameter.path("ParameterKey").asText().equals("ApiKeyHashes")) {
                apiKeyHashes = parameter;
            }
        }
        assertEquals("{\"ParameterKey\":\"ApiKeyHashes\",\"UsePreviousValue\":true}", String.valueOf(apiKeyHashes),
            "a plain sam deploy (the README's update) keeps the deployed ApiKeyHashes");
    }

    @Test
    void samDeployGuided_overridesATemplateParameter() {
        Set<String> overridden = strings(fieldNames(config.get("readmeOverrides")));
        assertEquals(Set.of("ApiKeyHashes"), overridden, "what sam reads from the --parameter-overrides of `"
            + Readme.command("sam deploy --guided") + "`");
        assertTrue(strings(config.get("parameters")).contains("ApiKeyHashes"), "the template takes ApiKeyHashes");
        assertTrue(Readme.text().contains("`ApiKeyHashes`"), "the README tells where the digest goes");
    }

    // ------------------------------------------------------------------ helpers

    private static String subcommand(List<String> command) {
        return command.get(1).equals("local") ? "local " + command.get(2) : command.get(1);
    }

    /** The options a click --help lists: on each line that starts with a dash, the words before the description. */
    private static Set<String> options(String help) {
        Set<String> options = new TreeSet<>();
        for (String line : help.lines().toList()) {
            if (line.strip().startsWith("-")) {
                Matcher option = OPTION.matcher(line.strip().split("\\s{2,}")[0]);
                while (option.find()) {
                    options.add(option.group());
                }
            }
        }
        return options;
    }

    private static Processes.Run sam(List<String> argv) {
        return Processes.run(Readme.root(), Map.of("SAM_CLI_TELEMETRY", "0"), TIMEOUT, argv);
    }

    private static Path venv() {
        String venv = System.getProperty("switchboard.venv");
        if (venv == null || !Files.isExecutable(Path.of(venv, "bin", "sam"))) {
            fail("the README's sam commands are checked with the pinned sam of the tools virtualenv: run bin/test (it"
                + " creates target/venv and passes -Dswitchboard.venv), or pass -Dswitchboard.venv=<virtualenv>; got "
                + venv);
        }
        return Path.of(venv);
    }

    private static JsonNode fieldNames(JsonNode object) {
        com.fasterxml.jackson.databind.node.ArrayNode names = new ObjectMapper().createArrayNode();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static Set<String> strings(JsonNode array) {
        Set<String> strings = new TreeSet<>();
        array.forEach(node -> strings.add(node.asText()));
        return strings;
    }
}
