package dev.berth.runtime.api;

import dev.berth.oci.runtime.Process;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * runc exec's options, already folded into one OCI {@link Process} (from --process JSON or
 * from args plus --cwd, --env, --user, --cap, --tty, --no-new-privs).
 */
public record ExecOptions(
        Process process,
        boolean detach,
        Optional<Path> pidFile,
        Optional<Path> consoleSocket,
        int preserveFds) {
    public ExecOptions {
        Objects.requireNonNull(process, "process");
        Objects.requireNonNull(pidFile, "pidFile");
        Objects.requireNonNull(consoleSocket, "consoleSocket");
    }
}
