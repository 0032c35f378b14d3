package io.switchboard.core.auth;

import java.io.PrintStream;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Makes API keys: {@code da2-} and 26 random lowercase letters and digits from {@link SecureRandom}, the shape of
 * AppSync's keys. Only the key's SHA-256 digest is deployed ({@code SWITCHBOARD_API_KEYS}, the template's
 * {@code ApiKeyHashes}), optionally with an expiry: {@code <digest>@<epoch seconds>}.
 *
 * <p>As a command, without the gateway or any AWS call:
 * <pre>
 * java -cp shared/core/target/switchboard-core-*.jar io.switchboard.core.auth.ApiKeys [--expires-in-days N]
 * </pre>
 * Rotation without downtime: deploy the new digest beside the old one ({@code old,new}), move clients to the new
 * key, then deploy {@code new} alone; or give the old digest an expiry ({@code old@<epoch>,new}) so that it stops
 * working by itself.
 */
public final class ApiKeys {
    static final String PREFIX = "da2-";
    static final int RANDOM_CHARACTERS = 26;
    private static final char[] ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789".toCharArray();
    private static final int MAX_DAYS = 3650;

    private ApiKeys() {}

    /** A new key. */
    public static String generate(SecureRandom random) {
        StringBuilder sb = new StringBuilder(PREFIX.length() + RANDOM_CHARACTERS).append(PREFIX);
        for (int i = 0; i < RANDOM_CHARACTERS; i++) {
            sb.append(ALPHABET[random.nextInt(ALPHABET.length)]); // nextInt(n) is unbiased
        }
        return sb.toString();
    }

    /** The configuration entry of {@code key}: its digest, with {@code @<epoch seconds>} when it expires. */
    public static String entry(String key, Instant expiresAt) {
        String digest = ApiKeyAuthProvider.digestHex(key);
        return expiresAt == null ? digest : digest + "@" + expiresAt.getEpochSecond();
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err, new SecureRandom(), Clock.systemUTC()));
    }

    static int run(String[] args, PrintStream out, PrintStream err, SecureRandom random, Clock clock) {
        Integer days = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--help", "-h" -> {
                    out.println("Usage: ApiKeys [--expires-in-days N]");
                    out.println("Prints a new API key (give it to clients) and the entry to deploy in SWITCHBOARD_API_KEYS");
                    out.println("(template parameter ApiKeyHashes): its SHA-256 digest, with @<expiry epoch seconds> if it expires.");
                    out.println("Several entries may be valid at once (comma-separated): add the new one, move clients, remove the old one.");
                    return 0;
                }
                case "--expires-in-days" -> {
                    if (i + 1 >= args.length) {
                        err.println("--expires-in-days needs a number of days");
                        return 2;
                    }
                    try {
                        days = Integer.parseInt(args[++i]);
                    } catch (NumberFormatException e) {
                        days = -1;
                    }
                    if (days < 1 || days > MAX_DAYS) {
                        err.println("--expires-in-days must be a whole number from 1 to " + MAX_DAYS);
                        return 2;
                    }
                }
                default -> {
                    err.println("Unknown argument '" + args[i] + "' (usage: ApiKeys [--expires-in-days N])");
                    return 2;
                }
            }
        }
        String key = generate(random);
        Instant expiresAt = days == null ? null : clock.instant().plus(Duration.ofDays(days));
        out.println("API key: " + key);
        out.println("Entry:   " + entry(key, expiresAt));
        out.println("Expires: " + (expiresAt == null ? "never" : expiresAt));
        return 0;
    }
}
