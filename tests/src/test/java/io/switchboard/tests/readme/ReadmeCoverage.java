package io.switchboard.tests.readme;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The one place that says, for every command the README shows, which test exercises it and how: {@link How#RUN} as
 * written, {@link How#SMOKE} in a shorter form of the same command, {@link How#MAPPED} to the test that runs the
 * same code or checks what can be checked without an AWS account or Docker, {@link How#CI} by {@code bin/test},
 * which {@code .ci/run} executes. Each entry names its evidence: a test method ({@code void name(} in that file) or
 * a line a file must hold, so that a renamed test or a changed script breaks the mapping loudly.
 * {@link ReadmeCoverageTest} fails for a README command missing here, and for an entry the README no longer shows.
 */
final class ReadmeCoverage {

    enum How { RUN, SMOKE, MAPPED, CI }

    /** {@code path} (from the repository root) contains {@code text}. */
    record Evidence(String path, String text) {}

    record Coverage(How how, String why, List<Evidence> evidence) {}

    private static final String README_TEST = "tests/src/test/java/io/switchboard/tests/readme/ReadmeTest.java";
    private static final String DEPLOY_TEST = "tests/src/test/java/io/switchboard/tests/readme/ReadmeDeployTest.java";
    private static final String BENCH_TEST = "tests/src/test/java/io/switchboard/tests/readme/ReadmeBenchTest.java";
    private static final String TEMPLATE_TOOLS = "tests/src/test/java/io/switchboard/tests/template/TemplateToolsTest.java";
    private static final String BENCH = "tests/src/test/java/io/switchboard/tests/bench/";
    private static final String SAM_LOCAL_DOC = "functions/src/test/java/io/switchboard/functions/SamLocalInvokeDocTest.java";
    private static final String CLI_TEST = "local/src/test/java/io/switchboard/local/CliTest.java";

    static final Map<String, Coverage> COMMANDS = new LinkedHashMap<>();

    static {
        // ---- the two commands, the build, the local gateway
        add("bin/local", How.RUN, "ReadmeTest starts the gateway with bin/local (plus --port 0, since 8080 may be"
                + " taken, and a known --api-key); every other ReadmeTest command talks to it",
            test(README_TEST, "banner_matchesWhatTheGatewayPrints"));
        add("bin/test", How.CI, ".ci/run is exactly exec bin/test, so CI runs it on every submission",
            test(README_TEST, "theTwoCommands_existAndCiRunsTheTestCommand"), file(".ci/run", "exec bin/test"));
        add("npm ci", How.CI, "bin/test's first step",
            file("bin/test", "npm ci"), test(README_TEST, "theTwoCommands_existAndCiRunsTheTestCommand"));
        add("mvn verify", How.CI, "bin/test's last step (mvn -B -ntp verify)",
            file("bin/test", "mvn -B -ntp verify"), test(README_TEST, "theTwoCommands_existAndCiRunsTheTestCommand"));
        add("mvn package -DskipTests", How.CI, "what bin/local runs when its jar is missing or stale; CI's mvn verify"
                + " runs the package phase of every module before the tests module, which checks the jars are there",
            file("bin/local", "-DskipTests package"), test(README_TEST, "build_packagesTheJarsTheReadmeNames"));
        add("mvn -B package -DskipTests", How.CI, "CI's mvn verify runs the package phase of every module first;"
                + " the test checks the jar the Deploy block says it builds",
            test(README_TEST, "build_packagesTheJarsTheReadmeNames"));
        add("mvn package", How.CI, "the same package phase, inside CI's mvn verify",
            test(README_TEST, "build_packagesTheJarsTheReadmeNames"));
        add("java -jar local/target/switchboard-local.jar", How.RUN, "bin/local execs exactly this jar (checked),"
                + " so every bin/local run is this command",
            test(README_TEST, "binLocal_runsTheJarTheReadmeNames"));
        add("bin/local --help", How.RUN, "run; its flags must be exactly the README's --help block",
            test(README_TEST, "helpBlock_listsExactlyTheGatewaysFlags"));
        add("bin/local keygen", How.RUN, "run; the printed digest must be the SHA-256 of the printed key",
            test(README_TEST, "keygen_printsAKeyAndItsDigest"));
        add("java -cp functions/target/switchboard-functions.jar io.switchboard.core.auth.ApiKeys [--expires-in-days 90]",
            How.RUN, "run twice, without and with the optional --expires-in-days 90",
            test(README_TEST, "apiKeysTool_printsAKeyItsEntry_andAnExpiryWhenAsked"));
        add("bin/local --port 9090", How.MAPPED, "a fixed port may be taken on a shared machine: ReadmeTest starts"
                + " bin/local with --port (0); CliTest starts the gateway on a busy port and checks the one-line error"
                + " and exit status 2 the Troubleshooting row describes",
            test(README_TEST, "banner_matchesWhatTheGatewayPrints"), test(CLI_TEST, "portInUse_isOneLineOnStderrAndExitCode2"));
        add("bin/local --dynamodb-endpoint http://127.0.0.1:8000", How.MAPPED, "needs a DynamoDB-protocol server on"
                + " port 8000: CliTest parses exactly this flag and URL, DynamoDbEndpointTest starts the gateway on"
                + " dynalite and checks the table is created and the store switched, DynamoDbStackTest runs the stack on it",
            file(CLI_TEST, "\"--dynamodb-endpoint\", \"http://127.0.0.1:8000\""),
            test("local/src/test/java/io/switchboard/local/DynamoDbEndpointTest.java",
                "dynamoDbEndpoint_createsTheTableAndSwitchesTheStore"),
            file("tests/src/test/java/io/switchboard/tests/e2e/DynamoDbStackTest.java", "Store.DYNALITE"));

        // ---- talk to it
        add("KEY=da2-...", How.RUN, "the curl, wscat and SigV4 runs set KEY to the key the test's gateway accepts",
            test(README_TEST, "seedCurlPublish_asWritten_succeeds"));
        add("curl -H \"x-api-key:$KEY\" http://127.0.0.1:8080/event -d"
                + " '{\"channel\":\"/sample/channel/test\",\"events\":[\"{\\\"message\\\":\\\"hello\\\"}\"]}'",
            How.RUN, "run as written (the gateway's port for 8080); the answer must have the README's shape",
            test(README_TEST, "seedCurlPublish_asWritten_succeeds"));
        add("header=$(printf '{\"host\":\"127.0.0.1:8080\",\"x-api-key\":\"%s\"}' \"$KEY\" | base64 | tr '+/' '-_'"
                + " | tr -d '\\n=')", How.RUN, "run before the wscat command, which connects with its result",
            test(README_TEST, "wscat_asWritten_isAcknowledgedAndSubscribed_thenReceivesTheCurlPublish"));
        add("npx wscat -s \"aws-appsync-event-ws\" -s \"header-$header\" -c ws://127.0.0.1:8080/event/realtime",
            How.RUN, "run as written from tests/node (wscat pinned there); the frames the README types are sent with"
                + " -x, and every frame it shows coming back must come back; then the curl publish arrives as data",
            test(README_TEST, "wscat_asWritten_isAcknowledgedAndSubscribed_thenReceivesTheCurlPublish"));
        add("curl --aws-sigv4 \"aws:amz:us-east-1:appsync\" --user \"$AWS_ACCESS_KEY_ID:$AWS_SECRET_ACCESS_KEY\""
                + " -d '{\"channel\":\"/default/a\",\"events\":[\"{\\\"a\\\":1}\"]}' http://127.0.0.1:8080/event",
            How.RUN, "run as written against a gateway started with the signer's AWS_ACCESS_KEY_ID and"
                + " AWS_SECRET_ACCESS_KEY",
            test(README_TEST, "sigV4Curl_localCommand_asWritten_publishes"));
        add("curl --aws-sigv4 \"aws:amz:$REGION:execute-api\" --user \"$AWS_ACCESS_KEY_ID:$AWS_SECRET_ACCESS_KEY\""
                + " -H \"x-amz-security-token: $AWS_SESSION_TOKEN\" -H 'content-type: application/json'"
                + " -d '{\"channel\":\"/default/a\",\"events\":[\"{\\\"a\\\":1}\"]}' \"$IAM_PUBLISH_ENDPOINT\"",
            How.RUN, "the cloud command, run as written with IAM_PUBLISH_ENDPOINT set to the local gateway's"
                + " POST /iam/event (the template's IAM route, verified for execute-api with the session token)",
            test(README_TEST, "sigV4Curl_cloudCommand_asWritten_publishesThroughTheIamRoute"));

        // ---- sam local invoke: needs Docker
        String samLocal = "needs Docker: SamLocalInvokeDocTest runs each command of events/README.md (which lists this"
            + " one) through the Lambda runtime's serialization and checks the documented result; ReadmeDeployTest"
            + " checks the pinned sam accepts its flags and that the function and the files exist";
        add("sam local invoke ConnectFunction -e events/connect.json --env-vars events/env.json", How.MAPPED, samLocal,
            test(SAM_LOCAL_DOC, "everyDocumentedCommand_returnsWhatTheReadmeSays"),
            file("events/README.md", "sam local invoke ConnectFunction -e events/connect.json --env-vars events/env.json"),
            test(DEPLOY_TEST, "samCommands_useOnlyFlagsThePinnedSamAccepts"));
        add("sam local invoke MessageFunction -e events/subscribe-bad-key.json --env-vars events/env.json", How.MAPPED,
            samLocal, test(SAM_LOCAL_DOC, "everyDocumentedCommand_returnsWhatTheReadmeSays"),
            file("events/README.md",
                "sam local invoke MessageFunction -e events/subscribe-bad-key.json --env-vars events/env.json"),
            test(DEPLOY_TEST, "samCommands_useOnlyFlagsThePinnedSamAccepts"));
        add("sam local invoke PublishFunction -e events/http-publish.json --env-vars events/env.json", How.MAPPED,
            samLocal, test(SAM_LOCAL_DOC, "everyDocumentedCommand_returnsWhatTheReadmeSays"),
            file("events/README.md", "sam local invoke PublishFunction -e events/http-publish.json --env-vars events/env.json"),
            test(DEPLOY_TEST, "samCommands_useOnlyFlagsThePinnedSamAccepts"));
        add("sam local invoke", How.MAPPED, samLocal, test(SAM_LOCAL_DOC, "everyDocumentedCommand_returnsWhatTheReadmeSays"));

        // ---- deploy: needs an AWS account
        add("sam build", How.MAPPED, "TemplateToolsTest runs sam build on the same template (into target/sam-build"
                + " instead of .aws-sam) and checks every function stages the functions jar",
            test(TEMPLATE_TOOLS, "samBuild_template_stagesTheFunctionsJarForEveryFunction"));
        add("sam validate --lint", How.MAPPED, "TemplateToolsTest runs it on the same template; samconfig.toml sets"
                + " lint = true for a plain sam validate (checked)",
            test(TEMPLATE_TOOLS, "samValidateLint_template_reportsNothing"),
            test(DEPLOY_TEST, "samconfig_suppliesWhatThePlainDeployAndDeleteNeed"));
        add("sam deploy --guided --parameter-overrides ApiKeyHashes=<digest>", How.MAPPED, "needs an AWS account:"
                + " the pinned sam accepts --guided and --parameter-overrides, sam's own parser reads the override as"
                + " the template parameter ApiKeyHashes, and the template it deploys passes sam build and sam validate"
                + " --lint",
            test(DEPLOY_TEST, "samCommands_useOnlyFlagsThePinnedSamAccepts"),
            test(DEPLOY_TEST, "samDeployGuided_overridesATemplateParameter"),
            test(TEMPLATE_TOOLS, "samBuild_template_stagesTheFunctionsJarForEveryFunction"));
        add("sam deploy", How.MAPPED, "needs an AWS account: samconfig.toml, read by sam's own loader, supplies what a"
                + " plain deploy needs (stack name, CAPABILITY_IAM, an S3 bucket to resolve, changeset confirmation),"
                + " every key is an option of the pinned sam deploy, and sam's own parameter merge keeps the deployed"
                + " ApiKeyHashes",
            test(DEPLOY_TEST, "samconfig_suppliesWhatThePlainDeployAndDeleteNeed"));
        add("sam delete --stack-name switchboard", How.MAPPED, "needs an AWS account: the pinned sam delete accepts"
                + " --stack-name, and switchboard is the stack name samconfig.toml gives sam deploy",
            test(DEPLOY_TEST, "samCommands_useOnlyFlagsThePinnedSamAccepts"),
            test(DEPLOY_TEST, "samconfig_suppliesWhatThePlainDeployAndDeleteNeed"));

        // ---- benchmarks
        String profile = "a full-size benchmark (minutes): the profile only sets -Dtest to this class and"
            + " switchboard.bench=full; every build runs the same test method in smoke mode (checked)";
        add("mvn -B -q -pl tests verify -Pbench-coldstart", How.MAPPED, profile,
            test(BENCH + "ColdStartBenchmarkTest.java", "coldStartBenchmark_connectAndSubscribeInFreshJvms"),
            test(BENCH_TEST, "benchProfiles_runTheTestsEveryBuildRunsInSmokeMode"));
        add("mvn -B -q -pl tests verify -Pbench-engine", How.MAPPED, profile,
            test(BENCH + "EngineBenchmarkTest.java", "engineBenchmark_publishToEverySubscription"),
            test(BENCH_TEST, "benchProfiles_runTheTestsEveryBuildRunsInSmokeMode"));
        add("mvn -B -q -pl tests verify -Pbench-fanout", How.MAPPED, profile,
            test(BENCH + "FanOutBenchmarkTest.java", "fanOutBenchmark_everySubscriberOnce_noInvocationOverItsTimeout"),
            test(BENCH_TEST, "benchProfiles_runTheTestsEveryBuildRunsInSmokeMode"));
        add("bin/bench local-load --scenario all", How.SMOKE, "minutes of load: bin/bench (without its build step)"
                + " runs LocalLoadBenchmark with --scenario all and --help, so the script and the option parser run;"
                + " LocalLoadSmokeTest runs the same LocalLoadBenchmark.run on 50 subscribers for 5 s",
            test(BENCH_TEST, "binBenchLocalLoad_acceptsScenarioAll"),
            file(BENCH + "LocalLoadSmokeTest.java", "LocalLoadBenchmark.run("));
        add("bin/bench dynamodb", How.MAPPED, "about 30 s: DynamoDbCostTest runs what its main runs"
                + " (DynamoDbCostBenchmark.measure and markdown on dynalite) in every build; bin/bench's dispatch to that"
                + " main is checked, and bin/bench itself runs in the cost smoke run",
            file(BENCH + "DynamoDbCostTest.java", "DynamoDbCostBenchmark.measure("),
            file(BENCH + "DynamoDbCostTest.java", "DynamoDbCostBenchmark.markdown("),
            test(BENCH_TEST, "binBench_dispatchesEachReadmeBenchmarkToItsMain"));
        add("bin/bench cost", How.SMOKE, "run with bin/bench --no-build and --audience 20 (the DynamoDB measurement on"
                + " 20 subscribers instead of 1,000) in a scratch root, so the real target/bench/cost.md is left alone;"
                + " the report must have every workload and both sides",
            test(BENCH_TEST, "binBenchCost_smoke_writesTheReport"));
    }

    private ReadmeCoverage() {}

    private static void add(String command, How how, String why, Evidence... evidence) {
        if (COMMANDS.put(command, new Coverage(how, why, List.of(evidence))) != null) {
            throw new IllegalStateException("listed twice: " + command);
        }
    }

    /** A test method: {@code void name(} in {@code path}. */
    static Evidence test(String path, String method) {
        return new Evidence(path, " " + method + "(");
    }

    static Evidence file(String path, String text) {
        return new Evidence(path, text);
    }

    /** What is wrong with the README's {@code commands} against {@link #COMMANDS}: one line per problem. */
    static List<String> problems(List<ReadmeCommands.Command> commands) {
        List<String> problems = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (ReadmeCommands.Command command : commands) {
            if (seen.add(command.text()) && !COMMANDS.containsKey(command.text())) {
                problems.add("README line " + command.line() + ": `" + command.text() + "` is neither run by a test nor"
                    + " mapped to one. Run it in a test (tests/.../readme) or add it to ReadmeCoverage with the test"
                    + " that exercises it and why.");
            }
        }
        for (String listed : COMMANDS.keySet()) {
            if (!seen.contains(listed)) {
                problems.add("ReadmeCoverage lists `" + listed + "`, which the README no longer shows: remove it.");
            }
        }
        return problems;
    }
}
