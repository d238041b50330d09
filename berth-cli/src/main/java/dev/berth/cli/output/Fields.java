package dev.berth.cli.output;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Lenient reads of daemon JSON trees: a missing or null field is empty, as Go's decoder leaves it. */
public final class Fields {
    private Fields() {}

    public static String string(Object value) {
        return value == null ? "" : value.toString();
    }

    public static long number(Object value) {
        if (value instanceof Number n) {
            return n.longValue();
        }
        if (value instanceof String s) {
            try {
                return Long.parseLong(s);
            } catch (NumberFormatException e) {
                return 0;
            }
        }
        return 0;
    }

    public static boolean bool(Object value) {
        return Boolean.TRUE.equals(value) || "true".equals(value);
    }

    public static List<String> strings(Object value) {
        List<String> out = new ArrayList<>();
        if (value instanceof List<?> list) {
            for (Object o : list) {
                out.add(string(o));
            }
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> object(Object value) {
        return value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    @SuppressWarnings("unchecked")
    public static List<Map<String, Object>> objects(Object value) {
        List<Map<String, Object>> out = new ArrayList<>();
        if (value instanceof List<?> list) {
            for (Object o : list) {
                if (o instanceof Map<?, ?> m) {
                    out.add((Map<String, Object>) m);
                }
            }
        }
        return out;
    }

    /** docker's {@code stringid.TruncateID}: without the algorithm prefix, 12 characters. */
    public static String shortId(String id) {
        String hex = id.indexOf(':') >= 0 ? id.substring(id.indexOf(':') + 1) : id;
        return hex.length() > 12 ? hex.substring(0, 12) : hex;
    }
}
