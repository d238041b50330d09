package dev.berth.cli;

/** A command failed with a message to print as it is and an exit status (1 unless said). */
public final class CommandFailed extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;

    public CommandFailed(String message) {
        this(message, 1);
    }

    public CommandFailed(String message, int status) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
