package dev.berth.runtime.cli;

/**
 * The command line itself is wrong (unknown flag, bad flag value, wrong argument count). Like
 * runc, the CLI answers with "Incorrect Usage" and the command's help on stdout, the message on
 * stderr, and exit status 1.
 *
 * <p>{@code flagError} tells the two runc shapes apart: flag errors repeat the message after
 * "Incorrect Usage:", argument-count errors print only "Incorrect Usage.".
 */
final class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final boolean flagError;

    private UsageException(String message, boolean flagError) {
        super(message, null, false, false);
        this.flagError = flagError;
    }

    static UsageException flag(String message) {
        return new UsageException(message, true);
    }

    static UsageException arguments(String message) {
        return new UsageException(message, false);
    }

    boolean flagError() {
        return flagError;
    }
}
