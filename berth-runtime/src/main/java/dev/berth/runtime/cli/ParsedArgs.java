package dev.berth.runtime.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@link FlagParser} found: flag values by long name, and the positional arguments in
 * order. Unset flags answer their zero value, as urfave/cli's context does.
 */
final class ParsedArgs {
    private final Map<String, List<String>> values = new HashMap<>();
    private final List<String> positional = new ArrayList<>();
    private boolean helpRequested;

    void add(String name, String value) {
        // no computeIfAbsent: a lambda here would cost startup time on every invocation
        List<String> all = values.get(name);
        if (all == null) {
            all = new ArrayList<>(2);
            values.put(name, all);
        }
        all.add(value);
    }

    void addPositional(String arg) {
        positional.add(arg);
    }

    void requestHelp() {
        helpRequested = true;
    }

    boolean helpRequested() {
        return helpRequested;
    }

    boolean isSet(String name) {
        return values.containsKey(name);
    }

    /** The last value given for a flag (later occurrences win, as in Go), or null when unset. */
    String string(String name) {
        List<String> all = values.get(name);
        return all == null ? null : all.get(all.size() - 1);
    }

    /** The flag's value, or "" when unset: urfave/cli treats the two alike, and so does runc. */
    String stringOrEmpty(String name) {
        String value = string(name);
        return value == null ? "" : value;
    }

    boolean bool(String name) {
        String value = string(name);
        return value != null && FlagParser.parseBool(value);
    }

    long integer(String name, long unset) {
        String value = string(name);
        return value == null ? unset : Long.parseLong(value);
    }

    Duration duration(String name, Duration unset) {
        String value = string(name);
        return value == null ? unset : GoDuration.parse(value);
    }

    List<String> strings(String name) {
        List<String> all = values.get(name);
        return all == null ? List.of() : List.copyOf(all);
    }

    List<String> positional() {
        return positional;
    }

    String positional(int index) {
        return positional.get(index);
    }

    /** The positionals after the first one (exec's command, ps's options). */
    List<String> rest() {
        return positional.isEmpty() ? List.of() : List.copyOf(positional.subList(1, positional.size()));
    }

    /** runc's checkArgs(exactArgs): {@code runc: "start" requires exactly 1 argument(s)}. */
    void requireExactly(String command, int count) {
        if (positional.size() != count) {
            throw UsageException.arguments(countMessage(command, "exactly", count));
        }
    }

    void requireAtLeast(String command, int count) {
        if (positional.size() < count) {
            throw UsageException.arguments(countMessage(command, "a minimum of", count));
        }
    }

    void requireAtMost(String command, int count) {
        if (positional.size() > count) {
            throw UsageException.arguments(countMessage(command, "a maximum of", count));
        }
    }

    private static String countMessage(String command, String bound, int count) {
        return Cli.NAME + ": \"" + command + "\" requires " + bound + " " + count + " argument(s)";
    }
}
