package io.switchboard.api;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ApiTest {

    @Test
    void outgoingEvents_areValues() {
        assertEquals(OutgoingEvent.of("1", Map.of("a", 1)), OutgoingEvent.of("1", Map.of("a", 1)));
        assertEquals(OutgoingEvent.error("1", "no"), OutgoingEvent.error("1", "no"));
        assertFalse(OutgoingEvent.of("1", null).equals(OutgoingEvent.error("1", "no")));
        assertTrue(OutgoingEvent.error("1", "no").isError());
        assertFalse(OutgoingEvent.of("1", null).isError());
        assertSame(OutgoingEvent.drop(), OutgoingEvent.drop());
        assertTrue(OutgoingEvent.drop().isDrop());
        assertNull(OutgoingEvent.drop().id());
        assertThrows(NullPointerException.class, () -> OutgoingEvent.of(null, 1));
        assertThrows(NullPointerException.class, () -> OutgoingEvent.error("1", null));
        IncomingEvent in = IncomingEvent.of("7", "x");
        assertEquals(OutgoingEvent.of("7", "x"), in.forward());
        assertEquals(OutgoingEvent.of("7", "y"), in.withPayload("y"));
        assertFalse(in.toString().contains("x"), "payloads stay out of logs");
    }

    @Test
    void subscribeDecisions_andAuthorizerResults_areValues() {
        assertTrue(SubscribeDecision.allow().allowed());
        assertEquals(SubscribeDecision.deny("m"), SubscribeDecision.deny("m"));
        assertEquals("m", SubscribeDecision.deny("m").message());
        AuthorizerResult allowed = AuthorizerResult.allow(Map.of("userId", "u")).ttlOverride(60);
        assertTrue(allowed.isAuthorized());
        assertEquals(60, allowed.ttlOverride());
        assertEquals(Map.of("userId", "u"), allowed.handlerContext());
        assertNull(AuthorizerResult.deny().ttlOverride());
        assertThrows(IllegalArgumentException.class, () -> AuthorizerResult.allow().ttlOverride(3601));
        assertFalse(new AuthorizerRequest("secret-token", AuthorizerOperation.EVENT_CONNECT, null, null,
            Map.of("Authorization", "secret-token")).toString().contains("secret"));
    }

    @Test
    void contextBuilders_normaliseTheChannel_andReadLikeAppSync() {
        PublishContext ctx = PublishContext.builder()
            .channel("chat/rooms/lobby/")
            .header("X-User-Id", "bob")
            .handlerContext(Map.of("userId", "bob"))
            .event("1", Map.of("text", "hi"))
            .build();
        assertEquals("/chat/rooms/lobby", ctx.channel());
        assertEquals(List.of("chat", "rooms", "lobby"), ctx.segments());
        assertEquals("chat", ctx.namespace());
        assertEquals(Operation.PUBLISH, ctx.operation());
        assertEquals("bob", ctx.header("x-user-id"));
        assertEquals(Map.of("userId", "bob"), ctx.handlerContext());
        assertEquals(Map.of("handlerContext", Map.of("userId", "bob")), ctx.identity());
        assertEquals(1, ctx.events().size());
        ctx.stash().put("k", "v");
        assertEquals("v", ctx.stash().get("k"));

        SubscribeContext sub = SubscribeContext.builder().channel("/chat/private/*").build();
        assertEquals(List.of("chat", "private", "*"), sub.segments());
        assertEquals(Operation.SUBSCRIBE, sub.operation());
        assertNull(sub.identity(), "API key callers have no identity");
        assertEquals(Map.of(), sub.handlerContext());
        assertThrows(IllegalStateException.class, () -> SubscribeContext.builder().build());
        assertThrows(IllegalArgumentException.class, () -> SubscribeContext.builder().channel("/"));
    }

    record Message(String text) {}

    @Test
    void payloadAs_withoutARuntimeBinder_saysWhatIsMissing() {
        assertEquals("hi", IncomingEvent.of("1", "hi").payloadAs(String.class));
        assertNull(IncomingEvent.of("1", null).payloadAs(Message.class));
        Map<String, Object> payload = new LinkedHashMap<>(Map.of("text", "hi"));
        IllegalStateException e = assertThrows(IllegalStateException.class,
            () -> IncomingEvent.of("1", payload).payloadAs(Message.class));
        assertTrue(e.getMessage().startsWith("No PayloadBinder on the class path"), e.getMessage());
        assertEquals(new Message("hi"), IncomingEvent.of("1", payload, new io.switchboard.api.spi.PayloadBinder() {
            @Override
            public <T> T bind(Object p, Class<T> type) {
                return type.cast(new Message(String.valueOf(((Map<?, ?>) p).get("text"))));
            }
        }).payloadAs(Message.class));
    }
}
