package dev.berth.runtime.cli;

/**
 * Parses memory sizes the way runc's update does (docker/go-units RAMInBytes): a number, an
 * optional space, an optional unit k, m, g, t or p (any case, always powers of 1024), then an
 * optional "i" and an optional "b": {@code 512}, {@code 10m}, {@code 1.5G}, {@code 64 MiB}.
 */
final class Sizes {
    private Sizes() {}

    static long ramInBytes(String text) {
        int i = 0;
        int n = text.length();
        int digitsStart = i;
        while (i < n && (Character.isDigit(text.charAt(i)) || text.charAt(i) == '.')) {
            i++;
        }
        String number = text.substring(digitsStart, i);
        if (number.isEmpty() || number.charAt(0) == '.' || number.charAt(number.length() - 1) == '.') {
            throw invalid(text);
        }
        if (i < n && text.charAt(i) == ' ') {
            i++;
        }
        long multiplier = 1;
        if (i < n) {
            int power = "kmgtp".indexOf(Character.toLowerCase(text.charAt(i)));
            if (power >= 0) {
                multiplier = 1L << (10 * (power + 1));
                i++;
            }
        }
        if (i < n && (text.charAt(i) == 'i' || text.charAt(i) == 'I')) {
            i++;
        }
        if (i < n && (text.charAt(i) == 'b' || text.charAt(i) == 'B')) {
            i++;
        }
        if (i != n) {
            throw invalid(text);
        }
        double value;
        try {
            value = Double.parseDouble(number);
        } catch (NumberFormatException e) {
            throw invalid(text);
        }
        return (long) (value * multiplier);
    }

    private static IllegalArgumentException invalid(String text) {
        return new IllegalArgumentException("invalid size: '" + text + "'");
    }
}
