package io.switchboard.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SamTemplateTest {

    @Test
    void projectTemplate_describesTheWebSocketAndHttpApis() throws IOException {
        SamTemplate template = SamTemplate.load(Path.of("../template.yaml"), "eu-west-1", "123456789012");

        assertEquals("$request.body.type", template.routeSelectionExpression());
        assertFalse(template.stage().isBlank());
        assertTrue(template.routes().keySet().containsAll(Set.of("$connect", "$disconnect", "$default")), template.routes().keySet()::toString);

        SamTemplate.Route connect = template.route("$connect");
        assertNotNull(connect.authorizer(), "$connect has the REQUEST authorizer");
        assertTrue(connect.authorizer().identitySources().contains("route.request.header.Sec-WebSocket-Protocol"));
        assertFalse(connect.routeResponse());
        assertFalse(template.route("$disconnect").routeResponse());
        assertTrue(template.route("$default").routeResponse());
        assertNull(template.route("$default").authorizer());

        for (SamTemplate.Route route : template.routes().values()) {
            SamTemplate.FunctionSpec function = template.functions().get(route.functionId());
            assertNotNull(function, route.key());
            assertTrue(function.handler().matches("[\\w.]+::\\w+"), function.handler());
            assertTrue(function.timeoutSeconds() > 0);
        }
        String authorizer = template.functions().get(connect.authorizer().functionId()).handler();
        assertTrue(authorizer.startsWith("io.switchboard."), authorizer);

        assertEquals(1, template.httpRoutes().stream().filter(r -> r.routeKey().equals("POST /event")).count(), template.httpRoutes()::toString);
        // Literal values (parameter defaults included) reach the functions; references to resources cannot.
        assertFalse(template.environment().containsKey("TABLE_NAME"));
        assertTrue(template.environment().containsKey("SWITCHBOARD_API_KEYS"));
    }

    @Test
    void testTemplate_followsSubJoinAndGetAtt() throws IOException {
        SamTemplate template = SamTemplate.load(Path.of("src/test/resources/test-template.yaml"), "eu-west-1", "123456789012");

        assertEquals("test", template.stage());
        assertEquals(Set.of("$connect", "$disconnect", "echo", "quiet", "$default"), template.routes().keySet());
        assertEquals("ConnectFunction", template.route("$connect").functionId());
        assertEquals("AuthorizerFunction", template.route("$connect").authorizer().functionId());
        assertEquals("DisconnectFunction", template.route("$disconnect").functionId(), "Fn::Join and !GetAtt forms");
        assertEquals("MessageFunction", template.route("echo").functionId());
        assertTrue(template.route("echo").routeResponse());
        assertFalse(template.route("quiet").routeResponse());
        assertEquals(List.of(new SamTemplate.HttpRoute("POST", "/event", "PublishFunction", null),
                new SamTemplate.HttpRoute("POST", "/iam/event", "PublishFunction", "AWS_IAM")), template.httpRoutes());

        SamTemplate.FunctionSpec message = template.functions().get("MessageFunction");
        assertEquals("io.switchboard.local.fake.FakeMessage::handleRequest", message.handler());
        assertEquals(10, message.timeoutSeconds());
        assertEquals(5, template.functions().get("ConnectFunction").timeoutSeconds(), "Globals.Function.Timeout");
        assertEquals(Map.of("FAKE_GREETING", "hello", "FAKE_REGION", "eu-west-1-x", "FAKE_ONLY_MESSAGE", "yes-message"),
                message.environment());
        assertEquals(Map.of("FAKE_GREETING", "hello", "FAKE_REGION", "eu-west-1-x", "FAKE_ONLY_MESSAGE", "yes-message"),
                template.environment());
    }

    @Test
    void templateWithoutWebSocketApi_isRejected(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("t.yaml");
        Files.writeString(file, "Resources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties: {Handler: a.B::c}\n");
        IOException error = assertThrows(IOException.class, () -> SamTemplate.load(file, "us-east-1", "1"));
        assertTrue(error.getMessage().contains("ProtocolType WEBSOCKET"), error.getMessage());
    }

    @Test
    void intrinsics_resolveParametersAndKeepResourcesSymbolic() {
        Intrinsics intrinsics = new Intrinsics(Map.of("Stage", "prod", "Empty", ""), Map.of("AWS::Region", "eu-west-1"));

        assertEquals(new Intrinsics.Resolved("prod", Set.of()), intrinsics.resolve(Map.of("Ref", "Stage")));
        assertEquals(new Intrinsics.Resolved("", Set.of()), intrinsics.resolve(Map.of("Ref", "Empty")));
        assertEquals(new Intrinsics.Resolved("${Table}", Set.of("Table")), intrinsics.resolve(Map.of("Ref", "Table")));
        assertEquals("a/prod/eu-west-1/${Fn.Arn}/${Literal}/x",
                intrinsics.resolve(Map.of("Fn::Sub", "a/${Stage}/${AWS::Region}/${Fn.Arn}/${!Literal}/${V}"))
                        .text().replace("${V}", "x"));
        assertEquals("a-x-b", intrinsics.resolve(Map.of("Fn::Sub", List.of("a-${V}-b", Map.of("V", "x")))).text());
        assertEquals("p:${Fn.Arn}", intrinsics.resolve(Map.of("Fn::Join", List.of(":", List.of("p", Map.of("Fn::GetAtt", List.of("Fn", "Arn"))))))
                .text());
        assertEquals("b", intrinsics.resolve(Map.of("Fn::Select", List.of(1, List.of("a", "b")))).text());
        assertFalse(intrinsics.resolve(Map.of("Fn::If", List.of("c", "a", "b"))).literal());
    }
}
