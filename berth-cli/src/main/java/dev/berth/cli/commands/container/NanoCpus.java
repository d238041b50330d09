package dev.berth.cli.commands.container;

import java.math.BigDecimal;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** docker's {@code --cpus 1.5}: a decimal count of CPUs, sent as NanoCpus (1.5e9). */
public final class NanoCpus implements ITypeConverter<Long> {
    @Override
    public Long convert(String value) {
        BigDecimal cpus;
        try {
            cpus = new BigDecimal(value.strip());
        } catch (NumberFormatException e) {
            throw new TypeConversionException("failed to parse " + value + " as a rational number");
        }
        BigDecimal nanos = cpus.movePointRight(9);
        if (nanos.stripTrailingZeros().scale() > 0) {
            throw new TypeConversionException("value is too precise");
        }
        return nanos.longValueExact();
    }
}
