package dev.berth.engine;

import dev.berth.engine.archive.ContainerFs;
import dev.berth.engine.container.Container;
import dev.berth.engine.container.HostConfig;
import dev.berth.engine.container.MountSpec;
import dev.berth.engine.volume.TreeCopy;
import dev.berth.engine.volume.Volume;
import dev.berth.oci.BerthException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Volumes as containers use them: those a create makes (named ones if missing, anonymous ones
 * for unnamed volume mounts and the image's VOLUMEs), and docker's volume verbs, which must
 * know which containers name a volume.
 */
final class ContainerVolumes {
    private final EngineContext ctx;

    ContainerVolumes(EngineContext ctx) {
        this.ctx = ctx;
    }

    /**
     * Volumes a container gets at create, as docker gives them: a named one is made if missing;
     * a volume mount without a name, and each VOLUME of the image no mount covers, gets an
     * anonymous one. Returns the host config with those anonymous volumes named.
     */
    HostConfig forCreate(HostConfig h, Set<String> imageVolumes) {
        List<MountSpec> mountsOut = new ArrayList<>();
        Set<String> targets = new HashSet<>();
        for (MountSpec m : h.allMounts()) {
            targets.add(m.target());
            if (m.type() == MountSpec.Type.VOLUME && !m.source().isEmpty()) {
                ctx.volumes.create(Optional.of(m.source()), Map.of());
            }
        }
        boolean changed = false;
        for (MountSpec m : h.mounts()) {
            if (m.type() == MountSpec.Type.VOLUME && m.source().isEmpty()) {
                m = m.withSource(ctx.volumes.create(Optional.empty(), Map.of()).name());
                changed = true;
            }
            mountsOut.add(m);
        }
        for (String path : new TreeSet<>(imageVolumes)) {
            if (!targets.contains(path)) {
                mountsOut.add(MountSpec.volume(ctx.volumes.create(Optional.empty(), Map.of()).name(), path, false));
                changed = true;
            }
        }
        return changed ? h.withMounts(h.binds(), mountsOut, h.readonlyRootfs()) : h;
    }

    /**
     * docker's copy of the image's files into new volumes: each volume mount (named or
     * anonymous, not nocopy) whose volume is still empty gets what the image has at its path
     * (a directory resolved in the image's scope), owner and mode of that directory included.
     * The snapshot is mounted only when some volume needs it. The caller holds the container.
     */
    void populate(Container c) {
        List<MountSpec> wanted = new ArrayList<>();
        for (MountSpec m : c.hostConfig().allMounts()) {
            if (m.type() == MountSpec.Type.VOLUME && !m.noCopy()) {
                Volume v = ctx.volumes.get(m.source());
                // a volume with a device is only looked into with it mounted: below, if the image has files there
                if (v.options().mounted() || isEmpty(v.mountpoint())) {
                    wanted.add(m);
                }
            }
        }
        if (wanted.isEmpty()) {
            return;
        }
        String holder = "create " + c.id();
        Path rootfs = ctx.mounts.mount(c.id(), ctx.snapshots.mount(c.id()));
        try {
            ContainerFs image = new ContainerFs(rootfs, List.of());
            TreeCopy copy = new TreeCopy(ctx.sys);
            for (MountSpec m : wanted) {
                Path source = image.resolve(m.target(), true).host();
                if (!Files.isDirectory(source, LinkOption.NOFOLLOW_LINKS)) {
                    continue;
                }
                Volume v = ctx.volumes.get(m.source());
                if (v.options().mounted()) {
                    // as dockerd: mounted for the copy and unmounted after (a tmpfs loses it again)
                    ctx.volumes.mountFor(holder, List.of(v.name()));
                    if (!isEmpty(v.mountpoint())) {
                        continue;
                    }
                }
                copy.copyContents(source, v.mountpoint());
            }
        } finally {
            EngineContext.quietly(() -> ctx.volumes.unmountFor(holder));
            EngineContext.quietly(() -> ctx.mounts.unmount(c.id()));
        }
    }

    private static boolean isEmpty(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isEmpty();
        } catch (IOException e) {
            throw BerthException.internal("list " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The anonymous volumes the container mounts (docker rm -v removes those, named ones stay). */
    List<String> anonymousOf(Container c) {
        List<String> anonymous = new ArrayList<>();
        for (MountSpec m : c.hostConfig().allMounts()) {
            if (m.type() == MountSpec.Type.VOLUME) {
                ctx.volumes.find(m.source()).filter(Volume::anonymous).ifPresent(v -> anonymous.add(v.name()));
            }
        }
        return anonymous;
    }

    /** Removes the volume unless a container still names it. */
    void removeIfUnused(String name) {
        synchronized (ctx.table) {
            if (ctx.table.volumeUsers(name).isEmpty()) {
                EngineContext.quietly(() -> ctx.volumes.remove(name));
            }
        }
    }

    Volume create(Optional<String> name, Map<String, String> labels, Map<String, String> driverOptions) {
        ctx.ensureOpen();
        return ctx.volumes.create(name, labels, driverOptions);
    }

    /** The names of the volumes the container mounts. */
    static List<String> namesOf(Container c) {
        return c.hostConfig().allMounts().stream().filter(m -> m.type() == MountSpec.Type.VOLUME).map(MountSpec::source).toList();
    }

    List<Volume> list() {
        return ctx.volumes.list();
    }

    /** NOT_FOUND "get x: no such volume". */
    Volume inspect(String name) {
        return ctx.volumes.get(name);
    }

    List<String> users(String name) {
        return ctx.table.volumeUsers(name);
    }

    /** docker volume rm: CONFLICT "remove x: volume is in use - [ids]" while a container names it (force or not, as docker). */
    void remove(String name, boolean force) {
        ctx.ensureOpen();
        ctx.volumes.get(name);
        synchronized (ctx.table) {
            List<String> users = ctx.table.volumeUsers(name);
            if (!users.isEmpty()) {
                throw BerthException.conflict("remove " + name + ": volume is in use - [" + String.join(", ", users) + "]");
            }
            ctx.volumes.remove(name);
        }
    }

    /** docker volume prune: unused anonymous volumes (with all: every unused volume); returns their names. */
    List<String> prune(boolean all) {
        ctx.ensureOpen();
        List<String> removed = new ArrayList<>();
        synchronized (ctx.table) {
            for (Volume v : ctx.volumes.list()) {
                if ((all || v.anonymous()) && ctx.table.volumeUsers(v.name()).isEmpty()) {
                    ctx.volumes.remove(v.name());
                    removed.add(v.name());
                }
            }
        }
        return removed;
    }
}
