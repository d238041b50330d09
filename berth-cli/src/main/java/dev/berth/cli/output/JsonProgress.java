package dev.berth.cli.output;

import dev.berth.cli.format.Units;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * The progress bar docker draws from a message's {@code progressDetail}
 * ({@code jsonmessage.JSONProgress.String}): {@code [=====>      ]  1.2MB/3.4MB 5s}. The bar
 * needs a terminal wider than 110 columns, the time left one wider than 50; the daemon's own
 * {@code progress} text is not used, as docker does not use it either.
 */
public record JsonProgress(long current, long total, long start, String units, boolean hideCounts) {
    /** The detail object of a message (an empty object is a progress of nothing: it draws as ""). */
    public static JsonProgress of(Map<String, Object> detail) {
        return new JsonProgress(number(detail.get("current")), number(detail.get("total")), number(detail.get("start")),
                Fields.string(detail.get("units")), Fields.bool(detail.get("hidecounts")));
    }

    private static long number(Object value) {
        return value instanceof Number n ? n.longValue() : 0;
    }

    /** The text for a terminal {@code width} columns wide at {@code now}. */
    public String render(int width, Instant now) {
        if (current <= 0 && total <= 0) {
            return "";
        }
        if (total <= 0) {
            return units.isEmpty() ? pad(Units.humanSize(current)) : current + " " + units;
        }
        int percentage = (int) ((double) current / (double) total * 100) / 2;
        percentage = Math.min(percentage, 50);
        String bar = "";
        if (width > 110) {
            bar = "[" + "=".repeat(percentage) + ">" + " ".repeat(Math.max(0, 50 - percentage)) + "] ";
        }
        String numbers = "";
        if (!hideCounts) {
            if (units.isEmpty()) {
                numbers = current > total ? pad(Units.humanSize(current))
                        : pad(Units.humanSize(current)) + "/" + Units.humanSize(total);
            } else {
                numbers = current > total ? current + " " + units : current + "/" + total + " " + units;
            }
        }
        String timeLeft = "";
        if (current > 0 && start > 0 && percentage < 50) {
            long fromStart = Duration.between(Instant.ofEpochSecond(start), now).toNanos();
            long perEntry = fromStart / current;
            long left = (total - current) * perEntry;
            if (width > 50) {
                timeLeft = " " + goDuration(left / 1_000_000_000L);
            }
        }
        return bar + numbers + timeLeft;
    }

    /** Go's {@code %8v}: right-aligned in 8 columns. */
    private static String pad(String s) {
        return s.length() >= 8 ? s : " ".repeat(8 - s.length()) + s;
    }

    /** Go's {@code time.Duration.String} for whole seconds: "0s", "45s", "2m5s", "1h0m3s". */
    static String goDuration(long seconds) {
        if (seconds < 0) {
            return "-" + goDuration(-seconds);
        }
        if (seconds < 60) {
            return seconds + "s";
        }
        if (seconds < 3600) {
            return seconds / 60 + "m" + seconds % 60 + "s";
        }
        return seconds / 3600 + "h" + seconds % 3600 / 60 + "m" + seconds % 60 + "s";
    }
}
