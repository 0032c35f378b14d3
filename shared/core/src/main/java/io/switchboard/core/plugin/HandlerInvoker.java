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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Calls a handler and applies AppSync's handler semantics to what it returns (protocol.md §6.3–6.4), independent
 * of transport: the engine and the direct-Lambda function both use it. Returned ids must be incoming ids, each at
 * most once; {@code {id, error}} items are reported, not broadcast; events a handler leaves out are dropped. An
 * exception from user code is logged here with the handler's name and becomes a {@link HandlerFailure} whose
 * message reveals nothing about it.
 */
public final class HandlerInvoker {
    private static final Logger LOG = LoggerFactory.getLogger(HandlerInvoker.class);
    static final String PUBLISH_FAILED = "There was an error processing the message";
    static final String SUBSCRIBE_FAILED = "There was an error processing the operation";

    /** What becomes of one incoming event. */
    public record Outcome(Status status, Object payload, String error) {
        public enum Status { BROADCAST, DROPPED, ERROR }

        static final Outcome DROPPED = new Outcome(Status.DROPPED, null, null);

        static Outcome broadcast(Object payload) {
            return new Outcome(Status.BROADCAST, payload, null);
        }

        static Outcome error(String message) {
            return new Outcome(Status.ERROR, null, message);
        }
    }

    private HandlerInvoker() {}

    /**
     * Runs a publish handler over the context's events.
     *
     * @return one outcome per incoming event, in the events' order
     * @throws HandlerFailure when the whole publish must fail
     */
    public static List<Outcome> publish(PublishRoute route, PublishContext context) {
        try {
            return route.isAggregate() ? aggregate(route, context) : perEvent(route, context);
        } catch (UnauthorizedException e) {
            throw new HandlerFailure(HandlerFailure.Kind.UNAUTHORIZED, messageOr(e, "Unauthorized"), e);
        } catch (HandlerException e) {
            throw new HandlerFailure(HandlerFailure.Kind.REJECTED, messageOr(e, "Rejected by the publish handler"), e);
        } catch (HandlerFailure e) {
            throw e;
        } catch (Exception | LinkageError | StackOverflowError e) {
            // user code: log it whole here, answer the client with nothing of it
            LOG.error("onPublish handler {} failed on channel {}", route.source(), context.channel(), e);
            throw new HandlerFailure(HandlerFailure.Kind.FAILED, PUBLISH_FAILED, e);
        }
    }

    private static List<Outcome> perEvent(PublishRoute route, PublishContext context) throws Exception {
        List<IncomingEvent> events = context.events();
        List<Outcome> outcomes = new ArrayList<>(events.size());
        for (IncomingEvent event : events) {
            Object result = route.perEvent().handle(event, context);
            if (result == null) {
                outcomes.add(Outcome.DROPPED);
            } else if (result instanceof OutgoingEvent out) {
                if (out.isDrop()) {
                    outcomes.add(Outcome.DROPPED);
                    continue;
                }
                if (!out.id().equals(event.id())) {
                    throw contract(route, "The onPublish handler for " + route.pattern() + " returned an event with id '"
                        + out.id() + "' for the event with id '" + event.id() + "'");
                }
                outcomes.add(out.isError() ? Outcome.error(out.error()) : Outcome.broadcast(out.payload()));
            } else {
                outcomes.add(Outcome.broadcast(result));
            }
        }
        return outcomes;
    }

    private static List<Outcome> aggregate(PublishRoute route, PublishContext context) throws Exception {
        List<IncomingEvent> events = context.events();
        Collection<? extends OutgoingEvent> returned = route.aggregate().handle(context);
        List<Outcome> outcomes = new ArrayList<>(events.size());
        for (int i = 0; i < events.size(); i++) {
            outcomes.add(Outcome.DROPPED);
        }
        if (returned == null) {
            return outcomes;
        }
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < events.size(); i++) {
            index.put(events.get(i).id(), i);
        }
        boolean[] seen = new boolean[events.size()];
        for (OutgoingEvent out : returned) {
            if (out == null || out.isDrop()) {
                continue; // AppSync ignores null entries
            }
            Integer i = index.get(out.id());
            if (i == null) {
                throw contract(route, "The onPublish handler for " + route.pattern() + " returned an event with id '"
                    + out.id() + "', which is not one of the published events' ids");
            }
            if (seen[i]) {
                throw contract(route, "The onPublish handler for " + route.pattern() + " returned the event with id '"
                    + out.id() + "' more than once");
            }
            seen[i] = true;
            outcomes.set(i, out.isError() ? Outcome.error(out.error()) : Outcome.broadcast(out.payload()));
        }
        return outcomes;
    }

    /**
     * Runs a subscribe handler.
     *
     * @throws HandlerFailure when the subscription is refused or the handler failed
     */
    public static void subscribe(SubscribeRoute route, SubscribeContext context) {
        SubscribeDecision decision;
        try {
            decision = route.handler().handle(context);
        } catch (UnauthorizedException e) {
            throw new HandlerFailure(HandlerFailure.Kind.UNAUTHORIZED, messageOr(e, "Unauthorized"), e);
        } catch (HandlerException e) {
            throw new HandlerFailure(HandlerFailure.Kind.REJECTED, messageOr(e, "Rejected by the subscribe handler"), e);
        } catch (Exception | LinkageError | StackOverflowError e) {
            LOG.error("onSubscribe handler {} failed on channel {}", route.source(), context.channel(), e);
            throw new HandlerFailure(HandlerFailure.Kind.FAILED, SUBSCRIBE_FAILED, e);
        }
        if (decision == null) {
            LOG.error("onSubscribe handler {} returned null; return SubscribeDecision.allow() or deny(message)", route.source());
            throw new HandlerFailure(HandlerFailure.Kind.FAILED, SUBSCRIBE_FAILED, null);
        }
        if (!decision.allowed()) {
            throw new HandlerFailure(HandlerFailure.Kind.DENIED, decision.message(), null);
        }
    }

    private static HandlerFailure contract(PublishRoute route, String message) {
        LOG.error("onPublish handler {}: {}", route.source(), message);
        return new HandlerFailure(HandlerFailure.Kind.FAILED, message, null);
    }

    private static String messageOr(RuntimeException e, String fallback) {
        return e.getMessage() == null || e.getMessage().isEmpty() ? fallback : e.getMessage();
    }
}
