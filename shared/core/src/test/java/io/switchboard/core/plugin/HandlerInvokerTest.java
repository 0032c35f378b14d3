package io.switchboard.core.plugin;

import io.switchboard.api.HandlerException;
import io.switchboard.api.IncomingEvent;
import io.switchboard.api.OutgoingEvent;
import io.switchboard.api.PublishContext;
import io.switchboard.api.SubscribeContext;
import io.switchboard.api.SubscribeDecision;
import io.switchboard.api.UnauthorizedException;
import io.switchboard.api.spi.PublishRoute;
import io.switchboard.api.spi.SubscribeRoute;
import io.switchboard.core.plugin.HandlerInvoker.Outcome;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

class HandlerInvokerTest {
    private static final PublishContext THREE = PublishContext.builder().channel("/chat/rooms/1")
        .event("a", Map.of("text", "one")).event("b", "two").event("c", 3).build();

    private static List<Outcome> perEvent(PublishRoute.PerEvent handler) {
        return HandlerInvoker.publish(PublishRoute.perEvent("/chat/*", "Test#perEvent", handler), THREE);
    }

    private static List<Outcome> aggregate(PublishRoute.Aggregate handler) {
        return HandlerInvoker.publish(PublishRoute.aggregate("/chat/*", "Test#aggregate", handler), THREE);
    }

    private static Outcome broadcast(Object payload) {
        return Outcome.broadcast(payload);
    }

    @Test
    void perEvent_payloadDropOrError_perEvent() {
        List<Outcome> outcomes = perEvent((event, ctx) -> switch (event.id()) {
            case "a" -> Map.of("text", "ONE");
            case "b" -> OutgoingEvent.drop();
            default -> OutgoingEvent.error(event.id(), "too numeric");
        });
        assertEquals(List.of(broadcast(Map.of("text", "ONE")), Outcome.DROPPED, Outcome.error("too numeric")), outcomes);
    }

    @Test
    void perEvent_nullDrops_andOutgoingEventWithTheSameIdCarriesItsPayload() {
        List<Outcome> outcomes = perEvent((event, ctx) -> event.id().equals("a") ? null : event.withPayload(List.of(event.id())));
        assertEquals(List.of(Outcome.DROPPED, broadcast(List.of("b")), broadcast(List.of("c"))), outcomes);
    }

    @Test
    void perEvent_outgoingEventForAnotherId_failsTheWholePublish() {
        HandlerFailure f = assertThrows(HandlerFailure.class, () -> perEvent((event, ctx) -> OutgoingEvent.of("zzz", 1)));
        assertEquals(HandlerFailure.Kind.FAILED, f.kind());
        assertEquals("The onPublish handler for /chat/* returned an event with id 'zzz' for the event with id 'a'", f.getMessage());
    }

    @Test
    void aggregate_filterTransformAndError_inAnyOrder_leftOutEventsAreDropped() {
        List<Outcome> outcomes = aggregate(ctx -> List.of(
            OutgoingEvent.error("c", "no numbers"),
            OutgoingEvent.of("a", "ONE")));
        assertEquals(List.of(broadcast("ONE"), Outcome.DROPPED, Outcome.error("no numbers")), outcomes);
    }

    @Test
    void aggregate_forwardAll_nullEntriesIgnored_nullListDropsAll() {
        List<OutgoingEvent> all = new ArrayList<>(Arrays.asList(null, OutgoingEvent.drop()));
        THREE.events().forEach(e -> all.add(e.forward()));
        assertEquals(List.of(broadcast(Map.of("text", "one")), broadcast("two"), broadcast(3)), aggregate(ctx -> all));
        assertEquals(List.of(Outcome.DROPPED, Outcome.DROPPED, Outcome.DROPPED), aggregate(ctx -> null));
        assertEquals(List.of(Outcome.DROPPED, Outcome.DROPPED, Outcome.DROPPED), aggregate(ctx -> List.of()));
    }

    @Test
    void aggregate_unknownOrDuplicateId_failsTheWholePublishWithAClearMessage() {
        HandlerFailure unknown = assertThrows(HandlerFailure.class, () -> aggregate(ctx -> List.of(OutgoingEvent.of("x", 1))));
        assertEquals(HandlerFailure.Kind.FAILED, unknown.kind());
        assertEquals("The onPublish handler for /chat/* returned an event with id 'x', which is not one of the "
            + "published events' ids", unknown.getMessage());
        HandlerFailure duplicate = assertThrows(HandlerFailure.class,
            () -> aggregate(ctx -> List.of(OutgoingEvent.of("a", 1), OutgoingEvent.error("a", "e"))));
        assertEquals("The onPublish handler for /chat/* returned the event with id 'a' more than once", duplicate.getMessage());
    }

    @Test
    void publish_exceptions_becomeFailuresOfTheWholeRequest_withoutInternals() {
        HandlerFailure unauthorized = assertThrows(HandlerFailure.class, () -> perEvent((e, c) -> {
            throw new UnauthorizedException();
        }));
        assertEquals(HandlerFailure.Kind.UNAUTHORIZED, unauthorized.kind());
        assertEquals("Unauthorized", unauthorized.getMessage());

        HandlerFailure rejected = assertThrows(HandlerFailure.class, () -> aggregate(c -> {
            throw new HandlerException("rooms are closed tonight");
        }));
        assertEquals(HandlerFailure.Kind.REJECTED, rejected.kind());
        assertEquals("rooms are closed tonight", rejected.getMessage());

        HandlerFailure crashed = assertThrows(HandlerFailure.class, () -> perEvent((e, c) -> {
            throw new IllegalStateException("db password is hunter2");
        }));
        assertEquals(HandlerFailure.Kind.FAILED, crashed.kind());
        assertEquals("There was an error processing the message", crashed.getMessage());
        assertEquals(0, crashed.getStackTrace().length, "the failure carries no stack of its own");

        HandlerFailure checked = assertThrows(HandlerFailure.class, () -> aggregate(c -> {
            throw new java.io.IOException("disk");
        }));
        assertEquals(HandlerFailure.Kind.FAILED, checked.kind());
        HandlerFailure overflow = assertThrows(HandlerFailure.class, () -> perEvent(HandlerInvokerTest::recurse));
        assertEquals(HandlerFailure.Kind.FAILED, overflow.kind());
    }

    private static Object recurse(IncomingEvent e, PublishContext c) {
        return recurse(e, c);
    }

    @Test
    void perEvent_handlerSeesTheContextAndSharesTheStash() {
        List<String> seen = new ArrayList<>();
        perEvent((event, ctx) -> {
            ctx.stash().merge("count", 1, (a, b) -> (Integer) a + (Integer) b);
            seen.add(ctx.channel() + " " + ctx.namespace() + " " + ctx.operation() + " " + event.id() + " " + ctx.stash().get("count"));
            return event.payload();
        });
        assertEquals(List.of("/chat/rooms/1 chat PUBLISH a 1", "/chat/rooms/1 chat PUBLISH b 2",
            "/chat/rooms/1 chat PUBLISH c 3"), seen);
    }

    // ------------------------------------------------------------------ subscribe

    private static final SubscribeContext SUB = SubscribeContext.builder().channel("/chat/private/bob").build();

    private static void subscribe(SubscribeRoute.Handler handler) {
        HandlerInvoker.subscribe(SubscribeRoute.of("/chat/private/*", "Test#subscribe", handler), SUB);
    }

    @Test
    void subscribe_allowReturnsNormally_denyAndExceptionsAreFailures() {
        subscribe(ctx -> SubscribeDecision.allow());

        HandlerFailure denied = assertThrows(HandlerFailure.class, () -> subscribe(ctx -> SubscribeDecision.deny("private channel")));
        assertEquals(HandlerFailure.Kind.DENIED, denied.kind());
        assertEquals("private channel", denied.getMessage());

        HandlerFailure unauthorized = assertThrows(HandlerFailure.class, () -> subscribe(ctx -> {
            throw new UnauthorizedException("not you");
        }));
        assertEquals(HandlerFailure.Kind.UNAUTHORIZED, unauthorized.kind());
        assertEquals("not you", unauthorized.getMessage());

        HandlerFailure rejected = assertThrows(HandlerFailure.class, () -> subscribe(ctx -> {
            throw new HandlerException("maintenance");
        }));
        assertEquals(HandlerFailure.Kind.REJECTED, rejected.kind());

        HandlerFailure crashed = assertThrows(HandlerFailure.class, () -> subscribe(ctx -> {
            throw new NullPointerException("secret internals");
        }));
        assertEquals(HandlerFailure.Kind.FAILED, crashed.kind());
        assertEquals("There was an error processing the operation", crashed.getMessage());
        assertFalse(crashed.getMessage().contains("secret"));

        HandlerFailure nothing = assertThrows(HandlerFailure.class, () -> subscribe(ctx -> null));
        assertEquals(HandlerFailure.Kind.FAILED, nothing.kind());
    }
}
