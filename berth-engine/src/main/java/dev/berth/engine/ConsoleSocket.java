package dev.berth.engine;

import dev.berth.runtime.sys.Syscalls;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * runc's console socket: a unix socket under {@code <exec-root>/tty/} that the runtime connects
 * to and sends a new terminal's pty master over. Closing it removes the socket file.
 */
final class ConsoleSocket implements AutoCloseable {
    private static final int ACCEPT_MILLIS = 5000;

    private final Syscalls sys;
    private final Path path;
    private final int listener;

    private ConsoleSocket(Syscalls sys, Path path, int listener) {
        this.sys = sys;
        this.path = path;
        this.listener = listener;
    }

    /** Listens at {@code <exec-root>/tty/<first 16 of id>.sock} (sun_path is short). */
    static ConsoleSocket listen(Syscalls sys, Path execRoot, String id) throws IOException {
        Path path = execRoot.resolve("tty").resolve(id.substring(0, 16) + ".sock");
        Files.createDirectories(path.getParent());
        Files.deleteIfExists(path);
        return new ConsoleSocket(sys, path, sys.listenUnix(path));
    }

    Path path() {
        return path;
    }

    /** The pty master the runtime sent, or -1 when it did not connect in time (a runtime bug). */
    int receiveMaster() {
        int conn = sys.accept(listener, ACCEPT_MILLIS);
        if (conn < 0) {
            return -1;
        }
        try {
            return sys.receiveFd(conn);
        } finally {
            try {
                sys.close(conn);
            } catch (RuntimeException ignored) {
                // closed already
            }
        }
    }

    @Override
    public void close() {
        try {
            sys.close(listener);
        } catch (RuntimeException ignored) {
            // closed already
        }
        try {
            Files.deleteIfExists(path);
        } catch (IOException ignored) {
            // the exec root is swept at open
        }
    }
}
