package dev.berth.cli.format;

import java.util.List;

/** The part of Go's {@code fmt.Sprintf} templates use: %s %v %d %q %%, with a width. */
final class GoPrintf {
    private GoPrintf() {}

    static String format(String format, List<Object> args) {
        StringBuilder out = new StringBuilder();
        int next = 0;
        for (int i = 0; i < format.length(); i++) {
            char c = format.charAt(i);
            if (c != '%' || i + 1 >= format.length()) {
                out.append(c);
                continue;
            }
            int j = i + 1;
            boolean left = false;
            if (format.charAt(j) == '-') {
                left = true;
                j++;
            }
            int width = 0;
            while (j < format.length() && Character.isDigit(format.charAt(j))) {
                width = width * 10 + (format.charAt(j) - '0');
                j++;
            }
            if (j >= format.length()) {
                out.append(format, i, j);
                break;
            }
            char verb = format.charAt(j);
            i = j;
            if (verb == '%') {
                out.append('%');
                continue;
            }
            if (next >= args.size()) {
                out.append("%!").append(verb).append("(MISSING)");
                continue;
            }
            Object arg = args.get(next++);
            String text = switch (verb) {
                case 'q' -> GoValues.json(GoValues.print(arg), false);
                default -> GoValues.print(arg);
            };
            if (text.length() < width) {
                text = left ? text + " ".repeat(width - text.length()) : " ".repeat(width - text.length()) + text;
            }
            out.append(text);
        }
        if (next < args.size()) {
            out.append("%!(EXTRA ");
            for (int k = next; k < args.size(); k++) {
                out.append(k > next ? ", " : "").append(GoValues.goType(args.get(k))).append('=').append(GoValues.print(args.get(k)));
            }
            out.append(')');
        }
        return out.toString();
    }
}
