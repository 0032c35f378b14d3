package io.switchboard.core.config;

import io.switchboard.core.auth.AuthMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The auth part of the configuration: providers, modes, the namespace override grammar and provider settings. */
class AuthConfigTest {

    private static SwitchboardConfig config(String... nameValues) {
        Map<String, String> env = new HashMap<>();
        for (int i = 0; i < nameValues.length; i += 2) {
            env.put(nameValues[i], nameValues[i + 1]);
        }
        return SwitchboardConfig.from(env::get);
    }

    @Test
    void everyVariableIsListed() {
        for (String name : new String[] {"SWITCHBOARD_AUTH_PROVIDERS", "SWITCHBOARD_NAMESPACE_AUTH",
            "SWITCHBOARD_CONNECT_AUTH_MODES", "SWITCHBOARD_PUBLISH_AUTH_MODES", "SWITCHBOARD_SUBSCRIBE_AUTH_MODES",
            "SWITCHBOARD_COGNITO_USER_POOL_ID", "SWITCHBOARD_COGNITO_REGION", "SWITCHBOARD_COGNITO_APP_ID_CLIENT_REGEX",
            "SWITCHBOARD_COGNITO_JWKS_URI", "SWITCHBOARD_OIDC_ISSUER", "SWITCHBOARD_OIDC_CLIENT_ID",
            "SWITCHBOARD_OIDC_IAT_TTL_SECONDS", "SWITCHBOARD_OIDC_AUTH_TTL_SECONDS", "SWITCHBOARD_OIDC_JWKS_URI",
            "SWITCHBOARD_LAMBDA_AUTHORIZER_RESULT_TTL_SECONDS", "SWITCHBOARD_LAMBDA_IDENTITY_VALIDATION_REGEX",
            "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"}) {
            assertTrue(SwitchboardConfig.VARIABLES.contains(name), name);
        }
    }

    @Test
    void namespaceAuth_overridesPerOperation_restKeepsDefaults() {
        SwitchboardConfig config = config(
            "SWITCHBOARD_AUTH_PROVIDERS", "API_KEY, AWS_IAM, AMAZON_COGNITO_USER_POOLS",
            "SWITCHBOARD_COGNITO_USER_POOL_ID", "eu-west-1_AbCdEf123",
            "SWITCHBOARD_NAMESPACES", "default,chat,news",
            "SWITCHBOARD_NAMESPACE_AUTH", " chat : publish = API_KEY | amazon_cognito_user_pools ; subscribe=API_KEY ,news:SUBSCRIBE=AWS_IAM");
        assertEquals(new NamespaceConfig("chat", EnumSet.of(AuthMode.API_KEY, AuthMode.AMAZON_COGNITO_USER_POOLS),
            EnumSet.of(AuthMode.API_KEY)), config.namespaces().get("chat"));
        assertEquals(new NamespaceConfig("news", EnumSet.of(AuthMode.API_KEY, AuthMode.AWS_IAM), EnumSet.of(AuthMode.AWS_IAM)),
            config.namespaces().get("news"));
        assertEquals(new NamespaceConfig("default", EnumSet.of(AuthMode.API_KEY, AuthMode.AWS_IAM), EnumSet.of(AuthMode.API_KEY)),
            config.namespaces().get("default"));
        assertTrue(config.auth().providersDeclared());
        assertEquals("eu-west-1", config.auth().cognito().region(), "the region comes from the pool id");
        assertEquals("https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf123", config.auth().cognito().issuer());
        assertEquals("https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf123/.well-known/jwks.json",
            config.auth().cognito().effectiveJwksUri());
        assertEquals(Set.of(AuthMode.API_KEY, AuthMode.AWS_IAM, AuthMode.AMAZON_COGNITO_USER_POOLS),
            config.checkAuthProviders(false));
    }

    @Test
    void declaredNamespace_overrideBeatsAnnotationBeatsDefaults() {
        SwitchboardConfig config = config("SWITCHBOARD_NAMESPACE_AUTH", "chat:publish=API_KEY");
        NamespaceConfig chat = config.declaredNamespace("chat", EnumSet.of(AuthMode.AWS_IAM), EnumSet.of(AuthMode.AWS_IAM));
        assertEquals(Set.of(AuthMode.API_KEY), chat.publishModes(), "the override wins");
        assertEquals(Set.of(AuthMode.AWS_IAM), chat.subscribeModes(), "then the annotation");
        NamespaceConfig plain = config.declaredNamespace("plain", Set.of(), Set.of());
        assertEquals(AuthConfig.DEFAULT_PUBLISH_MODES, plain.publishModes(), "then the defaults");
        assertFalse(config.namespaces().containsKey("chat"), "an override does not declare a namespace");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> config.checkAuthProviders(false));
        assertEquals("SWITCHBOARD_NAMESPACE_AUTH sets modes for namespace 'chat', which is neither in SWITCHBOARD_NAMESPACES "
            + "nor declared by a @ChannelNamespace class", e.getMessage());
        Map<String, NamespaceConfig> withChat = new HashMap<>(config.namespaces());
        withChat.put("chat", chat);
        assertEquals(AuthConfig.DEFAULT_PROVIDERS, config.withNamespaces(withChat).checkAuthProviders(false));
    }

    @Test
    void providerSettings_readAndTyped() {
        SwitchboardConfig config = config(
            "SWITCHBOARD_OIDC_ISSUER", "https://auth.example.com/",
            "SWITCHBOARD_OIDC_CLIENT_ID", "client-(a|b)",
            "SWITCHBOARD_OIDC_IAT_TTL_SECONDS", "3600",
            "SWITCHBOARD_OIDC_AUTH_TTL_SECONDS", "86400",
            "SWITCHBOARD_OIDC_JWKS_URI", "http://127.0.0.1:9000/keys",
            "SWITCHBOARD_LAMBDA_AUTHORIZER_RESULT_TTL_SECONDS", "300",
            "SWITCHBOARD_LAMBDA_IDENTITY_VALIDATION_REGEX", "^Bearer .+$",
            "AWS_ACCESS_KEY_ID", "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY",
            "AWS_SESSION_TOKEN", "IQoJb3JpZ2luX2VjEXAMPLETOKEN");
        assertEquals(new AuthConfig.Oidc("https://auth.example.com", "client-(a|b)", 3600, 86400, "http://127.0.0.1:9000/keys"),
            config.auth().oidc());
        assertEquals(new AuthConfig.Lambda(300, "^Bearer .+$"), config.auth().lambda());
        assertEquals("AKIDEXAMPLE", config.auth().iamCredentials().accessKeyId());
        assertFalse(config.toString().contains("wJalrXUtnFEMIK7MDENG") || config.toString().contains("IQoJb3JpZ2luX2Vj")
            || config.toString().contains("AKIDEXAMPLE"), config.toString());
        assertNull(config("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE").auth().iamCredentials(), "a key id alone is no credential");
    }

    @Test
    void undeclaredProviders_defaultPlusLambdaWhenThereIsAnAuthorizer() {
        SwitchboardConfig config = config("SWITCHBOARD_SUBSCRIBE_AUTH_MODES", "API_KEY,AWS_LAMBDA");
        assertEquals(EnumSet.of(AuthMode.API_KEY, AuthMode.AWS_IAM, AuthMode.AWS_LAMBDA), config.checkAuthProviders(true));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> config.checkAuthProviders(false));
        assertEquals("Auth mode AWS_LAMBDA is used for subscribe in namespace 'default', subscribe in namespace 'sample' "
            + "but is not among the auth providers (API_KEY, AWS_IAM: the default, SWITCHBOARD_AUTH_PROVIDERS is not set); "
            + "add it to SWITCHBOARD_AUTH_PROVIDERS or stop using it", e.getMessage());
    }

    @Test
    void checkAuthProviders_providerWithoutItsSettings_fails() {
        assertEquals("Auth provider AWS_LAMBDA is listed in SWITCHBOARD_AUTH_PROVIDERS but the application has no @Authorizer class",
            assertThrows(IllegalStateException.class, () -> config("SWITCHBOARD_AUTH_PROVIDERS", "API_KEY,AWS_IAM,AWS_LAMBDA")
                .checkAuthProviders(false)).getMessage());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "SWITCHBOARD_CONNECT_AUTH_MODES   | OPENID_CONNECT                   | SWITCHBOARD_CONNECT_AUTH_MODES: auth mode OPENID_CONNECT is used for connect but is not among SWITCHBOARD_AUTH_PROVIDERS (API_KEY, AWS_IAM)",
        "SWITCHBOARD_PUBLISH_AUTH_MODES   | API_KEY,AWS_LAMBDA               | SWITCHBOARD_PUBLISH_AUTH_MODES: auth mode AWS_LAMBDA is used for publish but is not among SWITCHBOARD_AUTH_PROVIDERS (API_KEY, AWS_IAM)",
        "SWITCHBOARD_SUBSCRIBE_AUTH_MODES | AWS_IAM,AMAZON_COGNITO_USER_POOLS | SWITCHBOARD_SUBSCRIBE_AUTH_MODES: auth mode AMAZON_COGNITO_USER_POOLS is used for subscribe but is not among",
        "SWITCHBOARD_NAMESPACE_AUTH       | default:publish=AWS_LAMBDA       | SWITCHBOARD_NAMESPACE_AUTH: auth mode AWS_LAMBDA is used for publish in namespace 'default' but is not among SWITCHBOARD_AUTH_PROVIDERS",
        "SWITCHBOARD_NAMESPACE_AUTH       | default                          | SWITCHBOARD_NAMESPACE_AUTH: rule 'default' has no ':' after the namespace",
        "SWITCHBOARD_NAMESPACE_AUTH       | bad_name:publish=API_KEY         | SWITCHBOARD_NAMESPACE_AUTH: 'bad_name' is not a valid namespace name",
        "SWITCHBOARD_NAMESPACE_AUTH       | default:write=API_KEY            | SWITCHBOARD_NAMESPACE_AUTH: in the rule of namespace 'default', 'write=API_KEY' is not publish=<modes> or subscribe=<modes>",
        "SWITCHBOARD_NAMESPACE_AUTH       | default:publish=                 | SWITCHBOARD_NAMESPACE_AUTH: namespace 'default' lists no publish modes",
        "SWITCHBOARD_NAMESPACE_AUTH       | default:publish=KERBEROS         | SWITCHBOARD_NAMESPACE_AUTH: unknown auth mode 'KERBEROS'",
        "SWITCHBOARD_NAMESPACE_AUTH       | default:publish=API_KEY;publish=AWS_IAM | SWITCHBOARD_NAMESPACE_AUTH: namespace 'default' sets publish twice",
        "SWITCHBOARD_NAMESPACE_AUTH       | a:publish=API_KEY,a:subscribe=API_KEY | SWITCHBOARD_NAMESPACE_AUTH: namespace 'a' has two rules",
        "SWITCHBOARD_NAMESPACE_AUTH       | default:;                        | SWITCHBOARD_NAMESPACE_AUTH: the rule of namespace 'default' sets nothing",
        "SWITCHBOARD_AUTH_PROVIDERS       | API_KEY,OPENID_CONNECT           | SWITCHBOARD_AUTH_PROVIDERS lists OPENID_CONNECT, which needs SWITCHBOARD_OIDC_ISSUER",
        "SWITCHBOARD_AUTH_PROVIDERS       | API_KEY,AMAZON_COGNITO_USER_POOLS | SWITCHBOARD_AUTH_PROVIDERS lists AMAZON_COGNITO_USER_POOLS, which needs SWITCHBOARD_COGNITO_USER_POOL_ID",
        "SWITCHBOARD_AUTH_PROVIDERS       | API_KEY,BASIC                    | SWITCHBOARD_AUTH_PROVIDERS: unknown auth mode 'BASIC'",
        "SWITCHBOARD_COGNITO_USER_POOL_ID | TestPool                         | SWITCHBOARD_COGNITO_USER_POOL_ID must look like eu-west-1_AbCdEf123",
        "SWITCHBOARD_OIDC_ISSUER          | http://auth.example.com          | SWITCHBOARD_OIDC_ISSUER must be an https URL (http only for localhost)",
        "SWITCHBOARD_OIDC_ISSUER          | ftp://auth.example.com           | SWITCHBOARD_OIDC_ISSUER must be an https URL",
        "SWITCHBOARD_LAMBDA_IDENTITY_VALIDATION_REGEX | ([a-z]           | SWITCHBOARD_LAMBDA_IDENTITY_VALIDATION_REGEX is not a valid regular expression",
        "SWITCHBOARD_LAMBDA_AUTHORIZER_RESULT_TTL_SECONDS | 3601         | SWITCHBOARD_LAMBDA_AUTHORIZER_RESULT_TTL_SECONDS must be between 0 and 3600, got 3601",
    })
    void from_invalidAuthSetting_failsNamingTheVariable(String name, String value, String message) {
        Map<String, String> env = new HashMap<>();
        env.put(name, value);
        if (!name.equals("SWITCHBOARD_AUTH_PROVIDERS") && !name.startsWith("SWITCHBOARD_NAMESPACE_AUTH")
            && name.endsWith("MODES") || name.equals("SWITCHBOARD_NAMESPACE_AUTH") && value.contains("=AWS_LAMBDA")) {
            env.put("SWITCHBOARD_AUTH_PROVIDERS", "API_KEY,AWS_IAM");
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SwitchboardConfig.from(env::get));
        assertTrue(e.getMessage().startsWith(message), () -> "'" + e.getMessage() + "' does not start with '" + message + "'");
    }
}
