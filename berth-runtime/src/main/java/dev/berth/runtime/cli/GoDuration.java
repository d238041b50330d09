package dev.berth.runtime.cli;

import java.time.Duration;

/**
 * Parses Go's time.ParseDuration syntax ({@code 5s}, {@code 1m30s}, {@code 1.5h}, {@code 300ms}),
 * which runc's {@code events --interval} takes. Written out by hand to keep regex off startup.
 */
final class GoDuration {
    private GoDuration() {}

    static Duration parse(String text) {
        String s = text;
        boolean negative = false;
        if (!s.isEmpty() && (s.charAt(0) == '-' || s.charAt(0) == '+')) {
            negative = s.charAt(0) == '-';
            s = s.substring(1);
        }
        if (s.equals("0")) {
            return Duration.ZERO;
        }
        if (s.isEmpty()) {
            throw new IllegalArgumentException("invalid duration \"" + text + "\"");
        }
        double nanos = 0;
        int i = 0;
        while (i < s.length()) {
            int start = i;
            while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.')) {
                i++;
            }
            if (start == i) {
                throw new IllegalArgumentException("invalid duration \"" + text + "\"");
            }
            double number;
            try {
                number = Double.parseDouble(s.substring(start, i));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("invalid duration \"" + text + "\"");
            }
            int unitStart = i;
            while (i < s.length() && !Character.isDigit(s.charAt(i)) && s.charAt(i) != '.') {
                i++;
            }
            nanos += number * unitNanos(s.substring(unitStart, i), text);
        }
        long whole = (long) nanos;
        return Duration.ofNanos(negative ? -whole : whole);
    }

    private static double unitNanos(String unit, String text) {
        return switch (unit) {
            case "ns" -> 1;
            case "us", "µs", "μs" -> 1e3;
            case "ms" -> 1e6;
            case "s" -> 1e9;
            case "m" -> 60e9;
            case "h" -> 3600e9;
            default -> throw new IllegalArgumentException(
                    unit.isEmpty() ? "missing unit in duration \"" + text + "\"" : "unknown unit \"" + unit + "\" in duration \"" + text + "\"");
        };
    }
}
