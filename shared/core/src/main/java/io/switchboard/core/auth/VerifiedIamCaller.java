package io.switchboard.core.auth;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An IAM caller whose SigV4 signature API Gateway has already verified: the HTTP API's native {@code AWS_IAM}
 * authorizer puts it in {@code requestContext.authorizer.iam} of the event. Only the function layer creates one,
 * from that part of the API Gateway event, which clients cannot write; it is never read from request headers.
 * {@link AuthService} treats it as the request's {@code AWS_IAM} credential.
 *
 * @param accessKey the access key id that signed the request
 * @param accountId the caller's account
 * @param callerId e.g. {@code AROAEXAMPLEID:publisher}
 * @param userArn e.g. {@code arn:aws:sts::123456789012:assumed-role/publisher/publisher}
 * @param userId e.g. {@code AROAEXAMPLEID:publisher}; handlers see it as {@code username}
 * @param principalOrgId the caller's organization, or {@code null}
 * @param cognitoIdentityPoolId for Cognito identity pool credentials, else {@code null}
 * @param cognitoIdentityId for Cognito identity pool credentials, else {@code null}
 * @param cognitoIdentityAuthType {@code authenticated} or {@code unauthenticated}, or {@code null}
 * @param cognitoIdentityAuthProvider the identity providers of a Cognito identity, or {@code null}
 * @param sourceIp the caller's address followed by the {@code x-forwarded-for} chain
 */
public record VerifiedIamCaller(String accessKey, String accountId, String callerId, String userArn, String userId,
                                String principalOrgId, String cognitoIdentityPoolId, String cognitoIdentityId,
                                String cognitoIdentityAuthType, String cognitoIdentityAuthProvider,
                                List<String> sourceIp) {

    public VerifiedIamCaller {
        sourceIp = sourceIp == null ? List.of() : List.copyOf(sourceIp);
    }

    /** The identity handlers see, shaped as AppSync's {@code ctx.identity} for IAM callers (unset fields left out). */
    public Map<String, Object> identity() {
        Map<String, Object> identity = new LinkedHashMap<>();
        put(identity, "accountId", accountId);
        put(identity, "cognitoIdentityPoolId", cognitoIdentityPoolId);
        put(identity, "cognitoIdentityId", cognitoIdentityId);
        identity.put("sourceIp", sourceIp);
        put(identity, "username", userId);
        put(identity, "userArn", userArn);
        put(identity, "cognitoIdentityAuthType", cognitoIdentityAuthType);
        put(identity, "cognitoIdentityAuthProvider", cognitoIdentityAuthProvider);
        return identity;
    }

    private static void put(Map<String, Object> map, String key, String value) {
        if (value != null) {
            map.put(key, value);
        }
    }
}
