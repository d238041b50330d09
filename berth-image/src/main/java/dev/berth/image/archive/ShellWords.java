package dev.berth.image.archive;

import dev.berth.oci.BerthException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The word rules of Dockerfile arguments (the subset {@code docker import --change} and
 * {@code docker commit --change} use): words split on unquoted blanks; single quotes are literal;
 * double quotes allow {@code $} and backslash escapes; a backslash outside quotes escapes the next
 * character; {@code $NAME}, {@code ${NAME}}, {@code ${NAME:-word}}, {@code ${NAME:+word}},
 * {@code ${NAME-word}} and {@code ${NAME+word}} expand from the environment built so far.
 */
final class ShellWords {
    private ShellWords() {
    }

    /** Splits on unquoted blanks, keeping each word's quotes and escapes as written. */
    static List<String> splitRaw(String text) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        char quote = 0;
        boolean inWord = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quote == 0 && Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
                continue;
            }
            inWord = true;
            word.append(c);
            if (c == '\\' && quote != '\'' && i + 1 < text.length()) {
                word.append(text.charAt(++i));
            } else if (quote == 0 && (c == '\'' || c == '"')) {
                quote = c;
            } else if (c == quote) {
                quote = 0;
            }
        }
        if (inWord) {
            words.add(word.toString());
        }
        return words;
    }

    /** One word with its quotes removed and variables expanded. */
    static String process(String word, Map<String, String> env) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < word.length()) {
            char c = word.charAt(i);
            if (c == '\'') {
                int end = word.indexOf('\'', i + 1);
                if (end < 0) {
                    throw BerthException.invalid("unexpected end of statement while looking for matching single-quote");
                }
                out.append(word, i + 1, end);
                i = end + 1;
            } else if (c == '"') {
                i++;
                while (true) {
                    if (i >= word.length()) {
                        throw BerthException.invalid("unexpected end of statement while looking for matching double-quote");
                    }
                    char d = word.charAt(i);
                    if (d == '"') {
                        i++;
                        break;
                    }
                    if (d == '\\' && i + 1 < word.length() && "\"\\$".indexOf(word.charAt(i + 1)) >= 0) {
                        out.append(word.charAt(i + 1));
                        i += 2;
                    } else if (d == '$') {
                        i = expand(word, i, env, out);
                    } else {
                        out.append(d);
                        i++;
                    }
                }
            } else if (c == '\\') {
                if (i + 1 < word.length()) {
                    out.append(word.charAt(i + 1));
                }
                i += 2;
            } else if (c == '$') {
                i = expand(word, i, env, out);
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    /** Every word of {@code text}, processed. */
    static List<String> processAll(String text, Map<String, String> env) {
        List<String> out = new ArrayList<>();
        for (String raw : splitRaw(text)) {
            out.add(process(raw, env));
        }
        return out;
    }

    /** Expands the variable at {@code word[at] == '$'}; returns the index after it. */
    private static int expand(String word, int at, Map<String, String> env, StringBuilder out) {
        int i = at + 1;
        if (i >= word.length()) {
            out.append('$');
            return i;
        }
        if (word.charAt(i) == '{') {
            int close = word.indexOf('}', i);
            if (close < 0) {
                throw BerthException.invalid("missing '}' in processing of \"" + word + "\"");
            }
            String body = word.substring(i + 1, close);
            int nameEnd = 0;
            while (nameEnd < body.length() && isNameChar(body.charAt(nameEnd))) {
                nameEnd++;
            }
            String name = body.substring(0, nameEnd);
            if (name.isEmpty()) {
                throw BerthException.invalid("bad substitution in \"" + word + "\"");
            }
            String rest = body.substring(nameEnd);
            String value = env.get(name);
            if (rest.isEmpty()) {
                out.append(value == null ? "" : value);
            } else if (rest.startsWith(":-")) {
                out.append(value == null || value.isEmpty() ? process(rest.substring(2), env) : value);
            } else if (rest.startsWith(":+")) {
                out.append(value == null || value.isEmpty() ? "" : process(rest.substring(2), env));
            } else if (rest.startsWith("-")) {
                out.append(value == null ? process(rest.substring(1), env) : value);
            } else if (rest.startsWith("+")) {
                out.append(value == null ? "" : process(rest.substring(1), env));
            } else {
                throw BerthException.invalid("unsupported modifier (" + rest + ") in substitution of \"" + word + "\"");
            }
            return close + 1;
        }
        int end = i;
        while (end < word.length() && isNameChar(word.charAt(end))) {
            end++;
        }
        if (end == i) {
            out.append('$');
            return i;
        }
        String value = env.get(word.substring(i, end));
        out.append(value == null ? "" : value);
        return end;
    }

    private static boolean isNameChar(char c) {
        return c == '_' || Character.isLetterOrDigit(c);
    }
}
