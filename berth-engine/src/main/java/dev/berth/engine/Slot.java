package dev.berth.engine;

import dev.berth.engine.container.Container;
import dev.berth.engine.logs.JsonFileLogger;
import dev.berth.engine.logs.LogEntry;
import dev.berth.engine.run.RestartManager;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * The engine's live view of one container: its record plus what only exists while it runs
 * (the pidfd the engine signals through, the log writer, waiters, a pending restart). Every
 * lifecycle verb holds {@link #lock} while it refreshes, guards, acts and persists.
 */
final class Slot implements dev.berth.engine.run.IoLoop.BatchSink {
    final ReentrantLock lock = new ReentrantLock();
    final RestartManager restarts = new RestartManager();
    final List<Consumer<LogEntry>> listeners = new CopyOnWriteArrayList<>();
    final CompletableFuture<WaitResult> removed = new CompletableFuture<>();

    volatile Container container;
    /**
     * The terminal size the client had at create (HostConfig.ConsoleSize), given to the pty
     * before the program starts so that it does not see 0x0 until the first resize. Kept in
     * memory only: after a daemon restart the client's resize does it.
     */
    volatile dev.berth.oci.runtime.ConsoleSize initialConsoleSize;
    /** Counts starts, so that the exit of an earlier run is never taken for the current one's. */
    long run;
    int signalFd = -1;
    /** Our end of the container's stdin pipe (OpenStdin), else -1; changed under {@link #stdinLock}. */
    volatile int stdinFd = -1;
    /** The pty master of a container with a terminal (-t): its stdin and what resize acts on; else -1. */
    volatile int ttyFd = -1;
    final Object stdinLock = new Object();
    JsonFileLogger logger;
    Instant startedAt = Instant.EPOCH;
    /** A stop, forced removal or shutdown is under way: the coming exit must not restart it. */
    boolean stopping;
    boolean removing;
    ScheduledFuture<?> pendingRestart;
    ScheduledFuture<?> healthProbe;
    final java.util.concurrent.atomic.AtomicBoolean probing = new java.util.concurrent.atomic.AtomicBoolean();
    CompletableFuture<WaitResult> nextExit = new CompletableFuture<>();
    /** What the current run holds on its networks (namespace, endpoints, host ports); null when none. */
    NetworkRun netRun;

    Slot(Container container) {
        this.container = container;
    }

    String id() {
        return container.id();
    }

    /** Cancels a scheduled restart; the run count moves on, so a restart timer already firing does nothing. */
    void cancelRestart() {
        if (pendingRestart != null) {
            pendingRestart.cancel(false);
            pendingRestart = null;
        }
        run++;
    }

    /** Completes the waiters of the next exit with the recorded exit code and error, and arms new ones. */
    void completeExit() {
        CompletableFuture<WaitResult> done = nextExit;
        nextExit = new CompletableFuture<>();
        done.complete(WaitResult.of(container.state().exitCode(), container.state().error()));
    }

    /** One line of the container's output from the I/O loop: to the log (flushed at the read's end) and to listeners. */
    @Override
    public void accept(LogEntry e) {
        JsonFileLogger l = logger;
        if (l != null) {
            l.append(e);
        }
        for (Consumer<LogEntry> listener : listeners) {
            try {
                listener.accept(e);
            } catch (RuntimeException ignored) {
                // a client that went away must not stop the logging
            }
        }
    }

    @Override
    public void endOfBatch() {
        JsonFileLogger l = logger;
        if (l != null) {
            l.flush();
        }
    }
}
