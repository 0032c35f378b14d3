package io.switchboard.local;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Percent-decoding for paths and queries ({@code +} stays {@code +}), and a UTF-8 check. */
final class Text {

    private Text() {
    }

    /** Decodes {@code %XX} escapes as UTF-8; a malformed escape is kept as it is. */
    static String percentDecode(String value) {
        if (value.indexOf('%') < 0) {
            return value;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(value.length());
        int i = 0;
        while (i < value.length()) {
            char c = value.charAt(i);
            if (c == '%' && hex(value, i + 1) >= 0 && hex(value, i + 2) >= 0) {
                out.write(hex(value, i + 1) << 4 | hex(value, i + 2));
                i += 3;
                continue;
            }
            int end = i + Character.charCount(value.codePointAt(i));
            out.writeBytes(value.substring(i, end).getBytes(StandardCharsets.UTF_8));
            i = end;
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static int hex(String value, int index) {
        return index < value.length() ? Character.digit(value.charAt(index), 16) : -1;
    }

    static boolean isUtf8(byte[] bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }
}
