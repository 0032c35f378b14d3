package io.switchboard.tests.template;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import io.switchboard.core.auth.ApiKeyAuthProvider;
import io.switchboard.core.config.SwitchboardConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.switchboard.tests.template.CloudFormationTemplate.getAtt;
import static io.switchboard.tests.template.CloudFormationTemplate.list;
import static io.switchboard.tests.template.CloudFormationTemplate.map;
import static io.switchboard.tests.template.CloudFormationTemplate.properties;
import static io.switchboard.tests.template.CloudFormationTemplate.refTarget;
import static io.switchboard.tests.template.CloudFormationTemplate.subText;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * What {@code template.yaml} promises the code and the code promises the template, checked without AWS: handlers
 * that exist with the Lambda signature, environment variables the code reads (and the ones it needs), API Gateway
 * wired to the SnapStart alias with scoped permissions, least-privilege policies, and route responses.
 */
class TemplateContractTest {
    /** What each function needs from its environment to start (SwitchboardRuntime builds the store and sender). */
    private static final Map<String, Set<String>> REQUIRED = Map.of(
        "ConnectAuthorizerFunction", Set.of("SWITCHBOARD_API_KEYS"),
        "ConnectFunction", Set.of("TABLE_NAME", "SWITCHBOARD_CONNECTIONS_ENDPOINT"),
        "MessageFunction", Set.of("TABLE_NAME", "SWITCHBOARD_CONNECTIONS_ENDPOINT", "SWITCHBOARD_API_KEYS"),
        "DisconnectFunction", Set.of("TABLE_NAME", "SWITCHBOARD_CONNECTIONS_ENDPOINT"),
        "PublishFunction", Set.of("TABLE_NAME", "SWITCHBOARD_CONNECTIONS_ENDPOINT", "SWITCHBOARD_API_KEYS"),
        "FanOutFunction", Set.of("TABLE_NAME", "SWITCHBOARD_CONNECTIONS_ENDPOINT"),
        "KeepAliveFunction", Set.of("TABLE_NAME", "SWITCHBOARD_CONNECTIONS_ENDPOINT", "SWITCHBOARD_CONNECTION_TIMEOUT_MS",
            "SWITCHBOARD_KEEPALIVE_RATE_MINUTES"));

    private static final String CONNECTIONS_ENDPOINT =
        "https://${WebSocketApi}.execute-api.${AWS::Region}.amazonaws.com/${StageName}";
    private static final Pattern LAMBDA_URI =
        Pattern.compile("arn:\\$\\{AWS::Partition}:apigateway:\\$\\{AWS::Region}:lambda:path/2015-03-31/functions/"
            + "\\$\\{(\\w+)\\.Arn}:(\\w+)/invocations");
    private static final Pattern MANAGE_CONNECTIONS = Pattern.compile(
        Pattern.quote("arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${WebSocketApi}/${StageName}/")
            + "(POST|DELETE)" + Pattern.quote("/@connections/*"));
    private static final Set<String> DYNAMODB_ACTIONS = Set.of(
        "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:Query",
        "dynamodb:BatchWriteItem");

    private static CloudFormationTemplate template;

    @BeforeAll
    static void readTemplate() {
        template = CloudFormationTemplate.read(Project.template());
    }

    static List<String> functions() {
        return CloudFormationTemplate.read(Project.template()).functionIds();
    }

    @Test
    void template_declaresEveryFunctionTheCodeHas() {
        assertEquals(REQUIRED.keySet(), Set.copyOf(template.functionIds()),
            "template functions and this test's table of required variables differ: add the new function to both");
    }

    @ParameterizedTest
    @MethodSource("functions")
    void handler_namesALambdaEntryPoint(String functionId) throws ReflectiveOperationException {
        String handler = String.valueOf(template.properties(functionId).get("Handler"));
        String[] parts = handler.split("::");
        assertEquals(2, parts.length, functionId + ": Handler '" + handler + "' is not <class>::<method>");

        Class<?> type = Class.forName(parts[0], false, getClass().getClassLoader());
        assertTrue(Modifier.isPublic(type.getModifiers()) && !type.isInterface()
            && !Modifier.isAbstract(type.getModifiers()), functionId + ": " + type + " is not a public concrete class");
        assertTrue(Modifier.isPublic(type.getConstructor().getModifiers()),
            functionId + ": Lambda instantiates " + type.getName() + " through a public no-argument constructor");

        List<Class<?>> lastParameters = new ArrayList<>();
        boolean found = false;
        for (Method method : type.getMethods()) {
            if (!method.getName().equals(parts[1]) || method.isBridge() || method.isSynthetic()) {
                continue;
            }
            Class<?>[] parameters = method.getParameterTypes();
            lastParameters = Arrays.asList(parameters);
            if (RequestHandler.class.isAssignableFrom(type)) {
                found |= parameters.length == 2 && parameters[1] == Context.class;
            } else if (RequestStreamHandler.class.isAssignableFrom(type)) {
                found |= Arrays.equals(parameters, new Class<?>[] {InputStream.class, OutputStream.class, Context.class});
            }
        }
        assertTrue(RequestHandler.class.isAssignableFrom(type) || RequestStreamHandler.class.isAssignableFrom(type),
            functionId + ": " + type.getName() + " implements neither RequestHandler nor RequestStreamHandler");
        assertTrue(found, functionId + ": " + type.getName() + " has no public " + parts[1]
            + " with the Lambda signature (last candidate's parameters: " + lastParameters + ")");
    }

    @ParameterizedTest
    @MethodSource("functions")
    void environment_setsOnlyVariablesTheCodeReads(String functionId) {
        List<String> unknown = new ArrayList<>();
        for (String name : template.environment(functionId).keySet()) {
            boolean read = (SwitchboardConfig.VARIABLES.contains(name) && !name.startsWith("AWS_"))
                || name.startsWith("POWERTOOLS_") || name.equals("JAVA_TOOL_OPTIONS");
            if (!read) {
                unknown.add(name);
            }
        }
        assertEquals(List.of(), unknown, functionId + " sets variables nothing reads (or that Lambda reserves, "
            + "AWS_*); the code reads " + SwitchboardConfig.VARIABLES + ", POWERTOOLS_* and JAVA_TOOL_OPTIONS");
    }

    @ParameterizedTest
    @MethodSource("functions")
    void environment_setsWhatTheFunctionNeeds(String functionId) {
        Map<String, Object> environment = template.environment(functionId);
        for (String name : REQUIRED.getOrDefault(functionId, Set.of())) {
            assertTrue(environment.containsKey(name), functionId + " needs " + name);
        }
        if (environment.containsKey("TABLE_NAME")) {
            assertEquals("SubscriptionsTable", refTarget(environment.get("TABLE_NAME")), functionId + ": TABLE_NAME");
        }
        if (environment.containsKey("SWITCHBOARD_API_KEYS")) {
            assertEquals("ApiKeyHashes", refTarget(environment.get("SWITCHBOARD_API_KEYS")),
                functionId + ": SWITCHBOARD_API_KEYS");
        }
        if (environment.containsKey("SWITCHBOARD_CONNECTIONS_ENDPOINT")) {
            assertEquals(CONNECTIONS_ENDPOINT, subText(environment.get("SWITCHBOARD_CONNECTIONS_ENDPOINT")),
                functionId + ": SWITCHBOARD_CONNECTIONS_ENDPOINT must be the WebSocket stage's @connections endpoint");
        }
    }

    @ParameterizedTest
    @MethodSource("functions")
    void function_startsFastOnArmWithSnapStart(String functionId) {
        assertEquals("java21", template.functionProperty(functionId, "Runtime"), functionId + ": Runtime");
        assertEquals(List.of("arm64"), template.functionProperty(functionId, "Architectures"), functionId);
        assertEquals(Map.of("ApplyOn", "PublishedVersions"), template.functionProperty(functionId, "SnapStart"),
            functionId + ": SnapStart");
        assertNotNull(template.functionProperty(functionId, "AutoPublishAlias"), functionId + ": AutoPublishAlias");
        Object timeout = template.functionProperty(functionId, "Timeout");
        assertTrue(timeout instanceof Integer t && t <= 29,
            functionId + ": API Gateway waits 29 s at most, Timeout is " + timeout);
        Object memory = template.functionProperty(functionId, "MemorySize");
        assertTrue(memory instanceof Integer m && m >= 1024, functionId + ": MemorySize " + memory);
        assertEquals("-XX:+TieredCompilation -XX:TieredStopAtLevel=1",
            template.environment(functionId).get("JAVA_TOOL_OPTIONS"), functionId + ": JAVA_TOOL_OPTIONS");
    }

    @Test
    void apiGateway_invokesTheLiveAliasOfEveryWebSocketFunction_withAScopedPermission() {
        String alias = String.valueOf(template.functionGlobals().get("AutoPublishAlias"));
        Map<String, String> invokedBy = new LinkedHashMap<>();   // function -> integration or authorizer
        template.resourcesOfType("AWS::ApiGatewayV2::Integration").forEach((id, r) ->
            invokedBy.put(lambdaTarget(id, properties(r).get("IntegrationUri"), alias), id));
        template.resourcesOfType("AWS::ApiGatewayV2::Authorizer").forEach((id, r) ->
            invokedBy.put(lambdaTarget(id, properties(r).get("AuthorizerUri"), alias), id));
        assertEquals(Set.of("ConnectAuthorizerFunction", "ConnectFunction", "MessageFunction", "DisconnectFunction"),
            invokedBy.keySet());

        Map<String, Map<String, Object>> permissions = template.resourcesOfType("AWS::Lambda::Permission");
        permissions.forEach((id, permission) -> {
            Map<String, Object> p = properties(permission);
            String target = String.valueOf(refTarget(p.get("FunctionName")));
            assertTrue(target.endsWith(".Alias") || target.endsWith("Alias" + alias),
                id + ": permissions are on the alias API Gateway invokes, not on " + p.get("FunctionName"));
            assertNotNull(subText(p.get("SourceArn")), id + ": a permission without SourceArn lets any API invoke it");
        });
        invokedBy.forEach((function, caller) -> {
            List<String> sourceArns = new ArrayList<>();
            for (Map<String, Object> permission : permissions.values()) {
                Map<String, Object> p = properties(permission);
                String target = refTarget(p.get("FunctionName"));
                if (target != null && (target.equals(function + ".Alias") || target.equals(function + "Alias" + alias))) {
                    assertEquals("apigateway.amazonaws.com", p.get("Principal"), function);
                    assertEquals("lambda:InvokeFunction", p.get("Action"), function);
                    sourceArns.add(subText(p.get("SourceArn")));
                }
            }
            assertFalse(sourceArns.isEmpty(), function + " (called by " + caller
                + ") has no AWS::Lambda::Permission on its alias: API Gateway could not invoke it");
            String api = "arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${WebSocketApi}/";
            for (String sourceArn : sourceArns) {
                assertTrue(sourceArn != null && sourceArn.startsWith(api) && !sourceArn.equals(api + "*"),
                    function + ": the permission's SourceArn must be scoped to this API's stage or authorizer, got "
                        + sourceArn);
            }
        });
    }

    private String lambdaTarget(String resourceId, Object uri, String alias) {
        String text = subText(uri);
        Matcher m = text == null ? null : LAMBDA_URI.matcher(text);
        if (m == null || !m.matches()) {
            fail(resourceId + ": expected !Sub 'arn:${AWS::Partition}:apigateway:${AWS::Region}:lambda:path/2015-03-31/"
                + "functions/${<Function>.Arn}:" + alias + "/invocations', got " + uri);
        }
        assertTrue(template.functionIds().contains(m.group(1)), resourceId + ": " + m.group(1) + " is not a function");
        assertEquals(alias, m.group(2), resourceId + " must invoke the SnapStart alias (AutoPublishAlias)");
        return m.group(1);
    }

    @ParameterizedTest
    @MethodSource("functions")
    void policies_grantOnlyTheCallsTheCodeMakes_onThisTableAndApi(String functionId) {
        Object policies = template.properties(functionId).get("Policies");
        for (Object policy : list(policies)) {
            assertTrue(policy instanceof Map<?, ?> m && m.containsKey("Statement"), functionId
                + ": policies are explicit statements (SAM policy templates such as DynamoDBCrudPolicy allow Scan), got "
                + policy);
            for (Object s : list(map(policy).get("Statement"))) {
                Map<String, Object> statement = map(s);
                assertEquals("Allow", statement.get("Effect"), functionId + ": " + statement);
                List<Object> resources = list(statement.get("Resource"));
                for (Object a : list(statement.get("Action"))) {
                    String action = String.valueOf(a);
                    if (action.startsWith("dynamodb:")) {
                        assertTrue(DYNAMODB_ACTIONS.contains(action), functionId + ": " + action
                            + " is not one of the calls DynamoDbSubscriptionStore makes " + DYNAMODB_ACTIONS);
                        for (Object resource : resources) {
                            boolean table = "SubscriptionsTable.Arn".equals(getAtt(resource));
                            // gsi1: subscribers of a channel; gsi2: the keep-alive walk over connections
                            String arn = subText(resource);
                            boolean index = arn != null && List.of("${SubscriptionsTable.Arn}/index/gsi1",
                                "${SubscriptionsTable.Arn}/index/gsi2").contains(arn);
                            assertTrue(table || (index && action.equals("dynamodb:Query")),
                                functionId + ": " + action + " on " + resource);
                        }
                    } else if (action.equals("lambda:InvokeFunction")) {
                        for (Object resource : resources) {
                            assertEquals("FanOutFunction.Alias", refTarget(resource),
                                functionId + ": may invoke only the fan-out worker's alias, not " + resource);
                        }
                    } else if (action.equals("execute-api:ManageConnections")) {
                        for (Object resource : resources) {
                            String arn = subText(resource);
                            assertTrue(arn != null && MANAGE_CONNECTIONS.matcher(arn).matches(),
                                functionId + ": ManageConnections on " + resource);
                        }
                    } else {
                        fail(functionId + ": unexpected action " + action);
                    }
                }
            }
        }
    }

    @Test
    void fanOut_publishersHandShardsToTheWorkersAlias_andTheWorkerMayHandOnToItself() {
        for (String publisher : List.of("MessageFunction", "PublishFunction")) {
            assertEquals("FanOutFunction.Alias", refTarget(template.environment(publisher).get("SWITCHBOARD_FANOUT_FUNCTION")),
                publisher + ": SWITCHBOARD_FANOUT_FUNCTION must name the worker's SnapStart alias");
        }
        assertEquals("io.switchboard.functions.FanOutFunction::handleRequest",
            template.properties("FanOutFunction").get("Handler"));
        assertFalse(template.environment("FanOutFunction").containsKey("SWITCHBOARD_FANOUT_FUNCTION"),
            "the worker hands on to the alias it was invoked through (naming its own alias would be a cycle)");
        Map<String, Object> handOn = properties(template.resourcesOfType("AWS::IAM::Policy").get("FanOutHandOnPolicy"));
        assertEquals(List.of("FanOutFunctionRole"), list(handOn.get("Roles")).stream().map(CloudFormationTemplate::refTarget).toList());
        List<Object> statements = list(map(handOn.get("PolicyDocument")).get("Statement"));
        assertEquals(1, statements.size());
        Map<String, Object> statement = map(statements.get(0));
        assertEquals("lambda:InvokeFunction", statement.get("Action"));
        assertEquals("FanOutFunction.Alias", refTarget(statement.get("Resource")));
    }

    @Test
    void messageRoutes_returnTheFunctionsReplyAsTheRouteResponse() {
        Map<String, Map<String, Object>> routes = template.resourcesOfType("AWS::ApiGatewayV2::Route");
        Set<String> withResponse = new LinkedHashSet<>();
        template.resourcesOfType("AWS::ApiGatewayV2::RouteResponse").forEach((id, r) -> {
            assertEquals("$default", properties(r).get("RouteResponseKey"), id);
            withResponse.add(refTarget(properties(r).get("RouteId")));
        });
        Set<String> messageRoutes = new LinkedHashSet<>();
        routes.forEach((id, r) -> {
            Object key = properties(r).get("RouteKey");
            if (!"$connect".equals(key) && !"$disconnect".equals(key)) {
                messageRoutes.add(id);
                assertEquals("$default", properties(r).get("RouteResponseSelectionExpression"), id);
            }
        });
        assertEquals(messageRoutes, withResponse, "every message route, and only those, needs a $default route response");
        assertTrue(messageRoutes.stream().map(id -> properties(routes.get(id)).get("RouteKey")).toList()
            .containsAll(List.of("connection_init", "subscribe", "unsubscribe", "publish", "$default")));

        // The deployment must come after every route and route response, or the stage serves an API without them.
        template.resourcesOfType("AWS::ApiGatewayV2::Deployment").forEach((id, r) -> {
            Set<Object> dependsOn = Set.copyOf(list(r.get("DependsOn")));
            Set<String> needed = new LinkedHashSet<>(routes.keySet());
            needed.addAll(template.resourcesOfType("AWS::ApiGatewayV2::RouteResponse").keySet());
            needed.removeAll(dependsOn);
            assertEquals(Set.of(), needed, id + " must DependsOn these");
        });
    }

    @Test
    void connectRoute_isAuthorizedOnTheSubprotocolHeader() {
        Map<String, Object> connect = template.resourcesOfType("AWS::ApiGatewayV2::Route").values().stream()
            .map(CloudFormationTemplate::properties).filter(p -> "$connect".equals(p.get("RouteKey")))
            .findFirst().orElseThrow(() -> new AssertionError("no $connect route"));
        assertEquals("CUSTOM", connect.get("AuthorizationType"));
        Map<String, Object> authorizer = template.properties(refTarget(connect.get("AuthorizerId")));
        assertEquals("REQUEST", authorizer.get("AuthorizerType"));
        assertEquals(List.of("route.request.header.Sec-WebSocket-Protocol"), authorizer.get("IdentitySource"));
        assertEquals("$request.body.type", template.properties("WebSocketApi").get("RouteSelectionExpression"));
    }

    @Test
    void httpApi_publishesWithAnApiKeyOnEventAndWithIamOnIamEvent() {
        Map<String, Object> events = map(template.properties("PublishFunction").get("Events"));
        Map<String, Object> byRoute = new LinkedHashMap<>();
        events.values().forEach(e -> {
            Map<String, Object> p = properties(map(e));
            assertEquals("HttpApi", map(e).get("Type"));
            assertEquals("HttpApi", refTarget(p.get("ApiId")));
            byRoute.put(p.get("Method") + " " + p.get("Path"), p.get("Auth"));
        });
        assertEquals(Set.of("POST /event", "POST /iam/event"), byRoute.keySet());
        assertEquals(null, byRoute.get("POST /event"), "POST /event: the function checks x-api-key itself");
        assertEquals(Map.of("Authorizer", "AWS_IAM"), byRoute.get("POST /iam/event"));
        assertEquals(Boolean.TRUE, map(template.properties("HttpApi").get("Auth")).get("EnableIamAuthorizer"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "",
        "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
        "9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B2B0B822CD15D6C15B0F00A08@1767225600",
        "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08, 60303ae22b998861bce3b28f33eec1be758a213c86c93c076dbe9f558c11c752@1",
        "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a0",
        "test",
        "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08@soon",
        "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08;60303ae22b998861bce3b28f33eec1be758a213c86c93c076dbe9f558c11c752"})
    void apiKeyHashes_allowedPattern_acceptsExactlyWhatTheFunctionsParse(String value) {
        Map<String, Object> parameter = map(template.section("Parameters").get("ApiKeyHashes"));
        boolean accepted = Pattern.matches(String.valueOf(parameter.get("AllowedPattern")), value);
        boolean parsed;
        try {
            ApiKeyAuthProvider.parseDigests(value);
            parsed = true;
        } catch (IllegalArgumentException e) {
            parsed = false;
        }
        assertEquals(parsed, accepted, "'" + value + "': the functions " + (parsed ? "parse" : "reject")
            + " it, the parameter's AllowedPattern " + (accepted ? "accepts" : "rejects") + " it");
    }

    @Test
    void outputs_nameEveryEndpoint() {
        Map<String, Object> outputs = template.section("Outputs");
        Map<String, String> expected = Map.of(
            "HttpEndpoint", "https://${HttpApi}.execute-api.${AWS::Region}.amazonaws.com/event",
            "IamPublishEndpoint", "https://${HttpApi}.execute-api.${AWS::Region}.amazonaws.com/iam/event",
            "RealtimeEndpoint", "wss://${WebSocketApi}.execute-api.${AWS::Region}.amazonaws.com/${StageName}",
            "ConnectionsEndpoint", CONNECTIONS_ENDPOINT);
        expected.forEach((name, value) -> {
            assertTrue(outputs.containsKey(name), "no output " + name);
            assertEquals(value, subText(map(outputs.get(name)).get("Value")), name);
        });
        assertEquals("SubscriptionsTable", refTarget(map(outputs.get("TableName")).get("Value")));
        assertTrue(String.valueOf(map(outputs.get("ApiKey")).get("Description")).contains("keygen"),
            "the ApiKey output says how to make a key");
    }
}
