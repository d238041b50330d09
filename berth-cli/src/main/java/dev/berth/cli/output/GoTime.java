package dev.berth.cli.output;

import dev.berth.cli.format.Units;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** Times as docker prints them (Go's time formats, in the local zone). */
public final class GoTime {
    /** Go's {@code time.Time.String()} without fractions: "2026-11-26 08:26:53 +0000 UTC". */
    private static final DateTimeFormatter GO_STRING =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss xx", Locale.ROOT);
    private static final DateTimeFormatter ZONE_NAME = DateTimeFormatter.ofPattern("z", Locale.ROOT);
    /** Go's {@code time.ANSIC}: "Thu May  7 21:09:36 2026". */
    private static final DateTimeFormatter ANSIC = DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy", Locale.ROOT);

    private GoTime() {}

    public static String string(long unixSeconds, ZoneId zone) {
        ZonedDateTime t = ZonedDateTime.ofInstant(Instant.ofEpochSecond(unixSeconds), zone);
        String name = t.format(ZONE_NAME);
        // Go names a zone by its abbreviation; a bare offset zone is "UTC" at +0000
        if (name.equals("Z") || name.equals("GMT") && t.getOffset().getTotalSeconds() == 0 && !zone.getId().equals("GMT")) {
            name = "UTC";
        }
        return t.format(GO_STRING) + " " + name;
    }

    /** RFC 3339 in the local zone, "Z" for UTC, as Go's {@code time.RFC3339}. */
    public static String rfc3339(long unixSeconds, ZoneId zone) {
        ZonedDateTime t = ZonedDateTime.ofInstant(Instant.ofEpochSecond(unixSeconds), zone);
        String offset = t.getOffset().getTotalSeconds() == 0 ? "Z" : t.getOffset().getId();
        return t.toLocalDateTime().format(DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss", Locale.ROOT)) + offset;
    }

    /** "About an hour ago": docker's CREATED column. */
    public static String since(long unixSeconds, Instant now) {
        return Units.humanDuration(Duration.between(Instant.ofEpochSecond(unixSeconds), now)) + " ago";
    }

    /** An RFC 3339 time re-printed as Go's ANSIC (docker version's "Built:"), or the text as it was. */
    public static String ansic(String rfc3339, ZoneId zone) {
        try {
            return ZonedDateTime.parse(rfc3339).withZoneSameInstant(zone).format(ANSIC);
        } catch (RuntimeException e) {
            return rfc3339;
        }
    }
}
