package dev.berth.engine;

import dev.berth.engine.container.Container;
import dev.berth.oci.BerthException;
import java.io.OutputStream;

/** The running container's stdin for attach: its pipe (-i) or its terminal (-t). */
final class ContainerStdin {
    private final EngineContext ctx;
    private final RunCleanup cleanup;

    ContainerStdin(EngineContext ctx, RunCleanup cleanup) {
        this.ctx = ctx;
        this.cleanup = cleanup;
    }

    /**
     * A stream to the container's stdin (created with OpenStdin). Closing it closes the
     * container's stdin when it was created with StdinOnce (docker run -i is), so a program
     * reading to EOF ends; otherwise, and always with a terminal, it only detaches.
     */
    OutputStream open(String idOrName) {
        return ctx.table.withLocked(idOrName, s -> {
            Container c = s.container;
            if (!c.config().openStdin()) {
                throw BerthException.precondition("container " + c.id() + " was not created with OpenStdin");
            }
            boolean tty = c.config().tty();
            int fd = tty ? s.ttyFd : s.stdinFd;
            if (fd < 0 || !c.state().running()) {
                throw BerthException.conflict("Container " + c.id() + " is not running");
            }
            long run = s.run;
            Runnable onClose = () -> {
                // with a terminal the program sees the end of input as the user's ^D; the pty stays
                if (c.config().stdinOnce() && !tty) {
                    s.lock.lock();
                    try {
                        if (s.run == run) {
                            cleanup.closeStdin(s);
                        }
                    } finally {
                        s.lock.unlock();
                    }
                }
            };
            // the check runs under stdinLock: the fd is never closed (and its number reused) mid-write
            return new GuardedFdOutput(ctx.sys, fd, s.stdinLock, () -> s.run == run && (tty ? s.ttyFd : s.stdinFd) == fd,
                    onClose, "container " + c.id() + ": stdin is closed");
        });
    }
}
