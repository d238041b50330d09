package dev.berth.cli.container;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.Locale;

/**
 * Flag values read as the docker CLI's Go code reads them, with Go's error words: strconv
 * integers and booleans, go-units sizes, time.ParseDuration, big.Rat CPU counts.
 */
public final class GoValues {
    private GoValues() {}

    /** strconv.ParseInt(s, 10, 64). */
    public static long parseInt(String s) {
        if (!s.matches("[+-]?\\d+")) {
            throw new IllegalArgumentException("strconv.ParseInt: parsing " + quote(s) + ": invalid syntax");
        }
        try {
            return Long.parseLong(s.startsWith("+") ? s.substring(1) : s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("strconv.ParseInt: parsing " + quote(s) + ": value out of range");
        }
    }

    /** strconv.ParseBool. */
    public static boolean parseBool(String s) {
        return switch (s) {
            case "1", "t", "T", "TRUE", "true", "True" -> true;
            case "0", "f", "F", "FALSE", "false", "False" -> false;
            default -> throw new IllegalArgumentException("strconv.ParseBool: parsing " + quote(s) + ": invalid syntax");
        };
    }

    /**
     * go-units RAMInBytes (v0.5): a number, an optional space, then b, or k/m/g/t/p with an
     * optional b or ib, any case; binary multipliers. "x" is an invalid size, "64x" an invalid
     * suffix, as the docker CLI words them.
     */
    public static long ramInBytes(String s) {
        int sep = -1;
        for (int i = s.length() - 1; i >= 0; i--) {
            if ("01234567890. ".indexOf(s.charAt(i)) >= 0) {
                sep = i;
                break;
            }
        }
        if (sep < 0) {
            throw new IllegalArgumentException("invalid size: '" + s + "'");
        }
        String number = s.charAt(sep) == ' ' ? s.substring(0, sep) : s.substring(0, sep + 1);
        String suffix = s.substring(sep + 1);
        double size;
        try {
            if (!number.matches("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?")) {
                throw new NumberFormatException();
            }
            size = Double.parseDouble(number);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("strconv.ParseFloat: parsing " + quote(number) + ": invalid syntax");
        }
        if (size < 0) {
            throw new IllegalArgumentException("invalid size: '" + s + "'");
        }
        if (suffix.isEmpty()) {
            return (long) size;
        }
        String sfx = suffix.toLowerCase(Locale.ROOT);
        if (sfx.length() > 3) {
            throw new IllegalArgumentException("invalid suffix: '" + suffix + "'");
        }
        if (sfx.charAt(0) == 'b') {
            if (sfx.length() > 1) {
                throw new IllegalArgumentException("invalid suffix: '" + sfx + "'");
            }
            return (long) size;
        }
        int power = "kmgtp".indexOf(sfx.charAt(0)) + 1;
        if (power == 0 || sfx.length() == 2 && sfx.charAt(1) != 'b' || sfx.length() == 3 && !sfx.substring(1).equals("ib")) {
            throw new IllegalArgumentException("invalid suffix: '" + sfx + "'");
        }
        return (long) (size * Math.pow(1024, power));
    }

    /** docker's MemSwapBytes: -1 for unlimited, else a size. */
    public static long memSwapBytes(String s) {
        return s.equals("-1") ? -1 : ramInBytes(s);
    }

    /** docker's NanoCPUs: a rational number of CPUs in units of 1e-9. */
    public static long nanoCpus(String s) {
        BigDecimal cpus;
        try {
            int slash = s.indexOf('/');
            if (slash > 0) {
                BigDecimal num = new BigDecimal(s.substring(0, slash));
                BigDecimal den = new BigDecimal(s.substring(slash + 1));
                cpus = num.divide(den, 30, RoundingMode.HALF_EVEN).stripTrailingZeros();
            } else {
                cpus = new BigDecimal(s);
            }
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException("failed to parse " + s + " as a rational number");
        }
        BigDecimal nano = cpus.multiply(BigDecimal.valueOf(1_000_000_000L)).stripTrailingZeros();
        if (nano.scale() > 0) {
            throw new IllegalArgumentException("value is too precise");
        }
        BigInteger n = nano.toBigIntegerExact();
        return n.longValue();
    }

    /** time.ParseDuration, in nanoseconds. */
    public static long parseDuration(String s) {
        String orig = s;
        if (s.isEmpty()) {
            throw new IllegalArgumentException("time: invalid duration " + quote(orig));
        }
        boolean negative = false;
        if (s.charAt(0) == '-' || s.charAt(0) == '+') {
            negative = s.charAt(0) == '-';
            s = s.substring(1);
        }
        if (s.equals("0")) {
            return 0;
        }
        if (s.isEmpty()) {
            throw new IllegalArgumentException("time: invalid duration " + quote(orig));
        }
        BigDecimal total = BigDecimal.ZERO;
        int i = 0;
        while (i < s.length()) {
            int start = i;
            while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.')) {
                i++;
            }
            String number = s.substring(start, i);
            if (number.isEmpty() || number.equals(".")) {
                throw new IllegalArgumentException("time: invalid duration " + quote(orig));
            }
            int unitStart = i;
            while (i < s.length() && !Character.isDigit(s.charAt(i)) && s.charAt(i) != '.') {
                i++;
            }
            String unit = s.substring(unitStart, i);
            if (unit.isEmpty()) {
                throw new IllegalArgumentException("time: missing unit in duration " + quote(orig));
            }
            long scale = switch (unit) {
                case "ns" -> 1L;
                case "us", "µs", "μs" -> 1_000L;
                case "ms" -> 1_000_000L;
                case "s" -> 1_000_000_000L;
                case "m" -> 60_000_000_000L;
                case "h" -> 3_600_000_000_000L;
                default -> throw new IllegalArgumentException("time: unknown unit " + quote(unit) + " in duration "
                        + quote(orig));
            };
            try {
                total = total.add(new BigDecimal(number).multiply(BigDecimal.valueOf(scale)));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("time: invalid duration " + quote(orig));
            }
        }
        if (total.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
            throw new IllegalArgumentException("time: invalid duration " + quote(orig));
        }
        long nanos = total.longValue();
        return negative ? -nanos : nanos;
    }

    /** Go's %q for plain text. */
    static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
