package dev.berth.daemon.image;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * The {@code progress} text of dockerd's JSON messages (jsonmessage.JSONProgress.String for a
 * daemon, which draws for a 200-column width): a 50-step bar, then current/total in decimal
 * units with four significant digits ({@code [====>      ]  1.444MB/1.982MB}). The CLI draws from
 * {@code progressDetail}; this text is what older clients and plain pipes show.
 */
public final class ProgressBar {
    private static final String[] UNITS = {"B", "kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"};
    private static final int WIDTH = 50;

    private ProgressBar() {}

    /** "" when there is nothing to show; only the count when the total is unknown. */
    public static String of(long current, long total) {
        if (current <= 0 && total <= 0) {
            return "";
        }
        if (total <= 0) {
            return pad(humanSize(current));
        }
        int steps = Math.min(WIDTH, (int) ((double) current / (double) total * 100) / 2);
        String bar = "[" + "=".repeat(steps) + ">" + " ".repeat(WIDTH - steps) + "] ";
        // a current beyond the total (a stream longer than announced) shows the count alone, as dockerd
        String numbers = current > total ? pad(humanSize(current)) : pad(humanSize(current)) + "/" + humanSize(total);
        return bar + numbers;
    }

    /** go-units' HumanSize: powers of 1000, {@code %.4g}, trailing zeros dropped (1.5MB, 426kB, 34.82kB). */
    public static String humanSize(long bytes) {
        double size = bytes;
        int unit = 0;
        while (size >= 1000 && unit < UNITS.length - 1) {
            size /= 1000;
            unit++;
        }
        BigDecimal rounded = new BigDecimal(size).round(new MathContext(4, RoundingMode.HALF_EVEN)).stripTrailingZeros();
        return rounded.toPlainString() + UNITS[unit];
    }

    /** Go's {@code %8v}: right-aligned in eight columns. */
    private static String pad(String s) {
        return s.length() >= 8 ? s : " ".repeat(8 - s.length()) + s;
    }
}
