package io.switchboard.tests.readme;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Walks the README's code blocks that can run here and fails when one no longer matches the product: the two
 * commands, the gateway's banner and flags, and the seed's curl publish, run against the real jar.
 */
class ReadmeTest {
    private static final String KEY = "da2-readmereadmereadmereadme01";
    private static Path root;
    private static String readme;
    private static Process gateway;
    private static int port;
    private static final List<String> gatewayOutput = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        root = Path.of(System.getProperty("switchboard.root", "..")).toAbsolutePath().normalize();
        readme = Files.readString(root.resolve("README.md"));
        Path jar = root.resolve("local/target/switchboard-local.jar");
        assertTrue(Files.isRegularFile(jar), "the local gateway jar is built before the tests module: " + jar);
        gateway = new ProcessBuilder("java", "-jar", jar.toString(), "--port", "0", "--api-key", KEY)
            .directory(root.toFile()).redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(gateway.getInputStream(), StandardCharsets.UTF_8));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        String line;
        while (System.nanoTime() < deadline && (line = out.readLine()) != null) {
            gatewayOutput.add(line);
            Matcher ready = Pattern.compile("Switchboard local gateway ready on port (\\d+)").matcher(line);
            if (ready.find()) {
                port = Integer.parseInt(ready.group(1));
                break;
            }
        }
        assertTrue(port > 0, "the gateway did not say it was ready: " + gatewayOutput);
        Thread drain = new Thread(() -> {
            try {
                while (out.readLine() != null) {
                    // keep the pipe empty
                }
            } catch (IOException e) {
                // the gateway stopped
            }
        });
        drain.setDaemon(true);
        drain.start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (gateway != null) {
            gateway.destroy();
            if (!gateway.waitFor(20, TimeUnit.SECONDS)) {
                gateway.destroyForcibly();
            }
        }
    }

    @Test
    void theTwoCommands_existAndCiRunsTheTestCommand() throws IOException {
        assertTrue(readme.contains("bin/local      #"), "README names bin/local");
        assertTrue(readme.contains("bin/test       #"), "README names bin/test");
        assertTrue(Files.isExecutable(root.resolve("bin/local")));
        assertTrue(Files.isExecutable(root.resolve("bin/test")));
        String ci = Files.readString(root.resolve(".ci/run"));
        assertTrue(ci.lines().anyMatch(l -> l.trim().equals("exec bin/test")), ".ci/run must call exactly bin/test:\n" + ci);
    }

    @Test
    void banner_matchesWhatTheGatewayPrints() {
        String block = section("bin/local` builds the jars", "```\n", "```");
        for (String line : block.lines().toList()) {
            // the label before the value: "HTTP endpoint", "API key", ... (continuation lines have none)
            String label = line.trim().split("\\s{2,}")[0];
            if (line.startsWith("  ") && !label.isEmpty() && !label.startsWith("ws") && !label.startsWith("http")) {
                assertTrue(gatewayOutput.stream().anyMatch(l -> l.trim().startsWith(label)),
                    "README banner line '" + line + "' not printed:\n" + String.join("\n", gatewayOutput));
            }
        }
        assertTrue(block.contains("Switchboard local gateway ready on port 8080"));
        assertTrue(gatewayOutput.get(gatewayOutput.size() - 1).contains("Switchboard local gateway ready on port " + port));
    }

    @Test
    void helpBlock_listsExactlyTheGatewaysFlags() throws Exception {
        Process help = new ProcessBuilder("java", "-jar", root.resolve("local/target/switchboard-local.jar").toString(), "--help")
            .redirectErrorStream(true).start();
        String printed = new String(help.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(help.waitFor(60, TimeUnit.SECONDS));
        Set<String> documented = flags(section("bin/local --help", "\n", "```"));
        Set<String> actual = flags(printed);
        actual.remove("--help");
        assertEquals(actual, documented, "README's bin/local --help block vs the jar's --help");
    }

    @Test
    void seedCurlPublish_asWritten_succeeds() throws Exception {
        String block = section("**curl** (the seed's HTTP publish):", "```bash\n", "```");
        String curl = String.join("\n", block.lines().filter(l -> !l.startsWith("KEY=") && !l.startsWith("#")).toList())
            .replace("127.0.0.1:8080", "127.0.0.1:" + port);
        assertTrue(curl.startsWith("curl "), curl);
        Process p = new ProcessBuilder("bash", "-c", "KEY=" + KEY + "\n" + curl + " --silent --show-error --max-time 60")
            .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(90, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.matches("\\{\"failed\":\\[],\"successful\":\\[\\{\"identifier\":\"[0-9a-f-]{36}\",\"index\":0}]}\\s*"), out);
    }

    @Test
    void keygen_printsAKeyAndItsDigest() throws Exception {
        Process p = new ProcessBuilder("java", "-jar", root.resolve("local/target/switchboard-local.jar").toString(), "keygen")
            .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("da2-"), out);
        assertTrue(Pattern.compile("[0-9a-f]{64}").matcher(out).find(), out);
        assertTrue(readme.contains("bin/local keygen"), "README documents keygen");
    }

    private static Set<String> flags(String text) {
        Set<String> flags = new TreeSet<>();
        Matcher m = Pattern.compile("(?m)^\\s*(--[a-z-]+)").matcher(text);
        while (m.find()) {
            flags.add(m.group(1));
        }
        return flags;
    }

    /** The text between {@code open} and {@code close} that follows the first occurrence of {@code anchor}. */
    private static String section(String anchor, String open, String close) {
        int at = readme.indexOf(anchor);
        assertTrue(at >= 0, "README lost the part starting with: " + anchor);
        int start = readme.indexOf(open, at);
        assertTrue(start >= 0, anchor);
        start += open.length();
        int end = readme.indexOf(close, start);
        assertTrue(end >= 0, anchor);
        return readme.substring(start, end);
    }
}
