package dev.berth.cli;

/** A wrong command line: printed as it is, exit status 125 (docker's status for flag errors). */
public final class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UsageException(String message) {
        super(message);
    }
}
