package dev.berth.engine;

import dev.berth.engine.container.ConfigMerge;
import dev.berth.engine.container.Container;
import dev.berth.engine.container.ContainerConfig;
import dev.berth.engine.container.ContainerId;
import dev.berth.engine.container.ContainerName;
import dev.berth.engine.container.ContainerState;
import dev.berth.engine.container.HostConfig;
import dev.berth.engine.container.NameGenerator;
import dev.berth.engine.logs.LogOptions;
import dev.berth.image.store.Image;
import dev.berth.oci.BerthException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * docker create (the config merged with the image's, volumes made, a name reserved, the
 * writable snapshot prepared, the record written) and docker rename.
 */
final class CreateAndRename {
    private final EngineContext ctx;
    private final ContainerVolumes volumes;

    CreateAndRename(EngineContext ctx, ContainerVolumes volumes) {
        this.ctx = ctx;
        this.volumes = volumes;
    }

    Container create(CreateRequest request) {
        ctx.ensureOpen();
        ContainerConfig requested = request.config();
        if (requested.image().isEmpty()) {
            throw BerthException.invalid("config.Image: must not be empty");
        }
        Image image = ctx.images.inspect(requested.image());
        ContainerConfig merged = ConfigMerge.merge(requested, image.config().config());
        List<String> argv = ConfigMerge.commandLine(merged);
        HealthMonitor.command(merged.healthcheck()); // an unknown test type is the request's error
        LogOptions.from(request.hostConfig().logConfig().config(), ctx.options.logDefaults());
        Optional<ContainerName> wanted = request.name().map(ContainerName::of);
        String id = ContainerId.generate();
        HostConfig hostConfig = volumes.forCreate(request.hostConfig(), image.config().config().volumes());
        ContainerNetworking.Placement placement = ctx.networking.forCreate(request);
        hostConfig = hostConfig.withNetworkMode(placement.mode());
        Container c;
        synchronized (ctx.table) {
            ContainerName name = wanted.orElseGet(() -> NameGenerator.generate(ctx.table::nameTaken));
            // reserve the name before the slow part, so two creates cannot both take it
            ctx.table.reserveName(name, id);
            c = new Container(id, name, Instant.now(), image.id(), merged, hostConfig, argv.getFirst(),
                    argv.subList(1, argv.size()), ContainerState.created(), 0, false, false, placement.networks());
        }
        boolean ok = false;
        try {
            ctx.store.create(id);
            ctx.snapshots.prepare(id, image.topChainId().orElse(null));
            volumes.populate(c);
            ctx.store.saveNew(c);
            ok = true;
        } finally {
            if (!ok) {
                ctx.table.releaseName(c.name());
                EngineContext.quietly(() -> ctx.snapshots.remove(id));
                EngineContext.quietly(() -> ctx.store.remove(id));
            }
        }
        ctx.table.add(new Slot(c));
        ctx.events.emit("create", c);
        return c;
    }

    void rename(String idOrName, String newName) {
        ctx.ensureOpen();
        Slot s = ctx.table.find(idOrName);
        ContainerName name = ContainerName.of(newName);
        s.lock.lock();
        try {
            Container c = s.container;
            ctx.table.rename(c, name);
            s.container = c.withName(name);
            ctx.store.save(s.container);
            ctx.events.emit("rename", s.container, Map.of("oldName", c.name().value()));
        } finally {
            s.lock.unlock();
        }
    }
}
