package dev.berth.engine;

import java.util.concurrent.CompletableFuture;

/** An exec process's live state, guarded by its container's slot lock. */
final class ExecSlot {
    final String id;
    final Slot container;
    final ExecConfig config;
    /** The StartedAt of the container's run the exec was created in: it belongs to that run only. */
    final java.time.Instant run;
    final CompletableFuture<Integer> exit = new CompletableFuture<>();
    boolean started;
    boolean running;
    int pid;
    Integer exitCode;
    volatile int stdinFd = -1;
    /** The pty master of an exec with Tty, else -1 (guarded by stdinLock). */
    int ttyFd = -1;
    final Object stdinLock = new Object();

    ExecSlot(String id, Slot container, ExecConfig config) {
        this.id = id;
        this.container = container;
        this.config = config;
        this.run = container.container.state().startedAt();
    }

    /**
     * Whether the container's ExecIDs list it, as dockerd's: created or running in the container's
     * current run; an exec that ended (or could not start) leaves the list but stays inspectable.
     */
    boolean listed() {
        var state = container.container.state();
        return exitCode == null && state.running() && state.startedAt().equals(run);
    }

    ExecInstance snapshot() {
        return new ExecInstance(id, container.id(), config, running, running ? pid : 0, java.util.Optional.ofNullable(exitCode));
    }
}
