package dev.berth.engine;

import dev.berth.engine.archive.PathStat;
import dev.berth.engine.container.Container;
import dev.berth.engine.container.Health;
import dev.berth.engine.container.RestartPolicy;
import dev.berth.engine.container.Status;
import dev.berth.engine.logs.LogEntry;
import dev.berth.engine.network.EndpointSettings;
import dev.berth.engine.network.Network;
import dev.berth.engine.network.NetworkCreateRequest;
import dev.berth.engine.network.NetworkEvent;
import dev.berth.engine.network.NetworkKernel;
import dev.berth.engine.network.kernel.CniNetworkKernel;
import dev.berth.engine.run.FilesystemChanges;
import dev.berth.engine.run.IoLoop;
import dev.berth.engine.spec.EtcFiles;
import dev.berth.engine.volume.Volume;
import dev.berth.image.io.AtomicFiles;
import dev.berth.image.store.Image;
import dev.berth.image.store.ImageService;
import dev.berth.oci.BerthException;
import dev.berth.runtime.api.ContainerStats;
import dev.berth.runtime.linux.LinuxContainerRuntime;
import dev.berth.runtime.sys.LinuxSyscalls;
import dev.berth.runtime.sys.Syscalls;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Containers: the library berthd's container routes call, and its single entry point. Create
 * records a container (its config merged with the image's, a writable snapshot prepared); start
 * mounts the overlay, writes the OCI spec and launches the init in-process through the runtime
 * library (no runc binary, no shim: the init is this process's child), its stdout and stderr
 * piped to the json-file log writer; one {@link IoLoop} thread notices every exit through
 * pidfds. Every verb is refresh → guard → act → persist, under the container's lock.
 *
 * <p>This class only delegates, to one part per concern: {@link CreateAndRename},
 * {@link Launcher} (start, restart, resize), {@link ExitHandler} (exits, restart policies),
 * {@link Stopper} (stop, kill, wait), {@link PauseAndUpdate}, {@link ExecManager},
 * {@link HealthMonitor}, {@link ContainerStdin}, {@link FilesystemOps} (commit, export, diff),
 * {@link ArchiveOps} (cp),
 * {@link ContainerVolumes}, {@link Remover} and {@link Recovery}; they share an
 * {@link EngineContext} and find containers in its {@link ContainerTable}.
 *
 * <p>Errors are {@link BerthException}s in docker's words: NOT_FOUND "No such container: x",
 * CONFLICT for a name in use or a running container, INVALID_ARGUMENT for bad input.
 */
public final class ContainerEngine implements AutoCloseable {
    private final EngineContext ctx;
    private final ContainerVolumes volumes;
    private final CreateAndRename creator;
    private final ExecManager execs;
    private final Stopper stopper;
    private final Remover remover;
    private final Launcher launcher;
    private final PauseAndUpdate pauseAndUpdate;
    private final FilesystemOps filesystems;
    private final ContainerStdin stdins;
    private final ArchiveOps archives;
    private final NetworkVerbs networks;

    private ContainerEngine(EngineContext ctx) {
        this.ctx = ctx;
        RunCleanup cleanup = new RunCleanup(ctx);
        this.volumes = new ContainerVolumes(ctx);
        this.creator = new CreateAndRename(ctx, volumes);
        this.execs = new ExecManager(ctx);
        this.stopper = new Stopper(ctx);
        this.remover = new Remover(ctx, stopper, cleanup, execs, volumes);
        this.launcher = new Launcher(ctx, cleanup, stopper, execs, remover);
        this.pauseAndUpdate = new PauseAndUpdate(ctx);
        this.filesystems = new FilesystemOps(ctx);
        this.stdins = new ContainerStdin(ctx, cleanup);
        this.archives = new ArchiveOps(ctx, filesystems);
        this.networks = new NetworkVerbs(ctx);
        new Recovery(ctx, cleanup, launcher).recover();
    }

    /**
     * Opens the engine: loads every container record, cleans up after a crash (containers
     * recorded as running are marked exited, their leftover processes killed, their mounts
     * and cgroups removed), then starts again those their restart policy says should run.
     */
    public static ContainerEngine open(EngineOptions options, ImageService images) {
        return open(options, images, new CniNetworkKernel(new LinuxSyscalls(), options.execRoot(), options.cniPluginDir()));
    }

    /** {@link #open} with another network kernel (tests: a fake one). */
    public static ContainerEngine open(EngineOptions options, ImageService images, NetworkKernel kernel) {
        Syscalls sys = new LinuxSyscalls();
        LinuxContainerRuntime runtime = LinuxContainerRuntime.open(
                AtomicFiles.createDirectories(options.execRoot().resolve("runtime")), options.helper());
        ContainerEngine engine = new ContainerEngine(new EngineContext(options, images, sys, runtime, kernel));
        images.setUsers(engine.ctx.table::imageUsers);
        return engine;
    }

    // ---- events, lookups ----

    /** Adds a listener for container events; closing the result removes it. */
    public AutoCloseable onEvent(Consumer<ContainerEvent> listener) {
        return ctx.events.add(listener);
    }

    /**
     * Adds a listener for network events (create, destroy, connect, disconnect); closing the
     * result removes it. Called on the thread that made the change: only queue the event.
     */
    public AutoCloseable onNetworkEvent(Consumer<NetworkEvent> listener) {
        return ctx.events.addNetworkListener(listener);
    }

    public Container inspect(String idOrName) {
        return ctx.table.find(idOrName).container;
    }

    /** Every container (running ones only unless all), newest first, as docker ps lists them. */
    public List<Container> list(boolean all) {
        return ctx.table.list(all);
    }

    public ContainerPaths paths(String idOrName) {
        String id = ctx.table.find(idOrName).id();
        Path dir = ctx.store.dir(id);
        return new ContainerPaths(ctx.logFile(id), dir.resolve(EtcFiles.HOSTNAME), dir.resolve(EtcFiles.HOSTS),
                dir.resolve(EtcFiles.RESOLV_CONF));
    }

    // ---- create, rename ----

    /** Creates a container; returns its record (Id, and the Config as merged with the image's). */
    public Container create(CreateRequest request) {
        return creator.create(request);
    }

    public void rename(String idOrName, String newName) {
        creator.rename(idOrName, newName);
    }

    // ---- start, restart, resize ----

    /**
     * Starts a created or exited container. Returns false when it is already running (docker's
     * 304). A program that cannot start leaves the container with exit code 127 (not found) or
     * 126 (not executable) and throws INVALID_ARGUMENT with the cause, in runc's words.
     */
    public boolean start(String idOrName) {
        return launcher.start(idOrName);
    }

    /** docker restart: stop (with the timeout, as stop does), then start; the restart count is kept. */
    public void restart(String idOrName, Optional<Integer> timeoutSeconds) {
        launcher.restart(idOrName, timeoutSeconds);
    }

    /** docker resize: the terminal's rows and columns; CONFLICT when it is not running, INVALID without a tty. */
    public void resize(String idOrName, int rows, int columns) {
        launcher.resize(idOrName, rows, columns);
    }

    /**
     * The terminal size a container with a tty starts with (docker's HostConfig.ConsoleSize,
     * sent by the CLI at create); ignored without a tty or when either side is 0.
     */
    public void setInitialConsoleSize(String idOrName, int rows, int columns) {
        if (rows <= 0 || columns <= 0) {
            return;
        }
        ctx.table.withLockedDo(idOrName, s -> s.initialConsoleSize = new dev.berth.oci.runtime.ConsoleSize(
                Math.min(rows, 0xffff), Math.min(columns, 0xffff)));
    }

    // ---- stop, kill, wait ----

    /**
     * Stops a container: its StopSignal (default SIGTERM), then SIGKILL after the timeout
     * (seconds; empty: the container's StopTimeout, else 10; negative: wait forever). Returns
     * false when it was not running (docker's 304). A stopped container does not restart.
     */
    public boolean stop(String idOrName, Optional<Integer> timeoutSeconds) {
        ctx.ensureOpen();
        return stopper.stop(ctx.table.find(idOrName), timeoutSeconds, true);
    }

    /** docker kill: sends the signal (default KILL); CONFLICT when the container is not running. */
    public void kill(String idOrName, String signalName) {
        stopper.kill(idOrName, signalName);
    }

    /**
     * docker wait. The future completes with the exit code when the condition is met: not-running
     * (now, if it is not running), next-exit, or removed. Cancel it to stop waiting.
     */
    public CompletableFuture<WaitResult> waitFor(String idOrName, WaitCondition condition) {
        return stopper.waitFor(idOrName, condition);
    }

    /** waitFor, blocking up to timeout. */
    public WaitResult await(String idOrName, WaitCondition condition, Duration timeout) {
        return stopper.await(idOrName, condition, timeout);
    }

    // ---- pause, update ----

    public void pause(String idOrName) {
        pauseAndUpdate.pause(idOrName);
    }

    public void unpause(String idOrName) {
        pauseAndUpdate.unpause(idOrName);
    }

    /**
     * docker update: new resource limits (applied to the running container's cgroups too) and
     * restart policy; fields not given keep their values.
     */
    public void update(String idOrName, Optional<Long> memory, Optional<Long> memorySwap, Optional<Long> nanoCpus,
                       Optional<Long> cpuShares, Optional<String> cpusetCpus, Optional<Long> pidsLimit,
                       Optional<RestartPolicy> restartPolicy) {
        pauseAndUpdate.update(idOrName, memory, memorySwap, nanoCpus, cpuShares, cpusetCpus, pidsLimit, restartPolicy);
    }

    // ---- volumes ----

    public Volume volumeCreate(Optional<String> name, Map<String, String> labels) {
        return volumes.create(name, labels, Map.of());
    }

    /** docker volume create -o: the local driver's options (type, device, o), checked in dockerd's words. */
    public Volume volumeCreate(Optional<String> name, Map<String, String> labels, Map<String, String> driverOptions) {
        return volumes.create(name, labels, driverOptions);
    }

    public List<Volume> volumeList() {
        return volumes.list();
    }

    /** NOT_FOUND "get x: no such volume". */
    public Volume volumeInspect(String name) {
        return volumes.inspect(name);
    }

    /** The containers whose mounts name the volume. */
    public List<String> volumeUsers(String name) {
        return volumes.users(name);
    }

    /** docker volume rm: CONFLICT "remove x: volume is in use - [ids]" while a container names it (force or not, as docker). */
    public void volumeRemove(String name, boolean force) {
        volumes.remove(name, force);
    }

    /** docker volume prune: unused anonymous volumes (with all: every unused volume); returns their names. */
    public List<String> volumePrune(boolean all) {
        return volumes.prune(all);
    }

    // ---- networks ----

    /**
     * docker network create: CONFLICT for a name in use, FORBIDDEN for a predefined name or a
     * subnet that overlaps another network's, INVALID_ARGUMENT for a bad subnet, range or gateway,
     * NOT_FOUND for a driver other than bridge. The bridge and its rules are made at once.
     */
    public Network networkCreate(NetworkCreateRequest request) {
        return networks.create(request);
    }

    /** Every network, the predefined bridge (unless the daemon has none), host and none included. */
    public List<Network> networkList() {
        return networks.list();
    }

    /** By full id, name or unique id prefix; NOT_FOUND "network x not found" as docker's. */
    public Network networkInspect(String idOrName) {
        return networks.inspect(idOrName);
    }

    /** The running containers on a network (id to its endpoint there), for inspect's Containers. */
    public Map<String, EndpointSettings> networkEndpoints(String idOrName) {
        return networks.endpoints(idOrName);
    }

    /**
     * docker network rm: FORBIDDEN while containers run on it ("error while removing network:
     * network x id y has active endpoints", as dockerd 20.10) and for the predefined ones.
     */
    public void networkRemove(String idOrName) {
        networks.remove(idOrName);
    }

    /** docker network prune: user-defined networks no container runs on; returns their names. */
    public List<String> networkPrune() {
        return networks.prune();
    }

    /**
     * docker network connect: running containers are wired at once, others at their next start.
     * FORBIDDEN when it is connected already; INVALID_ARGUMENT for host, none and container: modes.
     */
    public void networkConnect(String network, String container, EndpointSettings requested) {
        networks.connect(network, container, requested);
    }

    /** The embedded DNS server's directory (tests ask it as the server would). */
    dev.berth.engine.network.dns.DnsDirectory dnsDirectory() {
        return ctx.networking.dns;
    }

    /** docker network disconnect: FORBIDDEN when it is not connected. */
    public void networkDisconnect(String network, String container, boolean force) {
        networks.disconnect(network, container, force);
    }

    // ---- exec ----

    /** docker exec's create: CONFLICT unless the container runs; returns the exec's id. */
    public String execCreate(String idOrName, ExecConfig config) {
        return execs.create(idOrName, config);
    }

    public ExecInstance execInspect(String execId) {
        return execs.inspect(execId);
    }

    /** The container's ExecIDs: its execs of the current run not ended yet, oldest first (ExecManager.idsOf). */
    public java.util.List<String> execIds(String idOrName) {
        return execs.idsOf(idOrName);
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
        return execs.start(execId, output);
    }

    /** docker exec resize: the exec's terminal size. */
    public void execResize(String execId, int rows, int columns) {
        execs.resize(execId, rows, columns);
    }

    /** The exec's stdin (AttachStdin); closing it closes the process's stdin. */
    public OutputStream execStdin(String execId) {
        return execs.stdin(execId);
    }

    // ---- health, top, stats ----

    /**
     * docker's State.Health (also in the record's State, so inspect shows it): the current run's,
     * or the last run's for a stopped container, across daemon restarts; empty without a healthcheck.
     */
    public Optional<Health> health(String idOrName) {
        return ctx.table.find(idOrName).container.state().health();
    }

    /** Host pids of every process in the running container (docker top's rows); CONFLICT when not running. */
    public List<Integer> pids(String idOrName) {
        return ctx.runtime.pids(running(idOrName).id());
    }

    /** Resource usage from the container's cgroups (docker stats); CONFLICT when not running. */
    public ContainerStats stats(String idOrName) {
        return ctx.runtime.stats(running(idOrName).id());
    }

    private Container running(String idOrName) {
        Container c = ctx.table.find(idOrName).container;
        if (c.status() != Status.RUNNING && c.status() != Status.PAUSED) {
            throw BerthException.conflict("Container " + c.id() + " is not running");
        }
        return c;
    }

    // ---- filesystem: commit, export, diff ----

    /**
     * docker commit: the container's changes (its writable layer, whiteouts as OCI's) become a
     * new layer on top of its image; the new image's config is the container's Config (with
     * {@code -c} changes applied), its history gains the container's command. A running container
     * is frozen meanwhile unless pause is false. Returns the new image.
     */
    public Image commit(String idOrName, CommitOptions opts) {
        return filesystems.commit(idOrName, opts);
    }

    /**
     * docker export: the container's root filesystem (image plus its changes) as a tar on
     * {@code out}. A container that is not running is mounted for the time of the export.
     */
    public void export(String idOrName, OutputStream out) {
        filesystems.export(idOrName, out);
    }

    /**
     * docker diff: what the container changed in its root filesystem (running or not). Mount
     * points the runtime had to create (/etc/hosts and the like, bind targets) are not changes.
     */
    public List<FilesystemChanges.Change> changes(String idOrName) {
        return filesystems.changes(idOrName);
    }

    // ---- cp: the archive API ----

    /**
     * docker's {@code HEAD /containers/{id}/archive}: the stat of a path in the container (running
     * or not), its last component not followed (a symlink's resolved target is in linkTarget).
     * NOT_FOUND "Could not find the file /x in container web".
     */
    public PathStat archiveStat(String idOrName, String path) {
        return archives.stat(idOrName, path);
    }

    /**
     * docker's {@code GET /containers/{id}/archive}: a tar of the path (a file, or a directory and
     * everything under it, volumes and binds included) on {@code out}, its entries named after
     * the path's base name as docker names them. Returns the path's stat.
     */
    public PathStat archiveGet(String idOrName, String path, OutputStream out) {
        return archives.get(idOrName, path, out, stat -> { });
    }

    /** {@link #archiveGet(String, String, OutputStream)}, with {@code onStat} called before the first byte is written (for the stat header). */
    public PathStat archiveGet(String idOrName, String path, OutputStream out, Consumer<PathStat> onStat) {
        return archives.get(idOrName, path, out, onStat);
    }

    /**
     * docker's {@code PUT /containers/{id}/archive}: extracts a tar (plain, gzip or zstd) into
     * the directory at {@code path} (running or stopped container). NOT_FOUND when the path is
     * missing; INVALID "extraction point is not a directory", for a read-only volume or rootfs,
     * for a name that climbs out ("../x" is outside of "/dest") and, with
     * {@code noOverwriteDirNonDir}, for a directory replaced by a file or the reverse.
     * {@code copyUidGid}: entries owned by the container's Config.User (docker cp -a) when it has one, else as archived.
     */
    public void archivePut(String idOrName, String path, InputStream tar, boolean noOverwriteDirNonDir, boolean copyUidGid) {
        archives.put(idOrName, path, tar, noOverwriteDirNonDir, copyUidGid);
    }

    // ---- logs, stdin ----

    /**
     * Follows the container's output from now on (attach, logs --follow); closing the result
     * stops it. Subscribing before start sees everything the process writes. The listener runs
     * on the engine's I/O thread: it must not block (queue what a slow client has not taken).
     */
    public AutoCloseable subscribe(String idOrName, Consumer<LogEntry> listener) {
        Slot s = ctx.table.find(idOrName);
        s.listeners.add(listener);
        // lines handed to listeners before this one joined are in the file after this flush, so
        // a caller that subscribes and then reads the file misses none
        s.endOfBatch();
        return () -> s.listeners.remove(listener);
    }

    /**
     * The running container's stdin (created with OpenStdin, docker's -i), for attach. Closing
     * the stream closes the container's stdin when the container was created with StdinOnce
     * (docker run -i does), so a program reading to EOF ends; otherwise it only detaches.
     */
    public OutputStream stdin(String idOrName) {
        return stdins.open(idOrName);
    }

    /** The current json-file log (rotated ones beside it as .1, .2, …). */
    public Path logPath(String idOrName) {
        return ctx.logFile(ctx.table.find(idOrName).id());
    }

    // ---- remove, prune ----

    /**
     * docker rm. A running container needs force (then it is killed first). Removes the
     * writable layer, the logs and the record.
     */
    public void remove(String idOrName, boolean force) {
        remover.remove(idOrName, force, false);
    }

    /** docker rm -v: also removes the container's anonymous volumes (named ones stay, as with docker). */
    public void remove(String idOrName, boolean force, boolean removeVolumes) {
        remover.remove(idOrName, force, removeVolumes);
    }

    /** docker container prune: removes every stopped container (created, exited, dead); returns their ids. */
    public List<String> prune() {
        return remover.prune();
    }

    // ---- close ----

    /**
     * Stops every running container (its stop signal, SIGKILL after {@code timeout}) without
     * marking it stopped by hand, so always and unless-stopped bring it back at the next open;
     * then stops the engine's threads.
     */
    public void shutdown(Duration timeout) {
        stopper.stopAll(timeout);
        ctx.closed = true;
        ctx.timers.shutdownNow();
        ctx.io.close();
        ctx.deletes.close();
        ctx.networking.close();
    }

    /** {@link #shutdown} with docker's default 10 s. */
    @Override
    public void close() {
        if (!ctx.closed) {
            shutdown(Duration.ofSeconds(Stopper.DEFAULT_STOP_TIMEOUT));
        }
    }

    /**
     * As if the process had been killed with -9: threads stop, nothing is cleaned up, records
     * keep saying running. For crash-recovery tests only.
     */
    public void abandonForTest() {
        ctx.closed = true;
        ctx.timers.shutdownNow();
        ctx.io.close();
        ctx.deletes.close();
        ctx.networking.close();
    }
}
