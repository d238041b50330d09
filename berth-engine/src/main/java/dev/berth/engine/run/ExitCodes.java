package dev.berth.engine.run;

/**
 * Exit codes as docker records them. A program that ran: its code, or 128+n when signal n
 * killed it. One that could not start: 127 when the program does not exist, 126 when it cannot
 * be executed, 128 for other start failures (docker's daemon/start.go); the CLI turns any other
 * daemon error into its own 125.
 */
public final class ExitCodes {
    public static final int NOT_FOUND = 127;
    public static final int CANNOT_INVOKE = 126;
    public static final int START_FAILED = 128;

    private ExitCodes() {}

    /** From a waitpid status word. */
    public static int fromWaitStatus(int status) {
        int sig = status & 0x7f;
        return sig == 0 ? (status >> 8) & 0xff : 128 + sig;
    }

    /** From berth-init's (runc's) words about a failed start. */
    public static int forStartError(String message) {
        String m = message == null ? "" : message;
        if (m.startsWith("error while mounting volume")) {
            return START_FAILED; // the daemon's failure before the program ran (dockerd: 128 and a 500), whatever errno it names
        }
        if (m.contains("executable file not found") || m.contains("no such file or directory")) {
            return NOT_FOUND;
        }
        if (m.contains("permission denied")) {
            return CANNOT_INVOKE;
        }
        return START_FAILED;
    }

    /** Whether docker reports this start failure as the user's mistake (400) rather than the daemon's (500). */
    public static boolean isUserError(int code) {
        return code == NOT_FOUND || code == CANNOT_INVOKE;
    }
}
