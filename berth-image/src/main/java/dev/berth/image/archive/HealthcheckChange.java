package dev.berth.image.archive;

import dev.berth.oci.BerthException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code HEALTHCHECK [--interval=D] [--timeout=D] [--start-period=D] [--start-interval=D]
 * [--retries=N] CMD …|NONE} as a Dockerfile means it, into docker's Healthcheck object (Test,
 * durations in nanoseconds, Retries).
 */
final class HealthcheckChange {
    private static final Pattern GO_DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)(ns|us|µs|ms|s|m|h)");

    private HealthcheckChange() {
    }

    static Map<String, Object> parse(String args) {
        List<String> words = ShellWords.splitRaw(args);
        Map<String, Object> hc = new LinkedHashMap<>();
        int i = 0;
        Map<String, Object> options = new LinkedHashMap<>();
        while (i < words.size() && words.get(i).startsWith("--")) {
            String flag = words.get(i++);
            int eq = flag.indexOf('=');
            if (eq < 0) {
                throw BerthException.invalid("HEALTHCHECK flag " + flag + " needs a value (--" + "name=value)");
            }
            String name = flag.substring(2, eq);
            String value = ShellWords.process(flag.substring(eq + 1), Map.of());
            switch (name) {
                case "interval" -> options.put("Interval", duration(name, value));
                case "timeout" -> options.put("Timeout", duration(name, value));
                case "start-period" -> options.put("StartPeriod", duration(name, value));
                case "start-interval" -> options.put("StartInterval", duration(name, value));
                case "retries" -> {
                    try {
                        long retries = Long.parseLong(value);
                        if (retries < 0) {
                            throw BerthException.invalid("--retries cannot be negative (" + retries + ")");
                        }
                        options.put("Retries", retries);
                    } catch (NumberFormatException e) {
                        throw BerthException.invalid("invalid value for --retries: " + value);
                    }
                }
                default -> throw BerthException.invalid("Unknown flag: " + name);
            }
        }
        if (i >= words.size()) {
            throw BerthException.invalid("Missing command after HEALTHCHECK");
        }
        String type = words.get(i).toUpperCase(Locale.ROOT);
        String rest = args.substring(args.indexOf(words.get(i)) + words.get(i).length()).strip();
        if (type.equals("NONE")) {
            if (!rest.isEmpty() || !options.isEmpty()) {
                throw BerthException.invalid("HEALTHCHECK NONE takes no arguments");
            }
            hc.put("Test", List.of("NONE"));
            return hc;
        }
        if (!type.equals("CMD")) {
            throw BerthException.invalid("Unknown type \"" + type + "\" in HEALTHCHECK (try CMD)");
        }
        List<String> exec = ConfigChanges.jsonArray(rest);
        List<String> test = new ArrayList<>();
        if (exec != null) {
            test.add("CMD");
            test.addAll(exec);
        } else {
            test.add("CMD-SHELL");
            test.add(rest);
        }
        hc.put("Test", test);
        hc.putAll(options);
        return hc;
    }

    /** A Go duration ("30s", "1m30s", "500ms") in nanoseconds; docker refuses anything under 1ms except 0. */
    static long duration(String flag, String text) {
        if (text.equals("0")) {
            return 0;
        }
        Matcher m = GO_DURATION.matcher(text);
        long nanos = 0;
        int at = 0;
        while (at < text.length() && m.find(at) && m.start() == at) {
            double amount = Double.parseDouble(m.group(1));
            long unit = switch (m.group(2)) {
                case "ns" -> 1L;
                case "us", "µs" -> 1_000L;
                case "ms" -> 1_000_000L;
                case "s" -> 1_000_000_000L;
                case "m" -> Duration.ofMinutes(1).toNanos();
                default -> Duration.ofHours(1).toNanos();
            };
            nanos += (long) (amount * unit);
            at = m.end();
        }
        if (at != text.length() || text.isEmpty()) {
            throw BerthException.invalid("time: invalid duration \"" + text + "\" for --" + flag);
        }
        if (nanos < 1_000_000) {
            throw BerthException.invalid("Interval \"" + flag + "\" cannot be less than 1ms");
        }
        return nanos;
    }

}
