package dev.berth.cli.output;

/**
 * Go's {@code json.Indent(dst, src, "", indent)}: re-lays out JSON text without re-encoding it,
 * so numbers, escapes and key order stay exactly as the daemon sent them (docker's inspect
 * output does this to the daemon's raw bodies). Empty {@code {}} and {@code []} stay on one line.
 */
public final class JsonIndent {
    private JsonIndent() {}

    public static String indent(String json, String indent) {
        StringBuilder out = new StringBuilder(json.length() * 2);
        int depth = 0;
        boolean inString = false;
        boolean needNewline = false; // an opening bracket waits to see whether it is empty
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            if (inString) {
                out.append(c);
                if (c == '\\' && i + 1 < json.length()) {
                    out.append(json.charAt(++i));
                } else if (c == '"') {
                    inString = false;
                }
                continue;
            }
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
                continue;
            }
            if (needNewline && c != ']' && c != '}') {
                needNewline = false;
                newline(out, indent, depth);
            }
            switch (c) {
                case '{', '[' -> {
                    out.append(c);
                    depth++;
                    needNewline = true;
                }
                case '}', ']' -> {
                    depth--;
                    if (needNewline) {
                        needNewline = false; // empty: stays "{}"
                    } else {
                        newline(out, indent, depth);
                    }
                    out.append(c);
                }
                case ',' -> {
                    out.append(c);
                    newline(out, indent, depth);
                }
                case ':' -> out.append(": ");
                case '"' -> {
                    inString = true;
                    out.append(c);
                }
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    private static void newline(StringBuilder out, String indent, int depth) {
        out.append('\n');
        for (int i = 0; i < depth; i++) {
            out.append(indent);
        }
    }
}
