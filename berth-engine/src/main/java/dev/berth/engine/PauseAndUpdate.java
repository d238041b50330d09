package dev.berth.engine;

import dev.berth.engine.container.Container;
import dev.berth.engine.container.HostConfig;
import dev.berth.engine.container.RestartPolicy;
import dev.berth.engine.container.Status;
import dev.berth.oci.BerthException;
import dev.berth.oci.runtime.Resources;
import java.util.Optional;

/** Verbs that act on a container's cgroups without stopping it: pause, unpause (the freezer) and update (limits). */
final class PauseAndUpdate {
    private final EngineContext ctx;

    PauseAndUpdate(EngineContext ctx) {
        this.ctx = ctx;
    }

    void pause(String idOrName) {
        ctx.ensureOpen();
        ctx.table.withLockedDo(idOrName, s -> {
            Container c = s.container;
            if (c.status() == Status.PAUSED) {
                throw BerthException.conflict("Container " + c.id() + " is already paused");
            }
            if (!c.status().canPause()) {
                throw BerthException.conflict("Container " + c.id() + " is not running");
            }
            ctx.runtime.pause(c.id());
            s.container = c.withState(c.state().toStatus(Status.PAUSED));
            ctx.store.save(s.container);
            ctx.events.emit("pause", s.container);
        });
    }

    void unpause(String idOrName) {
        ctx.ensureOpen();
        ctx.table.withLockedDo(idOrName, s -> {
            Container c = s.container;
            if (!c.status().canUnpause()) {
                throw BerthException.conflict("Container " + c.id() + " is not paused");
            }
            ctx.runtime.resume(c.id());
            s.container = c.withState(c.state().toStatus(Status.RUNNING));
            ctx.store.save(s.container);
            ctx.events.emit("unpause", s.container);
        });
    }

    /**
     * docker update: new resource limits (applied to the running container's cgroups too) and
     * restart policy; fields not given keep their values.
     */
    void update(String idOrName, Optional<Long> memory, Optional<Long> memorySwap, Optional<Long> nanoCpus,
                Optional<Long> cpuShares, Optional<String> cpusetCpus, Optional<Long> pidsLimit,
                Optional<RestartPolicy> restartPolicy) {
        ctx.ensureOpen();
        ctx.table.withLockedDo(idOrName, s -> {
            Container c = s.container;
            HostConfig h = c.hostConfig();
            HostConfig updated = h.withResources(memory.orElse(h.memory()), memorySwap.orElse(h.memorySwap()),
                    nanoCpus.orElse(h.nanoCpus()), cpuShares.orElse(h.cpuShares()), cpusetCpus.orElse(h.cpusetCpus()),
                    pidsLimit.isPresent() ? pidsLimit : h.pidsLimit());
            if (restartPolicy.isPresent()) {
                updated = updated.withRestartPolicy(restartPolicy.get());
            }
            if (c.status() == Status.RUNNING || c.status() == Status.PAUSED) {
                // no device rules: those were completed with the defaults at create and stay
                var r = ctx.specs.resources(updated);
                ctx.runtime.update(c.id(), new Resources(null, r.memory(), r.cpu(), r.pids(), null, null, null, null));
            }
            s.container = new Container(c.id(), c.name(), c.created(), c.imageId(), c.config(), updated, c.path(), c.args(),
                    c.state(), c.restartCount(), c.manuallyStopped(), c.startedBefore());
            ctx.store.save(s.container);
            ctx.events.emit("update", s.container);
        });
    }
}
