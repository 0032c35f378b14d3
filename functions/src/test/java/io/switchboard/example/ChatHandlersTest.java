package io.switchboard.example;

import io.switchboard.api.IncomingEvent;
import io.switchboard.api.OutgoingEvent;
import io.switchboard.api.SubscribeContext;
import io.switchboard.api.SubscribeDecision;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The chat handlers as plain Java: no AWS, no engine, no JSON. */
class ChatHandlersTest {
    private final ChatHandlers chat = new ChatHandlers(Clock.fixed(Instant.parse("2026-03-01T12:00:00.123456Z"), ZoneOffset.UTC));

    @Test
    void cleanMessage_isStampedWithTheServerTime_keepingItsFields() {
        Object out = chat.moderate(IncomingEvent.of("1", Map.of("text", "hello room", "from", "bob")));
        assertEquals(Map.of("text", "hello room", "from", "bob", "serverTime", "2026-03-01T12:00:00.123Z"), out);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
        buy cheap SPAM now     | true
        it's a scam!           | true
        phishing-kit           | true
        spammy but fine        | false
        escamotage             | false
        hello                  | false
        """)
    void bannedWords_areWholeWords_caseInsensitive(String text, boolean rejected) {
        Object out = chat.moderate(IncomingEvent.of("7", Map.of("text", text)));
        if (rejected) {
            assertEquals(OutgoingEvent.error("7", "message rejected by moderation"), out);
        } else {
            assertEquals(text, ((Map<?, ?>) out).get("text"));
        }
    }

    @Test
    void nonObjectPayloads_areModeratedButNotStamped() {
        assertEquals(OutgoingEvent.error("1", "message rejected by moderation"), chat.moderate(IncomingEvent.of("1", "spam")));
        assertEquals("hi", chat.moderate(IncomingEvent.of("2", "hi")));
        assertEquals(List.of(1, 2), chat.moderate(IncomingEvent.of("3", List.of(1, 2))));
    }

    private static SubscribeContext.Builder privateChannel(String owner) {
        return SubscribeContext.builder().channel("/chat/private/" + owner);
    }

    @Test
    void privateChannel_apiKeyCaller_isIdentifiedByTheXUserIdHeader() {
        assertEquals(SubscribeDecision.allow(), chat.onlyOwner(privateChannel("bob").header("x-user-id", "bob").build()));
        assertEquals(SubscribeDecision.allow(), chat.onlyOwner(privateChannel("bob").header("X-User-Id", "bob").build()));
        assertEquals(SubscribeDecision.deny("private channel"),
            chat.onlyOwner(privateChannel("bob").header("x-user-id", "alice").build()));
        assertEquals(SubscribeDecision.deny("private channel"), chat.onlyOwner(privateChannel("bob").build()));
    }

    @Test
    void privateChannel_lambdaCaller_isIdentifiedByTheHandlerContext_notByHeaders() {
        assertEquals(SubscribeDecision.allow(),
            chat.onlyOwner(privateChannel("bob").handlerContext(Map.of("userId", "bob")).build()));
        assertEquals(SubscribeDecision.deny("private channel"), chat.onlyOwner(privateChannel("bob")
            .handlerContext(Map.of("userId", "eve")).header("x-user-id", "bob").build()));
    }

    @Test
    void wildcardOverPrivateChannels_isDenied() {
        assertEquals(SubscribeDecision.deny("private channel"),
            chat.onlyOwner(SubscribeContext.builder().channel("/chat/private/*").header("x-user-id", "bob").build()));
        assertEquals("/chat/* would include private channels; subscribe to /chat/rooms/* instead",
            chat.notEveryonesPrivateChannels(SubscribeContext.builder().channel("/chat/*").build()).message());
        assertEquals(SubscribeDecision.allow(),
            chat.notEveryonesPrivateChannels(SubscribeContext.builder().channel("/chat/rooms/*").build()));
    }
}
