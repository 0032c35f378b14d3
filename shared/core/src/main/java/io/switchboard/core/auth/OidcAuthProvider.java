package io.switchboard.core.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jwt.JWTClaimsSet;
import io.switchboard.core.config.AuthConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code OPENID_CONNECT} mode: a JWT of the configured issuer in {@code Authorization} (with or without
 * {@code Bearer }). Recognized by its {@code iss}; verified with the issuer's JWKS ({@link JwtVerifier}), found at
 * the configured JWKS URL, else the {@code jwks_uri} of the issuer's discovery document
 * ({@code <issuer>/.well-known/openid-configuration}), else {@code <issuer>/.well-known/jwks.json}; then an
 * {@code aud} entry must match the client id (a regular expression, as in AppSync) and the token must be younger
 * than the iat and auth TTLs when they are set. The caller's identity is {@code {sub, issuer, claims}}.
 */
public final class OidcAuthProvider implements AuthProvider {
    private static final Logger LOG = LoggerFactory.getLogger(OidcAuthProvider.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final AuthConfig.Oidc config;
    private final JwtVerifier verifier;
    private final Pattern clientId;

    public OidcAuthProvider(AuthConfig.Oidc config, Clock clock) {
        this.config = config;
        this.verifier = new JwtVerifier(config.issuer(), this::jwksUrl, clock);
        this.clientId = config.clientId() == null ? null : Pattern.compile(config.clientId());
    }

    @Override
    public AuthMode mode() {
        return AuthMode.OPENID_CONNECT;
    }

    @Override
    public boolean recognizes(AuthRequest request) {
        String authorization = request.headers().get("Authorization");
        return !SigV4Verifier.isSigV4(authorization)
            && verifier.issuer().equals(JwtVerifier.unverifiedIssuer(JwtVerifier.token(authorization)));
    }

    @Override
    public AuthDecision authorize(AuthRequest request) {
        JWTClaimsSet claims;
        try {
            claims = verifier.verify(JwtVerifier.token(request.headers().get("Authorization")));
            if (clientId != null && claims.getAudience().stream().noneMatch(aud -> clientId.matcher(aud).matches())) {
                throw new JwtVerifier.Rejected("The token's audience (aud) is not a client id this API accepts");
            }
            verifier.requireWithin(claims.getIssueTime(), config.iatTtlSeconds(), "iat");
            verifier.requireWithin(dateClaim(claims, "auth_time"), config.authTtlSeconds(), "auth_time");
        } catch (JwtVerifier.Rejected e) {
            return AuthDecision.deny(AuthMode.OPENID_CONNECT, e.getMessage());
        }
        Map<String, Object> identity = new LinkedHashMap<>();
        identity.put("sub", claims.getSubject() == null ? "" : claims.getSubject());
        identity.put("issuer", verifier.issuer());
        identity.put("claims", claims.toJSONObject());
        return AuthDecision.allow(AuthMode.OPENID_CONNECT, identity);
    }

    private static java.util.Date dateClaim(JWTClaimsSet claims, String name) throws JwtVerifier.Rejected {
        try {
            return claims.getDateClaim(name);
        } catch (java.text.ParseException e) {
            throw new JwtVerifier.Rejected("The JWT's " + name + " claim is not a number of seconds");
        }
    }

    /** The configured JWKS URL, else discovery; a failed discovery is retried on the next token. */
    private URL jwksUrl() throws JwtVerifier.Rejected {
        String uri = config.jwksUri();
        if (uri == null) {
            uri = discover();
        }
        try {
            return URI.create(uri).toURL();
        } catch (MalformedURLException | IllegalArgumentException e) {
            throw new JwtVerifier.Rejected("The issuer's JWKS URL is invalid");
        }
    }

    private String discover() throws JwtVerifier.Rejected {
        String discovery = config.issuer() + "/.well-known/openid-configuration";
        HttpResponse<String> response;
        try {
            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2))
                .followRedirects(HttpClient.Redirect.NORMAL).build();
            response = client.send(HttpRequest.newBuilder(URI.create(discovery)).timeout(Duration.ofSeconds(3))
                .header("accept", "application/json").GET().build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            LOG.warn("OIDC discovery at {} failed: {}", discovery, e.toString());
            throw new JwtVerifier.Rejected("The OIDC issuer could not be reached; try again");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JwtVerifier.Rejected("The OIDC issuer could not be reached; try again");
        }
        if (response.statusCode() == 404) {
            return config.issuer() + "/.well-known/jwks.json";
        }
        try {
            JsonNode document = response.statusCode() == 200 ? JSON.readTree(response.body()) : null;
            JsonNode jwks = document == null ? null : document.get("jwks_uri");
            if (jwks != null && jwks.isTextual() && (jwks.textValue().startsWith("https://")
                || jwks.textValue().startsWith("http://localhost") || jwks.textValue().startsWith("http://127."))) {
                if (document.hasNonNull("issuer") && !config.issuer().equals(document.get("issuer").asText())) {
                    LOG.warn("OIDC discovery at {} names issuer {}, not the configured one", discovery, document.get("issuer").asText());
                    throw new JwtVerifier.Rejected("The OIDC issuer's discovery document names another issuer");
                }
                return jwks.textValue();
            }
        } catch (IOException e) {
            // not JSON: reported below
        }
        LOG.warn("OIDC discovery at {} answered {} without a usable jwks_uri", discovery, response.statusCode());
        throw new JwtVerifier.Rejected("The OIDC issuer's discovery document has no usable jwks_uri");
    }
}
