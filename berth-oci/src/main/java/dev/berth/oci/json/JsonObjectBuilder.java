package dev.berth.oci.json;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Builds a JSON object for {@link Json#write} in field order, with the omission rules of Go's
 * {@code encoding/json} spelled out at each call: {@link #put} always writes (a field without
 * {@code omitempty}), {@link #omitEmpty} skips "", false, 0, empty lists and maps (a field with
 * {@code omitempty}), and {@link #omitNull} skips only an absent value (an {@code omitempty}
 * pointer, where 0 or false is still written).
 */
public final class JsonObjectBuilder {
    private final Map<String, Object> fields = new LinkedHashMap<>();

    public static JsonObjectBuilder create() {
        return new JsonObjectBuilder();
    }

    /** Writes the field whatever its value; null becomes JSON null. */
    public JsonObjectBuilder put(String key, Object value) {
        fields.put(key, value);
        return this;
    }

    /** Writes the field unless it is null. */
    public JsonObjectBuilder omitNull(String key, Object value) {
        if (value != null) {
            fields.put(key, value);
        }
        return this;
    }

    /** Writes the field unless it is null, "", false, 0 or an empty collection or map. */
    public JsonObjectBuilder omitEmpty(String key, Object value) {
        // instanceof rather than a type switch, which would cost an invokedynamic bootstrap at startup
        boolean empty = value == null
                || value instanceof String s && s.isEmpty()
                || value instanceof Boolean b && !b
                || value instanceof Long l && l == 0
                || value instanceof Integer i && i == 0
                || value instanceof Collection<?> c && c.isEmpty()
                || value instanceof Map<?, ?> m && m.isEmpty();
        if (!empty) {
            fields.put(key, value);
        }
        return this;
    }

    /** The object built so far, as a tree value. */
    public Map<String, Object> build() {
        return fields;
    }
}
