package dev.berth.cli.format;

import java.time.Duration;

/**
 * Sizes and durations in the words of docker's go-units library, which every docker table uses:
 * decimal sizes ("4.26MB", "307kB", "0B"), binary sizes ("23.54GiB") and the rough durations of
 * the CREATED column ("About an hour", "2 weeks").
 */
public final class Units {
    private static final String[] DECIMAL = {"B", "kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"};
    private static final String[] BINARY = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB", "ZiB", "YiB"};

    private Units() {}

    /** go-units {@code HumanSize}: decimal units, 4 significant digits ("1.982MB"). */
    public static String humanSize(double bytes) {
        return humanSize(bytes, 4);
    }

    /** go-units {@code HumanSizeWithPrecision}: decimal units, {@code precision} significant digits. */
    public static String humanSize(double bytes, int precision) {
        double size = bytes;
        int unit = 0;
        while (size >= 1000.0 && unit < DECIMAL.length - 1) {
            size /= 1000.0;
            unit++;
        }
        return GoNumbers.g(size, precision) + DECIMAL[unit];
    }

    /** go-units {@code BytesSize}: binary units with two decimals ("23.54GiB"). */
    public static String bytesSize(double bytes) {
        double size = bytes;
        int unit = 0;
        while (size >= 1024.0 && unit < BINARY.length - 1) {
            size /= 1024.0;
            unit++;
        }
        return GoNumbers.g(size, 4) + BINARY[unit];
    }

    /** go-units {@code HumanDuration}: "Less than a second", "About a minute", "3 weeks", … */
    public static String humanDuration(Duration d) {
        long seconds = d.toSeconds();
        if (seconds < 1) {
            return "Less than a second";
        }
        if (seconds == 1) {
            return "1 second";
        }
        if (seconds < 60) {
            return seconds + " seconds";
        }
        long minutes = d.toMinutes();
        if (minutes == 1) {
            return "About a minute";
        }
        if (minutes < 60) {
            return minutes + " minutes";
        }
        // hours are rounded, the larger units then truncate from the rounded hours
        long hours = Math.round(d.toNanos() / 3_600_000_000_000.0);
        if (hours == 1) {
            return "About an hour";
        }
        if (hours < 48) {
            return hours + " hours";
        }
        if (hours < 24 * 7 * 2) {
            return hours / 24 + " days";
        }
        if (hours < 24 * 30 * 2) {
            return hours / 24 / 7 + " weeks";
        }
        if (hours < 24 * 365 * 2) {
            return hours / 24 / 30 + " months";
        }
        return d.toHours() / 24 / 365 + " years";
    }
}
