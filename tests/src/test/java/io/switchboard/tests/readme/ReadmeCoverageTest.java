package io.switchboard.tests.readme;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every command the README shows is run by a test or mapped to one in {@link ReadmeCoverage}, and every mapping
 * still points at a test and at files that say what it claims. Fast: reads files only.
 */
class ReadmeCoverageTest {

    @Test
    void everyReadmeCommand_isRunOrMappedToATest() {
        List<ReadmeCommands.Command> commands = Readme.commands();
        assertTrue(commands.size() > 20, "the README's commands were not found: " + commands);
        assertEquals(List.of(), ReadmeCoverage.problems(commands),
            () -> "README commands vs ReadmeCoverage:\n" + String.join("\n", ReadmeCoverage.problems(commands)));
    }

    @Test
    void everyMapping_pointsAtTestsAndFilesThatExist() throws IOException {
        Path root = Readme.root();
        List<String> broken = new ArrayList<>();
        for (Map.Entry<String, ReadmeCoverage.Coverage> entry : ReadmeCoverage.COMMANDS.entrySet()) {
            ReadmeCoverage.Coverage coverage = entry.getValue();
            if (coverage.evidence().isEmpty() || coverage.why().isBlank()) {
                broken.add("`" + entry.getKey() + "`: no test or no reason given");
            }
            for (ReadmeCoverage.Evidence evidence : coverage.evidence()) {
                Path file = root.resolve(evidence.path());
                if (!Files.isRegularFile(file)) {
                    broken.add("`" + entry.getKey() + "`: " + evidence.path() + " does not exist");
                } else if (!Files.readString(file).contains(evidence.text())) {
                    broken.add("`" + entry.getKey() + "`: " + evidence.path() + " no longer contains '"
                        + evidence.text().strip() + "'");
                }
            }
        }
        assertEquals(List.of(), broken, () -> String.join("\n", broken));
    }

    /** The check itself: a command added to the README without a test makes it fail, naming the command. */
    @Test
    void aNewReadmeCommand_withoutCoverage_failsNamingIt() {
        String readme = Readme.text() + "\n## New\n\n```bash\nbin/local --frobnicate 3   # new and untested\n```\n"
            + "\nOr inline: `sam sync --watch`.\n";
        List<String> problems = new ArrayList<>(ReadmeCoverage.problems(ReadmeCommands.extract(readme)));
        problems.removeAll(ReadmeCoverage.problems(Readme.commands()));      // only what the addition caused

        assertEquals(2, problems.size(), String.join("\n", problems));
        assertTrue(problems.get(0).contains("`bin/local --frobnicate 3` is neither run by a test nor mapped"), problems.get(0));
        assertTrue(problems.get(1).contains("`sam sync --watch`"), problems.get(1));
    }

    @Test
    void extract_findsEveryKindOfCommand_andNothingElse() {
        String markdown = """
            Run `bin/local --port 9090`, not `bin/local` alone (a mention), nor `--port 0` or `same bytes`.

            ```bash
            KEY=da2-...   # a comment
            curl -H "x:$KEY" http://h/event \\
              -d '{"a":"# not a comment"}'
            # a whole-line comment
            mvn -B package && sam build; sam deploy
            > {"typed":"in a transcript"}
            < {"shown":"in a transcript"}
            ```

            ```
            bin/local --help
              --port N        indented output
            bin/local keygen                prints a key
            bin/               a folder, not a command
            ```

            ```java
            java -version;  // Java code, not a shell
            ```
            """;
        List<String> commands = ReadmeCommands.extract(markdown).stream().map(ReadmeCommands.Command::text).toList();

        assertEquals(List.of("bin/local --port 9090", "KEY=da2-...",
            "curl -H \"x:$KEY\" http://h/event -d '{\"a\":\"# not a comment\"}'", "mvn -B package", "sam build",
            "sam deploy", "bin/local --help", "bin/local keygen"), commands);
        assertEquals(1, ReadmeCommands.extract(markdown).get(0).line());
        assertEquals(4, ReadmeCommands.extract(markdown).get(1).line());
    }
}
