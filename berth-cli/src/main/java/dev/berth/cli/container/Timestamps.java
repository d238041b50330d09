package dev.berth.cli.container;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * {@code --since} and {@code --until} as docker's GetTimestamp reads them: a Go duration is
 * that long before now; an RFC 3339 date or time (the local zone when none is given) becomes
 * {@code seconds.nanoseconds}; a Unix timestamp goes to the daemon as it is.
 */
public final class Timestamps {
    private Timestamps() {}

    public static String parse(String value, Instant now, ZoneId zone) {
        if (!value.equals("0")) {
            try {
                long nanos = GoValues.parseDuration(value);
                return Long.toString(now.minusNanos(nanos).getEpochSecond());
            } catch (IllegalArgumentException notDuration) {
                // a time, then
            }
        }
        Instant t = time(value, zone);
        if (t != null) {
            return t.getEpochSecond() + "." + String.format("%09d", t.getNano());
        }
        if (value.contains("-") || !value.matches("\\d+(\\.\\d{1,9})?")) {
            throw new IllegalArgumentException("failed to parse value as time or duration: " + GoValues.quote(value));
        }
        return value;
    }

    private static Instant time(String value, ZoneId zone) {
        try {
            if (value.contains("T")) {
                String v = value.replace('z', 'Z');
                boolean zoned = v.endsWith("Z") || v.matches(".*T.*[+-]\\d\\d:\\d\\d$");
                if (zoned) {
                    return OffsetDateTime.parse(pad(v, true), DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
                }
                return LocalDateTime.parse(pad(v, false), DateTimeFormatter.ISO_LOCAL_DATE_TIME).atZone(zone).toInstant();
            }
            if (value.matches("\\d{4}-\\d\\d-\\d\\d")) {
                return LocalDate.parse(value).atStartOfDay(zone).toInstant();
            }
        } catch (DateTimeParseException e) {
            return null;
        }
        return null;
    }

    /** "2006-01-02T15" and "…T15:04" are valid for docker: give java.time the minutes it wants. */
    private static String pad(String v, boolean zoned) {
        int t = v.indexOf('T');
        String date = v.substring(0, t + 1);
        String rest = v.substring(t + 1);
        String zone = "";
        if (zoned) {
            int z = rest.endsWith("Z") ? rest.length() - 1 : Math.max(rest.lastIndexOf('+'), rest.lastIndexOf('-'));
            zone = rest.substring(z);
            rest = rest.substring(0, z);
        }
        long colons = rest.chars().filter(c -> c == ':').count();
        if (colons == 0) {
            rest += ":00";
        }
        return date + rest + zone;
    }
}
