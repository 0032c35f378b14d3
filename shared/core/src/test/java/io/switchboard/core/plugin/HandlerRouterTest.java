package io.switchboard.core.plugin;

import io.switchboard.api.OutgoingEvent;
import io.switchboard.api.SubscribeDecision;
import io.switchboard.api.spi.PublishRoute;
import io.switchboard.api.spi.SubscribeRoute;
import io.switchboard.core.channel.ChannelPath;
import io.switchboard.core.channel.ChannelPattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

class HandlerRouterTest {
    private static final List<String> PATTERNS = List.of("/chat", "/chat/*", "/chat/rooms/*", "/chat/rooms/lobby",
        "/chat/a/b/c/*", "/news/*");

    private static final HandlerRouter ROUTER = new HandlerRouter(
        PATTERNS.stream().map(p -> PublishRoute.perEvent(p, p, (e, c) -> e.payload())).toList(),
        PATTERNS.stream().map(p -> SubscribeRoute.of(p, p, c -> SubscribeDecision.allow())).toList());

    @ParameterizedTest(name = "publish {0} -> {1}")
    @CsvSource(nullValues = "none", textBlock = """
        /chat,                    /chat
        /chat/x,                  /chat/*
        /chat/rooms,              /chat/*
        /chat/rooms/lobby,        /chat/rooms/lobby
        /chat/rooms/kitchen,      /chat/rooms/*
        /chat/rooms/lobby/sofa,   /chat/rooms/*
        /chat/a/b/c,              /chat/*
        /chat/a/b/c/d,            /chat/a/b/c/*
        /news/today,              /news/*
        /news,                    none
        /sport/today,             none
        /chatroom/x,              none
        """)
    void publish_mostSpecificPatternWins(String channel, String expected) {
        PublishRoute route = ROUTER.publishRoute(ChannelPath.parse(channel));
        assertEquals(expected, route == null ? null : route.pattern());
    }

    @ParameterizedTest(name = "subscribe {0} -> {1}")
    @CsvSource(nullValues = "none", textBlock = """
        /chat,                    /chat
        /chat/*,                  /chat/*
        /chat/rooms/*,            /chat/rooms/*
        /chat/rooms/lobby,        /chat/rooms/lobby
        /chat/rooms/lobby/*,      /chat/rooms/*
        /chat/rooms/kitchen,      /chat/rooms/*
        /chat/private/*,          /chat/*
        /chat/a/b/c/*,            /chat/a/b/c/*
        /news/*,                  /news/*
        /news,                    none
        /sport/*,                 none
        """)
    void subscribe_wildcardIsRoutedAsThePatternItIs(String channel, String expected) {
        SubscribeRoute route = ROUTER.subscribeRoute(ChannelPattern.parse(channel));
        assertEquals(expected, route == null ? null : route.pattern());
    }

    @Test
    void noRoutes_answersNullWithoutLookingAtTheChannel() {
        HandlerRouter empty = new HandlerRouter(List.of(), List.of());
        assertFalse(empty.hasPublishRoutes());
        assertFalse(empty.hasSubscribeRoutes());
        assertNull(empty.publishRoute(ChannelPath.parse("/a/b")));
        assertNull(empty.subscribeRoute(ChannelPattern.parse("/a/*")));
    }

    @Test
    void onlySubscribeRoutes_publishesPassThrough() {
        HandlerRouter router = new HandlerRouter(List.of(),
            List.of(SubscribeRoute.of("/a/*", "s", c -> SubscribeDecision.allow())));
        assertNull(router.publishRoute(ChannelPath.parse("/a/b")));
        assertEquals("/a/*", router.subscribeRoute(ChannelPattern.parse("/a/b")).pattern());
        // aggregate routes are routed like per-event ones
        HandlerRouter aggregate = new HandlerRouter(
            List.of(PublishRoute.aggregate("/a/*", "agg", c -> List.<OutgoingEvent>of())), List.of());
        assertEquals("agg", aggregate.publishRoute(ChannelPath.parse("/a/b/c")).source());
    }
}
