package io.switchboard.example;

import io.switchboard.api.ChannelNamespace;
import io.switchboard.api.IncomingEvent;
import io.switchboard.api.OnPublish;
import io.switchboard.api.OnSubscribe;
import io.switchboard.api.OutgoingEvent;
import io.switchboard.api.SubscribeContext;
import io.switchboard.api.SubscribeDecision;

import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The {@code chat} namespace.
 *
 * <ul>
 *   <li>Rooms ({@code /chat/rooms/<room>}): a message whose {@code text} contains a banned word is refused and
 *       reported to the publisher in {@code failed}; every other JSON object gets a {@code serverTime}
 *       (ISO-8601, UTC) before it is broadcast.</li>
 *   <li>Private channels ({@code /chat/private/<user>}): only {@code <user>} may subscribe — the
 *       {@code userId} of a Lambda-authorized caller, or for API key callers the {@code x-user-id} header (which
 *       the caller chooses: a demonstration, not a security boundary).</li>
 *   <li>{@code /chat/*} would include everyone's private channels, so that one wildcard is refused.</li>
 * </ul>
 */
@ChannelNamespace("chat")
public final class ChatHandlers {
    static final Set<String> BANNED_WORDS = Set.of("spam", "scam", "phishing");
    static final String REJECTED = "message rejected by moderation";

    private final Clock clock;

    public ChatHandlers() {
        this(Clock.systemUTC());
    }

    ChatHandlers(Clock clock) {
        this.clock = clock;
    }

    @OnPublish("/chat/rooms/*")
    public Object moderate(IncomingEvent event) {
        Object payload = event.payload();
        Object text = payload instanceof Map<?, ?> message ? message.get("text") : payload;
        if (text instanceof String s && containsBannedWord(s)) {
            return OutgoingEvent.error(event.id(), REJECTED);
        }
        if (!(payload instanceof Map<?, ?> message)) {
            return payload; // not an object: nothing to stamp
        }
        Map<String, Object> stamped = new LinkedHashMap<>();
        message.forEach((k, v) -> stamped.put(String.valueOf(k), v));
        stamped.put("serverTime", clock.instant().truncatedTo(ChronoUnit.MILLIS).toString());
        return stamped;
    }

    @OnSubscribe("/chat/private/*")
    public SubscribeDecision onlyOwner(SubscribeContext ctx) {
        List<String> segments = ctx.segments();
        String owner = segments.get(segments.size() - 1);
        String caller = ctx.identity() == null ? ctx.header("x-user-id") : ctx.handlerContext().get("userId");
        return owner.equals(caller) ? SubscribeDecision.allow() : SubscribeDecision.deny("private channel");
    }

    @OnSubscribe("/chat/*")
    public SubscribeDecision notEveryonesPrivateChannels(SubscribeContext ctx) {
        if (ctx.channel().equals("/chat/*")) {
            return SubscribeDecision.deny("/chat/* would include private channels; subscribe to /chat/rooms/* instead");
        }
        return SubscribeDecision.allow();
    }

    static boolean containsBannedWord(String text) {
        for (String word : text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
            if (BANNED_WORDS.contains(word)) {
                return true;
            }
        }
        return false;
    }
}
