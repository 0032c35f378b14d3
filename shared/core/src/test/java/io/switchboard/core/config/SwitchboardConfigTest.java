package io.switchboard.core.config;

import io.switchboard.core.auth.ApiKeyAuthProvider;
import io.switchboard.core.auth.AuthMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SwitchboardConfigTest {

    private static final String DIGEST = ApiKeyAuthProvider.digestHex("da2-key");

    @Test
    void from_nothingSet_usesDocumentedDefaults() {
        SwitchboardConfig config = SwitchboardConfig.from(Map.<String, String>of()::get);
        assertEquals(List.of("default", "sample"), config.namespaces().keySet().stream().sorted().toList());
        // the shipped example: providers API_KEY + AWS_IAM; connect and publish with either, subscribe with a key
        assertEquals(Set.of(AuthMode.API_KEY, AuthMode.AWS_IAM), config.auth().providers());
        assertFalse(config.auth().providersDeclared());
        assertEquals(Set.of(AuthMode.API_KEY, AuthMode.AWS_IAM), config.connectionAuthModes());
        assertEquals(Set.of(AuthMode.API_KEY, AuthMode.AWS_IAM), config.namespaces().get("default").publishModes());
        assertEquals(Set.of(AuthMode.API_KEY), config.namespaces().get("default").subscribeModes());
        assertEquals(Map.of(), config.auth().namespaceOverrides());
        assertNull(config.auth().cognito());
        assertNull(config.auth().oidc());
        assertNull(config.auth().iamCredentials());
        assertTrue(config.apiKeys().isEmpty());
        assertEquals(300_000, config.connectionTimeoutMs());
        assertEquals(200, config.maxSubscriptionsPerConnection());
        assertEquals(SwitchboardConfig.DEFAULT_MAX_EVENT_BYTES, config.maxEventBytes());
        assertTrue(config.maxEventBytes() < SwitchboardConfig.API_GATEWAY_MESSAGE_BYTES);
        assertEquals(32, config.fanOutParallelism());
        assertEquals("dynamodb", config.store());
        assertNull(config.tableName());
        assertNull(config.dynamoDbEndpoint());
        assertNull(config.connectionsEndpoint());
        assertNull(config.region());
        assertFalse(config.local());
    }

    @Test
    void from_everythingSet_readsTypedValues() {
        Map<String, String> env = new HashMap<>();
        env.put("SWITCHBOARD_NAMESPACES", " chat , News-1 ,,");
        env.put("SWITCHBOARD_API_KEYS", DIGEST + "@1800000000");
        env.put("SWITCHBOARD_CONNECT_AUTH_MODES", "api_key, AWS_LAMBDA");
        env.put("SWITCHBOARD_PUBLISH_AUTH_MODES", "AWS_IAM");
        env.put("SWITCHBOARD_SUBSCRIBE_AUTH_MODES", "API_KEY,AMAZON_COGNITO_USER_POOLS");
        env.put("SWITCHBOARD_CONNECTION_TIMEOUT_MS", " 60000 ");
        env.put("SWITCHBOARD_MAX_SUBSCRIPTIONS", "10");
        env.put("SWITCHBOARD_MAX_EVENT_BYTES", "2048");
        env.put("SWITCHBOARD_FANOUT_PARALLELISM", "4");
        env.put("SWITCHBOARD_STORE", "Memory");
        env.put("TABLE_NAME", "subs");
        env.put("SWITCHBOARD_DYNAMODB_ENDPOINT", " http://127.0.0.1:4567 ");
        env.put("SWITCHBOARD_CONNECTIONS_ENDPOINT", " ");
        env.put("AWS_REGION", "eu-west-1");
        env.put("SWITCHBOARD_LOCAL", "true");
        SwitchboardConfig config = SwitchboardConfig.from(env::get);
        assertEquals(Set.of("chat", "News-1"), config.namespaces().keySet());
        assertEquals(new NamespaceConfig("News-1", EnumSet.of(AuthMode.AWS_IAM),
            EnumSet.of(AuthMode.API_KEY, AuthMode.AMAZON_COGNITO_USER_POOLS)), config.namespaces().get("News-1"));
        assertEquals(1, config.apiKeys().size());
        assertEquals(1_800_000_000L, config.apiKeys().get(0).expiresAtEpochSeconds());
        assertEquals(EnumSet.of(AuthMode.API_KEY, AuthMode.AWS_LAMBDA), config.connectionAuthModes());
        assertEquals(60_000, config.connectionTimeoutMs());
        assertEquals(10, config.maxSubscriptionsPerConnection());
        assertEquals(2048, config.maxEventBytes());
        assertEquals(4, config.fanOutParallelism());
        assertEquals("memory", config.store());
        assertEquals("subs", config.tableName());
        assertEquals("http://127.0.0.1:4567", config.dynamoDbEndpoint());
        assertNull(config.connectionsEndpoint());
        assertEquals("eu-west-1", config.region());
        assertTrue(config.local());
    }

    @ParameterizedTest(name = "ka every {0} min, connectionTimeoutMs {1}: accepted {2}")
    @CsvSource({
        "'',  300000, true",
        "0,   300000, true",
        "4,   300000, true",
        "5,   300000, false",
        "9,   300000, false",
        "9,   720000, true",
        "12,  720000, false",
        "61, 3600000, false",
    })
    void keepAliveRate_mustBeShorterThanTheClientTimeout(String minutes, int timeoutMs, boolean accepted) {
        Map<String, String> env = Map.of("SWITCHBOARD_KEEPALIVE_RATE_MINUTES", minutes,
            "SWITCHBOARD_CONNECTION_TIMEOUT_MS", Integer.toString(timeoutMs));
        if (accepted) {
            SwitchboardConfig config = SwitchboardConfig.from(env::get);
            assertEquals(minutes.isEmpty() ? 0 : Integer.parseInt(minutes), config.keepAliveRateMinutes());
            assertEquals(timeoutMs, config.connectionTimeoutMs());
        } else {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SwitchboardConfig.from(env::get));
            assertTrue(e.getMessage().startsWith("SWITCHBOARD_KEEPALIVE_RATE_MINUTES"), e.getMessage());
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "SWITCHBOARD_API_KEYS             | da2-plain-key                    | SWITCHBOARD_API_KEYS: API key entries must be SHA-256 hex digests (64 hex characters)",
        "SWITCHBOARD_API_KEYS             | 0123                             | SWITCHBOARD_API_KEYS: API key entries must be SHA-256 hex digests",
        "SWITCHBOARD_API_KEYS             | DIGEST@soon                      | SWITCHBOARD_API_KEYS: API key entry has a bad expiry after '@' (epoch seconds expected)",
        "SWITCHBOARD_MAX_SUBSCRIPTIONS    | lots                             | SWITCHBOARD_MAX_SUBSCRIPTIONS must be a whole number, got 'lots'",
        "SWITCHBOARD_MAX_SUBSCRIPTIONS    | 2.5                              | SWITCHBOARD_MAX_SUBSCRIPTIONS must be a whole number, got '2.5'",
        "SWITCHBOARD_MAX_SUBSCRIPTIONS    | 0                                | SWITCHBOARD_MAX_SUBSCRIPTIONS must be between 1 and 10000, got 0",
        "SWITCHBOARD_CONNECTION_TIMEOUT_MS| 99999999999                      | SWITCHBOARD_CONNECTION_TIMEOUT_MS must be between 10000 and 3600000, got 99999999999",
        "SWITCHBOARD_CONNECTION_TIMEOUT_MS| 1000                             | SWITCHBOARD_CONNECTION_TIMEOUT_MS must be between 10000 and 3600000, got 1000",
        "SWITCHBOARD_MAX_EVENT_BYTES      | 200000                           | SWITCHBOARD_MAX_EVENT_BYTES must be between 1 and 122880, got 200000",
        "SWITCHBOARD_FANOUT_PARALLELISM   | -1                               | SWITCHBOARD_FANOUT_PARALLELISM must be between 1 and 1024, got -1",
        "SWITCHBOARD_CONNECT_AUTH_MODES   | API_KEY,KERBEROS                 | SWITCHBOARD_CONNECT_AUTH_MODES: unknown auth mode 'KERBEROS' (expected one of [API_KEY, AWS_IAM, AMAZON_COGNITO_USER_POOLS, OPENID_CONNECT, AWS_LAMBDA])",
        "SWITCHBOARD_PUBLISH_AUTH_MODES   | IAM                              | SWITCHBOARD_PUBLISH_AUTH_MODES: unknown auth mode 'IAM'",
        "SWITCHBOARD_SUBSCRIBE_AUTH_MODES | COGNITO                          | SWITCHBOARD_SUBSCRIBE_AUTH_MODES: unknown auth mode 'COGNITO'",
        "SWITCHBOARD_NAMESPACES           | default,bad_name                 | SWITCHBOARD_NAMESPACES: 'bad_name' is not a valid namespace name (1-50 letters, digits or '-', not starting or ending with '-')",
        "SWITCHBOARD_NAMESPACES           | -lead                            | SWITCHBOARD_NAMESPACES: '-lead' is not a valid namespace name",
        "SWITCHBOARD_NAMESPACES           | trail-                           | SWITCHBOARD_NAMESPACES: 'trail-' is not a valid namespace name",
        "SWITCHBOARD_NAMESPACES           | a/b                              | SWITCHBOARD_NAMESPACES: 'a/b' is not a valid namespace name",
        "SWITCHBOARD_NAMESPACES           | abcdefghijabcdefghijabcdefghijabcdefghijabcdefghijX | is not a valid namespace name",
        "SWITCHBOARD_STORE                | redis                            | SWITCHBOARD_STORE must be one of dynamodb, memory, got 'redis'",
    })
    void from_invalidValue_failsWithMessageNamingTheVariable(String name, String value, String expectedMessage) {
        Map<String, String> env = Map.of(name, value.replace("DIGEST", DIGEST));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SwitchboardConfig.from(env::get));
        assertTrue(e.getMessage().startsWith(name), e.getMessage());
        assertTrue(e.getMessage().contains(expectedMessage), () -> "message '" + e.getMessage() + "' lacks '" + expectedMessage + "'");
    }

    @Test
    void from_fiftyCharacterNamespace_isAccepted() {
        String name = "a" + "b".repeat(48) + "c";
        assertTrue(SwitchboardConfig.from(Map.of("SWITCHBOARD_NAMESPACES", name)::get).namespaces().containsKey(name));
    }
}
