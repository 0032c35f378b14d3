package io.switchboard.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class Utf8FragmentsTest {

    @ParameterizedTest
    @CsvSource({"abcdef, 4, 2", "abcd, 4, 1", "'', 4, 1", "ééé, 4, 2", "日本語, 4, 3", "a👋b👋, 5, 2", "a👋b👋, 4, 4"})
    void split_keepsCharactersWholeAndFramesWithinTheLimit(String text, int maxBytes, int pieces) {
        List<String> fragments = Utf8Fragments.split(text, maxBytes);
        assertEquals(pieces, fragments.size(), fragments.toString());
        assertEquals(text, String.join("", fragments));
        fragments.forEach(f -> assertTrue(f.getBytes(StandardCharsets.UTF_8).length <= maxBytes, f));
    }
}
