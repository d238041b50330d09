package dev.berth.cli.container;

/**
 * A run/create failure docker reports as {@code docker: <message>} followed by a pointer to the
 * command's help, status 125 unless said (126/127 for start failures).
 */
public final class RunException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;

    public RunException(String message) {
        this(message, 125);
    }

    public RunException(String message, int status) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
