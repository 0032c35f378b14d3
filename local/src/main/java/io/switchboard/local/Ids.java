package io.switchboard.local;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.Locale;

/** Identifiers and timestamps in the shapes API Gateway and AppSync use. */
final class Ids {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String BASE62 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static final String LOWER_ALPHANUMERIC = "abcdefghijklmnopqrstuvwxyz0123456789";
    private static final DateTimeFormatter CLF =
            DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH).withZone(ZoneOffset.UTC);

    private Ids() {
    }

    /** A connection or request id like API Gateway's {@code R1kmxc2VNjMCFIA=}; never contains {@code /} or {@code +}. */
    static String connectionId() {
        return random(BASE62, 15) + "=";
    }

    static String requestId() {
        return connectionId();
    }

    /** An API id like {@code a1b2c3d4e5}. */
    static String apiId() {
        return random(LOWER_ALPHANUMERIC, 10);
    }

    /** An API key in AppSync's shape: {@code da2-} and 26 lowercase alphanumerics. */
    static String apiKey() {
        return "da2-" + random(LOWER_ALPHANUMERIC, 26);
    }

    static String sha256Hex(String value) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }

    /** {@code 20/Jan/2024:11:54:57 +0000}, the Common Log Format time of {@code requestTime}. */
    static String clfTime(long epochMillis) {
        return CLF.format(Instant.ofEpochMilli(epochMillis));
    }

    static String traceId(long epochMillis) {
        return "Root=1-" + Long.toHexString(epochMillis / 1000) + "-" + random("0123456789abcdef", 24);
    }

    private static String random(String alphabet, int length) {
        StringBuilder out = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            out.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
        }
        return out.toString();
    }
}
