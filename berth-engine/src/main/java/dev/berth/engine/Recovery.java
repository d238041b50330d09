package dev.berth.engine;

import dev.berth.engine.container.Container;
import dev.berth.engine.container.ContainerId;
import dev.berth.engine.container.Status;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What the engine does when it opens: loads every record, cleans up after a crash (containers
 * recorded as running are marked exited with 255, whatever is left of them removed; removals
 * that were under way are finished, stopped --rm containers removed), sweeps runtime states, mounts and snapshots that no
 * record owns, then starts again those their restart policy says should run.
 */
final class Recovery {
    private static final System.Logger LOG = System.getLogger(Recovery.class.getName());

    private final EngineContext ctx;
    private final RunCleanup cleanup;
    private final Launcher launcher;

    Recovery(EngineContext ctx, RunCleanup cleanup, Launcher launcher) {
        this.ctx = ctx;
        this.cleanup = cleanup;
        this.launcher = launcher;
    }

    void recover() {
        List<Slot> toRestart = new ArrayList<>();
        var layers = ctx.snapshots.containerKeys();
        for (Container c : ctx.store.loadAll()) {
            Slot s = new Slot(c);
            ctx.table.add(s);
            ctx.networking.adopt(c);
            if (!layers.contains(c.id())) {
                prepareLostLayer(c);
            }
            Status st = c.status();
            if (st == Status.REMOVING) {
                finishRemoval(s);
            } else if (st == Status.RUNNING || st == Status.PAUSED || st == Status.RESTARTING) {
                // the engine went away while the container ran (kill -9, a crash): whatever is left
                // of it is killed and cleaned up; 255 says the exit status was lost
                cleanup.afterRun(s);
                int code = st == Status.RESTARTING ? c.state().exitCode() : 255;
                s.container = s.container.withState(c.state().toExited(code, "", false, Instant.now()));
                ctx.store.save(s.container);
                if (s.restarts.shouldRestart(c.hostConfig().restartPolicy(), c.restartCount(), code,
                        c.manuallyStopped(), Duration.ZERO).isPresent() && !c.hostConfig().autoRemove()) {
                    toRestart.add(s);
                }
            } else if (c.startedBefore() && st == Status.EXITED && restartsWithDaemon(c)) {
                toRestart.add(s);
            }
            if (s.container.hostConfig().autoRemove() && s.container.startedBefore()
                    && s.container.status() == Status.EXITED) {
                // --rm whose removal a crash cut short, or a power loss undid (it is not fsynced):
                // removed now, as dockerd's restore does
                finishRemoval(s);
            }
        }
        sweepUnowned();
        ctx.networking.recoverNetworks();
        for (Slot s : toRestart) {
            s.lock.lock();
            try {
                s.container = s.container.withRestarts(s.container.restartCount() + 1, s.container.manuallyStopped());
                launcher.startLocked(s);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "restart " + s.id() + " at start-up: " + e.getMessage());
            } finally {
                s.lock.unlock();
            }
        }
    }

    /**
     * A record whose writable layer is missing: create does not fsync the layer (the record's
     * durable write right after carries it on a journaling file system), so a power loss may
     * have taken it. A new empty one on the image is what a container that never ran had.
     */
    private void prepareLostLayer(Container c) {
        LOG.log(System.Logger.Level.WARNING, "container " + c.id() + " has no writable layer: preparing an empty one");
        EngineContext.quietly(() -> ctx.snapshots.prepare(c.id(),
                ctx.images.inspect(c.imageId().toString()).topChainId().orElse(null)));
    }

    private void finishRemoval(Slot s) {
        Container c = s.container;
        try {
            cleanup.afterRun(s);
            ctx.snapshots.remove(c.id());
            ctx.store.remove(c.id());
            ctx.table.remove(c);
        } catch (RuntimeException e) {
            s.container = c.withState(c.state().toStatus(Status.DEAD));
            ctx.saveQuietly(s);
        }
    }

    /**
     * Runtime states, mounts and snapshots no record owns (a create that crashed half-way), and
     * runtime states of containers not recorded as running.
     */
    private void sweepUnowned() {
        for (var state : ctx.runtime.list()) {
            // also a container whose record does not say running: a start that was not fsynced
            // (restart policy "no") and a power loss bring back the record as created or exited
            if (!ctx.table.contains(state.id()) || !ctx.table.find(state.id()).container.state().running()) {
                EngineContext.quietly(() -> ctx.runtime.delete(state.id(), true));
            }
        }
        EngineContext.quietly(() -> ctx.mounts.unmountAll(ctx.mounts.staleMounts()));
        for (String key : ctx.snapshots.containerKeys()) {
            if (!ctx.table.contains(key) && ContainerId.isFull(key)) {
                EngineContext.quietly(() -> ctx.snapshots.remove(key));
            }
        }
    }

    /**
     * docker restarts, when the daemon starts, containers whose policy is always (even after a
     * manual stop) or unless-stopped (unless stopped by hand): they were running when it stopped.
     */
    private static boolean restartsWithDaemon(Container c) {
        return switch (c.hostConfig().restartPolicy().name()) {
            case ALWAYS -> true;
            case UNLESS_STOPPED -> !c.manuallyStopped();
            default -> false;
        };
    }
}
