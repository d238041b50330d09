package dev.berth.engine.logs;

import dev.berth.oci.BerthException;
import java.util.Locale;
import java.util.Map;

/**
 * json-file rotation: {@code max-size} (docker's units: 10m = 10 MiB; -1 = never rotate) and
 * {@code max-file}. berth rotates by default (10 MiB x 3), where dockerd's default never does.
 */
public record LogOptions(long maxSize, int maxFiles) {
    public static final long DEFAULT_MAX_SIZE = 10L * 1024 * 1024;
    public static final int DEFAULT_MAX_FILES = 3;
    public static final LogOptions DEFAULT = new LogOptions(DEFAULT_MAX_SIZE, DEFAULT_MAX_FILES);

    public LogOptions {
        if (maxFiles < 1) {
            throw BerthException.invalid("max-file cannot be less than 1");
        }
    }

    /** The container's LogConfig.Config over the daemon's defaults. */
    public static LogOptions from(Map<String, String> config, LogOptions defaults) {
        long size = defaults.maxSize();
        int files = defaults.maxFiles();
        String s = config.get("max-size");
        if (s != null) {
            size = s.equals("-1") ? -1 : parseSize(s);
        }
        String f = config.get("max-file");
        if (f != null) {
            try {
                files = Integer.parseInt(f);
            } catch (NumberFormatException e) {
                throw BerthException.invalid("invalid max-file: " + f);
            }
            if (files > 1 && size < 0 && s != null) {
                throw BerthException.invalid("max-file cannot be set without max-size");
            }
        }
        return new LogOptions(size, files);
    }

    /** docker's units.RAMInBytes: 10m, 1g, 512k, 100 (bytes); binary multiples. */
    public static long parseSize(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        int end = 0;
        while (end < t.length() && (Character.isDigit(t.charAt(end)) || t.charAt(end) == '.')) {
            end++;
        }
        if (end == 0) {
            throw BerthException.invalid("invalid size: '" + text + "'");
        }
        double number;
        try {
            number = Double.parseDouble(t.substring(0, end));
        } catch (NumberFormatException e) {
            throw BerthException.invalid("invalid size: '" + text + "'");
        }
        String unit = t.substring(end).strip();
        if (unit.endsWith("ib")) {
            unit = unit.substring(0, unit.length() - 2);
        } else if (unit.endsWith("b")) {
            unit = unit.substring(0, unit.length() - 1);
        }
        long mult = switch (unit) {
            case "" -> 1;
            case "k" -> 1L << 10;
            case "m" -> 1L << 20;
            case "g" -> 1L << 30;
            case "t" -> 1L << 40;
            default -> throw BerthException.invalid("invalid size: '" + text + "'");
        };
        return (long) (number * mult);
    }
}
