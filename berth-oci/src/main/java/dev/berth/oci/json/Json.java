package dev.berth.oci.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamReadException;
import dev.berth.oci.BerthException;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A small JSON tree codec on the jackson-core streaming API (no databind, no reflection, so the
 * runtime CLI starts fast).
 *
 * <p>The tree is plain Java: objects are {@code LinkedHashMap<String, Object>} (key order kept),
 * arrays {@code ArrayList<Object>}, strings {@code String}, integers {@code Long} when they fit
 * and {@code BigInteger} beyond (so unsigned 64-bit values such as 18446744073709551615 survive),
 * other numbers {@code Double}, booleans {@code Boolean}, and JSON null is {@code null}.
 *
 * <p>Output is formatted the way Go's {@code encoding/json} does it, because the tools we must
 * match byte for byte (runc's {@code spec}, {@code state} and {@code features}) are Go programs:
 * {@code "key": value} with one space, {@code {}} and {@code []} for empty containers, no trailing
 * newline, and Go's escapes ({@code <}, {@code >}, {@code &} as {@code \u003c} etc.).
 */
public final class Json {
    private static final JsonFactory FACTORY = new JsonFactoryBuilder()
            .characterEscapes(new GoStyleEscapes())
            .build();

    private Json() {}

    /** Parses one JSON document; see the class comment for the tree it returns. */
    public static Object parse(String text) {
        return parse(text, "");
    }

    /**
     * Parses one JSON document whose errors are prefixed with {@code source}, e.g.
     * {@code config.json: malformed JSON at line 3, column 7: ...}.
     *
     * @throws BerthException INVALID_ARGUMENT on malformed JSON, trailing content or a repeated key
     */
    public static Object parse(String text, String source) {
        String prefix = source.isEmpty() ? "" : source + ": ";
        try (JsonParser parser = FACTORY.createParser(text)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                throw BerthException.invalid(prefix + "malformed JSON: empty document");
            }
            Object tree = readValue(parser, prefix);
            if (parser.nextToken() != null) {
                throw malformed(prefix, parser.currentTokenLocation(), "unexpected content after the document");
            }
            return tree;
        } catch (StreamReadException e) {
            throw malformed(prefix, e.getLocation(), describe(e));
        } catch (IOException e) {
            // a String source does no I/O; anything here is a bug
            throw BerthException.internal(prefix + "reading JSON failed", e);
        }
    }

    /** Writes the tree compactly, without whitespace. */
    public static String write(Object tree) {
        return render(tree, null);
    }

    /** Writes the tree indented by two spaces, as Go's {@code json.MarshalIndent(v, "", "  ")}. */
    public static String writePretty(Object tree) {
        return writeIndented(tree, "  ");
    }

    /** Writes the tree with one {@code indent} per level, as Go's {@code json.MarshalIndent(v, "", indent)}. */
    public static String writeIndented(Object tree, String indent) {
        return render(tree, indent);
    }

    /**
     * The tree value for an unsigned 64-bit number held in a {@code long}'s bits: a Long when it
     * is below 2^63, otherwise the BigInteger it stands for.
     */
    public static Object unsigned(long bits) {
        return bits >= 0 ? (Object) bits : new BigInteger(Long.toUnsignedString(bits));
    }

    /**
     * The map with its keys in the order Go's encoding/json writes map keys: sorted. (Go sorts by
     * UTF-8 bytes, Java by UTF-16 units; they differ only for keys mixing characters above
     * U+FFFF with ones in U+E000..U+FFFF.)
     */
    public static <V> Map<String, V> sortedByKey(Map<String, V> map) {
        return new TreeMap<>(map);
    }

    private static Object readValue(JsonParser parser, String prefix) throws IOException {
        return switch (parser.currentToken()) {
            case START_OBJECT -> readObject(parser, prefix);
            case START_ARRAY -> readArray(parser, prefix);
            case VALUE_STRING -> parser.getText();
            case VALUE_NUMBER_INT -> switch (parser.getNumberType()) {
                case INT, LONG -> parser.getLongValue();
                default -> parser.getBigIntegerValue();
            };
            case VALUE_NUMBER_FLOAT -> parser.getDoubleValue();
            case VALUE_TRUE -> Boolean.TRUE;
            case VALUE_FALSE -> Boolean.FALSE;
            case VALUE_NULL -> null;
            default -> throw malformed(prefix, parser.currentTokenLocation(), "unexpected " + parser.currentToken());
        };
    }

    private static Map<String, Object> readObject(JsonParser parser, String prefix) throws IOException {
        Map<String, Object> object = new LinkedHashMap<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String key = parser.currentName();
            JsonLocation at = parser.currentTokenLocation();
            parser.nextToken();
            // RFC 8259 leaves repeated keys undefined and parsers disagree on which one wins;
            // refusing them means berth never reads a config differently from the tool that wrote it
            if (object.containsKey(key)) {
                throw malformed(prefix, at, "duplicate key \"" + key + "\"");
            }
            object.put(key, readValue(parser, prefix));
        }
        return object;
    }

    private static List<Object> readArray(JsonParser parser, String prefix) throws IOException {
        List<Object> array = new ArrayList<>();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            array.add(readValue(parser, prefix));
        }
        return array;
    }

    private static BerthException malformed(String prefix, JsonLocation at, String detail) {
        String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
        return BerthException.invalid(prefix + "malformed JSON" + where + ": " + detail);
    }

    /** Jackson's own words, first line only, without its source excerpt, starting lower-case. */
    private static String describe(StreamReadException e) {
        String text = e.getOriginalMessage();
        if (text == null || text.isBlank()) {
            return "unreadable input";
        }
        int cut = text.indexOf('\n');
        if (cut >= 0) {
            text = text.substring(0, cut);
        }
        int source = text.indexOf(" (start marker at");
        if (source >= 0) {
            text = text.substring(0, source);
        }
        return Character.toLowerCase(text.charAt(0)) + text.substring(1);
    }

    private static String render(Object tree, String indent) {
        StringWriter out = new StringWriter();
        try (JsonGenerator gen = FACTORY.createGenerator(out)) {
            if (indent != null) {
                gen.setPrettyPrinter(new GoStylePrettyPrinter(indent));
            }
            writeValue(gen, tree);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        return out.toString();
    }

    // instanceof chains rather than a pattern switch: a type switch bootstraps an invokedynamic
    // call site on first use, which costs the CLI milliseconds at every start
    private static void writeValue(JsonGenerator gen, Object value) throws IOException {
        if (value == null) {
            gen.writeNull();
        } else if (value instanceof String s) {
            gen.writeString(s);
        } else if (value instanceof Boolean b) {
            gen.writeBoolean(b);
        } else if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            gen.writeNumber(((Number) value).longValue());
        } else if (value instanceof BigInteger b) {
            gen.writeNumber(b);
        } else if (value instanceof BigDecimal b) {
            gen.writeNumber(b);
        } else if (value instanceof Double || value instanceof Float) {
            writeDouble(gen, ((Number) value).doubleValue());
        } else if (value instanceof Map<?, ?> map) {
            gen.writeStartObject();
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                if (!(entry.getKey() instanceof String key)) {
                    throw BerthException.internal("JSON object key is not a string: " + entry.getKey());
                }
                gen.writeFieldName(key);
                writeValue(gen, entry.getValue());
            }
            gen.writeEndObject();
        } else if (value instanceof List<?> list) {
            gen.writeStartArray();
            for (Object element : list) {
                writeValue(gen, element);
            }
            gen.writeEndArray();
        } else {
            throw BerthException.internal("not a JSON tree value: " + value.getClass().getName());
        }
    }

    private static void writeDouble(JsonGenerator gen, double d) throws IOException {
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            throw BerthException.internal("JSON cannot hold " + d);
        }
        gen.writeNumber(d);
    }
}
