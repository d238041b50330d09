package dev.berth.oci.json;

import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import java.util.HexFormat;

/**
 * String escapes as Go's {@code encoding/json} writes them, so that our output equals runc's:
 * {@code < > &} and U+2028/U+2029 become {@code \u003c}-style escapes (Go's HTML-safe default),
 * and control characters without a short form use lower-case hex ({@code \u001f}).
 */
final class GoStyleEscapes extends CharacterEscapes {
    private static final long serialVersionUID = 1L;

    private final int[] asciiEscapes;

    GoStyleEscapes() {
        int[] codes = standardAsciiEscapesForJSON();
        for (int c = 0; c < 0x20; c++) {
            if (codes[c] == ESCAPE_STANDARD) {
                codes[c] = ESCAPE_CUSTOM;
            }
        }
        codes['<'] = ESCAPE_CUSTOM;
        codes['>'] = ESCAPE_CUSTOM;
        codes['&'] = ESCAPE_CUSTOM;
        this.asciiEscapes = codes;
    }

    @Override
    public int[] getEscapeCodesForAscii() {
        return asciiEscapes;
    }

    @Override
    public SerializableString getEscapeSequence(int ch) {
        boolean escaped = ch < 0x20 || ch == '<' || ch == '>' || ch == '&' || ch == 0x2028 || ch == 0x2029;
        return escaped ? new SerializedString("\\u" + HexFormat.of().toHexDigits((char) ch)) : null;
    }
}
