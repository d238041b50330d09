package dev.berth.engine.container;

import dev.berth.oci.BerthException;
import java.util.regex.Pattern;

/**
 * A container's name, kept as docker keeps it: with a leading slash ({@code /web}). Docker's
 * rule: {@code [a-zA-Z0-9][a-zA-Z0-9_.-]+}, an optional leading slash accepted on input.
 */
public record ContainerName(String value) {
    private static final Pattern VALID = Pattern.compile("^/?[a-zA-Z0-9][a-zA-Z0-9_.-]+$");

    public ContainerName {
        if (value == null || !VALID.matcher(value).matches()) {
            // docker's words (daemon/names.go)
            throw BerthException.invalid("Invalid container name (" + (value == null ? "" : value)
                    + "), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed");
        }
        if (!value.startsWith("/")) {
            value = "/" + value;
        }
    }

    public static ContainerName of(String name) {
        return new ContainerName(name);
    }

    /** Without the slash, as {@code docker ps} prints it. */
    public String bare() {
        return value.substring(1);
    }

    @Override
    public String toString() {
        return value;
    }
}
