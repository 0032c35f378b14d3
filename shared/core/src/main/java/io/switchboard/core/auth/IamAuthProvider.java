package io.switchboard.core.auth;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code AWS_IAM} mode. A caller API Gateway has verified ({@link VerifiedIamCaller}, the HTTP API's IAM route) is
 * allowed as is. Any other request signed with SigV4 ({@code Authorization: AWS4-HMAC-SHA256 ...}) has its
 * signature recomputed against the configured credentials ({@code AWS_ACCESS_KEY_ID},
 * {@code AWS_SECRET_ACCESS_KEY}, {@code AWS_SESSION_TOKEN}) over what AppSync clients sign: {@code POST /event}
 * with the signed headers as listed and the body of the operation ({@code {}} on connect, the re-serialised
 * {@code {"channel":…}} or {@code {"channel":…,"events":[…]}} on WebSocket operations, the raw HTTP body). For
 * WebSocket bodies the faithful form is tried first, then the HTML-escaped form AWS is believed to hash
 * ({@code protocol.md} §4.4).
 *
 * <p>In the cloud the function cannot know a caller's secret key: a signature whose access key is not the
 * configured one is refused with a message saying that IAM is verified only on {@code POST /iam/event}. Locally
 * the gateway's own credentials are the ones clients sign with.
 */
public final class IamAuthProvider implements AuthProvider {
    static final String CLOUD_UNSUPPORTED = "IAM (SigV4) signatures are verified by API Gateway on POST /iam/event "
        + "only (sign for service execute-api); this deployment cannot verify a signature made with a secret key it "
        + "does not hold, so AWS_IAM is not available for WebSocket connect, subscribe and publish, nor on POST /event";
    static final String LOCAL_NO_CREDENTIALS = "No AWS credentials are configured to verify SigV4 signatures: start "
        + "the local gateway with AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN) set to the "
        + "credentials clients sign with";

    private final SigV4Verifier verifier;
    private final boolean local;

    /**
     * @param credentials the credentials signatures are checked against, or {@code null}
     * @param region the API's region, or {@code null} to accept any
     * @param local running in the local gateway (changes only the wording of refusals)
     */
    public IamAuthProvider(IamCredentials credentials, String region, boolean local, Clock clock) {
        this.verifier = new SigV4Verifier(credentials, region, clock);
        this.local = local;
    }

    @Override
    public AuthMode mode() {
        return AuthMode.AWS_IAM;
    }

    @Override
    public boolean recognizes(AuthRequest request) {
        return request.verifiedIamCaller() != null || SigV4Verifier.isSigV4(request.headers().get("Authorization"));
    }

    @Override
    public AuthDecision authorize(AuthRequest request) {
        VerifiedIamCaller caller = request.verifiedIamCaller();
        if (caller != null) {
            return AuthDecision.allow(AuthMode.AWS_IAM, caller.identity());
        }
        SigV4Verifier.Signature signature;
        try {
            signature = verifier.verify("POST", "/event", null, request.headers(), bodies(request.signedBody().get()));
        } catch (SigV4Verifier.Failure f) {
            return AuthDecision.deny(AuthMode.AWS_IAM, message(f));
        }
        return AuthDecision.allow(AuthMode.AWS_IAM, Map.of("username", signature.accessKeyId()));
    }

    private String message(SigV4Verifier.Failure f) {
        switch (f.reason()) {
            case NO_CREDENTIALS:
                return local ? LOCAL_NO_CREDENTIALS : CLOUD_UNSUPPORTED;
            case UNKNOWN_ACCESS_KEY:
            case BAD_SECURITY_TOKEN:
                return local ? f.getMessage() : CLOUD_UNSUPPORTED;
            default:
                return f.getMessage();
        }
    }

    /** The faithful body, then its HTML-escaped forms: angle brackets as JSON unicode escapes, then ampersands too. */
    static List<String> bodies(String body) {
        List<String> bodies = new ArrayList<>(3);
        bodies.add(body);
        String angles = body.replace("<", "\\u003c").replace(">", "\\u003e");
        String html = angles.replace("&", "\\u0026");
        if (!angles.equals(body)) {
            bodies.add(angles);
        }
        if (!html.equals(angles)) {
            bodies.add(html);
        }
        return bodies;
    }
}
