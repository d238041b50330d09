package dev.berth.engine;

import java.util.concurrent.CompletableFuture;

/** An exec process's live state, guarded by its container's slot lock. */
final class ExecSlot {
    final String id;
    final Slot container;
    final ExecConfig config;
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
    }

    ExecInstance snapshot() {
        return new ExecInstance(id, container.id(), config, running, running ? pid : 0, java.util.Optional.ofNullable(exitCode));
    }
}
