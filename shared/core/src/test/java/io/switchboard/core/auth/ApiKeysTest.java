package io.switchboard.core.auth;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ApiKeysTest {
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    private record Run(int exit, String out, String err) {}

    private static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = ApiKeys.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8), new SecureRandom(), Clock.fixed(NOW, ZoneOffset.UTC));
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void generate_appSyncShape_andUnique() {
        Set<String> keys = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            String key = ApiKeys.generate(new SecureRandom());
            assertTrue(key.matches("da2-[a-z0-9]{26}"), key);
            keys.add(key);
        }
        assertEquals(200, keys.size());
    }

    @Test
    void main_printsKeyAndDigestThatTheProviderAccepts() {
        Run run = run();
        assertEquals(0, run.exit(), run.err());
        Matcher m = Pattern.compile("API key: (da2-[a-z0-9]{26})\nEntry:   ([0-9a-f]{64})\nExpires: never\n").matcher(run.out());
        assertTrue(m.matches(), run.out());
        assertEquals(ApiKeyAuthProvider.digestHex(m.group(1)), m.group(2));
        ApiKeyAuthProvider provider = new ApiKeyAuthProvider(ApiKeyAuthProvider.parseDigests(m.group(2)), Clock.systemUTC());
        assertTrue(provider.authorize(request(m.group(1))).allowed());
    }

    @Test
    void main_expiresInDays_entryCarriesTheExpiry_andTheKeyExpires() {
        Run run = run("--expires-in-days", "30");
        assertEquals(0, run.exit(), run.err());
        Matcher m = Pattern.compile("API key: (da2-[a-z0-9]{26})\nEntry:   ([0-9a-f]{64}@([0-9]+))\nExpires: (.*)\n").matcher(run.out());
        assertTrue(m.matches(), run.out());
        long expiry = NOW.plusSeconds(30L * 86400).getEpochSecond();
        assertEquals(expiry, Long.parseLong(m.group(3)));
        assertEquals("2026-01-31T00:00:00Z", m.group(4));
        List<ApiKeyAuthProvider.ApiKey> keys = ApiKeyAuthProvider.parseDigests(m.group(2));
        AuthDecision before = new ApiKeyAuthProvider(keys, Clock.fixed(Instant.ofEpochSecond(expiry - 1), ZoneOffset.UTC))
            .authorize(request(m.group(1)));
        assertTrue(before.allowed());
        AuthDecision after = new ApiKeyAuthProvider(keys, Clock.fixed(Instant.ofEpochSecond(expiry), ZoneOffset.UTC))
            .authorize(request(m.group(1)));
        assertFalse(after.allowed());
        assertEquals("API key has expired", after.message());
        assertEquals("UnauthorizedException", after.errorType());
    }

    @Test
    void rotation_oldAndNewValidTogether_thenOldExpires() {
        String old = ApiKeys.generate(new SecureRandom());
        String next = ApiKeys.generate(new SecureRandom());
        String spec = ApiKeys.entry(old, NOW.plusSeconds(3600)) + "," + ApiKeys.entry(next, null);
        List<ApiKeyAuthProvider.ApiKey> keys = ApiKeyAuthProvider.parseDigests(spec);
        ApiKeyAuthProvider during = new ApiKeyAuthProvider(keys, Clock.fixed(NOW, ZoneOffset.UTC));
        assertTrue(during.authorize(request(old)).allowed());
        assertTrue(during.authorize(request(next)).allowed());
        ApiKeyAuthProvider later = new ApiKeyAuthProvider(keys, Clock.fixed(NOW.plusSeconds(3600), ZoneOffset.UTC));
        assertEquals("API key has expired", later.authorize(request(old)).message());
        assertTrue(later.authorize(request(next)).allowed());
    }

    @Test
    void main_badArguments_exitTwo() {
        assertEquals(2, run("--expires-in-days").exit());
        assertEquals(2, run("--expires-in-days", "0").exit());
        assertEquals(2, run("--expires-in-days", "soon").exit());
        assertEquals(2, run("--bogus").exit());
        assertEquals(0, run("--help").exit());
    }

    private static AuthRequest request(String key) {
        return new AuthRequest(Operation.PUBLISH, Headers.of(Map.of("x-api-key", key)), "default", "/default/a", () -> "{}");
    }
}
