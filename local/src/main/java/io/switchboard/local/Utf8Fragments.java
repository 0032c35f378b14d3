package io.switchboard.local;

import java.util.ArrayList;
import java.util.List;

/** Splits text into pieces whose UTF-8 encoding fits a frame, never inside a character. */
final class Utf8Fragments {

    private Utf8Fragments() {
    }

    static List<String> split(String text, int maxBytes) {
        if ((long) text.length() * 3 <= maxBytes) {
            return List.of(text); // no UTF-16 unit takes more than three bytes: the common, short message
        }
        List<String> pieces = new ArrayList<>();
        int start = 0;
        int bytes = 0;
        int i = 0;
        while (i < text.length()) {
            int codePoint = text.codePointAt(i);
            int size = codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;
            if (bytes + size > maxBytes) {
                pieces.add(text.substring(start, i));
                start = i;
                bytes = 0;
            }
            bytes += size;
            i += Character.charCount(codePoint);
        }
        pieces.add(text.substring(start));
        return pieces;
    }
}
