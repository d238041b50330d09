package dev.berth.cli.output;

/** Go's string helpers that docker's formatters lean on: {@code strconv.Quote} and docker's {@code Ellipsis}. */
public final class GoText {
    private GoText() {}

    /**
     * docker's {@code formatter.Ellipsis}: at most {@code width} display columns, the last one
     * "…" when it had to cut. East Asian wide characters count two columns, as go-runewidth does.
     */
    public static String ellipsis(String s, int width) {
        if (width <= 0) {
            return "";
        }
        int[] runes = s.codePoints().toArray();
        if (width == 1) {
            return runes.length == 0 ? "" : new String(runes, 0, 1);
        }
        int total = 0;
        for (int r : runes) {
            total += columns(r);
        }
        if (total <= width) {
            return s;
        }
        StringBuilder out = new StringBuilder();
        int used = 0;
        for (int r : runes) {
            int w = columns(r);
            if (used + w > width - 1) {
                break;
            }
            out.appendCodePoint(r);
            used += w;
        }
        return out.append('…').toString();
    }

    private static int columns(int r) {
        // the wide blocks (CJK, Hangul, full-width forms); everything else one column
        return r >= 0x1100 && (r <= 0x115f || r == 0x2329 || r == 0x232a || r >= 0x2e80 && r <= 0xa4cf && r != 0x303f
                || r >= 0xac00 && r <= 0xd7a3 || r >= 0xf900 && r <= 0xfaff || r >= 0xfe30 && r <= 0xfe6f
                || r >= 0xff00 && r <= 0xff60 || r >= 0xffe0 && r <= 0xffe6 || r >= 0x1f300 && r <= 0x1f64f
                || r >= 0x20000 && r <= 0x3fffd) ? 2 : 1;
    }

    /** Go's {@code strconv.Quote}: double quotes, Go escapes, printable Unicode left as it is. */
    public static String quote(String s) {
        StringBuilder out = new StringBuilder("\"");
        s.codePoints().forEach(c -> {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case 7 -> out.append("\\a");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case 11 -> out.append("\\v");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        out.append(String.format("\\x%02x", c));
                    } else if (c == 0xfffd || !printable(c)) {
                        out.append(c < 0x10000 ? String.format("\\u%04x", c) : String.format("\\U%08x", c));
                    } else {
                        out.appendCodePoint(c);
                    }
                }
            }
        });
        return out.append('"').toString();
    }

    private static boolean printable(int c) {
        if (c < 0x80) {
            return true;
        }
        int type = Character.getType(c);
        return Character.isDefined(c) && type != Character.CONTROL && type != Character.FORMAT
                && type != Character.SURROGATE && type != Character.PRIVATE_USE && type != Character.LINE_SEPARATOR
                && type != Character.PARAGRAPH_SEPARATOR && (type != Character.SPACE_SEPARATOR || c == 0x3000);
    }
}
