package dev.berth.runtime.cli;

import dev.berth.oci.BerthException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Typed reads from one JSON object of a {@link CliJson} tree. Every getter answers null when the
 * field is absent or JSON null, and fails with a message naming the field's path when the type
 * is wrong, e.g. {@code process.json: "user.uid" must be a number}.
 */
final class JsonFields {
    private final Map<?, ?> object;
    private final String source;
    private final String path;

    private JsonFields(Map<?, ?> object, String source, String path) {
        this.object = object;
        this.source = source;
        this.path = path;
    }

    /** The document's top level, which must be an object. */
    static JsonFields root(Object tree, String source) {
        if (!(tree instanceof Map<?, ?> map)) {
            throw BerthException.invalid(source + ": the document must be a JSON object");
        }
        return new JsonFields(map, source, "");
    }

    private String where(String field) {
        return path.isEmpty() ? field : path + "." + field;
    }

    private BerthException wrong(String field, String expected) {
        return BerthException.invalid(source + ": \"" + where(field) + "\" must be " + expected);
    }

    JsonFields object(String field) {
        Object value = object.get(field);
        if (value == null) {
            return null;
        }
        if (!(value instanceof Map<?, ?> map)) {
            throw wrong(field, "an object");
        }
        return new JsonFields(map, source, where(field));
    }

    String string(String field) {
        Object value = object.get(field);
        if (value == null || value instanceof String) {
            return (String) value;
        }
        throw wrong(field, "a string");
    }

    Boolean bool(String field) {
        Object value = object.get(field);
        if (value == null || value instanceof Boolean) {
            return (Boolean) value;
        }
        throw wrong(field, "true or false");
    }

    boolean bool(String field, boolean absent) {
        Boolean value = bool(field);
        return value == null ? absent : value;
    }

    /**
     * A whole number. uint64 values above Long.MAX_VALUE (Go writes unlimited as 2^64-1) come
     * back as their two's-complement long, i.e. -1 for 2^64-1, matching the -1 convention.
     */
    Long number(String field) {
        Object value = object.get(field);
        if (value == null) {
            return null;
        }
        if (value instanceof Long l) {
            return l;
        }
        if (value instanceof BigInteger big && big.signum() > 0 && big.bitLength() <= 64) {
            return big.longValue();
        }
        throw wrong(field, "a whole number");
    }

    Integer integer(String field) {
        Long value = number(field);
        if (value == null) {
            return null;
        }
        if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
            throw wrong(field, "a 32-bit number");
        }
        return value.intValue();
    }

    long number(String field, long absent) {
        Long value = number(field);
        return value == null ? absent : value;
    }

    List<String> strings(String field) {
        List<?> list = list(field);
        if (list == null) {
            return null;
        }
        List<String> out = new ArrayList<>(list.size());
        for (Object item : list) {
            if (!(item instanceof String s)) {
                throw wrong(field, "a list of strings");
            }
            out.add(s);
        }
        return out;
    }

    List<Long> numbers(String field) {
        List<?> list = list(field);
        if (list == null) {
            return null;
        }
        List<Long> out = new ArrayList<>(list.size());
        for (Object item : list) {
            if (!(item instanceof Long l)) {
                throw wrong(field, "a list of whole numbers");
            }
            out.add(l);
        }
        return out;
    }

    /** Each element of an array of objects, or an empty list when absent. */
    List<JsonFields> objects(String field) {
        List<?> list = list(field);
        if (list == null) {
            return List.of();
        }
        List<JsonFields> out = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            if (!(list.get(i) instanceof Map<?, ?> map)) {
                throw wrong(field, "a list of objects");
            }
            out.add(new JsonFields(map, source, where(field) + "[" + i + "]"));
        }
        return out;
    }

    /** An object of string values, or null when absent. */
    Map<String, String> stringMap(String field) {
        JsonFields inner = object(field);
        if (inner == null) {
            return null;
        }
        Map<String, String> out = new java.util.LinkedHashMap<>();
        for (Map.Entry<?, ?> entry : inner.object.entrySet()) {
            if (!(entry.getValue() instanceof String s)) {
                throw wrong(field, "an object of strings");
            }
            out.put((String) entry.getKey(), s);
        }
        return out;
    }

    private List<?> list(String field) {
        Object value = object.get(field);
        if (value == null) {
            return null;
        }
        if (!(value instanceof List<?> list)) {
            throw wrong(field, "a list");
        }
        return list;
    }
}
