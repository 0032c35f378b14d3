package io.switchboard.processor;

import io.switchboard.api.AuthorizerOperation;
import io.switchboard.api.AuthorizerRequest;
import io.switchboard.api.AuthorizerResult;
import io.switchboard.api.IncomingEvent;
import io.switchboard.api.OutgoingEvent;
import io.switchboard.api.PublishContext;
import io.switchboard.api.SubscribeContext;
import io.switchboard.api.SubscribeDecision;
import io.switchboard.api.spi.AuthorizerPlugin;
import io.switchboard.api.spi.NamespacePlugin;
import io.switchboard.api.spi.PluginRegistry;
import io.switchboard.api.spi.PublishRoute;
import io.switchboard.api.spi.SubscribeRoute;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SwitchboardProcessorTest {

    private static final String CHAT = """
        package com.acme;

        import io.switchboard.api.*;
        import java.util.ArrayList;
        import java.util.List;
        import java.util.Map;

        @ChannelNamespace(value = "chat", subscribeAuthModes = {"API_KEY", "AWS_LAMBDA"})
        public final class Chat {
            @OnPublish("/chat/rooms/*")
            public Object stamp(IncomingEvent event, PublishContext ctx) {
                return Map.of("echo", event.payload(), "channel", ctx.channel());
            }

            @OnPublish(value = "/chat/all", aggregate = true)
            public List<OutgoingEvent> all(PublishContext ctx) {
                List<OutgoingEvent> out = new ArrayList<>();
                for (IncomingEvent e : ctx.events()) {
                    out.add(e.id().equals("2") ? OutgoingEvent.error(e.id(), "no") : e.forward());
                }
                return out;
            }

            @OnPublish("chat/count/")
            public static int count(PublishContext ctx, IncomingEvent event) {
                return ctx.events().size();
            }

            @OnSubscribe("/chat/private/*")
            public SubscribeDecision owner(SubscribeContext ctx) {
                return ctx.segments().get(2).equals(ctx.handlerContext().get("userId"))
                    ? SubscribeDecision.allow() : SubscribeDecision.deny("private channel");
            }

            @OnSubscribe("/chat/open")
            public void open(SubscribeContext ctx) {
            }
        }
        """;

    private static final String PLAIN = """
        package com.acme;

        @io.switchboard.api.ChannelNamespace("plain")
        public class Plain {
        }
        """;

    private static final String AUTH = """
        package com.acme;

        import io.switchboard.api.*;
        import java.util.Map;

        @Authorizer(identityValidationExpression = "tok-.*", resultTtlSeconds = 60)
        public final class Auth {
            public AuthorizerResult authorize(AuthorizerRequest request) {
                return "tok-good".equals(request.token())
                    ? AuthorizerResult.allow(Map.of("userId", "u1")) : AuthorizerResult.deny();
            }
        }
        """;

    @Test
    void validPlugins_compileCleanly_andGenerateOneRegistryThatCallsTheMethods() throws Exception {
        TestCompiler.Result result = TestCompiler.compile(Map.of("com.acme.Chat", CHAT, "com.acme.Plain", PLAIN,
            "com.acme.Auth", AUTH));
        assertEquals(List.of(), result.errors());
        assertEquals(List.of(), result.warnings(), "generated code must compile without lint warnings");
        assertTrue(result.success());

        List<Path> generated = result.generatedSources();
        assertEquals(1, generated.size(), () -> "generated: " + generated);
        String className = generated.get(0).toString().replace(".java", "").replace('/', '.').replace('\\', '.');
        assertTrue(className.matches("io\\.switchboard\\.generated\\.SwitchboardPlugins_[0-9a-f]{12}"), className);
        assertEquals(className + "\n", result.serviceFile());

        try (URLClassLoader loader = result.loader()) {
            List<PluginRegistry> registries = new ArrayList<>();
            ServiceLoader.load(PluginRegistry.class, loader).forEach(registries::add);
            assertEquals(1, registries.size());
            PluginRegistry registry = registries.get(0);
            assertEquals(className, registry.getClass().getName());

            List<NamespacePlugin> namespaces = registry.namespaces();
            assertEquals(List.of("chat", "plain"), namespaces.stream().map(NamespacePlugin::name).toList());
            NamespacePlugin chat = namespaces.get(0);
            assertEquals("com.acme.Chat", chat.source());
            assertEquals(List.of(), chat.publishAuthModes());
            assertEquals(List.of("API_KEY", "AWS_LAMBDA"), chat.subscribeAuthModes());
            assertEquals(List.of("/chat/rooms/*", "/chat/all", "/chat/count"),
                chat.publishRoutes().stream().map(PublishRoute::pattern).toList());
            assertEquals(List.of(false, true, false),
                chat.publishRoutes().stream().map(PublishRoute::isAggregate).toList());
            assertEquals("com.acme.Chat#stamp", chat.publishRoutes().get(0).source());
            assertTrue(namespaces.get(1).publishRoutes().isEmpty() && namespaces.get(1).subscribeRoutes().isEmpty());

            PublishContext ctx = PublishContext.builder().channel("/chat/rooms/1")
                .event("1", Map.of("text", "hi")).event("2", "x").event("3", 3).build();
            IncomingEvent first = ctx.events().get(0);
            assertEquals(Map.of("echo", Map.of("text", "hi"), "channel", "/chat/rooms/1"),
                chat.publishRoutes().get(0).perEvent().handle(first, ctx));
            assertEquals(List.of(first.forward(), OutgoingEvent.error("2", "no"), ctx.events().get(2).forward()),
                List.copyOf(chat.publishRoutes().get(1).aggregate().handle(ctx)));
            assertEquals(3, chat.publishRoutes().get(2).perEvent().handle(first, ctx));

            SubscribeRoute owner = chat.subscribeRoutes().get(0);
            assertEquals("/chat/private/*", owner.pattern());
            assertEquals(SubscribeDecision.allow(), owner.handler().handle(SubscribeContext.builder()
                .channel("/chat/private/u1").handlerContext(Map.of("userId", "u1")).build()));
            assertEquals(SubscribeDecision.deny("private channel"), owner.handler().handle(SubscribeContext.builder()
                .channel("/chat/private/u2").handlerContext(Map.of("userId", "u1")).build()));
            assertEquals(SubscribeDecision.allow(), chat.subscribeRoutes().get(1).handler()
                .handle(SubscribeContext.builder().channel("/chat/open").build()));

            List<AuthorizerPlugin> authorizers = registry.authorizers();
            assertEquals(1, authorizers.size());
            AuthorizerPlugin auth = authorizers.get(0);
            assertEquals("com.acme.Auth", auth.source());
            assertEquals("tok-.*", auth.identityValidationExpression());
            assertEquals(60, auth.resultTtlSeconds());
            assertEquals(AuthorizerResult.allow(Map.of("userId", "u1")), auth.function().authorize(
                new AuthorizerRequest("tok-good", AuthorizerOperation.EVENT_CONNECT, null, null, Map.of())));
            assertFalse(auth.function().authorize(
                new AuthorizerRequest("tok-bad", AuthorizerOperation.EVENT_CONNECT, null, null, Map.of())).isAuthorized());
        }
    }

    @Test
    void noPlugins_generateNothing() throws Exception {
        TestCompiler.Result result = TestCompiler.compile(Map.of("com.acme.Nothing", "package com.acme; public class Nothing {}"));
        assertTrue(result.success());
        assertEquals(List.of(), result.generatedSources());
        assertNull(result.serviceFile());
    }

    @Test
    void registryName_isStableForTheSameClasses_andDiffersForOthers() throws Exception {
        String a = TestCompiler.compile(Map.of("com.acme.Plain", PLAIN)).generatedSources().get(0).toString();
        String b = TestCompiler.compile(Map.of("com.acme.Plain", PLAIN)).generatedSources().get(0).toString();
        String c = TestCompiler.compile(Map.of("com.acme.Plain", PLAIN, "com.acme.Auth", AUTH)).generatedSources().get(0).toString();
        assertEquals(a, b);
        assertFalse(a.equals(c));
    }

    // ------------------------------------------------------------------ handler methods

    /** A namespace class with one handler method; the annotation sits on line 6, the method on line 7. */
    private static String chatWith(String annotation, String method) {
        return "package com.acme;\n"
            + "import io.switchboard.api.*;\n"
            + "import java.util.*;\n"
            + "@ChannelNamespace(\"chat\")\n"
            + "public class Chat {\n"
            + "    " + annotation + "\n"
            + "    " + method + "\n"
            + "}\n";
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
        per-event returning void   | @OnPublish("/chat/*")                   | public void m(IncomingEvent e) {}                                      | @OnPublish method m must take (IncomingEvent) or (IncomingEvent, PublishContext) and return the payload to broadcast, OutgoingEvent.drop() or OutgoingEvent.error(id, message); use aggregate = true to handle the whole batch
        per-event without event    | @OnPublish("/chat/*")                   | public Object m(PublishContext c) { return null; }                    | @OnPublish method m must take (IncomingEvent) or (IncomingEvent, PublishContext) and return the payload to broadcast, OutgoingEvent.drop() or OutgoingEvent.error(id, message); use aggregate = true to handle the whole batch
        per-event with a String    | @OnPublish("/chat/*")                   | public Object m(IncomingEvent e, String s) { return null; }           | @OnPublish method m must take (IncomingEvent) or (IncomingEvent, PublishContext) and return the payload to broadcast, OutgoingEvent.drop() or OutgoingEvent.error(id, message); use aggregate = true to handle the whole batch
        per-event event twice      | @OnPublish("/chat/*")                   | public Object m(IncomingEvent e, IncomingEvent f) { return null; }    | @OnPublish method m must take (IncomingEvent) or (IncomingEvent, PublishContext) and return the payload to broadcast, OutgoingEvent.drop() or OutgoingEvent.error(id, message); use aggregate = true to handle the whole batch
        aggregate returning Object | @OnPublish(value = "/chat/*", aggregate = true) | public Object m(PublishContext c) { return null; }            | @OnPublish(aggregate = true) method m must take (PublishContext) and return List<OutgoingEvent>
        aggregate taking an event  | @OnPublish(value = "/chat/*", aggregate = true) | public List<OutgoingEvent> m(IncomingEvent e) { return null; } | @OnPublish(aggregate = true) method m must take (PublishContext) and return List<OutgoingEvent>
        aggregate of strings       | @OnPublish(value = "/chat/*", aggregate = true) | public List<String> m(PublishContext c) { return null; }     | @OnPublish(aggregate = true) method m must take (PublishContext) and return List<OutgoingEvent>
        subscribe returning bool   | @OnSubscribe("/chat/*")                 | public boolean m(SubscribeContext c) { return true; }                 | @OnSubscribe method m must take (SubscribeContext) and return SubscribeDecision or void
        subscribe publish context  | @OnSubscribe("/chat/*")                 | public void m(PublishContext c) {}                                     | @OnSubscribe method m must take (SubscribeContext) and return SubscribeDecision or void
        package-private method     | @OnSubscribe("/chat/*")                 | void m(SubscribeContext c) {}                                          | @OnSubscribe method m must be public
        generic method             | @OnPublish("/chat/*")                   | public <T> Object m(IncomingEvent e) { return null; }                 | @OnPublish method m must not declare type parameters
        """)
    void wrongSignature_isAnErrorOnTheAnnotation(String name, String annotation, String method, String message) throws Exception {
        TestCompiler.Result result = TestCompiler.compile(Map.of("com.acme.Chat", chatWith(annotation, method)));
        assertFalse(result.success());
        assertEquals(List.of("Chat.java:6: " + message), result.errors().stream().map(Object::toString).toList());
        assertTrue(result.errors().get(0).at().startsWith(annotation.substring(0, annotation.indexOf('('))),
            () -> "reported at: " + result.errors().get(0).at());
        assertEquals(List.of(), result.generatedSources(), "no registry when there are errors");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
        /chat/**                       | Invalid channel pattern '/chat/**': segment '**' may only contain letters, digits and '-' ('*' must be a whole segment)
        /chat/*/rooms                  | Invalid channel pattern '/chat/*/rooms': '*' is only allowed as the last segment
        /chat/a/b/c/d/e                | Invalid channel pattern '/chat/a/b/c/d/e': it has 6 segments; the maximum is 5
        /chat/ro_om                    | Invalid channel pattern '/chat/ro_om': segment 'ro_om' may only contain letters, digits and '-'
        /chat//rooms                   | Invalid channel pattern '/chat//rooms': segment 2 is empty
        /chat/-rooms                   | Invalid channel pattern '/chat/-rooms': segment '-rooms' may not start or end with '-'
        /                              | Invalid channel pattern '/': it has no segments
        /*                             | Invalid channel pattern '/*': it needs a namespace before the wildcard, e.g. /chat/*
        /lobby/*                       | Channel pattern '/lobby/*' is outside namespace 'chat': it must start with /chat
        /chatroom/x                    | Channel pattern '/chatroom/x' is outside namespace 'chat': it must start with /chat
        """)
    void badPattern_isAnErrorOnThePatternValue(String pattern, String message) throws Exception {
        String source = chatWith("@OnPublish(\"" + pattern + "\")", "public Object m(IncomingEvent e) { return e.payload(); }");
        TestCompiler.Result result = TestCompiler.compile(Map.of("com.acme.Chat", source));
        assertEquals(List.of("Chat.java:6: " + message), result.errors().stream().map(Object::toString).toList());
        assertTrue(result.errors().get(0).at().startsWith("\"" + pattern + "\""),
            () -> "reported at: " + result.errors().get(0).at());
    }

    @Test
    void segmentOf51Characters_isRejected() throws Exception {
        String segment = "a".repeat(51);
        String source = chatWith("@OnSubscribe(\"/chat/" + segment + "\")", "public void m(SubscribeContext c) {}");
        TestCompiler.Result result = TestCompiler.compile(Map.of("com.acme.Chat", source));
        assertEquals(List.of("Chat.java:6: Invalid channel pattern '/chat/" + segment
            + "': segment 2 is 51 characters long; the maximum is 50"), result.errors().stream().map(Object::toString).toList());
    }

    @Test
    void duplicatePattern_isAnErrorOnTheSecondOne_evenAcrossClassesAndSpellings() throws Exception {
        String first = chatWith("@OnPublish(\"/chat/rooms/*\")", "public Object a(IncomingEvent e) { return e.payload(); }");
        String second = """
            package com.acme;
            import io.switchboard.api.*;
            @ChannelNamespace("chat")
            public class More {
                @OnPublish("chat/rooms/*/")
                public Object b(IncomingEvent e) { return e.payload(); }

                @OnSubscribe("/chat/rooms/*")
                public void sameSubscribePatternIsFine(SubscribeContext c) {}

                @OnSubscribe("/chat/rooms/*")
                public void c(SubscribeContext c) {}
            }
            """;
        TestCompiler.Result result = TestCompiler.compile(Map.of("com.acme.Chat", first, "com.acme.More", second));
        assertEquals(List.of(
                "More.java:5: Duplicate @OnPublish pattern '/chat/rooms/*' in namespace 'chat': already handled by com.acme.Chat#a",
                "More.java:11: Duplicate @OnSubscribe pattern '/chat/rooms/*' in namespace 'chat': already handled by com.acme.More#sameSubscribePatternIsFine"),
            result.errors().stream().map(Object::toString).toList());
    }

    @Test
    void handlerOutsideANamespaceClass_isAnError() throws Exception {
        String source = """
            package com.acme;
            import io.switchboard.api.*;
            public class Loose {
                @OnPublish("/chat/*")
                public Object m(IncomingEvent e) { return e.payload(); }
            }
            """;
        TestCompiler.Result result = TestCompiler.compile(Map.of("com.acme.Loose", source));
        assertEquals(List.of("Loose.java:4: @OnPublish method m must be declared in a class annotated with @ChannelNamespace"),
            result.errors().stream().map(Object::toString).toList());
    }

    // ------------------------------------------------------------------ classes

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
        not public          | @ChannelNamespace("chat") class Chat {}                                            | 1 | @ChannelNamespace class Chat must be public
        abstract            | @ChannelNamespace("chat") public abstract class Chat {}                            | 1 | @ChannelNamespace class Chat must not be abstract
        no no-arg ctor      | @ChannelNamespace("chat") public class Chat { public Chat(int x) {} }             | 1 | @ChannelNamespace class Chat must have a public no-argument constructor
        private ctor        | @ChannelNamespace("chat") public class Chat { private Chat() {} }                 | 1 | @ChannelNamespace class Chat must have a public no-argument constructor
        interface           | @ChannelNamespace("chat") public interface Chat {}                                 | 1 | @ChannelNamespace must be placed on a class
        bad name            | @ChannelNamespace("chat_room") public class Chat {}                                | 1 | Invalid namespace name 'chat_room': use 1 to 50 letters, digits or '-', not starting or ending with '-'
        unknown auth mode   | @ChannelNamespace(value = "chat", publishAuthModes = "APIKEY") public class Chat {} | 1 | Unknown auth mode 'APIKEY' in publishAuthModes (expected one of API_KEY, AWS_IAM, AMAZON_COGNITO_USER_POOLS, OPENID_CONNECT, AWS_LAMBDA)
        inner class         | public class Chat { @ChannelNamespace("chat") public class Inner {} }              | 1 | @ChannelNamespace class Inner must be a top-level class or a public static nested class of a public class
        """)
    void classTheRuntimeCannotUse_isAnError(String name, String declaration, int line, String message) throws Exception {
        String source = "package com.acme; import io.switchboard.api.*;\n" + declaration + "\n";
        TestCompiler.Result result = TestCompiler.compile(Map.of("com.acme.Chat", source));
        assertEquals(List.of("Chat.java:" + (line + 1) + ": " + message), result.errors().stream().map(Object::toString).toList());
    }

    @Test
    void publicStaticNestedClass_isFine() throws Exception {
        String source = """
            package com.acme;
            import io.switchboard.api.*;
            public class Outer {
                @ChannelNamespace("chat")
                public static class Chat {
                    @OnSubscribe("/chat/*")
                    public static SubscribeDecision m(SubscribeContext c) { return SubscribeDecision.deny("no"); }
                }
            }
            """;
        TestCompiler.Result result = TestCompiler.compile(Map.of("com.acme.Outer", source));
        assertEquals(List.of(), result.errors());
        try (URLClassLoader loader = result.loader()) {
            PluginRegistry registry = ServiceLoader.load(PluginRegistry.class, loader).iterator().next();
            assertEquals("com.acme.Outer.Chat", registry.namespaces().get(0).source());
            assertEquals(SubscribeDecision.deny("no"), registry.namespaces().get(0).subscribeRoutes().get(0).handler()
                .handle(SubscribeContext.builder().channel("/chat/x").build()));
        }
    }

    // ------------------------------------------------------------------ @Authorizer

    @Test
    void secondAuthorizer_isAnError() throws Exception {
        String other = AUTH.replace("class Auth", "class Other");
        TestCompiler.Result result = TestCompiler.compile(Map.of("com.acme.Auth", AUTH, "com.acme.Other", other));
        assertEquals(List.of("Other.java:6: Only one @Authorizer is allowed (AppSync Events allows one Lambda authorizer "
            + "per API); com.acme.Auth is already one"), result.errors().stream().map(Object::toString).toList());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
        no authorize method  | @Authorizer                                      | public boolean authorize(AuthorizerRequest r) { return true; } | @Authorizer class A must have a method 'public AuthorizerResult authorize(AuthorizerRequest request)'
        private method       | @Authorizer                                      | AuthorizerResult authorize(AuthorizerRequest r) { return null; } | @Authorizer class A must have a method 'public AuthorizerResult authorize(AuthorizerRequest request)'
        bad regex            | @Authorizer(identityValidationExpression = "[a-") | public AuthorizerResult authorize(AuthorizerRequest r) { return null; } | identityValidationExpression is not a valid regular expression: Illegal character range
        ttl too long         | @Authorizer(resultTtlSeconds = 3601)              | public AuthorizerResult authorize(AuthorizerRequest r) { return null; } | resultTtlSeconds must be 0 to 3600, got 3601
        """)
    void badAuthorizer_isAnError(String name, String annotation, String method, String message) throws Exception {
        String source = "package com.acme; import io.switchboard.api.*;\n" + annotation + "\npublic class A {\n" + method + "\n}\n";
        TestCompiler.Result result = TestCompiler.compile(Map.of("com.acme.A", source));
        assertEquals(List.of("A.java:2: " + message), result.errors().stream().map(Object::toString).toList());
    }

    @Test
    void inheritedStaticOrInstanceAuthorize_isFound() throws Exception {
        String base = """
            package com.acme;
            import io.switchboard.api.*;
            public class Base {
                public AuthorizerResult authorize(AuthorizerRequest r) { return AuthorizerResult.allow().ttlOverride(5); }
            }
            """;
        String auth = "package com.acme;\n@io.switchboard.api.Authorizer\npublic class Auth extends Base {}\n";
        TestCompiler.Result result = TestCompiler.compile(Map.of("com.acme.Base", base, "com.acme.Auth", auth));
        assertEquals(List.of(), result.errors());
        try (URLClassLoader loader = result.loader()) {
            PluginRegistry registry = ServiceLoader.load(PluginRegistry.class, loader).iterator().next();
            assertEquals(List.of(), registry.namespaces());
            AuthorizerPlugin plugin = registry.authorizers().get(0);
            assertNull(plugin.identityValidationExpression());
            assertEquals(5, plugin.function().authorize(
                new AuthorizerRequest("t", AuthorizerOperation.EVENT_PUBLISH, "/a/b", "a", Map.of())).ttlOverride());
        }
    }
}
