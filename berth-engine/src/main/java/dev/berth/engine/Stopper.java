package dev.berth.engine;

import dev.berth.engine.container.Container;
import dev.berth.engine.container.Status;
import dev.berth.engine.run.SignalNames;
import dev.berth.oci.BerthException;
import dev.berth.runtime.sys.Errno;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Signals and waits: docker's stop (stop signal, then SIGKILL after the timeout), kill, wait
 * (not-running, next-exit, removed), and the stop of every container at shutdown. Signals go
 * through the init's pidfd, so a reused pid is never signalled.
 */
final class Stopper {
    static final int DEFAULT_STOP_TIMEOUT = 10;
    static final Duration KILL_WAIT = Duration.ofSeconds(30);
    private static final System.Logger LOG = System.getLogger(Stopper.class.getName());

    private final EngineContext ctx;

    Stopper(EngineContext ctx) {
        this.ctx = ctx;
    }

    /**
     * Stops the container: its StopSignal (default SIGTERM), then SIGKILL after the timeout
     * (seconds; empty: the container's StopTimeout, else 10; negative: wait forever). False when
     * it was not running. {@code byUser}: docker's HasBeenManuallyStopped, so it does not restart.
     */
    boolean stop(Slot s, Optional<Integer> timeoutSeconds, boolean byUser) {
        CompletableFuture<WaitResult> exit;
        int timeout;
        s.lock.lock();
        try {
            Container c = s.container;
            if (c.status() == Status.RESTARTING) {
                s.cancelRestart();
                s.container = c.withState(c.state().toStatus(Status.EXITED)).withRestarts(c.restartCount(), byUser || c.manuallyStopped());
                ctx.store.save(s.container);
                s.completeExit();
                return true;
            }
            if (!c.state().running()) {
                return false;
            }
            s.stopping = true;
            if (byUser) {
                s.container = c.withRestarts(c.restartCount(), true);
                ctx.store.save(s.container);
            }
            int signal = c.config().stopSignal().isEmpty() ? SignalNames.SIGTERM : SignalNames.parse(c.config().stopSignal());
            timeout = timeoutSeconds.orElse(c.config().stopTimeout().orElse(DEFAULT_STOP_TIMEOUT));
            exit = s.nextExit;
            if (c.status() == Status.PAUSED) {
                EngineContext.quietly(() -> ctx.runtime.resume(c.id()));
            }
            signal(s, signal);
        } finally {
            s.lock.unlock();
        }
        if (await(exit, timeout < 0 ? null : Duration.ofSeconds(timeout))) {
            ctx.events.emit("stop", s.container);
            return true;
        }
        s.lock.lock();
        try {
            if (s.nextExit == exit) {
                signal(s, SignalNames.SIGKILL);
            }
        } finally {
            s.lock.unlock();
        }
        awaitKilled(s, exit);
        ctx.events.emit("stop", s.container);
        return true;
    }

    /** docker kill: sends the signal (default KILL); CONFLICT when the container is not running. */
    void kill(String idOrName, String signalName) {
        ctx.ensureOpen();
        int signal = SignalNames.parse(signalName == null || signalName.isEmpty() ? "KILL" : signalName);
        ctx.table.withLockedDo(idOrName, s -> {
            Container c = s.container;
            if (c.status() == Status.RESTARTING) {
                s.cancelRestart();
                s.container = c.withState(c.state().toStatus(Status.EXITED)).withRestarts(c.restartCount(), true);
                ctx.store.save(s.container);
                s.completeExit();
                return;
            }
            if (!c.status().canSignal()) {
                throw BerthException.conflict("Cannot kill container: " + c.id() + ": Container " + c.id() + " is not running");
            }
            // docker marks a killed container as stopped by hand: unless-stopped leaves it, always restarts it
            s.container = c.withRestarts(c.restartCount(), true);
            ctx.store.save(s.container);
            if (c.status() == Status.PAUSED && signal == SignalNames.SIGKILL) {
                EngineContext.quietly(() -> ctx.runtime.resume(c.id()));
            }
            signal(s, signal);
            ctx.events.emit("kill", c, Map.of("signal", Integer.toString(signal)));
        });
    }

    /** Sends a signal to the init through its pidfd; an init that exited meanwhile is left to its exit handler. */
    void signal(Slot s, int signal) {
        try {
            ctx.sys.pidfdSendSignal(s.signalFd, signal);
        } catch (Errno e) {
            if (e.errno() != Errno.ESRCH) {
                throw BerthException.internal("signal container " + s.id() + ": " + e.getMessage(), e);
            }
        }
    }

    /** Waits for an exit that SIGKILL was sent for; INTERNAL when it did not come (a process stuck in the kernel). */
    static void awaitKilled(Slot s, CompletableFuture<WaitResult> exit) {
        if (!await(exit, KILL_WAIT)) {
            throw BerthException.internal("container " + s.id() + " did not exit within " + KILL_WAIT.toSeconds()
                    + "s of SIGKILL");
        }
    }

    /**
     * docker wait. The future completes with the exit code when the condition is met: not-running
     * (now, if it is not running), next-exit, or removed. Cancel it to stop waiting.
     */
    CompletableFuture<WaitResult> waitFor(String idOrName, WaitCondition condition) {
        return ctx.table.withLocked(idOrName, s -> {
            Container c = s.container;
            return switch (condition) {
                case NOT_RUNNING -> c.state().running()
                        ? s.nextExit.copy()
                        : CompletableFuture.completedFuture(WaitResult.of(c.state().exitCode(), c.state().error()));
                case NEXT_EXIT -> s.nextExit.copy();
                case REMOVED -> s.removed.copy();
            };
        });
    }

    /** waitFor, blocking up to timeout. */
    WaitResult await(String idOrName, WaitCondition condition, Duration timeout) {
        CompletableFuture<WaitResult> f = waitFor(idOrName, condition);
        try {
            return f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw BerthException.precondition("container " + idOrName + " still running after " + timeout);
        } catch (ExecutionException e) {
            throw BerthException.internal("wait " + idOrName + ": " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw BerthException.internal("interrupted waiting for " + idOrName, e);
        }
    }

    /** True when the exit came within the timeout (null: wait forever). */
    static boolean await(CompletableFuture<WaitResult> f, Duration timeout) {
        try {
            if (timeout == null) {
                f.get();
            } else {
                f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            }
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Stops every running container in parallel (its stop signal, SIGKILL after the timeout)
     * without marking it stopped by hand, so always and unless-stopped bring it back at the
     * next open; pending restarts are cancelled.
     */
    void stopAll(Duration timeout) {
        List<Thread> stoppers = new ArrayList<>();
        for (Slot s : ctx.table.slots()) {
            s.lock.lock();
            try {
                if (s.container.status() == Status.RESTARTING) {
                    s.cancelRestart();
                    s.container = s.container.withState(s.container.state().toStatus(Status.EXITED));
                    ctx.saveQuietly(s);
                    s.completeExit();
                }
            } finally {
                s.lock.unlock();
            }
            if (s.container.state().running()) {
                stoppers.add(Thread.ofVirtual().start(() -> {
                    try {
                        stop(s, Optional.of((int) timeout.toSeconds()), false);
                    } catch (RuntimeException e) {
                        LOG.log(System.Logger.Level.WARNING, "stop " + s.id() + ": " + e.getMessage());
                    }
                }));
            }
        }
        for (Thread t : stoppers) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        // a stop returns once its waiters are released, while the exit handler still holds the
        // container's lock for the rest of the cleanup (runtime state, cgroups, the rootfs
        // mount): taking every lock once waits for those, so the daemon does not exit before
        // them and leave a mount behind
        for (Slot s : ctx.table.slots()) {
            s.lock.lock();
            s.lock.unlock();
        }
    }
}
