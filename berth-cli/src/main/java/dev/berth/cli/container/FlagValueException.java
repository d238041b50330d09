package dev.berth.cli.container;

/**
 * A flag value docker's flag parser would refuse: printed as {@code invalid argument "x" for
 * "-m, --memory" flag: invalid size: 'x'} with the usage lines, status 125.
 */
public final class FlagValueException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public FlagValueException(String flag, String value, String reason) {
        super("invalid argument \"" + value + "\" for \"" + flag + "\" flag: " + reason);
    }
}
