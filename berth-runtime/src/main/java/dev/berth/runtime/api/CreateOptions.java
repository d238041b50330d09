package dev.berth.runtime.api;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * runc create's options. bundle is the directory holding config.json; pidFile, when present,
 * receives the init's host pid; consoleSocket, when present, receives the pty master (required
 * when process.terminal is true and the caller is not attached); preserveFds passes fds 3..3+n-1
 * through to the container.
 */
public record CreateOptions(
        String id,
        Path bundle,
        Optional<Path> pidFile,
        Optional<Path> consoleSocket,
        boolean noPivot,
        boolean noNewKeyring,
        int preserveFds) {
    public CreateOptions {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(bundle, "bundle");
        Objects.requireNonNull(pidFile, "pidFile");
        Objects.requireNonNull(consoleSocket, "consoleSocket");
        if (preserveFds < 0) {
            throw dev.berth.oci.BerthException.invalid("--preserve-fds must not be negative: " + preserveFds);
        }
    }

    public static CreateOptions of(String id, Path bundle) {
        return new CreateOptions(id, bundle, Optional.empty(), Optional.empty(), false, false, 0);
    }
}
