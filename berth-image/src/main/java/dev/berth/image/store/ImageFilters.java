package dev.berth.image.store;

import dev.berth.oci.BerthException;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code filters} of docker's image list and prune, already decoded from the query's JSON
 * to name → values. Validation and error words follow docker ({@code invalid filter 'x'},
 * {@code invalid filter 'dangling=maybe'}).
 */
final class ImageFilters {
    static final Set<String> LIST_KEYS = Set.of("dangling", "label", "before", "since", "reference", "until");
    static final Set<String> PRUNE_KEYS = Set.of("dangling", "label", "label!", "until");

    private ImageFilters() {}

    static void validate(Map<String, List<String>> filters, Set<String> accepted) {
        for (String key : filters.keySet()) {
            if (!accepted.contains(key)) {
                throw BerthException.invalid("invalid filter '" + key + "'");
            }
        }
    }

    static List<String> values(Map<String, List<String>> filters, String key) {
        List<String> v = filters.get(key);
        return v == null ? List.of() : v;
    }

    /** A boolean filter: absent → {@code otherwise}; "true"/"1" or "false"/"0"; anything else is invalid. */
    static boolean bool(Map<String, List<String>> filters, String key, boolean otherwise) {
        List<String> values = values(filters, key);
        if (values.isEmpty()) {
            return otherwise;
        }
        if (values.contains("true") || values.contains("1")) {
            return true;
        }
        if (values.contains("false") || values.contains("0")) {
            return false;
        }
        throw BerthException.invalid("invalid filter '" + key + "=" + String.join(",", values) + "'");
    }

    /** docker's label filter: every {@code key} must be present, every {@code key=value} must match. */
    static boolean labelsMatch(List<String> wanted, Map<String, String> labels) {
        for (String w : wanted) {
            int eq = w.indexOf('=');
            if (eq < 0) {
                if (!labels.containsKey(w)) {
                    return false;
                }
            } else if (!w.substring(eq + 1).equals(labels.get(w.substring(0, eq)))) {
                return false;
            }
        }
        return true;
    }

    /** {@code label!}: none of the given labels may match. */
    static boolean labelsExclude(List<String> unwanted, Map<String, String> labels) {
        for (String w : unwanted) {
            if (labelsMatch(List.of(w), labels)) {
                return false;
            }
        }
        return true;
    }

    private static final Pattern GO_DURATION = Pattern.compile("(?:(\\d+(?:\\.\\d*)?|\\.\\d+)(ns|us|µs|ms|s|m|h))+");
    private static final Pattern GO_DURATION_PART = Pattern.compile("(\\d+(?:\\.\\d*)?|\\.\\d+)(ns|us|µs|ms|s|m|h)");
    private static final Pattern UNIX = Pattern.compile("-?\\d+(?:\\.\\d{1,9})?");

    /**
     * docker's {@code until}/{@code since} times: a Go duration before {@code now} ("10m", "1h30m"),
     * unix seconds with an optional fraction, or an RFC 3339 date or date-time (UTC unless it
     * has an offset).
     */
    static Instant time(String value, Instant now) {
        if (GO_DURATION.matcher(value).matches()) {
            Duration d = Duration.ZERO;
            Matcher m = GO_DURATION_PART.matcher(value);
            while (m.find()) {
                BigDecimal amount = new BigDecimal(m.group(1).startsWith(".") ? "0" + m.group(1) : m.group(1));
                long nanosPerUnit = switch (m.group(2)) {
                    case "ns" -> 1L;
                    case "us", "µs" -> 1_000L;
                    case "ms" -> 1_000_000L;
                    case "s" -> 1_000_000_000L;
                    case "m" -> 60_000_000_000L;
                    default -> 3_600_000_000_000L;
                };
                d = d.plusNanos(amount.multiply(BigDecimal.valueOf(nanosPerUnit)).longValue());
            }
            return now.minus(d);
        }
        if (UNIX.matcher(value).matches()) {
            BigDecimal seconds = new BigDecimal(value);
            long whole = seconds.longValue();
            int nanos = seconds.subtract(BigDecimal.valueOf(whole)).movePointRight(9).intValue();
            return Instant.ofEpochSecond(whole, nanos);
        }
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException ignored) {
            // try the forms without an offset
        }
        try {
            return LocalDateTime.parse(value).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException ignored) {
            // try a bare date
        }
        try {
            return LocalDate.parse(value).atStartOfDay().toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw BerthException.invalid("failed to parse value as time or duration: \"" + value + "\"");
        }
    }
}
