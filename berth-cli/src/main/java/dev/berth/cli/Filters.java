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

    /**
     * Like {@link #parse(List)}, refusing a bad value as pflag refuses one: {@code invalid argument
     * "x" for "-f, --filter" flag: …} with the command's usage, status 125.
     */
    public static Filters parse(List<String> flags, picocli.CommandLine.Model.CommandSpec spec, String flagNames) {
        if (flags != null) {
            for (String flag : flags) {
                if (flag.indexOf('=') < 0) {
                    throw new picocli.CommandLine.ParameterException(spec.commandLine(), "invalid argument \"" + flag
                            + "\" for \"" + flagNames + "\" flag: bad format of filter (expected name=value)");
                }
            }
        }
        return parse(flags);
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
