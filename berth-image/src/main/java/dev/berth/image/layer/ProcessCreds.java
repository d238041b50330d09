package dev.berth.image.layer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * This process's effective uid and umask, read once from /proc/self/status: they tell which
 * chown and chmod calls after a create can be skipped (a root-owned 0644 file needs neither).
 */
final class ProcessCreds {
    static final int EUID;
    static final int EGID;
    /** -1 when unknown: then every mode is set explicitly. */
    static final int UMASK;

    static {
        int euid = -1;
        int egid = -1;
        int umask = -1;
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    euid = Integer.parseInt(line.split("\\s+")[2]);
                } else if (line.startsWith("Gid:")) {
                    egid = Integer.parseInt(line.split("\\s+")[2]);
                } else if (line.startsWith("Umask:")) {
                    umask = Integer.parseInt(line.substring(6).trim(), 8);
                }
            }
        } catch (IOException | RuntimeException e) {
            // stay conservative: unknown ids and umask mean "always chown and chmod"
        }
        EUID = euid;
        EGID = egid;
        UMASK = umask;
    }

    private ProcessCreds() {
    }

    static boolean isRoot() {
        return EUID == 0;
    }

    /** True when a file created with {@code 0666}/{@code 0777} already has {@code mode}. */
    static boolean createdWith(int mode, int createMode) {
        return UMASK >= 0 && (mode & ~0777) == 0 && (createMode & ~UMASK) == mode;
    }
}
