package dev.berth.engine;

import dev.berth.oci.BerthException;

/**
 * What a run of a container leaves behind and the engine removes when it ends (exit, forced
 * removal, recovery after a crash): the runtime's container (cgroups, state), the rootfs
 * mount, the log writer, the pidfd, stdin and the terminal, and its networking (endpoints,
 * namespace, addresses, host ports: after the runtime's delete, once no process uses them).
 */
final class RunCleanup {
    private static final System.Logger LOG = System.getLogger(RunCleanup.class.getName());

    private final EngineContext ctx;

    RunCleanup(EngineContext ctx) {
        this.ctx = ctx;
    }

    /** Removes everything of the run; the caller holds the slot's lock (or owns the slot alone). */
    void afterRun(Slot s) {
        String id = s.id();
        HealthMonitor.stop(s);
        try {
            ctx.runtime.delete(id, true);
        } catch (BerthException e) {
            if (e.kind() != BerthException.Kind.NOT_FOUND) {
                LOG.log(System.Logger.Level.WARNING, "delete " + id + " in the runtime: " + e.getMessage());
            }
        }
        EngineContext.quietly(() -> ctx.mounts.unmount(id));
        EngineContext.quietly(() -> ctx.networking.teardown(s));
        closeLogger(s);
        if (s.signalFd >= 0) {
            ctx.closeQuietly(s.signalFd);
            s.signalFd = -1;
        }
        closeStdin(s);
        synchronized (s.stdinLock) {
            if (s.ttyFd >= 0) {
                ctx.closeQuietly(s.ttyFd);
                s.ttyFd = -1;
            }
        }
    }

    void closeLogger(Slot s) {
        if (s.logger != null) {
            s.logger.close();
            s.logger = null;
        }
    }

    /** Closes our end of the container's stdin pipe: the program reads its end of input. */
    void closeStdin(Slot s) {
        synchronized (s.stdinLock) {
            if (s.stdinFd >= 0) {
                ctx.closeQuietly(s.stdinFd);
                s.stdinFd = -1;
            }
        }
    }
}
