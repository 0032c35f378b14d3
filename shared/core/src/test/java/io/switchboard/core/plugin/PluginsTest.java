package io.switchboard.core.plugin;

import io.switchboard.api.AuthorizerResult;
import io.switchboard.api.SubscribeDecision;
import io.switchboard.api.spi.AuthorizerPlugin;
import io.switchboard.api.spi.NamespacePlugin;
import io.switchboard.api.spi.PluginRegistry;
import io.switchboard.api.spi.PublishRoute;
import io.switchboard.api.spi.SubscribeRoute;
import io.switchboard.core.auth.AuthMode;
import io.switchboard.core.auth.LambdaAuthProvider;
import io.switchboard.core.channel.ChannelPath;
import io.switchboard.core.config.NamespaceConfig;
import io.switchboard.core.config.SwitchboardConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

public class PluginsTest {

    static PublishRoute publish(String pattern, String source) {
        return PublishRoute.perEvent(pattern, source, (e, c) -> e.payload());
    }

    static SubscribeRoute subscribe(String pattern, String source) {
        return SubscribeRoute.of(pattern, source, c -> SubscribeDecision.allow());
    }

    static PluginRegistry registry(NamespacePlugin... namespaces) {
        return () -> List.of(namespaces);
    }

    /** A registry as the processor would generate it, for the ServiceLoader test. */
    public static final class ChatRegistry implements PluginRegistry {
        @Override
        public List<NamespacePlugin> namespaces() {
            return List.of(NamespacePlugin.builder("chat", "com.acme.Chat").route(publish("/chat/*", "com.acme.Chat#m")).build());
        }

        @Override
        public List<AuthorizerPlugin> authorizers() {
            return List.of(AuthorizerPlugin.of("com.acme.Auth", "", 0, r -> AuthorizerResult.deny()));
        }
    }

    @Test
    void load_findsRegistriesThroughServiceLoader(@TempDir Path dir) throws Exception {
        Path services = Files.createDirectories(dir.resolve("META-INF/services"));
        Files.writeString(services.resolve(PluginRegistry.class.getName()), ChatRegistry.class.getName() + "\n");
        try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader())) {
            Plugins plugins = Plugins.load(loader);
            assertEquals(Set.of("chat"), plugins.namespaces().keySet());
            assertEquals("com.acme.Chat#m", plugins.publishRoute(ChannelPath.parse("/chat/x")).source());
            assertEquals("com.acme.Auth", plugins.authorizer().orElseThrow().source());
            assertInstanceOf(LambdaAuthProvider.class, plugins.authProviders(Clock.systemUTC()).get(0));
        }
    }

    @Test
    void load_brokenServiceEntry_failsTheStartWithTheReason(@TempDir Path dir) throws Exception {
        Path services = Files.createDirectories(dir.resolve("META-INF/services"));
        Files.writeString(services.resolve(PluginRegistry.class.getName()), "com.acme.Missing\n");
        try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader())) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> Plugins.load(loader));
            assertTrue(e.getMessage().contains("com.acme.Missing"), e.getMessage());
        }
    }

    @Test
    void none_andEmpty_changeNothing() {
        SwitchboardConfig config = SwitchboardConfig.from(Map.<String, String>of()::get);
        assertSame(config, Plugins.none().applyTo(config));
        assertSame(Plugins.none(), Plugins.of(List.of()));
        assertTrue(Plugins.none().authProviders(Clock.systemUTC()).isEmpty());
        assertDoesNotThrow(() -> Plugins.none().checkAuthModes(config));
    }

    @Test
    void namespacesOfSeveralClassesAndJars_areMerged() {
        Plugins plugins = Plugins.of(List.of(
            registry(NamespacePlugin.builder("chat", "A").route(publish("/chat/rooms/*", "A#m")).build()),
            registry(NamespacePlugin.builder("chat", "B").publishAuthModes("AWS_LAMBDA")
                .route(publish("/chat/*", "B#m")).route(subscribe("/chat/rooms/*", "B#s")).build())));
        assertEquals(Set.of(AuthMode.AWS_LAMBDA), plugins.namespaces().get("chat").publishModes());
        assertEquals("A#m", plugins.publishRoute(ChannelPath.parse("/chat/rooms/1")).source());
        assertEquals("B#m", plugins.publishRoute(ChannelPath.parse("/chat/lobby")).source());
    }

    @Test
    void conflicts_failTheStart_namingBothSources() {
        IllegalStateException duplicate = assertThrows(IllegalStateException.class, () -> Plugins.of(List.of(
            registry(NamespacePlugin.builder("chat", "A").route(publish("/chat/*", "A#m")).build()),
            registry(NamespacePlugin.builder("chat", "B").route(publish("chat/*/", "B#m")).build()))));
        assertEquals("Duplicate @OnPublish pattern '/chat/*' in namespace 'chat': A#m and B#m", duplicate.getMessage());

        IllegalStateException modes = assertThrows(IllegalStateException.class, () -> Plugins.of(List.of(
            registry(NamespacePlugin.builder("chat", "A").subscribeAuthModes("API_KEY").build(),
                NamespacePlugin.builder("chat", "B").subscribeAuthModes("AWS_IAM").build()))));
        assertEquals("Namespace 'chat' has conflicting subscribeAuthModes: [API_KEY] in A and [AWS_IAM] in B", modes.getMessage());

        PluginRegistry auth = new PluginRegistry() {
            @Override
            public List<NamespacePlugin> namespaces() {
                return List.of();
            }

            @Override
            public List<AuthorizerPlugin> authorizers() {
                return new ChatRegistry().authorizers();
            }
        };
        IllegalStateException authorizers = assertThrows(IllegalStateException.class,
            () -> Plugins.of(List.of(auth, registry(), auth)));
        assertTrue(authorizers.getMessage().startsWith("Only one @Authorizer is allowed"), authorizers.getMessage());

        IllegalStateException outside = assertThrows(IllegalStateException.class, () -> Plugins.of(List.of(
            registry(NamespacePlugin.builder("chat", "A").route(subscribe("/news/*", "A#s")).build()))));
        assertEquals("Channel pattern '/news/*' in A#s is outside namespace 'chat'", outside.getMessage());

        assertThrows(IllegalStateException.class, () -> Plugins.of(List.of(
            registry(NamespacePlugin.builder("chat", "A").route(subscribe("/chat/**", "A#s")).build()))));
        assertThrows(IllegalStateException.class, () -> Plugins.of(List.of(
            registry(NamespacePlugin.builder("chat", "A").publishAuthModes("APIKEY").build()))));
        assertThrows(IllegalStateException.class, () -> Plugins.of(List.of(
            registry(NamespacePlugin.builder("chat_x", "A").build()))));
    }

    @Test
    void applyTo_addsPluginNamespaces_withTheirModes_orTheApiDefaults() {
        SwitchboardConfig config = SwitchboardConfig.from(Map.of(
            "SWITCHBOARD_NAMESPACES", "default,sample",
            "SWITCHBOARD_PUBLISH_AUTH_MODES", "API_KEY,AWS_IAM",
            "SWITCHBOARD_SUBSCRIBE_AUTH_MODES", "API_KEY")::get);
        Plugins plugins = Plugins.of(List.of(registry(
            NamespacePlugin.builder("chat", "Chat").subscribeAuthModes("AWS_LAMBDA", "API_KEY").build(),
            NamespacePlugin.builder("sample", "Sample").build())));
        SwitchboardConfig merged = plugins.applyTo(config);
        assertEquals(Set.of("default", "sample", "chat"), merged.namespaces().keySet());
        assertEquals(new NamespaceConfig("chat", EnumSet.of(AuthMode.API_KEY, AuthMode.AWS_IAM),
            EnumSet.of(AuthMode.AWS_LAMBDA, AuthMode.API_KEY)), merged.namespaces().get("chat"));
        assertEquals(config.namespaces().get("sample"), merged.namespaces().get("sample"));
        assertEquals(config.apiKeys(), merged.apiKeys());
        assertEquals(config.maxEventBytes(), merged.maxEventBytes());
        assertEquals(config.connectionAuthModes(), merged.connectionAuthModes());

        IllegalStateException e = assertThrows(IllegalStateException.class, () -> plugins.checkAuthModes(merged));
        assertEquals("Auth mode AWS_LAMBDA is allowed for chat subscribe but the application has no @Authorizer class",
            e.getMessage());
        assertDoesNotThrow(() -> Plugins.of(List.of(new ChatRegistry())).checkAuthModes(merged));
    }
}
