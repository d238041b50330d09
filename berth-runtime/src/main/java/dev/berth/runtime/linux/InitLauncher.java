package dev.berth.runtime.linux;

import dev.berth.runtime.plan.LaunchPlan;

/**
 * Starts berth-init with a plan and returns once the new process exists (its pid known).
 *
 * <p>Two ways: {@link FdInitLauncher} spawns with posix_spawn through FFM and passes a socket
 * and exact fds, and the process becomes the caller's child (CLONE_PARENT) — the daemon's way,
 * no extra process per container. {@link PipeInitLauncher} uses ProcessBuilder and pipes, and
 * berth-init copies the caller's stdio and preserved fds with pidfd_getfd — the CLI's way,
 * because binding native functions through FFM costs ~100 ms of JVM start-up per command.
 */
interface InitLauncher {
    /**
     * @param stay the caller will wait for the process to exit ({@link InitProcess#waitExit})
     * @param preserveFds fds 3..3+n-1 of the caller to pass on
     */
    InitProcess launch(LaunchPlan plan, boolean stay, int preserveFds);

    /** launch with the process's stdio on the given fds (the library's way; the CLI's launcher only inherits). */
    default InitProcess launch(LaunchPlan plan, boolean stay, int preserveFds, dev.berth.runtime.api.Stdio stdio) {
        if (!stdio.inherits()) {
            throw dev.berth.oci.BerthException.unsupported("this launcher passes on only the caller's own stdio");
        }
        return launch(plan, stay, preserveFds);
    }

    /** Reaps pid if it is the caller's child and has exited; no-op otherwise. */
    void reap(int pid);
}
