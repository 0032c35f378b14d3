package io.switchboard.core.channel;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class ChannelTest {

    private static final String SEG50 = "a" + "b".repeat(48) + "c";
    private static final String SEG51 = "a" + "b".repeat(49) + "c";

    /** Concrete channels valid for publish and subscribe, and their canonical form. */
    static Stream<Arguments> validChannels() {
        return Stream.of(
            arguments("/a", "/a"),
            arguments("a", "/a"),
            arguments("/a/", "/a"),
            arguments("a/", "/a"),
            arguments("/default/channel", "/default/channel"),
            arguments("default/channel", "/default/channel"),
            arguments("/a/b/c/d/e", "/a/b/c/d/e"),
            arguments("/a/b/c/d/e/", "/a/b/c/d/e"),
            arguments("/Default/Room-1/UPPER", "/Default/Room-1/UPPER"),
            arguments("/a-b/c--d/0-9", "/a-b/c--d/0-9"),
            arguments("/0/1/2", "/0/1/2"),
            arguments("/" + SEG50, "/" + SEG50),
            arguments("/" + String.join("/", SEG50, SEG50, SEG50, SEG50, SEG50) + "/",
                "/" + String.join("/", SEG50, SEG50, SEG50, SEG50, SEG50)));
    }

    @ParameterizedTest
    @MethodSource("validChannels")
    void pathParse_validChannel_normalisesSlashesAndKeepsCase(String raw, String canonical) {
        ChannelPath path = ChannelPath.parse(raw);
        assertEquals(canonical, path.path());
        assertEquals(canonical, path.toString());
        assertEquals(List.of(canonical.substring(1).split("/")), path.segments());
        assertEquals(path.segments().get(0), path.namespace());
    }

    @ParameterizedTest
    @MethodSource("validChannels")
    void patternParse_validChannel_isConcreteWithSameCanonicalForm(String raw, String canonical) {
        ChannelPattern pattern = ChannelPattern.parse(raw);
        assertEquals(canonical, pattern.value());
        assertFalse(pattern.wildcard());
        assertEquals(ChannelPath.parse(raw).segments(), pattern.segments());
    }

    /** Channels invalid for publish and subscribe, with a part of the message that says what is wrong. */
    static Stream<Arguments> invalidChannels() {
        return Stream.of(
            arguments(null, "channel is required"),
            arguments("", "has no segments"),
            arguments("/", "has no segments"),
            arguments("//", "has no segments"),
            arguments("/a/b/c/d/e/f", "has 6 segments; the maximum is 5"),
            arguments("default/1/2/3/4/5", "has 6 segments; the maximum is 5"),
            arguments("/default/" + SEG51, "segment 2 of '/default/" + SEG51 + "' is 51 characters long; the maximum is 50"),
            arguments("/a/" + "x".repeat(300), "characters long"),
            arguments("/a_b", "segment 'a_b' may only contain letters, digits and '-'"),
            arguments("/a/b.c", "segment 'b.c' may only contain letters, digits and '-'"),
            arguments("/a/b c", "segment 'b c' may only contain letters, digits and '-'"),
            arguments("/caf\u00e9", "segment 'caf?' may only contain letters, digits and '-'"),
            arguments("/a/\ud83d\ude00", "may only contain letters, digits and '-'"),
            arguments("/a/b\n", "may only contain letters, digits and '-'"),
            arguments("/a//b", "segment 2 of '/a//b' is empty"),
            arguments("//a", "segment 1 of '//a' is empty"),
            arguments("/a/b//", "segment 3 of '/a/b//' is empty"),
            arguments("/-a", "segment '-a' may not start or end with '-'"),
            arguments("/a/b-", "segment 'b-' may not start or end with '-'"),
            arguments("/-", "segment '-' may not start or end with '-'"),
            arguments("/a/*/b", "'*' is only allowed as the last segment"),
            arguments("/*/a", "'*' is only allowed as the last segment"),
            arguments("*", "needs a namespace before the wildcard"),
            arguments("/*", "needs a namespace before the wildcard"),
            arguments("/*/", "needs a namespace before the wildcard"),
            arguments("/a/b*", "segment 'b*' may only contain"),
            arguments("/a/**", "segment '**' may only contain"),
            arguments("/a/b/c/d/e/*", "has 6 segments; the maximum is 5"));
    }

    @ParameterizedTest
    @MethodSource("invalidChannels")
    void patternParse_invalidChannel_throwsSayingWhatIsWrong(String raw, String messagePart) {
        InvalidChannelException e = assertThrows(InvalidChannelException.class, () -> ChannelPattern.parse(raw));
        assertTrue(e.getMessage().startsWith("Invalid Channel Format: "), e.getMessage());
        assertTrue(e.getMessage().contains(messagePart), () -> "message '" + e.getMessage() + "' lacks '" + messagePart + "'");
    }

    @ParameterizedTest
    @MethodSource("invalidChannels")
    void pathParse_invalidChannel_throwsSayingWhatIsWrong(String raw, String messagePart) {
        InvalidChannelException e = assertThrows(InvalidChannelException.class, () -> ChannelPath.parse(raw));
        assertTrue(e.getMessage().startsWith("Invalid Channel Format: "), e.getMessage());
        assertTrue(e.getMessage().contains(messagePart), () -> "message '" + e.getMessage() + "' lacks '" + messagePart + "'");
    }

    @ParameterizedTest
    @CsvSource({
        "/a/*,          /a/*,       a",
        "a/*,           /a/*,       a",
        "/a/*/,         /a/*,       a",
        "/default/*,    /default/*, default",
        "/A/b/*,        /A/b/*,     A/b",
        "/a/b/c/d/*,    /a/b/c/d/*, a/b/c/d",
    })
    void patternParse_wildcardAsLastSegment_isAcceptedForSubscribe(String raw, String canonical, String prefix) {
        ChannelPattern pattern = ChannelPattern.parse(raw);
        assertTrue(pattern.wildcard());
        assertEquals(canonical, pattern.value());
        assertEquals(List.of(prefix.split("/")), pattern.segments());
        assertEquals(prefix.split("/")[0], pattern.namespace());
    }

    @ParameterizedTest
    @CsvSource({"/a/*", "a/*", "/default/*", "/a/b/c/d/*"})
    void pathParse_wildcard_isRejectedForPublish(String raw) {
        InvalidChannelException e = assertThrows(InvalidChannelException.class, () -> ChannelPath.parse(raw));
        assertEquals("Invalid Channel Format: cannot publish to a wildcard channel '" + raw + "'", e.getMessage());
    }

    @ParameterizedTest
    @CsvSource({
        // pattern,     channel,         matches
        "/a/*,          /a/b,            true",
        "/a/*,          /a/b/c,          true",
        "/a/*,          /a/b/c/d/e,      true",
        "/a/*,          /a,              false",
        "/a/*,          /ab/c,           false",
        "/a/*,          /A/b,            false",
        "/a/*,          /b/a,            false",
        "/default/*,    /defaultX/y,     false",
        "/default/*,    /default/x,      true",
        "/default/*,    /default/greetings/tutorial, true",
        "/a/b/*,        /a/b,            false",
        "/a/b/*,        /a/b/c,          true",
        "/a/b/*,        /a/b/c/d,        true",
        "/a/b/*,        /a/c/d,          false",
        "/a/b/*,        /a/bc/d,         false",
        "/a/b,          /a/b,            true",
        "/a/b,          a/b/,            true",
        "/a/b,          /a/B,            false",
        "/a/b,          /a/b/c,          false",
        "/a/b,          /a,              false",
        "/a,            /a,              true",
        "/a,            /a/b,            false",
    })
    void matches_patternAndChannel_followsMultiLevelWildcardRules(String pattern, String channel, boolean expected) {
        ChannelPattern p = ChannelPattern.parse(pattern);
        ChannelPath c = ChannelPath.parse(channel);
        assertEquals(expected, p.matches(c));
        // the store indexes by pattern value and looks up matchingPatterns(): both views must agree
        assertEquals(expected, c.matchingPatterns().contains(p.value()));
    }

    static Stream<Arguments> matchingPatterns() {
        return Stream.of(
            arguments("/a/b/c", List.of("/a/b/c", "/a/b/*", "/a/*")),
            arguments("/a", List.of("/a")),
            arguments("a/b/", List.of("/a/b", "/a/*")),
            arguments("/Ns/x/y/z/w", List.of("/Ns/x/y/z/w", "/Ns/x/y/z/*", "/Ns/x/y/*", "/Ns/x/*", "/Ns/*")));
    }

    @ParameterizedTest
    @MethodSource("matchingPatterns")
    void matchingPatterns_channel_listsExactThenAncestorWildcardsMostSpecificFirst(String channel, List<String> expected) {
        assertEquals(expected, ChannelPath.parse(channel).matchingPatterns());
    }

    @Test
    void equals_sameChannelWrittenDifferently_isEqualWithSameHash() {
        assertEquals(ChannelPath.parse("a/b/"), ChannelPath.parse("/a/b"));
        assertEquals(ChannelPath.parse("a/b/").hashCode(), ChannelPath.parse("/a/b").hashCode());
        assertNotEquals(ChannelPath.parse("/a/b"), ChannelPath.parse("/a/B"));
        assertEquals(ChannelPattern.parse("a/*/"), ChannelPattern.parse("/a/*"));
        assertEquals(ChannelPattern.parse("a/*/").hashCode(), ChannelPattern.parse("/a/*").hashCode());
        assertNotEquals(ChannelPattern.parse("/a/*"), ChannelPattern.parse("/a"));
    }
}
