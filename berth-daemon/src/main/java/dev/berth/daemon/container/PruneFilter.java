package dev.berth.daemon.container;

import dev.berth.daemon.api.Filters;
import dev.berth.oci.BerthException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The filters of container and volume prune: {@code until} (a duration before now such as
 * {@code 24h}, a unix timestamp or an RFC 3339 date, as dockerd's timetypes reads them) and
 * {@code label} / {@code label!} (keep what does not match).
 */
public record PruneFilter(Filters filters, Instant until) {
    public static PruneFilter of(Filters filters, String... extra) {
        List<String> accepted = new ArrayList<>(List.of("until", "label", "label!"));
        accepted.addAll(List.of(extra));
        filters.validate(accepted);
        Instant until = null;
        for (String v : filters.get("until")) {
            Instant t = parse(v);
            until = until == null || t.isBefore(until) ? t : until;
        }
        return new PruneFilter(filters, until);
    }

    public boolean matches(Instant created, Map<String, String> labels) {
        if (until != null && !created.isBefore(until)) {
            return false;
        }
        if (!filters.matchesLabels("label", labels)) {
            return false;
        }
        for (String not : filters.get("label!")) {
            int eq = not.indexOf('=');
            boolean has = eq < 0 ? labels.containsKey(not) : not.substring(eq + 1).equals(labels.get(not.substring(0, eq)));
            if (has) {
                return false;
            }
        }
        return true;
    }

    private static Instant parse(String v) {
        try {
            if (v.matches("\\d+(\\.\\d+)?")) {
                int dot = v.indexOf('.');
                long seconds = Long.parseLong(dot < 0 ? v : v.substring(0, dot));
                return Instant.ofEpochSecond(seconds);
            }
            if (v.matches("(\\d+(\\.\\d+)?(ns|us|µs|ms|s|m|h))+")) {
                return Instant.now().minus(goDuration(v));
            }
            return Instant.parse(v);
        } catch (DateTimeParseException | NumberFormatException | ArithmeticException e) {
            throw BerthException.invalid("invalid filter 'until=" + v + "'");
        }
    }

    /** Go's time.ParseDuration for the units the CLI's users write. */
    private static Duration goDuration(String v) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+(?:\\.\\d+)?)(ns|us|µs|ms|s|m|h)").matcher(v);
        double nanos = 0;
        while (m.find()) {
            double n = Double.parseDouble(m.group(1));
            nanos += n * switch (m.group(2)) {
                case "ns" -> 1;
                case "us", "µs" -> 1e3;
                case "ms" -> 1e6;
                case "s" -> 1e9;
                case "m" -> 60e9;
                default -> 3600e9;
            };
        }
        return Duration.ofNanos((long) nanos);
    }
}
