package io.switchboard.client;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * An independent SigV4 check for the tests (written from the AWS documentation, not from the SDK): recomputes the
 * signature a request's {@code Authorization} header claims, over the headers it names, the path and the body.
 */
final class SigV4 {

    private static final Pattern AUTHORIZATION = Pattern.compile(
            "AWS4-HMAC-SHA256 Credential=([^/]+)/(\\d{8})/([^/]+)/([^/]+)/aws4_request, SignedHeaders=([^,]+), Signature=([0-9a-f]{64})");

    record Parsed(String accessKey, String date, String region, String service, String[] signedHeaders, String signature) {
    }

    private SigV4() {
    }

    static Parsed parse(String authorization) {
        Matcher m = AUTHORIZATION.matcher(authorization);
        if (!m.matches()) {
            throw new AssertionError("not a SigV4 Authorization header: " + authorization);
        }
        return new Parsed(m.group(1), m.group(2), m.group(3), m.group(4), m.group(5).split(";"), m.group(6));
    }

    /** The signature of {@code POST path} with {@code body}, over the signed headers named in {@code headers}' Authorization. */
    static String expectedSignature(Map<String, String> headers, String path, String body, String secretKey) {
        Map<String, String> lower = new TreeMap<>();
        headers.forEach((name, value) -> lower.put(name.toLowerCase(Locale.ROOT), value));
        Parsed parsed = parse(lower.get("authorization"));
        StringBuilder canonicalHeaders = new StringBuilder();
        for (String name : parsed.signedHeaders()) {
            String value = lower.get(name);
            if (value == null) {
                throw new AssertionError("signed header " + name + " is missing from " + lower.keySet());
            }
            canonicalHeaders.append(name).append(':').append(value.trim().replaceAll(" +", " ")).append('\n');
        }
        String canonicalRequest = "POST\n" + path + "\n\n" + canonicalHeaders + "\n" + String.join(";", parsed.signedHeaders())
                + "\n" + hex(sha256(body.getBytes(StandardCharsets.UTF_8)));
        String scope = parsed.date() + "/" + parsed.region() + "/" + parsed.service() + "/aws4_request";
        String stringToSign = "AWS4-HMAC-SHA256\n" + lower.get("x-amz-date") + "\n" + scope + "\n"
                + hex(sha256(canonicalRequest.getBytes(StandardCharsets.UTF_8)));
        byte[] key = hmac(("AWS4" + secretKey).getBytes(StandardCharsets.UTF_8), parsed.date());
        key = hmac(key, parsed.region());
        key = hmac(key, parsed.service());
        key = hmac(key, "aws4_request");
        return hex(hmac(key, stringToSign));
    }

    static String[] signedHeaders(Map<String, String> headers) {
        for (Map.Entry<String, String> e : headers.entrySet()) {
            if (e.getKey().equalsIgnoreCase("authorization")) {
                String[] names = parse(e.getValue()).signedHeaders();
                return Arrays.copyOf(names, names.length);
            }
        }
        throw new AssertionError("no Authorization header in " + headers.keySet());
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
