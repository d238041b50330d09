package dev.berth.engine;

import dev.berth.engine.container.Container;
import dev.berth.engine.container.Status;
import dev.berth.engine.run.SignalNames;
import dev.berth.oci.BerthException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * docker rm (force kills first; -v takes the anonymous volumes along) and container prune.
 * Removal marks the container REMOVING, cleans up its run, removes its writable layer, logs
 * and record; a failure half-way leaves it DEAD, as docker's.
 */
final class Remover {
    private final EngineContext ctx;
    private final Stopper stopper;
    private final RunCleanup cleanup;
    private final ExecManager execs;
    private final ContainerVolumes volumes;

    Remover(EngineContext ctx, Stopper stopper, RunCleanup cleanup, ExecManager execs, ContainerVolumes volumes) {
        this.ctx = ctx;
        this.stopper = stopper;
        this.cleanup = cleanup;
        this.execs = execs;
        this.volumes = volumes;
    }

    void remove(String idOrName, boolean force, boolean removeVolumes) {
        remove(idOrName, force, removeVolumes, true);
    }

    /**
     * --rm's removal after the exit, with the anonymous volumes. Not fsynced: if a power loss
     * undoes it, the next open removes the stopped AutoRemove container again (as dockerd's
     * restore does).
     */
    void autoRemove(String id) {
        remove(id, false, true, false);
    }

    private void remove(String idOrName, boolean force, boolean removeVolumes, boolean durable) {
        ctx.ensureOpen();
        List<String> anonymous = removeVolumes ? volumes.anonymousOf(ctx.table.find(idOrName).container) : List.of();
        removeContainer(idOrName, force, durable);
        anonymous.forEach(volumes::removeIfUnused);
    }

    /** docker container prune: removes every stopped container (created, exited, dead); returns their ids. */
    List<String> prune() {
        ctx.ensureOpen();
        List<String> removed = new ArrayList<>();
        for (Container c : ctx.table.list(true)) {
            if (c.status().canRemove()) {
                try {
                    remove(c.id(), false, false);
                    removed.add(c.id());
                } catch (BerthException e) {
                    // started or removed meanwhile
                }
            }
        }
        return removed;
    }

    private void removeContainer(String idOrName, boolean force, boolean durable) {
        Slot s = ctx.table.find(idOrName);
        CompletableFuture<WaitResult> exit = null;
        s.lock.lock();
        try {
            Container c = s.container;
            if (s.removing || c.status() == Status.REMOVING) {
                throw BerthException.conflict("removal of container " + c.id() + " is already in progress");
            }
            if (c.status() == Status.RESTARTING) {
                if (!force) {
                    throw BerthException.conflict("cannot remove container \"" + c.name().value()
                            + "\": container is restarting: stop the container before removing or force remove");
                }
                s.cancelRestart();
            } else if (c.state().running()) {
                if (!force) {
                    throw BerthException.conflict("cannot remove container \"" + c.name().value()
                            + "\": container is " + c.status().word() + ": stop the container before removing or force remove");
                }
                s.stopping = true;
                exit = s.nextExit;
                if (c.status() == Status.PAUSED) {
                    EngineContext.quietly(() -> ctx.runtime.resume(c.id()));
                }
                stopper.signal(s, SignalNames.SIGKILL);
            }
            s.removing = true;
        } finally {
            s.lock.unlock();
        }
        if (exit != null) {
            try {
                Stopper.awaitKilled(s, exit);
            } catch (BerthException e) {
                s.removing = false;
                throw e;
            }
        }
        s.lock.lock();
        try {
            Container c = s.container;
            s.container = c.withState(c.state().toStatus(Status.REMOVING));
            try {
                cleanup.afterRun(s);
                // the record goes first, durably: a crash after it leaves a snapshot no record
                // owns, which the next open sweeps; the files themselves are deleted off this path
                ctx.store.detach(c.id(), durable).ifPresent(ctx.deletes::delete);
                String id = c.id();
                EngineContext.quietly(() -> ctx.snapshots.detach(id).ifPresent(ctx.deletes::delete));
            } catch (RuntimeException e) {
                s.container = c.withState(c.state().toStatus(Status.DEAD));
                s.removing = false;
                ctx.saveQuietly(s);
                throw e;
            }
            ctx.table.remove(c);
            execs.forgetAll(s);
            s.completeExit();
            s.removed.complete(WaitResult.of(c.state().exitCode(), ""));
            ctx.events.emit("destroy", c);
        } finally {
            s.lock.unlock();
        }
    }
}
