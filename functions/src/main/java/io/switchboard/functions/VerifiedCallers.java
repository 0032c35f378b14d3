package io.switchboard.functions;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import io.switchboard.core.auth.Headers;
import io.switchboard.core.auth.SigV4Verifier;
import io.switchboard.core.auth.VerifiedIamCaller;
import io.switchboard.core.config.SwitchboardConfig;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads the caller API Gateway verified from an HTTP API event: {@code requestContext.authorizer.iam}, which the
 * native {@code AWS_IAM} authorizer of the IAM route fills after checking the SigV4 signature, and which a client
 * cannot set (headers never become it).
 */
final class VerifiedCallers {
    private VerifiedCallers() {}

    /** The verified IAM caller, or {@code null} when the route has no IAM authorizer. */
    static VerifiedIamCaller iam(APIGatewayV2HTTPEvent event) {
        APIGatewayV2HTTPEvent.RequestContext context = event.getRequestContext();
        if (context == null || context.getAuthorizer() == null || context.getAuthorizer().getIam() == null) {
            return null;
        }
        APIGatewayV2HTTPEvent.RequestContext.IAM iam = context.getAuthorizer().getIam();
        if (iam.getAccessKey() == null && iam.getUserArn() == null && iam.getUserId() == null) {
            return null; // an empty object is not a verified caller
        }
        APIGatewayV2HTTPEvent.RequestContext.CognitoIdentity cognito = iam.getCognitoIdentity();
        String authType = null;
        String authProvider = null;
        if (cognito != null && cognito.getAmr() != null && !cognito.getAmr().isEmpty()) {
            List<String> amr = cognito.getAmr();
            authType = amr.contains("authenticated") ? "authenticated" : amr.contains("unauthenticated") ? "unauthenticated" : null;
            List<String> providers = new ArrayList<>();
            for (String entry : amr) {
                if (!entry.equals("authenticated") && !entry.equals("unauthenticated")) {
                    providers.add('"' + entry + '"');
                }
            }
            authProvider = providers.isEmpty() ? null : String.join(",", providers);
        }
        return new VerifiedIamCaller(iam.getAccessKey(), iam.getAccountId(), iam.getCallerId(), iam.getUserArn(),
            iam.getUserId(), iam.getPrincipalOrgId(),
            cognito == null ? null : cognito.getIdentityPoolId(), cognito == null ? null : cognito.getIdentityId(),
            authType, authProvider, sourceIp(event));
    }

    /**
     * In the local gateway, which does not verify signatures on {@code AWS_IAM} routes, the request's SigV4
     * signature checked against the configured credentials ({@code AWS_ACCESS_KEY_ID}, ...): {@code null} when it
     * verifies, else why not (API Gateway answers 403 then).
     */
    static String localSignatureRefusal(APIGatewayV2HTTPEvent event, Map<String, String> headers, String body,
                                        SwitchboardConfig config) {
        String path = event.getRawPath() == null ? "/" : event.getRawPath();
        try {
            new SigV4Verifier(config.auth().iamCredentials(), config.region(), Clock.systemUTC())
                .verify("POST", path, event.getRawQueryString(), Headers.of(headers), List.of(body));
            return null;
        } catch (SigV4Verifier.Failure f) {
            return f.reason() == SigV4Verifier.Reason.NO_CREDENTIALS
                ? "No AWS credentials are configured to verify SigV4 signatures: start the local gateway with "
                + "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY set to the credentials clients sign with"
                : f.getMessage();
        }
    }

    /** The TCP peer API Gateway saw, then the {@code x-forwarded-for} chain the client sent, as AppSync lists them. */
    private static List<String> sourceIp(APIGatewayV2HTTPEvent event) {
        List<String> ips = new ArrayList<>();
        APIGatewayV2HTTPEvent.RequestContext.Http http = event.getRequestContext().getHttp();
        if (http != null && http.getSourceIp() != null) {
            ips.add(http.getSourceIp());
        }
        Map<String, String> headers = event.getHeaders();
        String forwarded = headers == null ? null : headers.get("x-forwarded-for");
        if (forwarded != null) {
            for (String ip : forwarded.split(",")) {
                String trimmed = ip.trim();
                if (!trimmed.isEmpty() && !ips.contains(trimmed)) {
                    ips.add(trimmed);
                }
            }
        }
        return ips;
    }
}
