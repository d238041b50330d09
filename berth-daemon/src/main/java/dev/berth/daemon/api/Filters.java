package dev.berth.daemon.api;

import dev.berth.oci.BerthException;
import dev.berth.oci.json.Json;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The {@code filters} query parameter: a JSON object of name → values. Both of dockerd's
 * encodings are accepted, {@code {"type":["image"]}} and the older {@code {"type":{"image":true}}}
 * (docker CLIs before 1.23 and some libraries still send it).
 */
public record Filters(Map<String, List<String>> values) {
    public static final Filters NONE = new Filters(Map.of());

    public Filters {
        values = Map.copyOf(values);
    }

    /** Parses the parameter; absent or empty means no filters. */
    public static Filters parse(String json) {
        if (json == null || json.isBlank()) {
            return NONE;
        }
        Object tree;
        try {
            tree = Json.parse(json);
        } catch (BerthException e) {
            throw BerthException.invalid("invalid filters: " + e.getMessage());
        }
        if (!(tree instanceof Map<?, ?> map)) {
            throw BerthException.invalid("invalid filters: not a JSON object");
        }
        Map<String, List<String>> values = new LinkedHashMap<>();
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            String name = (String) entry.getKey();
            values.put(name, valuesOf(name, entry.getValue()));
        }
        return new Filters(values);
    }

    private static List<String> valuesOf(String name, Object value) {
        if (value instanceof List<?> list) {
            return list.stream().map(v -> {
                if (!(v instanceof String s)) {
                    throw BerthException.invalid("invalid filters: values of '" + name + "' must be strings");
                }
                return s;
            }).toList();
        }
        if (value instanceof Map<?, ?> legacy) {
            return legacy.entrySet().stream()
                    .filter(e -> Boolean.TRUE.equals(e.getValue()))
                    .map(e -> (String) e.getKey())
                    .toList();
        }
        throw BerthException.invalid("invalid filters: '" + name + "' must be a list of strings");
    }

    /** Refuses names outside {@code accepted} with dockerd's words. */
    public Filters validate(Collection<String> accepted) {
        Set<String> unknown = new TreeSet<>(values.keySet());
        unknown.removeAll(accepted);
        if (!unknown.isEmpty()) {
            throw BerthException.invalid("invalid filter '" + unknown.iterator().next() + "'");
        }
        return this;
    }

    public boolean has(String name) {
        return values.containsKey(name) && !values.get(name).isEmpty();
    }

    public List<String> get(String name) {
        return values.getOrDefault(name, List.of());
    }

    /** True when the filter is absent or one of its values equals {@code value}. */
    public boolean matchesAny(String name, String... candidates) {
        if (!has(name)) {
            return true;
        }
        for (String candidate : candidates) {
            if (candidate != null && values.get(name).contains(candidate)) {
                return true;
            }
        }
        return false;
    }

    /**
     * dockerd's label matching: every {@code key} or {@code key=value} of the filter must be in
     * {@code labels}.
     */
    public boolean matchesLabels(String name, Map<String, String> labels) {
        for (String want : get(name)) {
            int eq = want.indexOf('=');
            if (eq < 0) {
                if (!labels.containsKey(want)) {
                    return false;
                }
            } else if (!want.substring(eq + 1).equals(labels.get(want.substring(0, eq)))) {
                return false;
            }
        }
        return true;
    }

    public boolean isEmpty() {
        return values.isEmpty();
    }
}
