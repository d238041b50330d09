package dev.berth.client;

/**
 * The daemon answered with an error status. {@link #getMessage()} is the daemon's own message
 * (docker prints it after "Error response from daemon: ").
 */
public final class DaemonException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;

    public DaemonException(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }

    /** What the docker CLI prints for it. */
    public String describe() {
        return "Error response from daemon: " + getMessage();
    }
}
