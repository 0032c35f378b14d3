package io.switchboard.core.auth;

import java.util.Objects;

/**
 * The AWS credentials SigV4 signatures are verified against ({@code AWS_ACCESS_KEY_ID},
 * {@code AWS_SECRET_ACCESS_KEY}, {@code AWS_SESSION_TOKEN} of the process). Not a record: its string form must
 * never show the secret or the token.
 */
public final class IamCredentials {
    private final String accessKeyId;
    private final String secretAccessKey;
    private final String sessionToken;

    private IamCredentials(String accessKeyId, String secretAccessKey, String sessionToken) {
        this.accessKeyId = Objects.requireNonNull(accessKeyId, "accessKeyId");
        this.secretAccessKey = Objects.requireNonNull(secretAccessKey, "secretAccessKey");
        this.sessionToken = sessionToken == null || sessionToken.isEmpty() ? null : sessionToken;
    }

    /** @param sessionToken {@code null} for long-term credentials */
    public static IamCredentials of(String accessKeyId, String secretAccessKey, String sessionToken) {
        return new IamCredentials(accessKeyId, secretAccessKey, sessionToken);
    }

    public String accessKeyId() {
        return accessKeyId;
    }

    String secretAccessKey() {
        return secretAccessKey;
    }

    /** The session token of temporary credentials, or {@code null}. */
    String sessionToken() {
        return sessionToken;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IamCredentials other && accessKeyId.equals(other.accessKeyId)
            && secretAccessKey.equals(other.secretAccessKey) && Objects.equals(sessionToken, other.sessionToken);
    }

    @Override
    public int hashCode() {
        return accessKeyId.hashCode();
    }

    @Override
    public String toString() {
        return "IamCredentials[accessKeyId=" + accessKeyId.substring(0, Math.min(4, accessKeyId.length())) + "***, secret=***"
            + (sessionToken == null ? "" : ", sessionToken=***") + "]";
    }
}
