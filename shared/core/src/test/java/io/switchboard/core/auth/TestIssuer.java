package io.switchboard.core.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A JWT issuer for tests: keys generated here, their JWKS (and an OIDC discovery document) served over HTTP on
 * 127.0.0.1 by a {@link HttpServer}. Counts JWKS fetches; the key set can be rotated while it runs.
 */
public final class TestIssuer implements AutoCloseable {
    public static final String COGNITO_POOL = "us-east-1_TestPool1";
    public static final String COGNITO_ISSUER = "https://cognito-idp.us-east-1.amazonaws.com/" + COGNITO_POOL;

    public final RSAKey rsa = generateRsa("rsa-1");
    public final ECKey ec = generateEc("ec-1");
    private final HttpServer server;
    private final AtomicInteger jwksFetches = new AtomicInteger();
    private volatile String jwks;
    private volatile boolean discovery = true;

    public TestIssuer() throws IOException {
        publish(rsa, ec);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            String body = null;
            if (path.endsWith("/.well-known/jwks.json")) {
                jwksFetches.incrementAndGet();
                body = jwks;
            } else if (path.equals("/oidc/.well-known/openid-configuration") && discovery) {
                body = "{\"issuer\":\"" + oidcIssuer() + "\",\"jwks_uri\":\"" + base() + "/oidc/keys/.well-known/jwks.json\"}";
            }
            byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("content-type", "application/json");
            exchange.sendResponseHeaders(body == null ? 404 : 200, body == null ? -1 : bytes.length);
            if (body != null) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
            }
            exchange.close();
        });
        server.start();
    }

    public String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public String oidcIssuer() {
        return base() + "/oidc";
    }

    public String cognitoJwks() {
        return base() + "/cognito/.well-known/jwks.json";
    }

    /** Serves the public halves of {@code keys} as the JWKS from now on. */
    public void publish(JWK... keys) {
        List<JWK> list = new ArrayList<>();
        for (JWK key : keys) {
            list.add(key.toPublicJWK());
        }
        jwks = new JWKSet(list).toString();
    }

    /** Whether the OIDC discovery document is served (404 otherwise). */
    public void discovery(boolean served) {
        discovery = served;
    }

    public int jwksFetches() {
        return jwksFetches.get();
    }

    public static RSAKey generateRsa(String kid) {
        try {
            return new RSAKeyGenerator(2048).keyID(kid).keyUse(KeyUse.SIGNATURE).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    public static ECKey generateEc(String kid) {
        try {
            return new ECKeyGenerator(Curve.P_256).keyID(kid).keyUse(KeyUse.SIGNATURE).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Signs {@code claims} with {@code key}: RS256 for RSA keys, ES256 for EC keys. */
    public static String sign(JWK key, JWTClaimsSet claims) {
        try {
            SignedJWT jwt;
            if (key instanceof RSAKey r) {
                jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), claims);
                jwt.sign(new RSASSASigner(r));
            } else {
                jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID()).build(), claims);
                jwt.sign(new ECDSASigner((ECKey) key));
            }
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code alg: none}. */
    public static String unsigned(JWTClaimsSet claims) {
        return new PlainJWT(claims).serialize();
    }

    /** The "public key as HMAC secret" attack: HS256 keyed with the bytes of the issuer's public RSA key. */
    public static String hmacWithPublicKey(RSAKey key, JWTClaimsSet claims) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(key.getKeyID()).build(), claims);
            jwt.sign(new MACSigner(key.toRSAPublicKey().getEncoded()));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Claims of a Cognito access token issued now for {@code clientId}, valid for an hour. */
    public static JWTClaimsSet cognitoAccess(String issuer, String clientId, Instant now) {
        return new JWTClaimsSet.Builder().issuer(issuer).subject("sub-alice").claim("token_use", "access")
            .claim("client_id", clientId).claim("username", "alice").claim("cognito:groups", List.of("readers"))
            .issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(3600))).build();
    }

    /** Claims of a Cognito ID token. */
    public static JWTClaimsSet cognitoId(String issuer, String clientId, Instant now) {
        return new JWTClaimsSet.Builder().issuer(issuer).subject("sub-alice").claim("token_use", "id").audience(clientId)
            .claim("cognito:username", "alice").claim("email", "alice@example.com")
            .issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(3600))).build();
    }

    /** Claims of an OIDC token. */
    public static JWTClaimsSet oidc(String issuer, String audience, Instant now, Map<String, Object> extra) {
        JWTClaimsSet.Builder b = new JWTClaimsSet.Builder().issuer(issuer).subject("sub-bob").audience(audience)
            .issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(3600)));
        extra.forEach(b::claim);
        return b.build();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
