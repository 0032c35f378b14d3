package io.switchboard.core.channel;

import com.code_intelligence.jazzer.junit.FuzzTest;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fuzzes the channel grammar. Input: a subscribe pattern and a publish channel separated by a newline. Properties:
 * only {@link InvalidChannelException} escapes a parse; parsing is idempotent ({@code parse(parse(x).value())}
 * equals {@code parse(x)}); {@code matches} agrees with {@link ChannelPath#matchingPatterns()}; a path's namespace
 * is its pattern's namespace whenever they match.
 *
 * <p>Seeds: {@code src/test/resources/io/switchboard/core/channel/ChannelFuzzTestInputs/parseAndMatch/}.
 */
class ChannelFuzzTest {

    @FuzzTest
    void parseAndMatch(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        int nl = text.indexOf('\n');
        String rawPattern = nl < 0 ? text : text.substring(0, nl);
        String rawPath = nl < 0 ? text : text.substring(nl + 1);

        ChannelPattern pattern = null;
        try {
            pattern = ChannelPattern.parse(rawPattern);
        } catch (InvalidChannelException e) {
            assertTrue(e.getMessage().startsWith("Invalid Channel Format"), e.getMessage());
        }
        ChannelPath path = null;
        try {
            path = ChannelPath.parse(rawPath);
        } catch (InvalidChannelException e) {
            assertTrue(e.getMessage().startsWith("Invalid Channel Format"), e.getMessage());
        }
        if (pattern != null) {
            ChannelPattern again = ChannelPattern.parse(pattern.value());
            assertEquals(pattern, again);
            assertEquals(pattern.value(), again.value());
            assertEquals(pattern.segments(), again.segments());
            assertEquals(pattern.wildcard(), again.wildcard());
            assertTrue(pattern.segments().size() >= 1 && pattern.segments().size() <= 5);
            if (!pattern.wildcard()) {
                // a concrete pattern is also a publishable path with the same canonical form
                assertEquals(pattern.value(), ChannelPath.parse(rawPattern).path());
            }
        }
        if (path != null) {
            ChannelPath again = ChannelPath.parse(path.path());
            assertEquals(path, again);
            assertEquals(path.path(), again.path());
            assertEquals(path.path(), ChannelPattern.parse(path.path()).value());
            assertTrue(ChannelPattern.parse(path.path()).matches(path), "a path matches itself");
            assertEquals(path.segments().size(), path.matchingPatterns().size());
            for (String p : path.matchingPatterns()) {
                assertTrue(ChannelPattern.parse(p).matches(path), p + " must match " + path);
            }
        }
        if (pattern != null && path != null) {
            boolean matches = pattern.matches(path);
            String why = pattern + " vs " + path + " / " + path.matchingPatterns();
            assertEquals(path.matchingPatterns().contains(pattern.value()), matches, why);
            if (matches) {
                assertEquals(pattern.namespace(), path.namespace());
            }
            if (!pattern.namespace().equals(path.namespace())) {
                assertFalse(matches);
            }
        }
    }
}
