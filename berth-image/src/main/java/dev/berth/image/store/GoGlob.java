package dev.berth.image.store;

import dev.berth.oci.BerthException;
import java.util.regex.Pattern;

/**
 * Go's {@code path.Match} patterns, which docker's {@code reference=} filter uses: {@code *}
 * any run of characters but '/', {@code ?} one character but '/', {@code [a-z]} and
 * {@code [^a-z]} classes, {@code \} escapes. Compiled once to a regex.
 */
final class GoGlob {
    private final Pattern regex;

    private GoGlob(Pattern regex) {
        this.regex = regex;
    }

    /** @throws BerthException INVALID_ARGUMENT "syntax error in pattern" as Go's ErrBadPattern */
    static GoGlob compile(String pattern) {
        StringBuilder re = new StringBuilder();
        int i = 0;
        int n = pattern.length();
        while (i < n) {
            char c = pattern.charAt(i);
            switch (c) {
                case '*' -> {
                    re.append("[^/]*");
                    i++;
                }
                case '?' -> {
                    re.append("[^/]");
                    i++;
                }
                case '\\' -> {
                    if (i + 1 >= n) {
                        throw bad();
                    }
                    re.append(Pattern.quote(String.valueOf(pattern.charAt(i + 1))));
                    i += 2;
                }
                case '[' -> i = charClass(pattern, i + 1, re);
                default -> {
                    re.append(Pattern.quote(String.valueOf(c)));
                    i++;
                }
            }
        }
        return new GoGlob(Pattern.compile(re.toString(), Pattern.DOTALL));
    }

    /** Reads a class starting after '['; returns the index after ']'. */
    private static int charClass(String p, int i, StringBuilder re) {
        int n = p.length();
        StringBuilder cls = new StringBuilder("[");
        if (i < n && p.charAt(i) == '^') {
            cls.append('^');
            i++;
        }
        boolean any = false;
        while (true) {
            if (i >= n) {
                throw bad();
            }
            if (p.charAt(i) == ']' && any) {
                break;
            }
            int[] lo = classChar(p, i);
            i = lo[1];
            if (i < n && p.charAt(i) == '-') {
                int[] hi = classChar(p, i + 1);
                if (hi[0] < lo[0]) {
                    throw bad();
                }
                i = hi[1];
                cls.append(escape(lo[0])).append('-').append(escape(hi[0]));
            } else {
                cls.append(escape(lo[0]));
            }
            any = true;
        }
        re.append(cls).append(']');
        return i + 1;
    }

    /** One character of a class: {c, next index}. */
    private static int[] classChar(String p, int i) {
        if (i >= p.length()) {
            throw bad();
        }
        char c = p.charAt(i);
        if (c == '-' || c == ']') {
            throw bad();
        }
        if (c == '\\') {
            if (i + 1 >= p.length()) {
                throw bad();
            }
            return new int[] {p.charAt(i + 1), i + 2};
        }
        return new int[] {c, i + 1};
    }

    private static String escape(int c) {
        return String.format("\\x{%x}", c);
    }

    private static BerthException bad() {
        return BerthException.invalid("syntax error in pattern");
    }

    boolean matches(String s) {
        return regex.matcher(s).matches();
    }
}
