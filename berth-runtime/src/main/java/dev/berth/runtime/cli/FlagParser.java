package dev.berth.runtime.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * Parses flags the way runc's Go stack does (urfave/cli v1 over Go's flag package), because
 * engines and runc's own tests rely on its quirks:
 * <ul>
 *   <li>{@code -name} and {@code --name} are the same; values come as {@code --name v} or
 *       {@code --name=v};
 *   <li>parsing stops at the first argument that is not a flag, so flags after the container id
 *       are positional ({@code exec id ps -ef} hands {@code -ef} to ps);
 *   <li>{@code --} ends the flags and is dropped; a lone {@code -} is positional;
 *   <li>a bool flag never consumes the next argument: only {@code --d=false} turns it off;
 *   <li>short flags do not combine: {@code -dt} is an unknown flag.
 * </ul>
 * Every command also takes {@code --help}/{@code -h}.
 */
final class FlagParser {
    private FlagParser() {}

    static ParsedArgs parse(List<Flag> flags, String[] args, int from) {
        ParsedArgs parsed = new ParsedArgs();
        int i = from;
        while (i < args.length) {
            String arg = args[i];
            if (arg.length() < 2 || arg.charAt(0) != '-') {
                break;
            }
            i++;
            int dashes = arg.charAt(1) == '-' ? 2 : 1;
            if (dashes == 2 && arg.length() == 2) {
                break; // "--" ends the flags
            }
            String body = arg.substring(dashes);
            if (body.isEmpty() || body.charAt(0) == '-' || body.charAt(0) == '=') {
                throw UsageException.flag("bad flag syntax: " + arg);
            }
            int eq = body.indexOf('=');
            String name = eq < 0 ? body : body.substring(0, eq);
            String inline = eq < 0 ? null : body.substring(eq + 1);
            Flag flag = find(flags, name);
            if (flag == null) {
                if (name.equals("help") || name.equals("h")) {
                    parsed.requestHelp();
                    continue;
                }
                throw UsageException.flag("flag provided but not defined: -" + name);
            }
            String value;
            if (!flag.takesValue()) {
                value = inline == null ? "true" : inline;
                checkBool(name, value);
            } else if (inline != null) {
                value = inline;
            } else if (i < args.length) {
                value = args[i++];
            } else {
                throw UsageException.flag("flag needs an argument: -" + name);
            }
            check(flag, name, value);
            parsed.add(flag.name(), value);
        }
        while (i < args.length) {
            parsed.addPositional(args[i++]);
        }
        return parsed;
    }

    /**
     * runc's command line library (urfave/cli v1) moves flags given after the positional
     * arguments in front of them, so {@code update ID --memory 1m} works: every "-x" word, and
     * the word after it when it has no "=" and does not start with "-", keeps its order ahead
     * of the rest; "--" and everything after it stay positional. exec and ps skip this.
     */
    static String[] reorder(String[] args) {
        List<String> flags = new ArrayList<>();
        List<String> rest = new ArrayList<>();
        boolean value = false;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--")) {
                rest.addAll(List.of(args).subList(i, args.length));
                break;
            }
            // unlike urfave, a lone "-" right after a flag stays its value (--resources -)
            if (value && (!arg.startsWith("-") || arg.equals("-"))) {
                value = false;
                flags.add(arg);
                continue;
            }
            value = false;
            if (!arg.equals("-") && arg.startsWith("-")) {
                flags.add(arg);
                value = !arg.contains("=");
            } else {
                rest.add(arg);
            }
        }
        flags.addAll(rest);
        return flags.toArray(new String[0]);
    }

    /** For commands that ignore their flags: everything is positional, except that -h/--help still asks for help. */
    static ParsedArgs parseLoosely(String[] args) {
        ParsedArgs parsed = new ParsedArgs();
        for (String arg : args) {
            if (arg.equals("-h") || arg.equals("--help") || arg.equals("-help") || arg.equals("--h")) {
                parsed.requestHelp();
            } else {
                parsed.addPositional(arg);
            }
        }
        return parsed;
    }

    private static Flag find(List<Flag> flags, String name) {
        for (Flag flag : flags) {
            if (flag.matches(name)) {
                return flag;
            }
        }
        return null;
    }

    /** Go's strconv.ParseBool accepts exactly these spellings. */
    static boolean parseBool(String value) {
        return switch (value) {
            case "1", "t", "T", "TRUE", "true", "True" -> true;
            case "0", "f", "F", "FALSE", "false", "False" -> false;
            default -> throw UsageException.flag("invalid boolean value \"" + value + "\"");
        };
    }

    private static void checkBool(String name, String value) {
        try {
            parseBool(value);
        } catch (UsageException e) {
            throw UsageException.flag("invalid boolean value \"" + value + "\" for -" + name + ": parse error");
        }
    }

    private static void check(Flag flag, String name, String value) {
        switch (flag.kind()) {
            case INT -> {
                if (!isInteger(value, true)) {
                    throw badValue(name, value, "parse error");
                }
            }
            case UINT -> {
                if (!isInteger(value, false)) {
                    throw badValue(name, value, "parse error");
                }
            }
            case INTS -> {
                if (!isInteger(value, true)) {
                    throw badValue(name, value, "strconv.ParseInt: parsing \"" + value + "\": invalid syntax");
                }
            }
            case DURATION -> {
                try {
                    GoDuration.parse(value);
                } catch (IllegalArgumentException e) {
                    throw badValue(name, value, "parse error");
                }
            }
            default -> {
                // strings are taken as they are
            }
        }
    }

    private static UsageException badValue(String name, String value, String why) {
        return UsageException.flag("invalid value \"" + value + "\" for flag -" + name + ": " + why);
    }

    /** Decimal digits with an optional sign that fit in a long. */
    static boolean isInteger(String value, boolean signed) {
        int start = 0;
        if (signed && !value.isEmpty() && (value.charAt(0) == '-' || value.charAt(0) == '+')) {
            start = 1;
        }
        if (start == value.length() || value.length() - start > 19) {
            return false;
        }
        for (int i = start; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        try {
            Long.parseLong(value);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
