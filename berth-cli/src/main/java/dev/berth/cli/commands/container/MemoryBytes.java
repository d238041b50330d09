package dev.berth.cli.commands.container;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * A memory size flag as docker parses it (go-units {@code RAMInBytes}): "64m", "1.5g", "512k",
 * "100" bytes; binary multiples; "-1" for unlimited where docker allows it (--memory-swap).
 */
public final class MemoryBytes implements ITypeConverter<Long> {
    private static final Pattern SIZE = Pattern.compile("^(\\d+(?:\\.\\d+)*) ?([kKmMgGtTpP])?[iI]?[bB]?$");

    @Override
    public Long convert(String value) {
        if (value.equals("-1")) {
            return -1L;
        }
        return parse(value);
    }

    /** The bytes for {@code text}, or a {@link TypeConversionException} worded as go-units'. */
    public static long parse(String text) {
        Matcher m = SIZE.matcher(text);
        if (!m.matches()) {
            // go-units reports the first character that is not part of a number
            int i = 0;
            while (i < text.length() && (Character.isDigit(text.charAt(i)) || text.charAt(i) == '.')) {
                i++;
            }
            if (i == 0) {
                throw new TypeConversionException("invalid size: '" + text + "'");
            }
            throw new TypeConversionException("invalid suffix: '" + text.substring(i) + "'");
        }
        double size = Double.parseDouble(m.group(1));
        String unit = m.group(2) == null ? "" : m.group(2).toLowerCase(Locale.ROOT);
        long multiplier = switch (unit) {
            case "k" -> 1L << 10;
            case "m" -> 1L << 20;
            case "g" -> 1L << 30;
            case "t" -> 1L << 40;
            case "p" -> 1L << 50;
            default -> 1L;
        };
        return (long) (size * multiplier);
    }
}
