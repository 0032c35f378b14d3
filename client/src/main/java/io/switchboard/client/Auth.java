package io.switchboard.client;

import java.net.URI;
import java.util.Map;
import java.util.Objects;

import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/**
 * How the client proves who it is: the headers added to HTTP publishes, to the WebSocket's {@code header-...}
 * subprotocol and to the {@code authorization} object of every {@code subscribe} and {@code publish} frame.
 *
 * <p>{@link #iam} needs {@code software.amazon.awssdk:http-auth-aws} and {@code auth} on the class path; the other
 * modes need nothing beyond this library, and the SDK is not loaded unless {@code iam} is called.
 */
public abstract class Auth {

    /** Header names are sent lower-case except {@code Authorization}, as the AWS clients send them. */
    static final String API_KEY_HEADER = "x-api-key";
    static final String AUTHORIZATION_HEADER = "Authorization";

    Auth() {
    }

    /** API key mode: {@code x-api-key}. */
    public static Auth apiKey(String key) {
        return new Header("API_KEY", API_KEY_HEADER, requireText(key, "key"));
    }

    /**
     * Cognito user pools or OpenID Connect: the token is sent as {@code Authorization} exactly as given (AppSync takes
     * the bare JWT; a {@code Bearer } prefix is accepted too).
     */
    public static Auth bearer(String jwt) {
        return new Header("JWT", AUTHORIZATION_HEADER, requireText(jwt, "jwt"));
    }

    /** Lambda authorizer mode: the opaque token as {@code Authorization}. */
    public static Auth lambda(String token) {
        return new Header("AWS_LAMBDA", AUTHORIZATION_HEADER, requireText(token, "token"));
    }

    /**
     * IAM: every request is signed with SigV4 for service {@code appsync} in {@code region}, with credentials
     * resolved from {@code credentials} at each signature.
     */
    public static Auth iam(AwsCredentialsProvider credentials, String region) {
        return iam(credentials, region, "appsync");
    }

    /**
     * IAM with another signing name, e.g. {@code execute-api} for Switchboard's {@code POST /iam/event} route behind
     * API Gateway's native IAM authorization.
     */
    public static Auth iam(AwsCredentialsProvider credentials, String region, String service) {
        return new IamAuth(Objects.requireNonNull(credentials, "credentials"), requireText(region, "region"),
                requireText(service, "service"), java.time.Clock.systemUTC());
    }

    /**
     * The headers that authorize a {@code POST} of {@code body} to {@code endpoint} carrying {@code headers}: for
     * IAM, every signed header (including {@code headers}, {@code host} and the signature); otherwise just the
     * credential header. Called on the client's threads; may block briefly while credentials resolve.
     */
    abstract Map<String, String> headers(URI endpoint, Map<String, String> headers, String body);

    /** True if the authorization depends on the request (signed), so the content headers belong in it. */
    abstract boolean signs();

    private static String requireText(String value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isBlank()) {
            throw new IllegalArgumentException(name + " is blank");
        }
        return value;
    }

    /** A fixed credential header (API key, JWT, Lambda token). */
    private static final class Header extends Auth {
        private final String mode;
        private final String name;
        private final String value;

        Header(String mode, String name, String value) {
            this.mode = mode;
            this.name = name;
            this.value = value;
        }

        @Override
        Map<String, String> headers(URI endpoint, Map<String, String> headers, String body) {
            return Map.of(name, value);
        }

        @Override
        boolean signs() {
            return false;
        }

        @Override
        public String toString() {
            return "Auth[" + mode + "]";
        }
    }
}
