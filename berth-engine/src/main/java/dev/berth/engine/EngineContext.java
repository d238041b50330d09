package dev.berth.engine;

import dev.berth.engine.container.ContainerStore;
import dev.berth.engine.run.IoLoop;
import dev.berth.engine.run.RootfsMounts;
import dev.berth.engine.spec.SpecBuilder;
import dev.berth.engine.volume.VolumeStore;
import dev.berth.image.snapshot.Snapshotter;
import dev.berth.image.store.ImageService;
import dev.berth.oci.BerthException;
import dev.berth.runtime.linux.LinuxContainerRuntime;
import dev.berth.runtime.sys.Syscalls;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The services every part of the engine works with: the images and snapshots, the runtime
 * library, the records on disk, the rootfs mounts, the I/O loop and the timer thread. One per
 * engine; the parts ({@link Launcher}, {@link Stopper}, {@link ExecManager}, ...) share it.
 */
final class EngineContext {
    private static final System.Logger LOG = System.getLogger(EngineContext.class.getName());

    final EngineOptions options;
    final ImageService images;
    final Snapshotter snapshots;
    final LinuxContainerRuntime runtime;
    final Syscalls sys;
    final ContainerStore store;
    final RootfsMounts mounts;
    final SpecBuilder specs;
    final IoLoop io;
    final ScheduledExecutorService timers;
    final VolumeStore volumes;
    final ContainerTable table = new ContainerTable();
    final EventHub events = new EventHub();
    final BackgroundDeletes deletes = new BackgroundDeletes();
    /** Networks, IPAM, published ports, the embedded DNS: a container's place on its networks. */
    final ContainerNetworking networking;
    /** Set by shutdown: no new verb starts, no exit restarts anything. */
    volatile boolean closed;

    EngineContext(EngineOptions options, ImageService images, Syscalls sys, LinuxContainerRuntime runtime,
                  dev.berth.engine.network.NetworkKernel kernel) {
        this.options = options;
        this.images = images;
        this.snapshots = images.snapshotter();
        this.sys = sys;
        this.runtime = runtime;
        this.store = new ContainerStore(options.dataRoot());
        this.mounts = new RootfsMounts(sys, options.execRoot());
        this.specs = new SpecBuilder(options.host());
        this.io = new IoLoop(sys);
        this.timers = Executors.newSingleThreadScheduledExecutor(
                r -> Thread.ofPlatform().daemon().name("berth-engine-timers").unstarted(r));
        this.volumes = new VolumeStore(options.dataRoot(), sys);
        var registry = new dev.berth.engine.network.NetworkRegistry(
                new dev.berth.engine.network.NetworkStore(options.dataRoot()), options.bridge(), options.bip(),
                Path.of("/proc/net/route"), kernel::ipv4Addresses);
        this.networking = new ContainerNetworking(this, kernel, registry);
    }

    void ensureOpen() {
        if (closed) {
            throw BerthException.precondition("the container engine is shut down");
        }
    }

    Path logFile(String id) {
        return store.dir(id).resolve(id + "-json.log");
    }

    /** Persists the slot's record, logging (not throwing) a failure: for paths that must not fail. */
    void saveQuietly(Slot s) {
        quietly(() -> store.save(s.container));
    }

    /**
     * Persists a run's start or exit, logging a failure. Without fsync when the container's
     * restart policy is "no": its running or exited state only matters while the machine is up
     * (after a power loss nothing runs, and the last durable record, created or exited, stands).
     * A policy that restarts it keeps these writes durable: recovery decides from them (started
     * before, stopped by hand) whether to start it again.
     */
    void saveRunQuietly(Slot s) {
        var c = s.container;
        if (c.hostConfig().restartPolicy().name() == dev.berth.engine.container.RestartPolicy.Name.NO) {
            quietly(() -> store.saveState(c));
        } else {
            quietly(() -> store.save(c));
        }
    }

    void closeQuietly(int fd) {
        try {
            sys.close(fd);
        } catch (RuntimeException ignored) {
            // already closed
        }
    }

    static void quietly(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, e.getMessage());
        }
    }
}
