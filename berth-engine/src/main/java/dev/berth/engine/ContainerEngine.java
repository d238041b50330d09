package dev.berth.engine;

import dev.berth.engine.container.ConfigMerge;
import dev.berth.engine.container.Container;
import dev.berth.engine.container.ContainerConfig;
import dev.berth.engine.container.ContainerId;
import dev.berth.engine.container.ContainerName;
import dev.berth.engine.container.ContainerState;
import dev.berth.engine.container.ContainerStore;
import dev.berth.engine.container.LogConfig;
import dev.berth.engine.container.NameGenerator;
import dev.berth.engine.container.Status;
import dev.berth.engine.logs.JsonFileLogger;
import dev.berth.engine.logs.LogEntry;
import dev.berth.engine.logs.LogOptions;
import dev.berth.engine.run.ExitCodes;
import dev.berth.engine.run.IoLoop;
import dev.berth.engine.run.RootfsMounts;
import dev.berth.engine.run.ScopedPath;
import dev.berth.engine.run.SignalNames;
import dev.berth.engine.spec.EtcFiles;
import dev.berth.engine.spec.SpecBuilder;
import dev.berth.image.io.AtomicFiles;
import dev.berth.image.snapshot.ContainerMount;
import dev.berth.image.snapshot.Snapshotter;
import dev.berth.image.store.Image;
import dev.berth.image.store.ImageService;
import dev.berth.image.store.ImageUsers;
import dev.berth.oci.BerthException;
import dev.berth.oci.image.Digest;
import dev.berth.oci.runtime.Spec;
import dev.berth.oci.runtime.json.SpecJson;
import dev.berth.runtime.api.CreateOptions;
import dev.berth.runtime.api.Stdio;
import dev.berth.runtime.linux.LinuxContainerRuntime;
import dev.berth.runtime.sys.Errno;
import dev.berth.runtime.sys.LinuxSyscalls;
import dev.berth.runtime.sys.Syscalls;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Containers: the library berthd's container routes call. Create records a container (its
 * config merged with the image's, a writable snapshot prepared); start mounts the overlay,
 * writes the OCI spec and launches the init in-process through the runtime library (no runc
 * binary, no shim: the init is this process's child), its stdout and stderr piped to the
 * json-file log writer; one {@link IoLoop} thread notices every exit through pidfds. Every verb
 * is refresh → guard → act → persist, under the container's lock.
 *
 * <p>Errors are {@link BerthException}s in docker's words: NOT_FOUND "No such container: x",
 * CONFLICT for a name in use or a running container, INVALID_ARGUMENT for bad input.
 */
public final class ContainerEngine implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(ContainerEngine.class.getName());
    private static final int DEFAULT_STOP_TIMEOUT = 10;
    private static final Duration KILL_WAIT = Duration.ofSeconds(30);

    private final EngineOptions options;
    private final ImageService images;
    private final Snapshotter snapshots;
    private final LinuxContainerRuntime runtime;
    private final Syscalls sys;
    private final ContainerStore store;
    private final RootfsMounts mounts;
    private final SpecBuilder specs;
    private final IoLoop io;
    private final ScheduledExecutorService timers;
    private final HealthMonitor healthMonitor;
    private final dev.berth.engine.volume.VolumeStore volumes;
    /** id → slot and name → id; guarded by {@code this}. */
    private final Map<String, Slot> byId = new LinkedHashMap<>();
    private final Map<String, String> byName = new HashMap<>();
    /** exec id → exec; guarded by {@code this}. */
    private final Map<String, ExecSlot> execs = new HashMap<>();
    private final List<Consumer<ContainerEvent>> eventListeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile boolean closed;

    private ContainerEngine(EngineOptions options, ImageService images, Syscalls sys, LinuxContainerRuntime runtime) {
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
        this.healthMonitor = new HealthMonitor(this, timers);
        this.volumes = new dev.berth.engine.volume.VolumeStore(options.dataRoot());
    }

    /**
     * Opens the engine: loads every container record, cleans up after a crash (containers
     * recorded as running are marked exited, their leftover processes killed, their mounts
     * and cgroups removed), then starts again those their restart policy says should run.
     */
    public static ContainerEngine open(EngineOptions options, ImageService images) {
        Syscalls sys = new LinuxSyscalls();
        LinuxContainerRuntime runtime = LinuxContainerRuntime.open(
                AtomicFiles.createDirectories(options.execRoot().resolve("runtime")), options.helper());
        ContainerEngine engine = new ContainerEngine(options, images, sys, runtime);
        engine.recover();
        images.setUsers(engine::imageUsers);
        return engine;
    }

    // ---- events ----

    /** Adds a listener for container events; closing the result removes it. */
    public AutoCloseable onEvent(Consumer<ContainerEvent> listener) {
        eventListeners.add(listener);
        return () -> eventListeners.remove(listener);
    }

    private void emit(String action, Container c, Map<String, String> extra) {
        if (eventListeners.isEmpty()) {
            return;
        }
        Map<String, String> attrs = new LinkedHashMap<>(extra);
        attrs.put("name", c.name().bare());
        attrs.put("image", c.config().image());
        attrs.putAll(c.config().labels());
        ContainerEvent e = new ContainerEvent(action, c.id(), c.name().bare(), c.config().image(), attrs, Instant.now());
        for (Consumer<ContainerEvent> l : eventListeners) {
            try {
                l.accept(e);
            } catch (RuntimeException ex) {
                LOG.log(System.Logger.Level.WARNING, "event listener: " + ex.getMessage());
            }
        }
    }

    // ---- lookups ----

    /** docker's resolution: full id, name (with or without the slash), then a unique id prefix. */
    private synchronized Slot find(String idOrName) {
        if (idOrName == null || idOrName.isEmpty()) {
            throw BerthException.notFound("No such container: " + idOrName);
        }
        Slot s = byId.get(idOrName);
        if (s != null) {
            return s;
        }
        String byNameId = byName.get(idOrName.startsWith("/") ? idOrName : "/" + idOrName);
        if (byNameId != null) {
            return byId.get(byNameId);
        }
        Slot match = null;
        for (Map.Entry<String, Slot> e : byId.entrySet()) {
            if (e.getKey().startsWith(idOrName)) {
                if (match != null) {
                    throw BerthException.invalid("multiple IDs found with provided prefix: " + idOrName);
                }
                match = e.getValue();
            }
        }
        if (match == null) {
            throw BerthException.notFound("No such container: " + idOrName);
        }
        return match;
    }

    public Container inspect(String idOrName) {
        return find(idOrName).container;
    }

    /** Every container (running ones only unless all), newest first, as docker ps lists them. */
    public synchronized List<Container> list(boolean all) {
        List<Container> out = new ArrayList<>();
        for (Slot s : byId.values()) {
            Container c = s.container;
            if (all || c.state().running()) {
                out.add(c);
            }
        }
        out.sort(Comparator.comparing(Container::created).reversed());
        return out;
    }

    public ContainerPaths paths(String idOrName) {
        String id = find(idOrName).id();
        Path dir = store.dir(id);
        return new ContainerPaths(logFile(id), dir.resolve(EtcFiles.HOSTNAME), dir.resolve(EtcFiles.HOSTS),
                dir.resolve(EtcFiles.RESOLV_CONF));
    }

    private Path logFile(String id) {
        return store.dir(id).resolve(id + "-json.log");
    }

    /** The image hook: which containers use an image (rmi refuses while one does). */
    private synchronized List<ImageUsers.User> imageUsers(Digest imageId) {
        List<ImageUsers.User> users = new ArrayList<>();
        for (Slot s : byId.values()) {
            Container c = s.container;
            if (c.imageId().equals(imageId)) {
                users.add(new ImageUsers.User(c.id(), c.state().running()));
            }
        }
        users.sort(Comparator.comparing(u -> !u.running()));
        return users;
    }

    // ---- create, rename ----

    /** Creates a container; returns its record (Id, and the Config as merged with the image's). */
    public Container create(CreateRequest request) {
        ensureOpen();
        ContainerConfig requested = request.config();
        if (requested.image().isEmpty()) {
            throw BerthException.invalid("config.Image: must not be empty");
        }
        Image image = images.inspect(requested.image());
        ContainerConfig merged = ConfigMerge.merge(requested, image.config().config());
        List<String> argv = ConfigMerge.commandLine(merged);
        HealthMonitor.command(merged.healthcheck()); // an unknown test type is the request's error
        LogOptions.from(request.hostConfig().logConfig().config(), options.logDefaults());
        Optional<ContainerName> wanted = request.name().map(ContainerName::of);
        String id = ContainerId.generate();
        dev.berth.engine.container.HostConfig hostConfig = withVolumes(request.hostConfig(), image.config().config().volumes());
        Container c;
        synchronized (this) {
            ContainerName name = wanted.orElseGet(() -> NameGenerator.generate(byName::containsKey));
            checkNameFree(name);
            c = new Container(id, name, Instant.now(), image.id(), merged, hostConfig, argv.getFirst(),
                    argv.subList(1, argv.size()), ContainerState.created(), 0, false, false);
            // reserve the name before the slow part, so two creates cannot both take it
            byName.put(name.value(), id);
        }
        boolean ok = false;
        try {
            store.create(id);
            snapshots.prepare(id, image.topChainId().orElse(null));
            store.save(c);
            ok = true;
        } finally {
            if (!ok) {
                synchronized (this) {
                    byName.remove(c.name().value());
                }
                quietly(() -> snapshots.remove(id));
                quietly(() -> store.remove(id));
            }
        }
        synchronized (this) {
            byId.put(id, new Slot(c));
        }
        emit("create", c, Map.of());
        return c;
    }

    private void checkNameFree(ContainerName name) {
        String owner = byName.get(name.value());
        if (owner != null) {
            throw BerthException.conflict("Conflict. The container name \"" + name.value()
                    + "\" is already in use by container \"" + owner
                    + "\". You have to remove (or rename) that container to be able to reuse that name.");
        }
    }

    public void rename(String idOrName, String newName) {
        ensureOpen();
        Slot s = find(idOrName);
        ContainerName name = ContainerName.of(newName);
        s.lock.lock();
        try {
            Container c = s.container;
            synchronized (this) {
                if (c.name().equals(name)) {
                    throw BerthException.invalid("Renaming a container with the same name as its current name");
                }
                checkNameFree(name);
                byName.remove(c.name().value());
                byName.put(name.value(), c.id());
            }
            s.container = c.withName(name);
            store.save(s.container);
            emit("rename", s.container, Map.of("oldName", c.name().value()));
        } finally {
            s.lock.unlock();
        }
    }

    // ---- start ----

    /**
     * Starts a created or exited container. Returns false when it is already running (docker's
     * 304). A program that cannot start leaves the container with exit code 127 (not found) or
     * 126 (not executable) and throws INVALID_ARGUMENT with the cause, in runc's words.
     */
    public boolean start(String idOrName) {
        ensureOpen();
        Slot s = find(idOrName);
        s.lock.lock();
        try {
            Container c = s.container;
            switch (c.status()) {
                case RUNNING, PAUSED, RESTARTING -> {
                    return false;
                }
                case REMOVING -> throw BerthException.conflict("cannot start container " + c.id()
                        + ": removal of the container is in progress");
                case DEAD -> throw BerthException.conflict("cannot start container " + c.id()
                        + ": container is marked for removal and cannot be started");
                default -> { }
            }
            s.restarts.reset();
            s.container = c.withRestarts(0, false);
            doStart(s);
            return true;
        } finally {
            s.lock.unlock();
        }
    }

    /** Starts the container's process; the caller holds the slot's lock. */
    private void doStart(Slot s) {
        Container c = s.container;
        String id = c.id();
        s.stopping = false;
        s.pendingRestart = null;
        Path dir = store.dir(id);
        int[] out = null;
        int[] err = null;
        int devNull = -1;
        boolean launched = false;
        try {
            ContainerMount m = snapshots.mount(id);
            Path rootfs = mounts.mount(id, m);
            String hostname = specs.hostname(c);
            EtcFiles.write(dir, hostname, c.hostConfig().networkMode().equals("host"), options.host().etc());
            Spec spec = specs.build(c, rootfs, dir, name -> volumes.get(name).mountpoint());
            ScopedPath.mkdirs(rootfs, spec.process().cwd(), (int) spec.process().user().uid(),
                    (int) spec.process().user().gid());
            // the bundle lives under the exec root and is made again at each start: no fsync
            java.nio.file.Files.writeString(mounts.bundle(id).resolve("config.json"), SpecJson.write(spec), StandardCharsets.UTF_8);
            LogConfig logConfig = c.hostConfig().logConfig();
            s.logger = logConfig.type().equals("none") ? null
                    : new JsonFileLogger(logFile(id), LogOptions.from(logConfig.config(), options.logDefaults()));
            if (c.config().tty()) {
                launchWithTerminal(s, c);
                return;
            }
            out = sys.pipe();
            err = sys.pipe();
            if (c.config().openStdin()) {
                // -i: the container reads a pipe whose other end attach writes to
                int[] in = sys.pipe();
                devNull = in[0];
                s.stdinFd = in[1];
            } else {
                devNull = sys.open(Path.of("/dev/null"), Syscalls.O_RDONLY);
            }
            int pid = runtime.launch(CreateOptions.of(id, mounts.bundle(id)), new Stdio(devNull, out[1], err[1]));
            launched = true;
            closeQuietly(out[1]);
            closeQuietly(err[1]);
            closeQuietly(devNull);
            devNull = -1;
            int watchFd = sys.pidfdOpen(pid);
            s.signalFd = sys.pidfdOpen(pid);
            long run = ++s.run;
            s.startedAt = Instant.now();
            io.watch(watchFd, out[0], err[0], s::log, status -> onExit(s, run, status));
            // from here on the container runs and is watched: nothing below may fail the start
            s.container = c.withState(c.state().toRunning(pid, s.startedAt)).withStartedBefore();
            quietly(() -> store.save(s.container));
            emit("start", s.container, Map.of());
            try {
                healthMonitor.start(s, run);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "healthcheck of " + id + ": " + e.getMessage());
            }
        } catch (java.io.IOException e) {
            throw startFailed(s, c, launched, out, err, devNull, BerthException.internal("write config.json: " + e.getMessage(), e));
        } catch (RuntimeException e) {
            throw startFailed(s, c, launched, out, err, devNull, e);
        }
    }

    /**
     * A container with a terminal: the runtime hands the pty master over the console socket
     * (runc's protocol); the engine reads the container's output from it (one stream, logged as
     * stdout, as docker does) and writes stdin and window sizes to it.
     */
    private void launchWithTerminal(Slot s, Container c) {
        String id = c.id();
        Path sock = options.execRoot().resolve("tty").resolve(id.substring(0, 16) + ".sock");
        int listener = -1;
        int nul = -1;
        int master = -1;
        boolean launched = false;
        try {
            java.nio.file.Files.createDirectories(sock.getParent());
            java.nio.file.Files.deleteIfExists(sock);
            listener = sys.listenUnix(sock);
            nul = sys.open(Path.of("/dev/null"), Syscalls.O_RDONLY);
            int pid = runtime.launch(new CreateOptions(id, mounts.bundle(id), Optional.empty(), Optional.of(sock), false,
                    false, 0), new Stdio(nul, nul, nul));
            launched = true;
            int conn = sys.accept(listener, 5000);
            if (conn < 0) {
                throw BerthException.internal("container " + id + ": the runtime sent no terminal");
            }
            try {
                master = sys.receiveFd(conn);
            } finally {
                closeQuietly(conn);
            }
            int reader = sys.dup(master);
            int watchFd = sys.pidfdOpen(pid);
            s.signalFd = sys.pidfdOpen(pid);
            s.ttyFd = master;
            long run = ++s.run;
            s.startedAt = Instant.now();
            io.watch(watchFd, reader, -1, s::log, status -> onExit(s, run, status));
            s.container = c.withState(c.state().toRunning(pid, s.startedAt)).withStartedBefore();
            quietly(() -> store.save(s.container));
            emit("start", s.container, Map.of());
            try {
                healthMonitor.start(s, run);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "healthcheck of " + id + ": " + e.getMessage());
            }
        } catch (java.io.IOException e) {
            throw startFailed(s, c, false, null, null, -1, BerthException.internal("console socket " + sock + ": " + e.getMessage(), e));
        } catch (RuntimeException e) {
            if (master >= 0 && s.ttyFd != master) {
                closeQuietly(master);
            }
            throw startFailed(s, c, launched, null, null, -1, e);
        } finally {
            if (listener >= 0) {
                closeQuietly(listener);
            }
            if (nul >= 0) {
                closeQuietly(nul);
            }
            try {
                java.nio.file.Files.deleteIfExists(sock);
            } catch (java.io.IOException ignored) {
                // the exec root is cleaned at open
            }
        }
    }

    /** docker resize: the terminal's rows and columns; CONFLICT when it is not running, INVALID without a tty. */
    public void resize(String idOrName, int rows, int columns) {
        Slot s = find(idOrName);
        s.lock.lock();
        try {
            Container c = s.container;
            if (!c.state().running()) {
                throw BerthException.conflict("Container " + c.id() + " is not running");
            }
            if (s.ttyFd < 0) {
                throw BerthException.invalid("container " + c.id() + " has no terminal");
            }
            sys.setWindowSize(s.ttyFd, rows, columns);
        } finally {
            s.lock.unlock();
        }
    }

    /** Undoes a start that failed and records why (exit code 127/126/128 as docker's); returns what to throw. */
    private RuntimeException startFailed(Slot s, Container c, boolean launched, int[] out, int[] err, int devNull,
                                         RuntimeException e) {
        String id = c.id();
        if (launched) {
            // launched but not watched (a pidfd could not be had): kill it, reap it, remove its cgroups
            quietly(() -> runtime.delete(id, true));
            if (s.signalFd >= 0) {
                closeQuietly(s.signalFd);
                s.signalFd = -1;
            }
        }
        for (int[] p : new int[][] {out, err}) {
            if (p != null) {
                closeQuietly(p[0]);
                if (!launched) {
                    closeQuietly(p[1]);
                }
            }
        }
        if (devNull >= 0) {
            closeQuietly(devNull);
        }
        closeStdin(s);
        if (s.logger != null) {
            s.logger.close();
            s.logger = null;
        }
        quietly(() -> mounts.unmount(id));
        String message = e.getMessage() == null ? e.toString() : e.getMessage();
        int code = ExitCodes.forStartError(message);
        s.container = c.withState(c.state().withStartError(code, message, Instant.now()));
        quietly(() -> store.save(s.container));
        if (e instanceof BerthException be) {
            if (ExitCodes.isUserError(code)) {
                return new BerthException(BerthException.Kind.INVALID_ARGUMENT, message, e);
            }
            return be;
        }
        return BerthException.internal("start container " + id + ": " + message, e);
    }

    // ---- exit, restart ----

    private void onExit(Slot s, long run, int waitStatus) {
        s.lock.lock();
        try {
            if (s.run != run || !s.container.state().running()) {
                return;
            }
            Container c = s.container;
            String id = c.id();
            boolean oom = false;
            try {
                oom = runtime.oomKills(id) > 0;
            } catch (RuntimeException ignored) {
                // the runtime's state is gone already
            }
            cleanupRun(s);
            int code = ExitCodes.fromWaitStatus(waitStatus);
            Instant now = Instant.now();
            c = c.withState(c.state().toExited(code, "", oom, now));
            boolean autoRemove = c.hostConfig().autoRemove();
            Optional<Duration> delay = Optional.empty();
            if (!s.stopping && !autoRemove && !closed) {
                delay = s.restarts.shouldRestart(c.hostConfig().restartPolicy(), c.restartCount(), code,
                        c.manuallyStopped(), Duration.between(s.startedAt, now));
            }
            if (delay.isPresent()) {
                c = c.withState(c.state().toStatus(Status.RESTARTING)).withRestarts(c.restartCount() + 1, c.manuallyStopped());
                long next = s.run;
                s.pendingRestart = timers.schedule(() -> restart(s, next), delay.get().toMillis(), TimeUnit.MILLISECONDS);
            }
            s.container = c;
            quietly(() -> store.save(s.container));
            emit("die", c, Map.of("exitCode", Integer.toString(code)));
            CompletableFuture<WaitResult> done = s.nextExit;
            s.nextExit = new CompletableFuture<>();
            done.complete(WaitResult.of(code, ""));
            if (autoRemove && !s.removing && !closed) {
                Thread.ofVirtual().name("berth-autoremove").start(() -> {
                    try {
                        remove(id, false, true); // --rm takes the anonymous volumes along, as docker's
                    } catch (BerthException e) {
                        LOG.log(System.Logger.Level.WARNING, "auto-remove " + id + ": " + e.getMessage());
                    }
                });
            }
        } finally {
            s.lock.unlock();
        }
    }

    /** What a run leaves: the runtime's container (cgroups, state), the rootfs mount, the log writer, the pidfd. */
    private void cleanupRun(Slot s) {
        String id = s.id();
        HealthMonitor.stop(s);
        try {
            runtime.delete(id, true);
        } catch (BerthException e) {
            if (e.kind() != BerthException.Kind.NOT_FOUND) {
                LOG.log(System.Logger.Level.WARNING, "delete " + id + " in the runtime: " + e.getMessage());
            }
        }
        quietly(() -> mounts.unmount(id));
        if (s.logger != null) {
            s.logger.close();
            s.logger = null;
        }
        if (s.signalFd >= 0) {
            closeQuietly(s.signalFd);
            s.signalFd = -1;
        }
        closeStdin(s);
        synchronized (s.stdinLock) {
            if (s.ttyFd >= 0) {
                closeQuietly(s.ttyFd);
                s.ttyFd = -1;
            }
        }
    }

    private void closeStdin(Slot s) {
        synchronized (s.stdinLock) {
            if (s.stdinFd >= 0) {
                closeQuietly(s.stdinFd);
                s.stdinFd = -1;
            }
        }
    }

    private void restart(Slot s, long run) {
        s.lock.lock();
        try {
            if (s.run != run || s.container.status() != Status.RESTARTING || s.stopping || closed) {
                return;
            }
            doStart(s);
        } catch (BerthException e) {
            LOG.log(System.Logger.Level.WARNING, "restart " + s.id() + ": " + e.getMessage());
            // a start that failed is an exit too: the policy decides again
            Container c = s.container;
            s.container = c.withState(new ContainerState(Status.EXITED, 0, c.state().exitCode(), c.state().error(),
                    false, c.state().startedAt(), Instant.now()));
            quietly(() -> store.save(s.container));
            CompletableFuture<WaitResult> done = s.nextExit;
            s.nextExit = new CompletableFuture<>();
            done.complete(WaitResult.of(c.state().exitCode(), c.state().error()));
        } finally {
            s.lock.unlock();
        }
    }

    /** docker restart: stop (with the timeout, as stop does), then start; the restart count is kept. */
    public void restart(String idOrName, Optional<Integer> timeoutSeconds) {
        ensureOpen();
        Slot s = find(idOrName);
        stop(s, timeoutSeconds, true);
        s.lock.lock();
        try {
            Container c = s.container;
            if (c.status() == Status.REMOVING || c.status() == Status.DEAD) {
                throw BerthException.conflict("cannot restart container " + c.id() + ": it is being removed");
            }
            if (c.state().running()) {
                return; // a concurrent start won
            }
            s.restarts.reset();
            s.container = c.withRestarts(c.restartCount(), false);
            doStart(s);
            emit("restart", s.container, Map.of());
        } finally {
            s.lock.unlock();
        }
    }

    // ---- stop, kill, wait ----

    /**
     * Stops a container: its StopSignal (default SIGTERM), then SIGKILL after the timeout
     * (seconds; empty: the container's StopTimeout, else 10; negative: wait forever). Returns
     * false when it was not running (docker's 304). A stopped container does not restart.
     */
    public boolean stop(String idOrName, Optional<Integer> timeoutSeconds) {
        ensureOpen();
        Slot s = find(idOrName);
        return stop(s, timeoutSeconds, true);
    }

    private boolean stop(Slot s, Optional<Integer> timeoutSeconds, boolean byUser) {
        CompletableFuture<WaitResult> exit;
        int signal;
        int timeout;
        s.lock.lock();
        try {
            Container c = s.container;
            if (c.status() == Status.RESTARTING) {
                cancelRestart(s);
                s.container = c.withState(c.state().toStatus(Status.EXITED)).withRestarts(c.restartCount(), byUser || c.manuallyStopped());
                store.save(s.container);
                completeExit(s);
                return true;
            }
            if (!c.state().running()) {
                return false;
            }
            s.stopping = true;
            if (byUser) {
                s.container = c.withRestarts(c.restartCount(), true);
                store.save(s.container);
            }
            signal = c.config().stopSignal().isEmpty() ? SignalNames.SIGTERM : SignalNames.parse(c.config().stopSignal());
            timeout = timeoutSeconds.orElse(c.config().stopTimeout().orElse(DEFAULT_STOP_TIMEOUT));
            exit = s.nextExit;
            if (c.status() == Status.PAUSED) {
                quietly(() -> runtime.resume(c.id()));
            }
            signal(s, signal);
        } finally {
            s.lock.unlock();
        }
        if (await(exit, timeout < 0 ? null : Duration.ofSeconds(timeout))) {
            emit("stop", s.container, Map.of());
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
        if (!await(exit, KILL_WAIT)) {
            throw BerthException.internal("container " + s.id() + " did not exit within " + KILL_WAIT.toSeconds()
                    + "s of SIGKILL");
        }
        emit("stop", s.container, Map.of());
        return true;
    }

    /** docker kill: sends the signal (default KILL); CONFLICT when the container is not running. */
    public void kill(String idOrName, String signalName) {
        ensureOpen();
        int signal = SignalNames.parse(signalName == null || signalName.isEmpty() ? "KILL" : signalName);
        Slot s = find(idOrName);
        s.lock.lock();
        try {
            Container c = s.container;
            if (c.status() == Status.RESTARTING) {
                cancelRestart(s);
                s.container = c.withState(c.state().toStatus(Status.EXITED)).withRestarts(c.restartCount(), true);
                store.save(s.container);
                completeExit(s);
                return;
            }
            if (!c.status().canSignal()) {
                throw BerthException.conflict("Cannot kill container: " + c.id() + ": Container " + c.id() + " is not running");
            }
            // docker marks a killed container as stopped by hand: unless-stopped leaves it, always restarts it
            s.container = c.withRestarts(c.restartCount(), true);
            store.save(s.container);
            if (c.status() == Status.PAUSED && signal == SignalNames.SIGKILL) {
                quietly(() -> runtime.resume(c.id()));
            }
            signal(s, signal);
            emit("kill", c, Map.of("signal", Integer.toString(signal)));
        } finally {
            s.lock.unlock();
        }
    }

    private void signal(Slot s, int signal) {
        try {
            sys.pidfdSendSignal(s.signalFd, signal);
        } catch (Errno e) {
            if (e.errno() != Errno.ESRCH) {
                throw BerthException.internal("signal container " + s.id() + ": " + e.getMessage(), e);
            }
            // exited meanwhile: the exit handler will record it
        }
    }

    /**
     * docker wait. The future completes with the exit code when the condition is met: not-running
     * (now, if it is not running), next-exit, or removed. Cancel it to stop waiting.
     */
    public CompletableFuture<WaitResult> waitFor(String idOrName, WaitCondition condition) {
        Slot s = find(idOrName);
        s.lock.lock();
        try {
            Container c = s.container;
            return switch (condition) {
                case NOT_RUNNING -> c.state().running()
                        ? s.nextExit.copy()
                        : CompletableFuture.completedFuture(WaitResult.of(c.state().exitCode(), c.state().error()));
                case NEXT_EXIT -> s.nextExit.copy();
                case REMOVED -> s.removed.copy();
            };
        } finally {
            s.lock.unlock();
        }
    }

    /** waitFor, blocking up to timeout. */
    public WaitResult await(String idOrName, WaitCondition condition, Duration timeout) {
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

    private static boolean await(CompletableFuture<WaitResult> f, Duration timeout) {
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

    private void cancelRestart(Slot s) {
        if (s.pendingRestart != null) {
            s.pendingRestart.cancel(false);
            s.pendingRestart = null;
        }
        s.run++;
    }

    private static void completeExit(Slot s) {
        CompletableFuture<WaitResult> done = s.nextExit;
        s.nextExit = new CompletableFuture<>();
        done.complete(WaitResult.of(s.container.state().exitCode(), s.container.state().error()));
    }

    // ---- pause ----

    public void pause(String idOrName) {
        ensureOpen();
        Slot s = find(idOrName);
        s.lock.lock();
        try {
            Container c = s.container;
            if (c.status() == Status.PAUSED) {
                throw BerthException.conflict("Container " + c.id() + " is already paused");
            }
            if (!c.status().canPause()) {
                throw BerthException.conflict("Container " + c.id() + " is not running");
            }
            runtime.pause(c.id());
            s.container = c.withState(c.state().toStatus(Status.PAUSED));
            store.save(s.container);
            emit("pause", s.container, Map.of());
        } finally {
            s.lock.unlock();
        }
    }

    public void unpause(String idOrName) {
        ensureOpen();
        Slot s = find(idOrName);
        s.lock.lock();
        try {
            Container c = s.container;
            if (!c.status().canUnpause()) {
                throw BerthException.conflict("Container " + c.id() + " is not paused");
            }
            runtime.resume(c.id());
            s.container = c.withState(c.state().toStatus(Status.RUNNING));
            store.save(s.container);
            emit("unpause", s.container, Map.of());
        } finally {
            s.lock.unlock();
        }
    }

    // ---- volumes ----

    /**
     * Volumes a container gets at create, as docker gives them: a named one is made if missing;
     * a volume mount without a name, and each VOLUME of the image no mount covers, gets an
     * anonymous one. (docker also copies the image's files at that path into a new volume; berth
     * does not yet.)
     */
    private dev.berth.engine.container.HostConfig withVolumes(dev.berth.engine.container.HostConfig h,
                                                              java.util.Set<String> imageVolumes) {
        List<dev.berth.engine.container.MountSpec> mountsOut = new ArrayList<>();
        java.util.Set<String> targets = new java.util.HashSet<>();
        for (var m : h.allMounts()) {
            targets.add(m.target());
            if (m.type() == dev.berth.engine.container.MountSpec.Type.VOLUME && !m.source().isEmpty()) {
                volumes.create(Optional.of(m.source()), Map.of());
            }
        }
        boolean changed = false;
        for (var m : h.mounts()) {
            if (m.type() == dev.berth.engine.container.MountSpec.Type.VOLUME && m.source().isEmpty()) {
                m = m.withSource(volumes.create(Optional.empty(), Map.of()).name());
                changed = true;
            }
            mountsOut.add(m);
        }
        for (String path : new java.util.TreeSet<>(imageVolumes)) {
            if (!targets.contains(path)) {
                mountsOut.add(dev.berth.engine.container.MountSpec.volume(volumes.create(Optional.empty(), Map.of()).name(),
                        path, false));
                changed = true;
            }
        }
        return changed ? h.withMounts(h.binds(), mountsOut, h.readonlyRootfs()) : h;
    }

    public dev.berth.engine.volume.Volume volumeCreate(Optional<String> name, Map<String, String> labels) {
        ensureOpen();
        return volumes.create(name, labels);
    }

    public List<dev.berth.engine.volume.Volume> volumeList() {
        return volumes.list();
    }

    /** NOT_FOUND "get x: no such volume". */
    public dev.berth.engine.volume.Volume volumeInspect(String name) {
        return volumes.get(name);
    }

    /** The containers whose mounts name the volume. */
    public synchronized List<String> volumeUsers(String name) {
        List<String> users = new ArrayList<>();
        for (Slot s : byId.values()) {
            for (var m : s.container.hostConfig().allMounts()) {
                if (m.type() == dev.berth.engine.container.MountSpec.Type.VOLUME && m.source().equals(name)) {
                    users.add(s.id());
                    break;
                }
            }
        }
        return users;
    }

    /** docker volume rm: CONFLICT "remove x: volume is in use - [ids]" while a container names it (force or not, as docker). */
    public void volumeRemove(String name, boolean force) {
        ensureOpen();
        volumes.get(name);
        synchronized (this) {
            List<String> users = volumeUsers(name);
            if (!users.isEmpty()) {
                throw BerthException.conflict("remove " + name + ": volume is in use - [" + String.join(", ", users) + "]");
            }
            volumes.remove(name);
        }
    }

    /** docker volume prune: unused anonymous volumes (with all: every unused volume); returns their names. */
    public List<String> volumePrune(boolean all) {
        ensureOpen();
        List<String> removed = new ArrayList<>();
        synchronized (this) {
            for (var v : volumes.list()) {
                if ((all || v.anonymous()) && volumeUsers(v.name()).isEmpty()) {
                    volumes.remove(v.name());
                    removed.add(v.name());
                }
            }
        }
        return removed;
    }

    // ---- exec ----

    /** docker exec's create: CONFLICT unless the container runs; returns the exec's id. */
    public String execCreate(String idOrName, ExecConfig config) {
        ensureOpen();
        Slot s = find(idOrName);
        s.lock.lock();
        try {
            checkExecable(s.container);
            String id = ContainerId.generate();
            synchronized (this) {
                execs.put(id, new ExecSlot(id, s, config));
            }
            return id;
        } finally {
            s.lock.unlock();
        }
    }

    private static void checkExecable(Container c) {
        if (c.status() == Status.PAUSED) {
            throw BerthException.conflict("Container " + c.id() + " is paused, unpause the container before exec");
        }
        if (c.status() != Status.RUNNING) {
            throw BerthException.conflict("Container " + c.id() + " is not running");
        }
    }

    private synchronized ExecSlot findExec(String execId) {
        ExecSlot e = execs.get(execId);
        if (e == null) {
            throw BerthException.notFound("No such exec instance: " + execId);
        }
        return e;
    }

    public ExecInstance execInspect(String execId) {
        ExecSlot e = findExec(execId);
        e.container.lock.lock();
        try {
            return e.snapshot();
        } finally {
            e.container.lock.unlock();
        }
    }

    /**
     * Starts the exec's process in its container (same namespaces, cgroups, capabilities and
     * seccomp as the container's process; Env added to the container's; User resolved in the
     * image). Its output goes to {@code output} only (not to the container's log, as with
     * docker). The future completes with its exit code. A program that cannot start throws
     * INVALID_ARGUMENT in runc's words and records 127 or 126. {@code output} is called on the engine's I/O
     * thread: it must not block (queue what a slow client has not taken yet).
     */
    public CompletableFuture<Integer> execStart(String execId, Consumer<LogEntry> output) {
        ensureOpen();
        ExecSlot e = findExec(execId);
        Slot s = e.container;
        s.lock.lock();
        int[] out = null;
        int[] err = null;
        int in = -1;
        boolean launched = false;
        try {
            if (e.started) {
                throw BerthException.conflict("Error: Exec command " + execId + " has already run");
            }
            Container c = s.container;
            checkExecable(c);
            Spec spec = runtime.spec(c.id());
            dev.berth.oci.runtime.Process base = spec.process();
            dev.berth.oci.runtime.User user = e.config.user().isEmpty() ? base.user()
                    : dev.berth.engine.spec.UserResolver.resolve(e.config.user(), mounts.rootfs(c.id()));
            List<String> caps = e.config.privileged() ? dev.berth.oci.runtime.CapabilityNames.ALL : null;
            dev.berth.oci.runtime.Process p = new dev.berth.oci.runtime.Process(e.config.tty(), null,
                    e.config.workingDir().isEmpty() ? base.cwd() : e.config.workingDir(),
                    dev.berth.engine.spec.EnvMerge.replaceOrAppend(base.env(), e.config.env()),
                    e.config.cmd(), null, base.rlimits(), null,
                    caps == null ? base.capabilities() : new dev.berth.oci.runtime.Capabilities(caps, caps, List.of(), caps, List.of()),
                    base.noNewPrivileges(), null, null, user);
            if (e.config.tty()) {
                e.started = true;
                return execWithTerminal(e, c, p, output);
            }
            out = sys.pipe();
            err = sys.pipe();
            if (e.config.attachStdin()) {
                int[] pipe = sys.pipe();
                in = pipe[0];
                e.stdinFd = pipe[1];
            } else {
                in = sys.open(Path.of("/dev/null"), Syscalls.O_RDONLY);
            }
            e.started = true;
            int pid = runtime.execDetached(c.id(), new dev.berth.runtime.api.ExecOptions(p, true, Optional.empty(),
                    Optional.empty(), 0), new Stdio(in, out[1], err[1]));
            launched = true;
            int watchFd = sys.pidfdOpen(pid);
            e.running = true;
            e.pid = pid;
            io.watch(watchFd, out[0], err[0], output, status -> onExecExit(e, status));
            emit("exec_start: " + String.join(" ", e.config.cmd()), c, Map.of("execID", execId));
            return e.exit.copy();
        } catch (RuntimeException ex) {
            if (!launched) {
                for (int[] pipe : new int[][] {out, err}) {
                    if (pipe != null) {
                        closeQuietly(pipe[0]);
                    }
                }
                closeExecStdin(e);
                String message = ex.getMessage() == null ? ex.toString() : ex.getMessage();
                if (e.started) {
                    int code = ExitCodes.forStartError(message);
                    e.exitCode = code;
                    e.exit.complete(code);
                    if (ExitCodes.isUserError(code)) {
                        throw new BerthException(BerthException.Kind.INVALID_ARGUMENT, message, ex);
                    }
                }
            }
            throw ex;
        } finally {
            if (out != null) {
                closeQuietly(out[1]);
            }
            if (err != null) {
                closeQuietly(err[1]);
            }
            if (in >= 0) {
                closeQuietly(in);
            }
            s.lock.unlock();
        }
    }

    /** exec -t: as {@link #launchWithTerminal}, the pty master comes over a console socket. */
    private CompletableFuture<Integer> execWithTerminal(ExecSlot e, Container c, dev.berth.oci.runtime.Process p,
                                                        Consumer<LogEntry> output) {
        Path sock = options.execRoot().resolve("tty").resolve(e.id.substring(0, 16) + ".sock");
        int listener = -1;
        int nul = -1;
        try {
            java.nio.file.Files.createDirectories(sock.getParent());
            listener = sys.listenUnix(sock);
            nul = sys.open(Path.of("/dev/null"), Syscalls.O_RDONLY);
            int pid = runtime.execDetached(c.id(), new dev.berth.runtime.api.ExecOptions(p, true, Optional.empty(),
                    Optional.of(sock), 0), new Stdio(nul, nul, nul));
            int conn = sys.accept(listener, 5000);
            if (conn < 0) {
                // a runtime bug: kill the process and let the loop reap it
                io.watch(sys.pidfdOpen(pid), -1, -1, output, status -> onExecExit(e, status));
                sys.kill(pid, SignalNames.SIGKILL);
                throw BerthException.internal("exec " + e.id + ": the runtime sent no terminal");
            }
            int master;
            try {
                master = sys.receiveFd(conn);
            } finally {
                closeQuietly(conn);
            }
            int watchFd = sys.pidfdOpen(pid);
            synchronized (e.stdinLock) {
                e.ttyFd = master;
                e.stdinFd = e.config.attachStdin() ? master : -1;
            }
            e.running = true;
            e.pid = pid;
            io.watch(watchFd, sys.dup(master), -1, output, status -> onExecExit(e, status));
            emit("exec_start: " + String.join(" ", e.config.cmd()), c, Map.of("execID", e.id));
            return e.exit.copy();
        } catch (java.io.IOException ex) {
            throw BerthException.internal("console socket " + sock + ": " + ex.getMessage(), ex);
        } catch (BerthException ex) {
            String message = ex.getMessage() == null ? "" : ex.getMessage();
            int code = ExitCodes.forStartError(message);
            e.exitCode = code;
            e.exit.complete(code);
            if (ExitCodes.isUserError(code)) {
                throw new BerthException(BerthException.Kind.INVALID_ARGUMENT, message, ex);
            }
            throw ex;
        } finally {
            if (listener >= 0) {
                closeQuietly(listener);
            }
            if (nul >= 0) {
                closeQuietly(nul);
            }
            try {
                java.nio.file.Files.deleteIfExists(sock);
            } catch (java.io.IOException ignored) {
                // swept with the exec root
            }
        }
    }

    /** docker exec resize: the exec's terminal size. */
    public void execResize(String execId, int rows, int columns) {
        ExecSlot e = findExec(execId);
        synchronized (e.stdinLock) {
            if (e.ttyFd < 0) {
                throw BerthException.conflict("exec " + execId + " is not running with a terminal");
            }
            sys.setWindowSize(e.ttyFd, rows, columns);
        }
    }

    private void onExecExit(ExecSlot e, int waitStatus) {
        int code = ExitCodes.fromWaitStatus(waitStatus);
        e.container.lock.lock();
        try {
            e.running = false;
            e.exitCode = code;
            closeExecStdin(e);
            closeExecTerminal(e);
            emit("exec_die", e.container.container, Map.of("execID", e.id, "exitCode", Integer.toString(code)));
        } finally {
            e.container.lock.unlock();
        }
        e.exit.complete(code);
    }

    private void closeExecStdin(ExecSlot e) {
        synchronized (e.stdinLock) {
            if (e.stdinFd >= 0 && e.stdinFd != e.ttyFd) {
                closeQuietly(e.stdinFd);
            }
            e.stdinFd = -1;
        }
    }

    private void closeExecTerminal(ExecSlot e) {
        synchronized (e.stdinLock) {
            e.stdinFd = -1;
            if (e.ttyFd >= 0) {
                closeQuietly(e.ttyFd);
                e.ttyFd = -1;
            }
        }
    }

    /** The exec's stdin (AttachStdin); closing it closes the process's stdin. */
    public java.io.OutputStream execStdin(String execId) {
        ExecSlot e = findExec(execId);
        int fd = e.stdinFd;
        if (fd < 0) {
            throw BerthException.precondition("exec " + execId + " has no stdin (AttachStdin) or it is closed");
        }
        java.io.OutputStream raw = dev.berth.runtime.sys.FdStreams.out(sys, fd);
        return new java.io.OutputStream() {
            @Override
            public void write(int b) throws java.io.IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws java.io.IOException {
                synchronized (e.stdinLock) {
                    if (e.stdinFd != fd) {
                        throw new java.io.IOException("exec " + execId + ": stdin is closed");
                    }
                    raw.write(b, off, len);
                }
            }

            @Override
            public void close() {
                synchronized (e.stdinLock) {
                    if (e.stdinFd == fd) {
                        closeExecStdin(e);
                    }
                }
            }
        };
    }

    /** SIGKILL to a running exec's process (a health probe past its timeout). */
    void killExec(String execId) {
        ExecSlot e;
        synchronized (this) {
            e = execs.get(execId);
        }
        if (e == null) {
            return;
        }
        e.container.lock.lock();
        try {
            if (e.running) {
                // the process is our child and not reaped until its exit is handled: its pid is still its own
                try {
                    sys.kill(e.pid, SignalNames.SIGKILL);
                } catch (Errno ignored) {
                    // exited meanwhile
                }
            }
        } finally {
            e.container.lock.unlock();
        }
    }

    /** Drops a finished exec's record (health probes leave none behind, as docker's). */
    synchronized void forgetExec(String execId) {
        execs.remove(execId);
    }

    // ---- health ----

    /** docker's State.Health of the current run; empty when the container has no healthcheck. */
    public Optional<dev.berth.engine.container.Health> health(String idOrName) {
        return Optional.ofNullable(find(idOrName).health);
    }

    void recordHealth(Slot s, long run, dev.berth.engine.container.Health.Result result, long startPeriodNanos, int retries) {
        boolean restart = false;
        s.lock.lock();
        try {
            if (s.run != run || s.health == null || !s.container.state().running()) {
                return;
            }
            boolean inStart = Duration.between(s.startedAt, result.start()).toNanos() < startPeriodNanos;
            dev.berth.engine.container.Health before = s.health;
            s.health = before.after(result, inStart, retries);
            if (!s.health.status().equals(before.status())) {
                emit("health_status: " + s.health.status(), s.container, Map.of());
                restart = s.health.status().equals(dev.berth.engine.container.Health.UNHEALTHY)
                        && "true".equals(s.container.config().labels().get(HealthMonitor.RESTART_LABEL));
            }
        } finally {
            s.lock.unlock();
        }
        if (restart && !closed) {
            LOG.log(System.Logger.Level.INFO, "restarting unhealthy container " + s.id());
            try {
                stop(s, Optional.empty(), false);
                s.lock.lock();
                try {
                    if (!s.container.state().running() && !s.removing && !closed) {
                        s.container = s.container.withRestarts(s.container.restartCount() + 1, s.container.manuallyStopped());
                        doStart(s);
                        emit("restart", s.container, Map.of());
                    }
                } finally {
                    s.lock.unlock();
                }
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "restart of unhealthy " + s.id() + ": " + e.getMessage());
            }
        }
    }

    // ---- top, stats, prune, update ----

    /** Host pids of every process in the running container (docker top's rows); CONFLICT when not running. */
    public List<Integer> pids(String idOrName) {
        Container c = running(idOrName);
        return runtime.pids(c.id());
    }

    /** Resource usage from the container's cgroups (docker stats); CONFLICT when not running. */
    public dev.berth.runtime.api.ContainerStats stats(String idOrName) {
        Container c = running(idOrName);
        return runtime.stats(c.id());
    }

    private Container running(String idOrName) {
        Container c = find(idOrName).container;
        if (c.status() != Status.RUNNING && c.status() != Status.PAUSED) {
            throw BerthException.conflict("Container " + c.id() + " is not running");
        }
        return c;
    }

    /** docker container prune: removes every stopped container (created, exited, dead); returns their ids. */
    public List<String> prune() {
        ensureOpen();
        List<String> removed = new ArrayList<>();
        for (Container c : list(true)) {
            if (c.status().canRemove()) {
                try {
                    remove(c.id(), false);
                    removed.add(c.id());
                } catch (BerthException e) {
                    // started or removed meanwhile
                }
            }
        }
        return removed;
    }

    /**
     * docker update: new resource limits (applied to the running container's cgroups too) and
     * restart policy; fields not given keep their values.
     */
    public void update(String idOrName, Optional<Long> memory, Optional<Long> memorySwap, Optional<Long> nanoCpus,
                       Optional<Long> cpuShares, Optional<String> cpusetCpus, Optional<Long> pidsLimit,
                       Optional<dev.berth.engine.container.RestartPolicy> restartPolicy) {
        ensureOpen();
        Slot s = find(idOrName);
        s.lock.lock();
        try {
            Container c = s.container;
            var h = c.hostConfig();
            var updated = h.withResources(memory.orElse(h.memory()), memorySwap.orElse(h.memorySwap()),
                    nanoCpus.orElse(h.nanoCpus()), cpuShares.orElse(h.cpuShares()), cpusetCpus.orElse(h.cpusetCpus()),
                    pidsLimit.isPresent() ? pidsLimit : h.pidsLimit());
            if (restartPolicy.isPresent()) {
                updated = updated.withRestartPolicy(restartPolicy.get());
            }
            if (c.status() == Status.RUNNING || c.status() == Status.PAUSED) {
                // no device rules: those were completed with the defaults at create and stay
                var r = specs.resources(updated);
                runtime.update(c.id(), new dev.berth.oci.runtime.Resources(null, r.memory(), r.cpu(), r.pids(), null, null,
                        null, null));
            }
            s.container = new Container(c.id(), c.name(), c.created(), c.imageId(), c.config(), updated, c.path(), c.args(),
                    c.state(), c.restartCount(), c.manuallyStopped(), c.startedBefore());
            store.save(s.container);
            emit("update", s.container, Map.of());
        } finally {
            s.lock.unlock();
        }
    }

    /**
     * docker commit: the container's changes (its writable layer, whiteouts as OCI's) become a
     * new layer on top of its image; the new image's config is the container's Config (with
     * {@code -c} changes applied), its history gains the container's command. A running container
     * is frozen meanwhile unless pause is false. Returns the new image.
     */
    public dev.berth.image.store.Image commit(String idOrName, CommitOptions opts) {
        ensureOpen();
        Slot s = find(idOrName);
        s.lock.lock();
        try {
            Container c = s.container;
            if (c.status() == Status.REMOVING || c.status() == Status.DEAD) {
                throw BerthException.conflict("cannot commit container " + c.id() + ": it is being removed");
            }
            Image parent = images.inspect(c.imageId().toString());
            boolean freeze = opts.pause() && c.status() == Status.RUNNING;
            if (freeze) {
                runtime.pause(c.id());
            }
            Digest diffId;
            long size;
            try (dev.berth.image.content.Ingest ingest = images.content().ingest()) {
                diffId = new dev.berth.image.layer.LayerPacker().pack(snapshots.mount(c.id()).upperDir(), ingest.stream());
                size = ingest.written();
                ingest.commit(diffId);
            } finally {
                if (freeze) {
                    quietly(() -> runtime.resume(c.id()));
                }
            }
            Digest parentChain = parent.topChainId().orElse(null);
            Digest chain = parentChain == null ? diffId : dev.berth.oci.image.ChainId.of(parentChain, diffId);
            if (!snapshots.hasLayer(chain)) {
                try (java.io.InputStream in = images.content().open(diffId)) {
                    snapshots.addLayer(chain, parentChain, diffId, in);
                } catch (java.io.IOException e) {
                    throw BerthException.internal("commit " + c.id() + ": " + e.getMessage(), e);
                }
            }
            dev.berth.oci.image.ImageConfig base = parent.config();
            dev.berth.oci.image.ImageConfig.Config run = imageConfigOf(c.config(), base.config());
            if (!opts.changes().isEmpty()) {
                run = dev.berth.image.archive.ConfigChanges.apply(run, opts.changes());
            }
            Instant now = Instant.now();
            List<Digest> diffIds = new ArrayList<>(base.diffIds());
            diffIds.add(diffId);
            List<dev.berth.oci.image.ImageConfig.History> history = new ArrayList<>(base.history());
            List<String> command = new ArrayList<>();
            command.add(c.path());
            command.addAll(c.args());
            history.add(new dev.berth.oci.image.ImageConfig.History(dev.berth.oci.image.ImageConfig.formatTime(now),
                    String.join(" ", command), opts.author(), opts.comment(), false));
            var config = new dev.berth.oci.image.ImageConfig(dev.berth.oci.image.ImageConfig.formatTime(now), opts.author(),
                    base.architecture(), base.os(), base.osVersion(), base.osFeatures(), base.variant(), run,
                    dev.berth.oci.image.ImageConfig.RootFs.layers(diffIds), history, opts.comment(), "");
            byte[] bytes = dev.berth.oci.image.ImageJson.write(config);
            List<dev.berth.oci.image.Descriptor> blobs = new ArrayList<>();
            boolean allBlobs = true;
            for (Image.Layer l : parent.layers()) {
                if (l.blob().isEmpty()) {
                    allBlobs = false;
                    break;
                }
                blobs.add(l.blob().get());
            }
            blobs.add(dev.berth.oci.image.Descriptor.of(dev.berth.oci.image.MediaTypes.OCI_LAYER, diffId, size));
            Image image = images.add(bytes, allBlobs ? blobs : List.of(), opts.tag().map(List::of).orElse(List.of()));
            emit("commit", c, Map.of("imageID", image.id().toString()));
            return image;
        } finally {
            s.lock.unlock();
        }
    }

    /** The image config a commit records: the container's Config, over what the image had that containers lack. */
    private static dev.berth.oci.image.ImageConfig.Config imageConfigOf(ContainerConfig c, dev.berth.oci.image.ImageConfig.Config base) {
        return new dev.berth.oci.image.ImageConfig.Config(c.user(), base.exposedPorts(), c.env(),
                c.entrypoint().orElse(List.of()), c.cmd().orElse(List.of()), c.healthcheck(), base.argsEscaped(),
                base.volumes(), c.workingDir(), base.onBuild(), c.labels(), c.stopSignal(), base.shell());
    }

    /**
     * docker export: the container's root filesystem (image plus its changes) as a tar on
     * {@code out}. A container that is not running is mounted for the time of the export.
     */
    public void export(String idOrName, java.io.OutputStream out) {
        ensureOpen();
        Slot s = find(idOrName);
        s.lock.lock();
        try {
            Container c = s.container;
            if (c.status() == Status.REMOVING || c.status() == Status.DEAD) {
                throw BerthException.conflict("cannot export container " + c.id() + ": it is being removed");
            }
            boolean mounted = c.state().running();
            Path rootfs = mounted ? mounts.rootfs(c.id()) : mounts.mount(c.id(), snapshots.mount(c.id()));
            try {
                new dev.berth.image.layer.LayerPacker().pack(rootfs, out);
            } finally {
                if (!mounted) {
                    quietly(() -> mounts.unmount(c.id()));
                }
            }
            emit("export", c, Map.of());
        } finally {
            s.lock.unlock();
        }
    }

    /**
     * docker diff: what the container changed in its root filesystem (running or not). Mount
     * points the runtime had to create (/etc/hosts and the like, bind targets) are not changes:
     * docker keeps those in an init layer, berth leaves them out here.
     */
    public List<dev.berth.engine.run.FilesystemChanges.Change> changes(String idOrName) {
        Slot s = find(idOrName);
        Container c = s.container;
        java.util.Set<String> mountPoints = new java.util.HashSet<>(List.of("/etc/hostname", "/etc/hosts",
                "/etc/resolv.conf", SpecBuilder.INIT_PATH, "/dev", "/proc", "/sys"));
        for (var m : c.hostConfig().allMounts()) {
            mountPoints.add(m.target());
        }
        return dev.berth.engine.run.FilesystemChanges.of(snapshots.mount(s.id())).stream()
                .filter(ch -> ch.kind() != dev.berth.engine.run.FilesystemChanges.Kind.ADDED || !mountPoints.contains(ch.path()))
                .toList();
    }

    // ---- logs ----

    /**
     * Follows the container's output from now on (attach, logs --follow); closing the result
     * stops it. Subscribing before start sees everything the process writes. The listener runs
     * on the engine's I/O thread: it must not block (queue what a slow client has not taken).
     */
    public AutoCloseable subscribe(String idOrName, Consumer<LogEntry> listener) {
        Slot s = find(idOrName);
        s.listeners.add(listener);
        return () -> s.listeners.remove(listener);
    }

    /**
     * The running container's stdin (created with OpenStdin, docker's -i), for attach. Closing
     * the stream closes the container's stdin when the container was created with StdinOnce
     * (docker run -i does), so a program reading to EOF ends; otherwise it only detaches.
     */
    public java.io.OutputStream stdin(String idOrName) {
        Slot s = find(idOrName);
        s.lock.lock();
        try {
            Container c = s.container;
            if (!c.config().openStdin()) {
                throw BerthException.precondition("container " + c.id() + " was not created with OpenStdin");
            }
            boolean tty = c.config().tty();
            if ((tty ? s.ttyFd : s.stdinFd) < 0 || !c.state().running()) {
                throw BerthException.conflict("Container " + c.id() + " is not running");
            }
            long run = s.run;
            int fd = tty ? s.ttyFd : s.stdinFd;
            java.io.OutputStream raw = dev.berth.runtime.sys.FdStreams.out(sys, fd);
            return new java.io.OutputStream() {
                private boolean closed;

                @Override
                public void write(int b) throws java.io.IOException {
                    write(new byte[] {(byte) b}, 0, 1);
                }

                @Override
                public void write(byte[] b, int off, int len) throws java.io.IOException {
                    // under stdinLock: the fd is never closed (and its number reused) mid-write
                    synchronized (s.stdinLock) {
                        if (closed || s.run != run || (tty ? s.ttyFd : s.stdinFd) != fd) {
                            throw new java.io.IOException("container " + c.id() + ": stdin is closed");
                        }
                        raw.write(b, off, len);
                    }
                }

                @Override
                public void close() {
                    if (closed) {
                        return;
                    }
                    closed = true;
                    // with a terminal the program sees the end of input as the user's ^D; the pty stays
                    if (c.config().stdinOnce() && !tty) {
                        s.lock.lock();
                        try {
                            if (s.run == run) {
                                closeStdin(s);
                            }
                        } finally {
                            s.lock.unlock();
                        }
                    }
                }
            };
        } finally {
            s.lock.unlock();
        }
    }

    /** The current json-file log (rotated ones beside it as .1, .2, …). */
    public Path logPath(String idOrName) {
        return logFile(find(idOrName).id());
    }

    // ---- remove ----

    /**
     * docker rm. A running container needs force (then it is killed first). Removes the
     * writable layer, the logs and the record.
     */
    public void remove(String idOrName, boolean force) {
        remove(idOrName, force, false);
    }

    /** docker rm -v: also removes the container's anonymous volumes (named ones stay, as with docker). */
    public void remove(String idOrName, boolean force, boolean removeVolumes) {
        ensureOpen();
        List<String> anonymous = new ArrayList<>();
        if (removeVolumes) {
            for (var m : find(idOrName).container.hostConfig().allMounts()) {
                if (m.type() == dev.berth.engine.container.MountSpec.Type.VOLUME) {
                    volumes.find(m.source()).filter(dev.berth.engine.volume.Volume::anonymous).ifPresent(v -> anonymous.add(v.name()));
                }
            }
        }
        removeContainer(idOrName, force);
        for (String v : anonymous) {
            synchronized (this) {
                if (volumeUsers(v).isEmpty()) {
                    quietly(() -> volumes.remove(v));
                }
            }
        }
    }

    private void removeContainer(String idOrName, boolean force) {
        Slot s = find(idOrName);
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
                cancelRestart(s);
            } else if (c.state().running()) {
                if (!force) {
                    throw BerthException.conflict("cannot remove container \"" + c.name().value()
                            + "\": container is " + c.status().word() + ": stop the container before removing or force remove");
                }
                s.stopping = true;
                exit = s.nextExit;
                if (c.status() == Status.PAUSED) {
                    quietly(() -> runtime.resume(c.id()));
                }
                signal(s, SignalNames.SIGKILL);
            }
            s.removing = true;
        } finally {
            s.lock.unlock();
        }
        if (exit != null && !await(exit, KILL_WAIT)) {
            s.removing = false;
            throw BerthException.internal("container " + s.id() + " did not exit within " + KILL_WAIT.toSeconds() + "s of SIGKILL");
        }
        s.lock.lock();
        try {
            Container c = s.container;
            s.container = c.withState(c.state().toStatus(Status.REMOVING));
            try {
                cleanupRun(s);
                snapshots.remove(c.id());
                store.remove(c.id());
            } catch (RuntimeException e) {
                s.container = c.withState(c.state().toStatus(Status.DEAD));
                s.removing = false;
                quietly(() -> store.save(s.container));
                throw e;
            }
            synchronized (this) {
                byId.remove(c.id());
                byName.remove(c.name().value());
                execs.values().removeIf(e -> e.container == s);
            }
            completeExit(s);
            s.removed.complete(WaitResult.of(c.state().exitCode(), ""));
            emit("destroy", c, Map.of());
        } finally {
            s.lock.unlock();
        }
    }

    // ---- open and close ----

    private void recover() {
        List<Container> all = store.loadAll();
        List<Slot> toRestart = new ArrayList<>();
        for (Container c : all) {
            Slot s = new Slot(c);
            synchronized (this) {
                byId.put(c.id(), s);
                byName.put(c.name().value(), c.id());
            }
            Status st = c.status();
            if (st == Status.REMOVING) {
                try {
                    cleanupRun(s);
                    snapshots.remove(c.id());
                    store.remove(c.id());
                    synchronized (this) {
                        byId.remove(c.id());
                        byName.remove(c.name().value());
                    }
                } catch (RuntimeException e) {
                    s.container = c.withState(c.state().toStatus(Status.DEAD));
                    quietly(() -> store.save(s.container));
                }
                continue;
            }
            if (st == Status.RUNNING || st == Status.PAUSED || st == Status.RESTARTING) {
                // the engine went away while the container ran (kill -9, a crash): whatever is left
                // of it is killed and cleaned up; 255 says the exit status was lost
                cleanupRun(s);
                int code = st == Status.RESTARTING ? c.state().exitCode() : 255;
                s.container = c.withState(c.state().toExited(code, "", false, Instant.now()));
                store.save(s.container);
                if (s.restarts.shouldRestart(c.hostConfig().restartPolicy(), c.restartCount(), code,
                        c.manuallyStopped(), Duration.ZERO).isPresent() && !c.hostConfig().autoRemove()) {
                    toRestart.add(s);
                }
            } else if (c.startedBefore() && st == Status.EXITED && restartsWithDaemon(c)) {
                toRestart.add(s);
            }
        }
        // what no record owns: runtime states, mounts, bundles
        for (var state : runtime.list()) {
            boolean known;
            synchronized (this) {
                known = byId.containsKey(state.id());
            }
            if (!known) {
                quietly(() -> runtime.delete(state.id(), true));
            }
        }
        quietly(() -> mounts.unmountAll(mounts.staleMounts()));
        // a create that crashed between preparing the snapshot and writing the record
        for (String key : snapshots.containerKeys()) {
            boolean known;
            synchronized (this) {
                known = byId.containsKey(key);
            }
            if (!known && ContainerId.isFull(key)) {
                quietly(() -> snapshots.remove(key));
            }
        }
        for (Slot s : toRestart) {
            s.lock.lock();
            try {
                s.container = s.container.withRestarts(s.container.restartCount() + 1, s.container.manuallyStopped());
                doStart(s);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "restart " + s.id() + " at start-up: " + e.getMessage());
            } finally {
                s.lock.unlock();
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

    /**
     * Stops every running container (its stop signal, SIGKILL after {@code timeout}) without
     * marking it stopped by hand, so always and unless-stopped bring it back at the next open;
     * then stops the engine's threads.
     */
    public void shutdown(Duration timeout) {
        List<Slot> slots;
        synchronized (this) {
            slots = new ArrayList<>(byId.values());
        }
        List<Thread> stoppers = new ArrayList<>();
        for (Slot s : slots) {
            s.lock.lock();
            try {
                cancelRestartIfPending(s);
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
        closed = true;
        timers.shutdownNow();
        io.close();
    }

    private void cancelRestartIfPending(Slot s) {
        if (s.container.status() == Status.RESTARTING) {
            cancelRestart(s);
            s.container = s.container.withState(s.container.state().toStatus(Status.EXITED));
            quietly(() -> store.save(s.container));
            completeExit(s);
        }
    }

    /** {@link #shutdown} with docker's default 10 s. */
    @Override
    public void close() {
        if (!closed) {
            shutdown(Duration.ofSeconds(DEFAULT_STOP_TIMEOUT));
        }
    }

    /**
     * As if the process had been killed with -9: threads stop, nothing is cleaned up, records
     * keep saying running. For crash-recovery tests only.
     */
    public void abandonForTest() {
        closed = true;
        timers.shutdownNow();
        io.close();
    }

    private void ensureOpen() {
        if (closed) {
            throw BerthException.precondition("the container engine is shut down");
        }
    }

    private void closeQuietly(int fd) {
        try {
            sys.close(fd);
        } catch (RuntimeException ignored) {
            // already closed
        }
    }

    private static void quietly(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, e.getMessage());
        }
    }
}
