package dev.berth.client;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A query string, encoded as Go's {@code url.Values.Encode()} does (keys sorted, spaces as
 * {@code +}), so that requests look like the docker CLI's on the wire.
 */
public final class Query {
    private final Map<String, List<String>> values = new TreeMap<>();

    public static Query of() {
        return new Query();
    }

    public Query add(String key, String value) {
        values.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
        return this;
    }

    /** Adds {@code key=1} when the flag is set, as the docker CLI sends booleans. */
    public Query flag(String key, boolean set) {
        return set ? add(key, "1") : this;
    }

    /** Adds the value when it is not empty. */
    public Query optional(String key, String value) {
        return value == null || value.isEmpty() ? this : add(key, value);
    }

    public boolean isEmpty() {
        return values.isEmpty();
    }

    public String encode() {
        StringBuilder out = new StringBuilder();
        for (Map.Entry<String, List<String>> e : values.entrySet()) {
            for (String v : e.getValue()) {
                if (!out.isEmpty()) {
                    out.append('&');
                }
                out.append(escape(e.getKey())).append('=').append(escape(v));
            }
        }
        return out.toString();
    }

    private static String escape(String s) {
        // Go's QueryEscape leaves ~ alone and escapes *; Java's URLEncoder does the opposite
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("%7E", "~").replace("*", "%2A");
    }
}
