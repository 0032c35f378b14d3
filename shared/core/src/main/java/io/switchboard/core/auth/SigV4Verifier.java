package io.switchboard.core.auth;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Verifies an AWS Signature Version 4 ({@code Authorization: AWS4-HMAC-SHA256 ...}) by recomputing it with the
 * configured credentials: the canonical request (method, path, query, the signed headers as listed, the SHA-256 of
 * the body), the string to sign over the credential scope, and the HMAC chain. The date must be within five
 * minutes of the server's clock; the service must be {@code appsync} (AppSync clients) or {@code execute-api} (API
 * Gateway); the region must be the API's when one is configured. Signatures are compared in constant time. Failure
 * messages never contain the signature, the secret or the session token.
 *
 * <p>Usable on its own (the local gateway can verify its {@code AWS_IAM} routes with it); {@link IamAuthProvider}
 * uses it for connects, subscribes and publishes.
 */
public final class SigV4Verifier {
    public static final String ALGORITHM = "AWS4-HMAC-SHA256";
    public static final Duration MAX_CLOCK_SKEW = Duration.ofMinutes(5);
    public static final Set<String> SERVICES = Set.of("appsync", "execute-api");
    private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'", Locale.ROOT);
    private static final HexFormat HEX = HexFormat.of();

    /** Why a signature was refused; the message says it in words. */
    public enum Reason { MALFORMED, EXPIRED, WRONG_SCOPE, NO_CREDENTIALS, UNKNOWN_ACCESS_KEY, BAD_SECURITY_TOKEN, MISMATCH }

    /** A refused signature. The message is safe to show and to log. */
    public static final class Failure extends Exception {
        private final Reason reason;

        Failure(Reason reason, String message) {
            super(message, null, false, false);
            this.reason = reason;
        }

        public Reason reason() {
            return reason;
        }
    }

    /** The parts of a SigV4 {@code Authorization} header. */
    public record Signature(String accessKeyId, String date, String region, String service, List<String> signedHeaders,
                            String signature) {
        @Override
        public String toString() {
            return "Signature[" + service + " " + region + " " + date + " " + signedHeaders + "]"; // no key, no signature
        }
    }

    private final IamCredentials credentials;
    private final String region;
    private final Clock clock;

    /**
     * @param credentials what signatures are checked against; {@code null}: every signature is refused with
     *     {@link Reason#NO_CREDENTIALS}
     * @param region the API's region, or {@code null} to accept any
     */
    public SigV4Verifier(IamCredentials credentials, String region, Clock clock) {
        this.credentials = credentials;
        this.region = region;
        this.clock = clock;
    }

    /** Whether {@code authorization} is a SigV4 header (verified or not). */
    public static boolean isSigV4(String authorization) {
        return authorization != null && authorization.startsWith(ALGORITHM);
    }

    /**
     * Parses a SigV4 {@code Authorization} header.
     *
     * @throws Failure ({@link Reason#MALFORMED}) when it is not one
     */
    public static Signature parse(String authorization) throws Failure {
        if (!isSigV4(authorization) || authorization.length() <= ALGORITHM.length()
            || authorization.charAt(ALGORITHM.length()) != ' ') {
            throw new Failure(Reason.MALFORMED, "The Authorization header is not an AWS4-HMAC-SHA256 signature");
        }
        String credential = null;
        String signedHeaders = null;
        String signature = null;
        for (String part : authorization.substring(ALGORITHM.length() + 1).split(",")) {
            String trimmed = part.trim();
            int eq = trimmed.indexOf('=');
            if (eq <= 0) {
                continue;
            }
            String value = trimmed.substring(eq + 1).trim();
            switch (trimmed.substring(0, eq).trim()) {
                case "Credential" -> credential = value;
                case "SignedHeaders" -> signedHeaders = value;
                case "Signature" -> signature = value;
                default -> { }
            }
        }
        if (credential == null || signedHeaders == null || signature == null) {
            throw new Failure(Reason.MALFORMED,
                "The AWS4-HMAC-SHA256 Authorization header needs Credential, SignedHeaders and Signature");
        }
        String[] scope = credential.split("/", -1);
        if (scope.length != 5 || scope[0].isEmpty() || !scope[1].matches("[0-9]{8}") || scope[2].isEmpty()
            || scope[3].isEmpty() || !scope[4].equals("aws4_request")) {
            throw new Failure(Reason.MALFORMED,
                "The Credential of the signature must be <access key>/<yyyyMMdd>/<region>/<service>/aws4_request");
        }
        if (!signature.matches("[0-9a-f]{64}")) {
            throw new Failure(Reason.MALFORMED, "The Signature of the Authorization header must be 64 lowercase hex digits");
        }
        List<String> headers = new ArrayList<>();
        for (String name : signedHeaders.split(";", -1)) { // -1: "SignedHeaders=;" is empty names, not no names
            if (name.isEmpty() || !name.equals(name.toLowerCase(Locale.ROOT))) {
                throw new Failure(Reason.MALFORMED, "SignedHeaders must be lowercase header names separated by ';'");
            }
            headers.add(name);
        }
        return new Signature(scope[0], scope[1], scope[2], scope[3], List.copyOf(headers), signature);
    }

    /**
     * Verifies the signature of a request.
     *
     * @param method e.g. {@code POST}
     * @param rawPath the path as sent (percent-encoded), e.g. {@code /event}
     * @param rawQuery the query string as sent, or {@code null}
     * @param headers the request headers (or a WebSocket frame's {@code authorization} object)
     * @param bodies the bodies the signature may cover, tried in order (usually one)
     * @return the parsed signature, once verified
     * @throws Failure when the signature is refused
     */
    public Signature verify(String method, String rawPath, String rawQuery, Headers headers, List<String> bodies)
        throws Failure {
        Signature signature = parse(headers.get("Authorization"));
        if (!SERVICES.contains(signature.service())) {
            throw new Failure(Reason.WRONG_SCOPE, "Credential should be scoped to service 'appsync' or 'execute-api', not '"
                + printable(signature.service()) + "'");
        }
        if (region != null && !region.equals(signature.region())) {
            throw new Failure(Reason.WRONG_SCOPE, "Credential should be scoped to this API's region '" + region
                + "', not '" + printable(signature.region()) + "'");
        }
        if (!signature.signedHeaders().contains("host") || !signature.signedHeaders().contains("x-amz-date")) {
            throw new Failure(Reason.MALFORMED, "SignedHeaders must include host and x-amz-date");
        }
        String amzDate = headers.get("x-amz-date");
        Instant signedAt;
        try {
            signedAt = LocalDateTime.parse(amzDate == null ? "" : amzDate.trim(), AMZ_DATE).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw new Failure(Reason.MALFORMED, "x-amz-date must be the signing time as yyyyMMdd'T'HHmmss'Z'");
        }
        if (!amzDate.trim().startsWith(signature.date())) {
            throw new Failure(Reason.WRONG_SCOPE, "The date of the Credential scope must be the date of x-amz-date");
        }
        Instant now = clock.instant();
        if (Duration.between(signedAt, now).abs().compareTo(MAX_CLOCK_SKEW) > 0) {
            throw new Failure(Reason.EXPIRED, "Signature expired: x-amz-date " + amzDate.trim()
                + " is more than 5 minutes away from the server's time " + AMZ_DATE.format(now.atOffset(ZoneOffset.UTC)));
        }
        if (credentials == null) {
            throw new Failure(Reason.NO_CREDENTIALS, "No AWS credentials are configured to verify SigV4 signatures");
        }
        if (!constantTimeEquals(credentials.accessKeyId(), signature.accessKeyId())) {
            throw new Failure(Reason.UNKNOWN_ACCESS_KEY, "The security token included in the request is invalid "
                + "(its access key is not the configured AWS_ACCESS_KEY_ID)");
        }
        String token = headers.get("x-amz-security-token");
        if (credentials.sessionToken() == null ? token != null && !token.isEmpty()
            : token == null || !constantTimeEquals(credentials.sessionToken(), token.trim())) {
            throw new Failure(Reason.BAD_SECURITY_TOKEN, "The security token included in the request is invalid "
                + "(x-amz-security-token does not match the configured AWS_SESSION_TOKEN)");
        }

        StringBuilder canonicalHeaders = new StringBuilder();
        for (String name : signature.signedHeaders()) {
            String value = headers.get(name);
            if (value == null) {
                throw new Failure(Reason.MALFORMED, "Signed header '" + printable(name) + "' is missing from the request");
            }
            canonicalHeaders.append(name).append(':').append(value.trim().replaceAll(" +", " ")).append('\n');
        }
        String scope = signature.date() + "/" + signature.region() + "/" + signature.service() + "/aws4_request";
        byte[] signingKey = signingKey(credentials.secretAccessKey(), signature.date(), signature.region(), signature.service());
        byte[] presented = HEX.parseHex(signature.signature());
        String prefix = method.toUpperCase(Locale.ROOT) + '\n' + canonicalUri(rawPath) + '\n' + canonicalQuery(rawQuery) + '\n'
            + canonicalHeaders + '\n' + String.join(";", signature.signedHeaders()) + '\n';
        boolean matched = false;
        for (String body : bodies) {
            String canonicalRequest = prefix + HEX.formatHex(sha256(body.getBytes(StandardCharsets.UTF_8)));
            String stringToSign = ALGORITHM + '\n' + amzDate.trim() + '\n' + scope + '\n'
                + HEX.formatHex(sha256(canonicalRequest.getBytes(StandardCharsets.UTF_8)));
            // every candidate is computed and compared: the time taken does not depend on which one matched
            matched |= MessageDigest.isEqual(hmac(signingKey, stringToSign), presented);
        }
        if (!matched) {
            throw new Failure(Reason.MISMATCH, "The request signature we calculated does not match the signature you "
                + "provided. Check your AWS Secret Access Key and signing method.");
        }
        return signature;
    }

    /** The canonical URI of a non-S3 request: each path segment URI-encoded once more, {@code /} kept. */
    static String canonicalUri(String rawPath) {
        if (rawPath == null || rawPath.isEmpty()) {
            return "/";
        }
        return encode(rawPath, false);
    }

    /** Query parameters URI-encoded and sorted by name, then value. */
    static String canonicalQuery(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return "";
        }
        List<String[]> params = new ArrayList<>();
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            params.add(new String[] {encode(decode(name), true), encode(decode(value), true)});
        }
        params.sort((a, b) -> a[0].equals(b[0]) ? a[1].compareTo(b[1]) : a[0].compareTo(b[0]));
        StringBuilder sb = new StringBuilder();
        for (String[] p : params) {
            sb.append(sb.length() == 0 ? "" : "&").append(p[0]).append('=').append(p[1]);
        }
        return sb.toString();
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return s;
        }
    }

    /** RFC 3986 encoding: unreserved characters kept, everything else as %XX of its UTF-8 bytes. */
    private static String encode(String s, boolean encodeSlash) {
        StringBuilder sb = new StringBuilder(s.length() + 8);
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                || c == '-' || c == '_' || c == '.' || c == '~' || (c == '/' && !encodeSlash)) {
                sb.append(c);
            } else {
                sb.append('%').append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xf, 16)))
                    .append(Character.toUpperCase(Character.forDigit(b & 0xf, 16)));
            }
        }
        return sb.toString();
    }

    private static byte[] signingKey(String secret, String date, String region, String service) {
        byte[] key = hmac(("AWS4" + secret).getBytes(StandardCharsets.UTF_8), date);
        key = hmac(key, region);
        key = hmac(key, service);
        return hmac(key, "aws4_request");
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is required by every Java runtime", e);
        }
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java runtime", e);
        }
    }

    private static boolean constantTimeEquals(String expected, String presented) {
        byte[] a = sha256(expected.getBytes(StandardCharsets.UTF_8));
        byte[] b = sha256(presented.getBytes(StandardCharsets.UTF_8));
        return MessageDigest.isEqual(a, b);
    }

    /** A client-chosen value made safe to echo: printable ASCII, at most 40 characters. */
    private static String printable(String value) {
        String cleaned = value.replaceAll("[^\\x20-\\x7e]", "?");
        return cleaned.length() > 40 ? cleaned.substring(0, 40) + "..." : cleaned;
    }

    @Override
    public String toString() {
        return "SigV4Verifier[region=" + region + ", credentials=" + credentials + "]";
    }
}
