package io.switchboard.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

class IamAuthTest {

    static final String ACCESS_KEY = "AKIDEXAMPLE";
    static final String SECRET_KEY = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    static final Clock FIXED = Clock.fixed(Instant.parse("2020-04-01T00:10:10Z"), ZoneOffset.UTC);
    static final URI ENDPOINT = URI.create("https://abc.appsync-api.us-east-1.amazonaws.com/event");

    static IamAuth sessionAuth(Clock clock) {
        return new IamAuth(StaticCredentialsProvider.create(AwsSessionCredentials.create(ACCESS_KEY, SECRET_KEY, "TOKEN")),
                "us-east-1", "appsync", clock);
    }

    @Test
    void connect_signsPostEventWithEmptyObjectBody_andTheAppSyncHeaders() {
        Map<String, String> headers = sessionAuth(FIXED).headers(ENDPOINT, RealtimeConnection.SIGNED_CONTENT_HEADERS, "{}");

        assertEquals("application/json, text/javascript", headers.get("accept"));
        assertEquals("amz-1.0", headers.get("content-encoding"));
        assertEquals("application/json; charset=UTF-8", headers.get("content-type"));
        assertEquals("abc.appsync-api.us-east-1.amazonaws.com", headers.get("host"));
        assertEquals("20200401T001010Z", headers.get("x-amz-date"));
        assertEquals("TOKEN", headers.get("x-amz-security-token"));
        SigV4.Parsed parsed = SigV4.parse(headers.get("Authorization"));
        assertEquals(ACCESS_KEY, parsed.accessKey());
        assertEquals("20200401", parsed.date());
        assertEquals("us-east-1", parsed.region());
        assertEquals("appsync", parsed.service());
        assertTrue(List.of(parsed.signedHeaders()).containsAll(
                List.of("accept", "content-encoding", "content-type", "host", "x-amz-date", "x-amz-security-token")),
                String.join(";", parsed.signedHeaders()));
        assertEquals(SigV4.expectedSignature(headers, "/event", "{}", SECRET_KEY), parsed.signature());
    }

    @Test
    void signing_isDeterministicForAFixedClockAndStaticCredentials() {
        String body = Json.subscribeBody("/default/*");
        Map<String, String> first = sessionAuth(FIXED).headers(ENDPOINT, RealtimeConnection.SIGNED_CONTENT_HEADERS, body);
        Map<String, String> second = sessionAuth(FIXED).headers(ENDPOINT, RealtimeConnection.SIGNED_CONTENT_HEADERS, body);
        assertEquals(first, second);

        Map<String, String> later = sessionAuth(Clock.offset(FIXED, java.time.Duration.ofSeconds(1)))
                .headers(ENDPOINT, RealtimeConnection.SIGNED_CONTENT_HEADERS, body);
        assertNotEquals(first.get("Authorization"), later.get("Authorization"));
        Map<String, String> otherBody = sessionAuth(FIXED)
                .headers(ENDPOINT, RealtimeConnection.SIGNED_CONTENT_HEADERS, Json.subscribeBody("/default/x"));
        assertNotEquals(first.get("Authorization"), otherBody.get("Authorization"));
    }

    @Test
    void subscribeAndPublish_signTheBodiesTheServerRebuilds() {
        IamAuth auth = sessionAuth(FIXED);
        String subscribe = "{\"channel\":\"/default/*\"}";
        Map<String, String> headers = auth.headers(ENDPOINT, RealtimeConnection.SIGNED_CONTENT_HEADERS, Json.subscribeBody("/default/*"));
        assertEquals(SigV4.expectedSignature(headers, "/event", subscribe, SECRET_KEY), SigV4.parse(headers.get("Authorization")).signature());

        String publish = "{\"channel\":\"/default/room/1\",\"events\":[\"{\\\"a\\\":1}\",\"42\"]}";
        headers = auth.headers(ENDPOINT, RealtimeConnection.SIGNED_CONTENT_HEADERS,
                Json.publishBody("/default/room/1", List.of("{\"a\":1}", "42")));
        assertEquals(SigV4.expectedSignature(headers, "/event", publish, SECRET_KEY), SigV4.parse(headers.get("Authorization")).signature());
    }

    @Test
    void executeApi_andLongTermCredentials_andNonDefaultPort() {
        IamAuth auth = new IamAuth(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)),
                "eu-west-1", "execute-api", FIXED);
        URI endpoint = URI.create("http://127.0.0.1:8080/iam/event");
        Map<String, String> content = new LinkedHashMap<>();
        content.put("content-type", "application/json; charset=UTF-8");
        Map<String, String> headers = auth.headers(endpoint, content, "{\"channel\":\"/a/b\",\"events\":[\"1\"]}");
        assertEquals("127.0.0.1:8080", headers.get("host"));
        assertEquals(null, headers.get("x-amz-security-token"));
        SigV4.Parsed parsed = SigV4.parse(headers.get("Authorization"));
        assertEquals("execute-api", parsed.service());
        assertEquals("eu-west-1", parsed.region());
        assertEquals(SigV4.expectedSignature(headers, "/iam/event", "{\"channel\":\"/a/b\",\"events\":[\"1\"]}", SECRET_KEY),
                parsed.signature());
        assertArrayEquals(parsed.signedHeaders(), SigV4.signedHeaders(headers));
    }

    @Test
    void toString_showsNoCredentials() {
        assertEquals("Auth[AWS_IAM appsync us-east-1]", sessionAuth(FIXED).toString());
        assertEquals("Auth[API_KEY]", Auth.apiKey("da2-secret").toString());
    }
}
