package dev.berth.cli.format;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** How Go prints template values ({@code fmt.Print}) and encodes them as JSON ({@code encoding/json}). */
final class GoValues {
    /** A missing map key: Go prints it as "&lt;no value&gt;". */
    static final Object NO_VALUE = new Object() {
        @Override
        public String toString() {
            return "<no value>";
        }
    };

    private GoValues() {}

    /** {@code fmt.Sprint(v)} for one value. */
    static String print(Object value) {
        StringBuilder out = new StringBuilder();
        print(value, out);
        return out.toString();
    }

    private static void print(Object value, StringBuilder out) {
        if (value == NO_VALUE) {
            out.append("<no value>");
        } else if (value == null) {
            out.append("<nil>");
        } else if (value instanceof Double || value instanceof Float) {
            out.append(shortestG(((Number) value).doubleValue(), 6));
        } else if (value instanceof List<?> list) {
            out.append('[');
            for (int i = 0; i < list.size(); i++) {
                if (i > 0) {
                    out.append(' ');
                }
                print(list.get(i), out);
            }
            out.append(']');
        } else if (value instanceof Map<?, ?> map) {
            out.append("map[");
            boolean first = true;
            for (Map.Entry<String, ?> e : sorted(map).entrySet()) {
                if (!first) {
                    out.append(' ');
                }
                first = false;
                out.append(e.getKey()).append(':');
                print(e.getValue(), out);
            }
            out.append(']');
        } else if (value instanceof TemplateObject object) {
            out.append('{');
            boolean first = true;
            for (Object field : object.jsonFields().values()) {
                if (!first) {
                    out.append(' ');
                }
                first = false;
                print(field, out);
            }
            out.append('}');
        } else {
            out.append(value);
        }
    }

    private static Map<String, ?> sorted(Map<?, ?> map) {
        Map<String, Object> sorted = new TreeMap<>();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            sorted.put(String.valueOf(e.getKey()), e.getValue());
        }
        return sorted;
    }

    /** Go's {@code %v} of a float64: shortest digits, exponent when it is below -4 or at least {@code eprec}. */
    static String shortestG(double d, int eprec) {
        if (d == 0) {
            return "0";
        }
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            return Double.isNaN(d) ? "NaN" : d > 0 ? "+Inf" : "-Inf";
        }
        BigDecimal shortest = new BigDecimal(Double.toString(d)).stripTrailingZeros();
        int exponent = shortest.precision() - shortest.scale() - 1;
        if (exponent < -4 || exponent >= Math.max(eprec, shortest.precision())) {
            String digits = shortest.unscaledValue().abs().toString();
            String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
            int abs = Math.abs(exponent);
            return (d < 0 ? "-" : "") + mantissa + "e" + (exponent < 0 ? "-" : "+") + (abs < 10 ? "0" : "") + abs;
        }
        return shortest.toPlainString();
    }

    /** Go's truth: false, 0, nil, empty string, list or map are false. */
    static boolean truth(Object value) {
        if (value == null || value == NO_VALUE) {
            return false;
        }
        if (value instanceof Boolean b) {
            return b;
        }
        if (value instanceof String s) {
            return !s.isEmpty();
        }
        if (value instanceof Number n) {
            return n.doubleValue() != 0;
        }
        if (value instanceof List<?> l) {
            return !l.isEmpty();
        }
        if (value instanceof Map<?, ?> m) {
            return !m.isEmpty();
        }
        return true;
    }

    /** The Go type name errors print for a value. */
    static String goType(Object value) {
        if (value instanceof TemplateObject o) {
            return o.goType();
        }
        if (value instanceof String) {
            return "string";
        }
        if (value instanceof Long || value instanceof Integer || value instanceof BigInteger) {
            return "int";
        }
        if (value instanceof Double) {
            return "float64";
        }
        if (value instanceof Boolean) {
            return "bool";
        }
        if (value instanceof List) {
            return "[]interface {}";
        }
        if (value instanceof Map) {
            return "map[string]interface {}";
        }
        return "interface {}";
    }

    /**
     * {@code encoding/json} of a value; {@code escapeHtml} as json.Marshal (true) or an encoder
     * with SetEscapeHTML(false). A TemplateObject encodes its fields with HTML escaping, because
     * docker's contexts marshal themselves with json.Marshal.
     */
    static String json(Object value, boolean escapeHtml) {
        StringBuilder out = new StringBuilder();
        writeJson(value, escapeHtml, out);
        return out.toString();
    }

    private static void writeJson(Object value, boolean escapeHtml, StringBuilder out) {
        if (value == null || value == NO_VALUE) {
            out.append("null");
        } else if (value instanceof String s) {
            writeString(s, escapeHtml, out);
        } else if (value instanceof Boolean || value instanceof Long || value instanceof Integer
                || value instanceof BigInteger || value instanceof Short) {
            out.append(value);
        } else if (value instanceof Number n) {
            double d = n.doubleValue();
            double abs = Math.abs(d);
            if (abs != 0 && (abs < 1e-6 || abs >= 1e21)) {
                out.append(shortestG(d, 0));
            } else {
                out.append(new BigDecimal(Double.toString(d)).stripTrailingZeros().toPlainString());
            }
        } else if (value instanceof List<?> list) {
            out.append('[');
            for (int i = 0; i < list.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                writeJson(list.get(i), escapeHtml, out);
            }
            out.append(']');
        } else if (value instanceof Map<?, ?> map) {
            writeObject(map, escapeHtml, out);
        } else if (value instanceof TemplateObject object) {
            writeObject(object.jsonFields(), true, out);
        } else {
            writeString(value.toString(), escapeHtml, out);
        }
    }

    private static void writeObject(Map<?, ?> map, boolean escapeHtml, StringBuilder out) {
        out.append('{');
        boolean first = true;
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (!first) {
                out.append(',');
            }
            first = false;
            writeString(String.valueOf(e.getKey()), escapeHtml, out);
            out.append(':');
            writeJson(e.getValue(), escapeHtml, out);
        }
        out.append('}');
    }

    private static void writeString(String s, boolean escapeHtml, StringBuilder out) {
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
                    boolean html = escapeHtml && (c == '<' || c == '>' || c == '&');
                    if (c < 0x20 || html || c == 0x2028 || c == 0x2029) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    static List<Object> asList(Object value) {
        if (value instanceof List<?> l) {
            return new ArrayList<>(l);
        }
        return null;
    }
}
