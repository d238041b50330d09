package dev.berth.runtime.api;

import dev.berth.oci.runtime.Process;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * runc exec's options, already folded into one OCI {@link Process} (from --process JSON or
 * from args plus --cwd, --env, --user, --cap, --tty, --no-new-privs). subCgroups (--cgroup) maps
 * a controller, or "" for every hierarchy, to a path below the container's cgroup for the process
 * to join instead of the container's cgroup itself.
 */
public record ExecOptions(
        Process process,
        boolean detach,
        Optional<Path> pidFile,
        Optional<Path> consoleSocket,
        int preserveFds,
        Map<String, String> subCgroups) {
    public ExecOptions {
        Objects.requireNonNull(process, "process");
        Objects.requireNonNull(pidFile, "pidFile");
        Objects.requireNonNull(consoleSocket, "consoleSocket");
        subCgroups = Map.copyOf(subCgroups);
    }

    public ExecOptions(Process process, boolean detach, Optional<Path> pidFile, Optional<Path> consoleSocket,
            int preserveFds) {
        this(process, detach, pidFile, consoleSocket, preserveFds, Map.of());
    }
}
