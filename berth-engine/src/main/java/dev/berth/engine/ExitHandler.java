package dev.berth.engine;

import dev.berth.engine.container.Container;
import dev.berth.engine.container.ContainerState;
import dev.berth.engine.container.Status;
import dev.berth.engine.run.ExitCodes;
import dev.berth.oci.BerthException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * What happens when a container's init exits (the I/O loop reports it once its output is
 * drained): the log closed, the exit recorded, waiters completed, the run cleaned up, then the
 * restart policy (docker's backoff) or AutoRemove.
 */
final class ExitHandler {
    private static final System.Logger LOG = System.getLogger(ExitHandler.class.getName());

    private final EngineContext ctx;
    private final RunCleanup cleanup;
    private final Launcher launcher;
    private final Remover remover;

    ExitHandler(EngineContext ctx, RunCleanup cleanup, Launcher launcher, Remover remover) {
        this.ctx = ctx;
        this.cleanup = cleanup;
        this.launcher = launcher;
        this.remover = remover;
    }

    /** The I/O loop's report that run {@code run} of the container ended with {@code waitStatus}. */
    void onExit(Slot s, long run, int waitStatus) {
        s.lock.lock();
        try {
            if (s.run != run || !s.container.state().running()) {
                return;
            }
            Container c = s.container;
            String id = c.id();
            boolean oom = false;
            try {
                oom = ctx.runtime.oomKills(id) > 0;
            } catch (RuntimeException ignored) {
                // the runtime's state is gone already
            }
            // every line is in the log before anyone hears of the exit (wait, then logs)
            cleanup.closeLogger(s);
            int code = ExitCodes.fromWaitStatus(waitStatus);
            Instant now = Instant.now();
            c = c.withState(c.state().toExited(code, "", oom, now));
            boolean autoRemove = c.hostConfig().autoRemove();
            Optional<Duration> delay = Optional.empty();
            if (!s.stopping && !autoRemove && !ctx.closed) {
                delay = s.restarts.shouldRestart(c.hostConfig().restartPolicy(), c.restartCount(), code,
                        c.manuallyStopped(), Duration.between(s.startedAt, now));
            }
            if (delay.isPresent()) {
                c = c.withState(c.state().toStatus(Status.RESTARTING)).withRestarts(c.restartCount() + 1, c.manuallyStopped());
                long next = s.run;
                s.pendingRestart = ctx.timers.schedule(() -> restartAfterBackoff(s, next), delay.get().toMillis(),
                        TimeUnit.MILLISECONDS);
            }
            s.container = c;
            // die first, then the networks' disconnect events, in dockerd's order
            ctx.events.emit("die", c, Map.of("exitCode", Integer.toString(code)));
            // the networks before the waiters hear of the exit, as dockerd's: once a stop or wait
            // returns, the container's host ports and addresses are free and its rules gone
            EngineContext.quietly(() -> ctx.networking.teardown(s));
            ctx.saveRunQuietly(s);
            s.completeExit();
            // the rest of the cleanup (the runtime's container: cgroups and state; the rootfs
            // mount) after the waiters are released, still under the lock: an rm, start or
            // restart that follows the wait waits for it
            cleanup.afterRun(s);
            if (autoRemove) {
                autoRemoveLater(s);
            }
        } finally {
            s.lock.unlock();
        }
    }

    /**
     * --rm: the container goes once its run is over (after an exit, and after a start that
     * failed, as dockerd's, or the docker CLI's wait for condition=removed would never end).
     * On its own thread: the remover takes the container's lock, which the caller holds.
     */
    void autoRemoveLater(Slot s) {
        if (s.removing || ctx.closed) {
            return;
        }
        String id = s.id();
        Thread.ofVirtual().name("berth-autoremove").start(() -> {
            try {
                remover.autoRemove(id); // --rm takes the anonymous volumes along, as docker's
            } catch (BerthException e) {
                LOG.log(System.Logger.Level.WARNING, "auto-remove " + id + ": " + e.getMessage());
            }
        });
    }

    /** The restart policy's timer fired: start run {@code run}'s container again unless something changed meanwhile. */
    private void restartAfterBackoff(Slot s, long run) {
        s.lock.lock();
        try {
            if (s.run != run || s.container.status() != Status.RESTARTING || s.stopping || ctx.closed) {
                return;
            }
            launcher.startLocked(s);
        } catch (BerthException e) {
            LOG.log(System.Logger.Level.WARNING, "restart " + s.id() + ": " + e.getMessage());
            // a start that failed is an exit too: the policy decides again
            Container c = s.container;
            s.container = c.withState(new ContainerState(Status.EXITED, 0, c.state().exitCode(), c.state().error(),
                    false, c.state().startedAt(), Instant.now(), c.state().health()));
            ctx.saveQuietly(s);
            s.completeExit();
        } finally {
            s.lock.unlock();
        }
    }
}
