package dev.berth.cli.format;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The functions templates may call: docker's additions and the Go built-ins people use. */
final class TemplateFunctions {
    private TemplateFunctions() {}

    static Object call(String name, List<Object> args, boolean header) {
        if (header) {
            // docker's HeaderFunctions: the header text passes through these unchanged
            switch (name) {
                case "json", "split", "join", "title", "lower", "upper", "truncate", "pad" -> {
                    return args.isEmpty() ? "" : GoValues.print(args.getFirst());
                }
                default -> { }
            }
        }
        return switch (name) {
            case "json" -> {
                arity(name, args, 1);
                yield GoValues.json(args.getFirst(), false);
            }
            case "join" -> {
                arity(name, args, 2);
                List<Object> list = GoValues.asList(args.get(0));
                if (list == null) {
                    throw wrongType(args.get(0), "[]string");
                }
                List<String> parts = new ArrayList<>();
                for (Object o : list) {
                    parts.add(GoValues.print(o));
                }
                yield String.join(string(args.get(1)), parts);
            }
            case "split" -> {
                arity(name, args, 2);
                String sep = string(args.get(1));
                String s = string(args.get(0));
                yield sep.isEmpty() ? splitRunes(s) : new ArrayList<Object>(Arrays.asList(s.split(java.util.regex.Pattern.quote(sep), -1)));
            }
            case "lower" -> string(one(name, args)).toLowerCase(Locale.ROOT);
            case "upper" -> string(one(name, args)).toUpperCase(Locale.ROOT);
            case "title" -> title(string(one(name, args)));
            case "pad" -> {
                arity(name, args, 3);
                String s = string(args.get(0));
                // docker's padWithSpace leaves an empty string empty
                yield s.isEmpty() ? s : " ".repeat((int) integer(args.get(1))) + s + " ".repeat((int) integer(args.get(2)));
            }
            case "truncate" -> {
                arity(name, args, 2);
                String s = string(args.get(0));
                int n = (int) integer(args.get(1));
                yield s.length() < n ? s : s.substring(0, n);
            }
            case "println" -> {
                List<String> parts = new ArrayList<>();
                for (Object o : args) {
                    parts.add(GoValues.print(o));
                }
                yield String.join(" ", parts) + "\n";
            }
            case "print" -> sprint(args);
            case "printf" -> {
                if (args.isEmpty()) {
                    throw new TemplateException("wrong number of args for printf: want at least 1 got 0");
                }
                yield GoPrintf.format(string(args.getFirst()), args.subList(1, args.size()));
            }
            case "index" -> index(args);
            case "len" -> {
                Object v = one(name, args);
                if (v instanceof String s) {
                    yield (long) s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
                } else if (v instanceof List<?> l) {
                    yield (long) l.size();
                } else if (v instanceof Map<?, ?> m) {
                    yield (long) m.size();
                }
                throw new TemplateException("len of type " + GoValues.goType(v));
            }
            case "eq" -> {
                if (args.size() < 2) {
                    throw new TemplateException("missing argument for comparison");
                }
                boolean any = false;
                for (int i = 1; i < args.size(); i++) {
                    any |= compare(args.get(0), args.get(i)) == 0;
                }
                yield any;
            }
            case "ne" -> compare(two(name, args).get(0), args.get(1)) != 0;
            case "lt" -> compare(two(name, args).get(0), args.get(1)) < 0;
            case "le" -> compare(two(name, args).get(0), args.get(1)) <= 0;
            case "gt" -> compare(two(name, args).get(0), args.get(1)) > 0;
            case "ge" -> compare(two(name, args).get(0), args.get(1)) >= 0;
            case "and" -> {
                Object last = null;
                for (Object o : args) {
                    last = o;
                    if (!GoValues.truth(o)) {
                        break;
                    }
                }
                yield last;
            }
            case "or" -> {
                Object last = null;
                for (Object o : args) {
                    last = o;
                    if (GoValues.truth(o)) {
                        break;
                    }
                }
                yield last;
            }
            case "not" -> !GoValues.truth(one(name, args));
            default -> throw new TemplateException("function \"" + name + "\" is not supported by berth's templates");
        };
    }

    private static Object index(List<Object> args) {
        if (args.isEmpty()) {
            throw new TemplateException("wrong number of args for index: want at least 1 got 0");
        }
        Object value = args.getFirst();
        for (int i = 1; i < args.size(); i++) {
            Object key = args.get(i);
            if (value instanceof List<?> list) {
                long at = integer(key);
                if (at < 0 || at >= list.size()) {
                    throw new TemplateException("index out of range: " + at);
                }
                value = list.get((int) at);
            } else if (value instanceof Map<?, ?> map) {
                value = map.containsKey(String.valueOf(key)) ? map.get(String.valueOf(key)) : null;
            } else if (value instanceof String s) {
                long at = integer(key);
                if (at < 0 || at >= s.length()) {
                    throw new TemplateException("index out of range: " + at);
                }
                value = (long) s.charAt((int) at);
            } else if (value == null) {
                throw new TemplateException("index of untyped nil");
            } else {
                throw new TemplateException("can't index item of type " + GoValues.goType(value));
            }
        }
        return value;
    }

    private static String sprint(List<Object> args) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < args.size(); i++) {
            // Go adds a space between operands when neither side is a string
            if (i > 0 && !(args.get(i) instanceof String) && !(args.get(i - 1) instanceof String)) {
                out.append(' ');
            }
            out.append(GoValues.print(args.get(i)));
        }
        return out.toString();
    }

    private static int compare(Object a, Object b) {
        if (a instanceof Number x && b instanceof Number y) {
            if ((x instanceof Long || x instanceof Integer) && (y instanceof Long || y instanceof Integer)) {
                return Long.compare(x.longValue(), y.longValue());
            }
            return Double.compare(x.doubleValue(), y.doubleValue());
        }
        if (a instanceof String x && b instanceof String y) {
            return x.compareTo(y);
        }
        if (a instanceof Boolean x && b instanceof Boolean y) {
            return x.equals(y) ? 0 : 1;
        }
        if (a == null && b == null) {
            return 0;
        }
        if (a == null || b == null || a == GoValues.NO_VALUE || b == GoValues.NO_VALUE) {
            throw new TemplateException("invalid type for comparison");
        }
        throw new TemplateException("incompatible types for comparison");
    }

    private static String title(String s) {
        StringBuilder out = new StringBuilder(s.length());
        boolean start = true;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            out.append(start ? Character.toTitleCase(c) : c);
            start = !Character.isLetterOrDigit(c) && c != '_' && c != '\'';
        }
        return out.toString();
    }

    private static List<Object> splitRunes(String s) {
        List<Object> out = new ArrayList<>();
        s.codePoints().forEach(cp -> out.add(new String(Character.toChars(cp))));
        return out;
    }

    private static Object one(String name, List<Object> args) {
        arity(name, args, 1);
        return args.getFirst();
    }

    private static List<Object> two(String name, List<Object> args) {
        arity(name, args, 2);
        return args;
    }

    private static void arity(String name, List<Object> args, int want) {
        if (args.size() != want) {
            throw new TemplateException("wrong number of args for " + name + ": want " + want + " got " + args.size());
        }
    }

    private static String string(Object value) {
        if (value instanceof String s) {
            return s;
        }
        throw wrongType(value, "string");
    }

    private static long integer(Object value) {
        if (value instanceof Long || value instanceof Integer) {
            return ((Number) value).longValue();
        }
        throw wrongType(value, "int");
    }

    private static TemplateException wrongType(Object value, String want) {
        return new TemplateException("wrong type for value; expected " + want + "; got " + GoValues.goType(value));
    }
}
