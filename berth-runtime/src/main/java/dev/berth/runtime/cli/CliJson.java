package dev.berth.runtime.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.berth.oci.BerthException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The CLI's only JSON code, kept in one place so that it can be swapped for berth's shared codec
 * ({@code dev.berth.oci.json.Json}) once that lands. JSON is handled as a plain tree: objects are
 * insertion-ordered {@code Map<String, Object>}, arrays {@code List<Object>}, numbers
 * {@code Long} (or {@code BigInteger} / {@code Double} when they do not fit), plus
 * {@code String}, {@code Boolean} and {@code null}.
 *
 * <p>Reading uses jackson-core's streaming parser. Writing is done here by hand because runc's
 * output is Go's encoding/json and engines compare it byte for byte: {@code "key": value} in
 * indented output, {@code <>&} escaped as {@code \u003c}-style sequences.
 */
final class CliJson {
    private CliJson() {}

    /** Parses one JSON document; {@code what} names the source in error messages. */
    static Object parse(String text, String what) {
        try (JsonParser parser = new JsonFactory().createParser(text)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                throw BerthException.invalid(what + ": empty document");
            }
            Object value = read(parser, first);
            if (parser.nextToken() != null) {
                throw BerthException.invalid(what + ": trailing data after the JSON document");
            }
            return value;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw BerthException.invalid(what + ": invalid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw BerthException.invalid(what + ": cannot read JSON: " + e.getMessage());
        }
    }

    private static Object read(JsonParser parser, JsonToken token) throws IOException {
        switch (token) {
            case START_OBJECT: {
                Map<String, Object> object = new LinkedHashMap<>();
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String name = parser.currentName();
                    object.put(name, read(parser, parser.nextToken()));
                }
                return object;
            }
            case START_ARRAY: {
                List<Object> array = new ArrayList<>();
                JsonToken next;
                while ((next = parser.nextToken()) != JsonToken.END_ARRAY) {
                    array.add(read(parser, next));
                }
                return array;
            }
            case VALUE_STRING:
                return parser.getText();
            case VALUE_NUMBER_INT:
                return parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER ? parser.getBigIntegerValue() : (Object) parser.getLongValue();
            case VALUE_NUMBER_FLOAT:
                return parser.getDoubleValue();
            case VALUE_TRUE:
                return Boolean.TRUE;
            case VALUE_FALSE:
                return Boolean.FALSE;
            case VALUE_NULL:
                return null;
            default:
                throw new IOException("unexpected token " + token);
        }
    }

    /** Go's json.Marshal: compact, no trailing newline. */
    static String compact(Object value) {
        StringBuilder out = new StringBuilder(256);
        write(out, value, null, "");
        return out.toString();
    }

    /** Go's json.MarshalIndent(v, "", "  "): two-space indent, no trailing newline. */
    static String indented(Object value) {
        StringBuilder out = new StringBuilder(256);
        write(out, value, "  ", "");
        return out.toString();
    }

    private static void write(StringBuilder out, Object value, String indent, String prefix) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof String s) {
            string(out, s);
        } else if (value instanceof Boolean || value instanceof Number) {
            out.append(value);
        } else if (value instanceof Map<?, ?> map) {
            object(out, map, indent, prefix);
        } else if (value instanceof List<?> list) {
            array(out, list, indent, prefix);
        } else {
            throw new IllegalArgumentException("not a JSON value: " + value.getClass().getName());
        }
    }

    private static void object(StringBuilder out, Map<?, ?> map, String indent, String prefix) {
        if (map.isEmpty()) {
            out.append("{}");
            return;
        }
        String inner = indent == null ? prefix : prefix + indent;
        out.append('{');
        boolean first = true;
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            if (!first) {
                out.append(',');
            }
            first = false;
            newline(out, indent, inner);
            string(out, (String) entry.getKey());
            out.append(indent == null ? ":" : ": ");
            write(out, entry.getValue(), indent, inner);
        }
        newline(out, indent, prefix);
        out.append('}');
    }

    private static void array(StringBuilder out, List<?> list, String indent, String prefix) {
        if (list.isEmpty()) {
            out.append("[]");
            return;
        }
        String inner = indent == null ? prefix : prefix + indent;
        out.append('[');
        for (int i = 0; i < list.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            newline(out, indent, inner);
            write(out, list.get(i), indent, inner);
        }
        newline(out, indent, prefix);
        out.append(']');
    }

    private static void newline(StringBuilder out, String indent, String prefix) {
        if (indent != null) {
            out.append('\n').append(prefix);
        }
    }

    /** Quotes a string as Go's encoder does (HTML-safe, U+2028/2029 escaped). */
    static void string(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c == '<' || c == '>' || c == '&' || c == '\u2028' || c == '\u2029') {
                        out.append("\\u");
                        String hex = Integer.toHexString(c);
                        for (int pad = hex.length(); pad < 4; pad++) {
                            out.append('0');
                        }
                        out.append(hex);
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
