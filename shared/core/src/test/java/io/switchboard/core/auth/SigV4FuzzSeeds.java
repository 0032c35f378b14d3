package io.switchboard.core.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Writes the seeds of {@link SigV4FuzzTest#verify}: requests signed by the AWS SDK's signer at
 * {@link SigV4FuzzTest#NOW}, one line each for Authorization, x-amz-date, x-amz-security-token, path, query and
 * body. Run from shared/core after changing the format:
 * {@code java -cp target/test-classes:$(cat cp.txt) io.switchboard.core.auth.SigV4FuzzSeeds}.
 */
public final class SigV4FuzzSeeds {
    private SigV4FuzzSeeds() {}

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args.length > 0 ? args[0]
            : "src/test/resources/io/switchboard/core/auth/SigV4FuzzTestInputs/verify");
        Files.createDirectories(dir);
        Map<String, String> bodies = Map.of(
            "connect", "{}",
            "subscribe", "{\"channel\":\"/default/*\"}",
            "publish", "{\"channel\":\"/default/a\",\"events\":[\"{\\\"a\\\":1}\",\"\\\"<x>\\\"\"]}");
        for (Map.Entry<String, String> e : bodies.entrySet()) {
            Map<String, String> h = SigV4TestSigner.session().at(SigV4FuzzTest.NOW).sign(e.getValue());
            String seed = h.get("Authorization") + "\n" + h.get("X-Amz-Date") + "\n" + h.get("X-Amz-Security-Token")
                + "\n/event\n\n" + e.getValue();
            Files.writeString(dir.resolve(e.getKey()), seed, StandardCharsets.UTF_8);
        }
        Map<String, String> h = SigV4TestSigner.session().at(SigV4FuzzTest.NOW.minusSeconds(3600)).sign("{}");
        Files.writeString(dir.resolve("expired"), h.get("Authorization") + "\n" + h.get("X-Amz-Date") + "\n"
            + h.get("X-Amz-Security-Token") + "\n/event\n\n{}", StandardCharsets.UTF_8);
    }
}
