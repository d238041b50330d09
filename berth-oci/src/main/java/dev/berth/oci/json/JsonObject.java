package dev.berth.oci.json;

import dev.berth.oci.BerthException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * A JSON object from a {@link Json} tree, read field by field with typed accessors whose errors
 * name the document and the JSON path, e.g.
 * {@code config.json: linux.resources.memory.limit: expected a number, got string}.
 *
 * <p>Absent fields and JSON null read the same (empty, or an empty list/map), as Go's
 * {@code encoding/json} treats them; unknown fields are simply never asked for. Integers are
 * range-checked for the width the spec gives them; unsigned 64-bit values come back as the bits
 * of a {@code long} (compare with {@link Long#compareUnsigned}).
 *
 * <p>Readers on the runtime's startup path should prefer {@link #objectList} and
 * {@code orElse(null)} to the lambda-taking helpers: every lambda is a class spun at first use.
 */
public final class JsonObject {
    private static final BigInteger UINT64_MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

    private final String source;
    private final String path;
    private final Map<String, Object> fields;

    private JsonObject(String source, String path, Map<String, Object> fields) {
        this.source = source;
        this.path = path;
        this.fields = fields;
    }

    /** The document's top-level object; {@code source} names the document in errors. */
    public static JsonObject root(String source, Object tree) {
        return new JsonObject(source, "", asObject(source, "", tree));
    }

    /** The JSON path of this object, empty for the root. */
    public String path() {
        return path;
    }

    /** The field names, in document order (null-valued ones included). */
    public java.util.Set<String> keys() {
        return Collections.unmodifiableSet(fields.keySet());
    }

    /** Whether the field is present and not null. */
    public boolean has(String key) {
        return fields.get(key) != null;
    }

    /** An error about one field of this object, in the standard form. */
    public BerthException error(String key, String problem) {
        return fail(source, child(key), problem);
    }

    public Optional<String> string(String key) {
        Object value = fields.get(key);
        return value == null ? Optional.empty() : Optional.of(expectString(source, child(key), value));
    }

    public Optional<Boolean> bool(String key) {
        Object value = fields.get(key);
        if (value == null) {
            return Optional.empty();
        }
        if (value instanceof Boolean b) {
            return Optional.of(b);
        }
        throw fail(source, child(key), "expected a boolean, got " + kind(value));
    }

    public Optional<JsonObject> object(String key) {
        Object value = fields.get(key);
        String at = child(key);
        return value == null ? Optional.empty() : Optional.of(new JsonObject(source, at, asObject(source, at, value)));
    }

    /** A signed 64-bit integer (Go int64). */
    public Optional<Long> int64(String key) {
        return integer(key, IntKind.INT64);
    }

    /** A signed 32-bit integer (Go int on the spec's platforms), as a long. */
    public Optional<Long> int32(String key) {
        return integer(key, IntKind.INT32);
    }

    /** An unsigned 16-bit integer (Go uint16). */
    public Optional<Long> uint16(String key) {
        return integer(key, IntKind.UINT16);
    }

    /** An unsigned 32-bit integer (Go uint32), as a long. */
    public Optional<Long> uint32(String key) {
        return integer(key, IntKind.UINT32);
    }

    /** An unsigned 64-bit integer (Go uint64), as the bits of a long. */
    public Optional<Long> uint64(String key) {
        return integer(key, IntKind.UINT64);
    }

    /** An array of strings; empty when absent. */
    public List<String> strings(String key) {
        List<Object> array = array(key);
        List<String> out = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            out.add(expectString(source, child(key) + "[" + i + "]", array.get(i)));
        }
        return out;
    }

    /** An array of unsigned 32-bit integers; empty when absent. */
    public List<Long> uint32s(String key) {
        List<Object> array = array(key);
        List<Long> out = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            out.add(IntKind.UINT32.check(source, child(key) + "[" + i + "]", array.get(i)));
        }
        return out;
    }

    /** An array of objects; empty when absent. */
    public List<JsonObject> objectList(String key) {
        List<Object> array = array(key);
        List<JsonObject> out = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            String at = child(key) + "[" + i + "]";
            out.add(new JsonObject(source, at, asObject(source, at, array.get(i))));
        }
        return out;
    }

    /** An array of objects, each mapped by {@code reader}; empty when absent. */
    public <T> List<T> objects(String key, Function<JsonObject, T> reader) {
        List<Object> array = array(key);
        List<T> out = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            String at = child(key) + "[" + i + "]";
            out.add(reader.apply(new JsonObject(source, at, asObject(source, at, array.get(i)))));
        }
        return out;
    }

    /** An object whose values are all strings, in document order; empty when absent. */
    public Map<String, String> stringMap(String key) {
        Object value = fields.get(key);
        if (value == null) {
            return Collections.emptyMap();
        }
        String at = child(key);
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> entry : asObject(source, at, value).entrySet()) {
            out.put(entry.getKey(), expectString(source, at + "[\"" + entry.getKey() + "\"]", entry.getValue()));
        }
        return out;
    }

    /** An object whose values are all objects, each mapped by {@code reader}; empty when absent. */
    public <T> Map<String, T> objectMap(String key, Function<JsonObject, T> reader) {
        Object value = fields.get(key);
        if (value == null) {
            return Collections.emptyMap();
        }
        String at = child(key);
        Map<String, T> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> entry : asObject(source, at, value).entrySet()) {
            String entryAt = at + "[\"" + entry.getKey() + "\"]";
            out.put(entry.getKey(), reader.apply(new JsonObject(source, entryAt, asObject(source, entryAt, entry.getValue()))));
        }
        return out;
    }

    private List<Object> array(String key) {
        Object value = fields.get(key);
        if (value == null) {
            return List.of();
        }
        if (value instanceof List<?> list) {
            @SuppressWarnings("unchecked")
            List<Object> array = (List<Object>) list;
            return array;
        }
        throw fail(source, child(key), "expected an array, got " + kind(value));
    }

    private Optional<Long> integer(String key, IntKind kind) {
        Object value = fields.get(key);
        return value == null ? Optional.empty() : Optional.of(kind.check(source, child(key), value));
    }

    private String child(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    private static Map<String, Object> asObject(String source, String at, Object value) {
        if (value instanceof Map<?, ?> map) {
            @SuppressWarnings("unchecked")
            Map<String, Object> object = (Map<String, Object>) map;
            return object;
        }
        throw fail(source, at, "expected an object, got " + kind(value));
    }

    private static String expectString(String source, String at, Object value) {
        if (value instanceof String s) {
            return s;
        }
        throw fail(source, at, "expected a string, got " + kind(value));
    }

    private static BerthException fail(String source, String at, String problem) {
        String where = at.isEmpty() ? "top level" : at;
        return BerthException.invalid((source.isEmpty() ? "" : source + ": ") + where + ": " + problem);
    }

    /** The JSON kind of a tree value, as named in error messages. */
    static String kind(Object value) {
        // instanceof rather than a type switch, which would cost an invokedynamic bootstrap at startup
        if (value == null) {
            return "null";
        } else if (value instanceof Map<?, ?>) {
            return "object";
        } else if (value instanceof List<?>) {
            return "array";
        } else if (value instanceof String) {
            return "string";
        } else if (value instanceof Boolean) {
            return "boolean";
        } else if (value instanceof Number) {
            return "number";
        }
        return value.getClass().getSimpleName();
    }

    /** Integer widths of the OCI spec, each with the range a value must fall in. */
    private enum IntKind {
        INT32("a signed 32-bit integer", Integer.MIN_VALUE, Integer.MAX_VALUE),
        INT64("a signed 64-bit integer", Long.MIN_VALUE, Long.MAX_VALUE),
        UINT16("an unsigned 16-bit integer", 0, 0xFFFF),
        UINT32("an unsigned 32-bit integer", 0, 0xFFFF_FFFFL),
        UINT64("an unsigned 64-bit integer", 0, Long.MAX_VALUE);

        private final String words;
        private final long min;
        private final long max;

        IntKind(String words, long min, long max) {
            this.words = words;
            this.min = min;
            this.max = max;
        }

        long check(String source, String at, Object value) {
            if (!(value instanceof Number)) {
                throw fail(source, at, "expected a number, got " + kind(value));
            }
            if (value instanceof Long l && l >= min && l <= max) {
                return l;
            }
            if (this == UINT64 && value instanceof BigInteger big && big.signum() >= 0 && big.compareTo(UINT64_MAX) <= 0) {
                return big.longValue(); // the two's-complement bits of the unsigned value
            }
            if (value instanceof Double d) {
                throw fail(source, at, "expected an integer, got " + d);
            }
            throw fail(source, at, "expected " + words + ", got " + value);
        }
    }
}
