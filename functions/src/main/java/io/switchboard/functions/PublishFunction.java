package io.switchboard.functions;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.switchboard.core.auth.VerifiedIamCaller;
import io.switchboard.core.engine.HttpResult;
import io.switchboard.core.protocol.ErrorTypes;
import io.switchboard.core.protocol.FrameCodec;
import io.switchboard.core.protocol.ProtocolError;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /event} on the HTTP API (payload format 2.0): the HTTP publish of AppSync Events. On
 * {@code POST /iam/event} API Gateway has verified the SigV4 signature and the caller in
 * {@code requestContext.authorizer.iam} is authorized as {@code AWS_IAM}.
 */
public final class PublishFunction extends ApiFunction {
    private static final Map<String, String> JSON = Map.of("content-type", "application/json");

    public PublishFunction() {
        this(SwitchboardRuntime.shared());
    }

    public PublishFunction(SwitchboardRuntime runtime) {
        super(runtime);
    }

    /** The Lambda entry point: the event read and the response written by {@link Events}, not the runtime's serializer. */
    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        Events.write(handle(Events.http(input), context), output);
    }

    /** Handles one event (the entry point for Java callers and tests). */
    public APIGatewayV2HTTPResponse handle(APIGatewayV2HTTPEvent event, Context context) {
        return invocation(context, () -> runtime.metrics().around(() -> {
            Events.logging(null, event.getRouteKey() != null ? event.getRouteKey() : "POST /event",
                event.getRequestContext() == null ? null : event.getRequestContext().getRequestId());
            String body = event.getBody() == null ? "" : event.getBody();
            if (event.getIsBase64Encoded()) {
                body = utf8(Base64.getDecoder().decode(body));
                if (body == null) { // API Gateway hands over bodies that are not text in base64: they must be UTF-8
                    return APIGatewayV2HTTPResponse.builder().withStatusCode(400).withHeaders(JSON)
                        .withBody(FrameCodec.encodeErrors(List.of(new ProtocolError(ErrorTypes.BAD_REQUEST,
                            "Request body is not valid UTF-8 text"))))
                        .withIsBase64Encoded(false).build();
                }
            }
            Map<String, String> headers = event.getHeaders() == null ? Map.of() : event.getHeaders();
            // on the IAM route API Gateway has verified the SigV4 signature; the verified caller is the credential
            VerifiedIamCaller caller = VerifiedCallers.iam(event);
            if (caller != null && runtime.config().local()) {
                // the local gateway does not check signatures on AWS_IAM routes: check it here, as API Gateway would
                String refusal = VerifiedCallers.localSignatureRefusal(event, headers, body, runtime.config());
                if (refusal != null) {
                    return APIGatewayV2HTTPResponse.builder().withStatusCode(403).withHeaders(JSON)
                        .withBody("{\"message\":" + FrameCodec.quote(refusal) + "}").withIsBase64Encoded(false).build();
                }
            }
            HttpResult result = runtime.engine().publishHttp(headers, body, caller, FanOutWiring.deadline(context));
            return APIGatewayV2HTTPResponse.builder()
                .withStatusCode(result.status())
                .withHeaders(JSON)
                .withBody(result.body())
                .withIsBase64Encoded(false)
                .build();
        }));
    }

    /** The bytes as UTF-8 text, or {@code null} when they are not valid UTF-8 (no silent replacement characters). */
    static String utf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
