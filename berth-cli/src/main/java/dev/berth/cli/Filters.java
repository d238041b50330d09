package dev.berth.cli;

import dev.berth.oci.json.Json;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * docker's {@code --filter name=value} flags as the API's {@code filters} parameter: JSON
 * {@code {"name":{"value":true}}} (docker's filters.Args), keys sorted as Go writes maps.
 */
public final class Filters {
    private final Map<String, Map<String, Object>> values = new TreeMap<>();

    public static Filters parse(List<String> flags) {
        Filters filters = new Filters();
        if (flags != null) {
            for (String flag : flags) {
                int eq = flag.indexOf('=');
                if (eq < 0) {
                    throw new UsageException("bad format of filter (expected name=value)");
                }
                filters.add(flag.substring(0, eq).strip().toLowerCase(), flag.substring(eq + 1).strip());
            }
        }
        return filters;
    }

    public Filters add(String name, String value) {
        values.computeIfAbsent(name, k -> new TreeMap<>()).put(value, Boolean.TRUE);
        return this;
    }

    public boolean isEmpty() {
        return values.isEmpty();
    }

    public String toJson() {
        return Json.write(new LinkedHashMap<>(values));
    }
}
