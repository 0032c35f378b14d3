package io.switchboard.tests.readme;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The repository's README and the commands it shows ({@link ReadmeCommands}), as the README tests read them. */
final class Readme {
    private Readme() {}

    /** The repository root: {@code -Dswitchboard.root} (the tests module's surefire sets it), else {@code ..}. */
    static Path root() {
        return Path.of(System.getProperty("switchboard.root", "..")).toAbsolutePath().normalize();
    }

    static String text() {
        try {
            return Files.readString(root().resolve("README.md"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<ReadmeCommands.Command> commands() {
        return ReadmeCommands.extract(text());
    }

    /**
     * The README's command that starts with {@code prefix}, as the README writes it (whitespace collapsed); fails
     * naming the prefix when the README lost it, or when several different commands start with it.
     */
    static String command(String prefix) {
        List<String> found = commands().stream().map(ReadmeCommands.Command::text)
            .filter(text -> text.startsWith(prefix)).distinct().toList();
        assertTrue(!found.isEmpty(), "the README no longer shows a command starting with `" + prefix + "`");
        assertEquals(1, found.size(), "several README commands start with `" + prefix + "`: " + found);
        return found.get(0);
    }

    /** {@code text} quoted for bash as one word. */
    static String shellQuote(String text) {
        return "'" + text.replace("'", "'\\''") + "'";
    }
}
