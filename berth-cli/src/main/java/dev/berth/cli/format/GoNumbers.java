package dev.berth.cli.format;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Go's {@code fmt} number verbs where docker's output depends on them: {@code %.Ng} (what
 * go-units' size functions print, so 999.9 kB at 3 digits really is "1e+03kB") and {@code %.Nf}.
 */
public final class GoNumbers {
    private GoNumbers() {}

    /** {@code fmt.Sprintf("%.*g", precision, value)}: shortest form, exponent when Go would use one. */
    public static String g(double value, int precision) {
        if (value == 0) {
            return "0";
        }
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return Double.isNaN(value) ? "NaN" : value > 0 ? "+Inf" : "-Inf";
        }
        int digits = Math.max(precision, 1);
        // the exact binary value rounded half-even, as strconv does
        BigDecimal rounded = new BigDecimal(value).round(new MathContext(digits, RoundingMode.HALF_EVEN));
        int exponent = rounded.precision() - rounded.scale() - 1;
        if (exponent < -4 || exponent >= digits) {
            BigDecimal mantissa = rounded.movePointLeft(exponent);
            String m = stripZeros(mantissa.toPlainString());
            String sign = exponent < 0 ? "-" : "+";
            int abs = Math.abs(exponent);
            return m + "e" + sign + (abs < 10 ? "0" : "") + abs;
        }
        return stripZeros(rounded.toPlainString());
    }

    /** {@code fmt.Sprintf("%.*f", decimals, value)}, rounded half-even on the exact value. */
    public static String f(double value, int decimals) {
        return new BigDecimal(value).setScale(decimals, RoundingMode.HALF_EVEN).toPlainString();
    }

    private static String stripZeros(String plain) {
        if (plain.indexOf('.') < 0) {
            return plain;
        }
        int end = plain.length();
        while (plain.charAt(end - 1) == '0') {
            end--;
        }
        if (plain.charAt(end - 1) == '.') {
            end--;
        }
        return plain.substring(0, end);
    }
}
