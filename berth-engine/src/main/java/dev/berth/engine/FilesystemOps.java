package dev.berth.engine;

import dev.berth.engine.container.Container;
import dev.berth.engine.container.ContainerConfig;
import dev.berth.engine.container.MountSpec;
import dev.berth.engine.container.Status;
import dev.berth.engine.run.FilesystemChanges;
import dev.berth.engine.spec.SpecBuilder;
import dev.berth.image.archive.ConfigChanges;
import dev.berth.image.content.Ingest;
import dev.berth.image.layer.LayerPacker;
import dev.berth.image.store.Image;
import dev.berth.oci.BerthException;
import dev.berth.oci.image.ChainId;
import dev.berth.oci.image.Descriptor;
import dev.berth.oci.image.Digest;
import dev.berth.oci.image.ImageConfig;
import dev.berth.oci.image.ImageJson;
import dev.berth.oci.image.MediaTypes;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Verbs on a container's root filesystem: commit (its writable layer becomes an image layer),
 * export (the whole tree as a tar) and diff (what it changed). {@link #withRootfs} mounts a
 * stopped container's snapshot for the time of an operation.
 */
final class FilesystemOps {
    private final EngineContext ctx;

    FilesystemOps(EngineContext ctx) {
        this.ctx = ctx;
    }

    /**
     * Runs {@code action} on the container's root filesystem under its lock: the running
     * container's mount, or its snapshot mounted for the time of the action (and unmounted
     * after). CONFLICT while it is being removed; {@code verb} names the operation in that error.
     */
    <T> T withRootfs(String idOrName, String verb, Function<RootfsAccess, T> action) {
        return ctx.table.withLocked(idOrName, s -> {
            Container c = s.container;
            if (c.status() == Status.REMOVING || c.status() == Status.DEAD) {
                throw BerthException.conflict("cannot " + verb + " container " + c.id() + ": it is being removed");
            }
            boolean mounted = c.status() == Status.RUNNING || c.status() == Status.PAUSED;
            Path rootfs = mounted ? ctx.mounts.rootfs(c.id()) : ctx.mounts.mount(c.id(), ctx.snapshots.mount(c.id()));
            try {
                return action.apply(new RootfsAccess(c, rootfs, mounted));
            } finally {
                if (!mounted) {
                    EngineContext.quietly(() -> ctx.mounts.unmount(c.id()));
                }
            }
        });
    }

    /** A container and its mounted root filesystem; {@code running}: the container's own mount, else a temporary one. */
    record RootfsAccess(Container container, Path rootfs, boolean running) {}

    /**
     * docker commit: the container's changes (its writable layer, whiteouts as OCI's) become a
     * new layer on top of its image; the new image's config is the container's Config (with
     * {@code -c} changes applied), its history gains the container's command. A running container
     * is frozen meanwhile unless pause is false.
     */
    Image commit(String idOrName, CommitOptions opts) {
        ctx.ensureOpen();
        return ctx.table.withLocked(idOrName, s -> {
            Container c = s.container;
            if (c.status() == Status.REMOVING || c.status() == Status.DEAD) {
                throw BerthException.conflict("cannot commit container " + c.id() + ": it is being removed");
            }
            Image parent = ctx.images.inspect(c.imageId().toString());
            boolean freeze = opts.pause() && c.status() == Status.RUNNING;
            if (freeze) {
                ctx.runtime.pause(c.id());
            }
            Digest diffId;
            long size;
            try (Ingest ingest = ctx.images.content().ingest()) {
                diffId = new LayerPacker().pack(ctx.snapshots.mount(c.id()).upperDir(), ingest.stream());
                size = ingest.written();
                ingest.commit(diffId);
            } finally {
                if (freeze) {
                    EngineContext.quietly(() -> ctx.runtime.resume(c.id()));
                }
            }
            Digest parentChain = parent.topChainId().orElse(null);
            Digest chain = parentChain == null ? diffId : ChainId.of(parentChain, diffId);
            if (!ctx.snapshots.hasLayer(chain)) {
                try (InputStream in = ctx.images.content().open(diffId)) {
                    ctx.snapshots.addLayer(chain, parentChain, diffId, in);
                } catch (IOException e) {
                    throw BerthException.internal("commit " + c.id() + ": " + e.getMessage(), e);
                }
            }
            Image image = ctx.images.add(imageConfigBytes(c, parent, diffId, opts), layerBlobs(parent, diffId, size),
                    opts.tag().map(List::of).orElse(List.of()));
            ctx.events.emit("commit", c, Map.of("imageID", image.id().toString()));
            return image;
        });
    }

    /** The committed image's config: the parent's, with the container's Config, one more layer and history entry. */
    private static byte[] imageConfigBytes(Container c, Image parent, Digest diffId, CommitOptions opts) {
        ImageConfig base = parent.config();
        ImageConfig.Config run = imageConfigOf(c.config(), base.config());
        if (!opts.changes().isEmpty()) {
            run = ConfigChanges.apply(run, opts.changes());
        }
        Instant now = Instant.now();
        List<Digest> diffIds = new ArrayList<>(base.diffIds());
        diffIds.add(diffId);
        List<ImageConfig.History> history = new ArrayList<>(base.history());
        List<String> command = new ArrayList<>();
        command.add(c.path());
        command.addAll(c.args());
        history.add(new ImageConfig.History(ImageConfig.formatTime(now), String.join(" ", command), opts.author(),
                opts.comment(), false));
        var config = new ImageConfig(ImageConfig.formatTime(now), opts.author(), base.architecture(), base.os(),
                base.osVersion(), base.osFeatures(), base.variant(), run, ImageConfig.RootFs.layers(diffIds), history,
                opts.comment(), "");
        return ImageJson.write(config);
    }

    /** The new image's layer blobs when the parent's are all in the store, else none (the image is then not pushable as is). */
    private static List<Descriptor> layerBlobs(Image parent, Digest diffId, long size) {
        List<Descriptor> blobs = new ArrayList<>();
        for (Image.Layer l : parent.layers()) {
            if (l.blob().isEmpty()) {
                return List.of();
            }
            blobs.add(l.blob().get());
        }
        blobs.add(Descriptor.of(MediaTypes.OCI_LAYER, diffId, size));
        return blobs;
    }

    /** The image config a commit records: the container's Config, over what the image had that containers lack. */
    private static ImageConfig.Config imageConfigOf(ContainerConfig c, ImageConfig.Config base) {
        return new ImageConfig.Config(c.user(), base.exposedPorts(), c.env(),
                c.entrypoint().orElse(List.of()), c.cmd().orElse(List.of()), c.healthcheck(), base.argsEscaped(),
                base.volumes(), c.workingDir(), base.onBuild(), c.labels(), c.stopSignal(), base.shell());
    }

    /**
     * docker export: the container's root filesystem (image plus its changes) as a tar on
     * {@code out}. A container that is not running is mounted for the time of the export.
     */
    void export(String idOrName, OutputStream out) {
        ctx.ensureOpen();
        Container c = withRootfs(idOrName, "export", r -> {
            new LayerPacker().pack(r.rootfs(), out);
            return r.container();
        });
        ctx.events.emit("export", c);
    }

    /**
     * docker diff: what the container changed in its root filesystem (running or not). Mount
     * points the runtime had to create (/etc/hosts and the like, bind targets) are not changes:
     * docker keeps those in an init layer, berth leaves them out here.
     */
    List<FilesystemChanges.Change> changes(String idOrName) {
        Slot s = ctx.table.find(idOrName);
        Container c = s.container;
        Set<String> mountPoints = new HashSet<>(List.of("/etc/hostname", "/etc/hosts",
                "/etc/resolv.conf", SpecBuilder.INIT_PATH, "/dev", "/proc", "/sys"));
        for (MountSpec m : c.hostConfig().allMounts()) {
            mountPoints.add(m.target());
        }
        return FilesystemChanges.of(ctx.snapshots.mount(s.id())).stream()
                .filter(ch -> ch.kind() != FilesystemChanges.Kind.ADDED || !mountPoints.contains(ch.path()))
                .toList();
    }
}
