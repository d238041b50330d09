package dev.berth.engine;

import dev.berth.engine.container.Container;
import dev.berth.engine.container.LogConfig;
import dev.berth.engine.container.Status;
import dev.berth.engine.logs.JsonFileLogger;
import dev.berth.engine.logs.LogOptions;
import dev.berth.engine.run.ExitCodes;
import dev.berth.engine.run.ScopedPath;
import dev.berth.engine.spec.SpecBuilder;
import dev.berth.image.snapshot.ContainerMount;
import dev.berth.oci.BerthException;
import dev.berth.oci.runtime.ConsoleSize;
import dev.berth.oci.runtime.Process;
import dev.berth.oci.runtime.Spec;
import dev.berth.runtime.api.CreateOptions;
import dev.berth.runtime.api.Stdio;
import dev.berth.runtime.sys.Syscalls;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/**
 * The start path: mount the snapshot, write the OCI bundle, launch the init through the runtime
 * library with pipes (or a terminal) for its output, watch it in the I/O loop; and undo all
 * of it when a start fails. Also docker's start, restart and resize verbs.
 */
final class Launcher {
    private static final System.Logger LOG = System.getLogger(Launcher.class.getName());

    private final EngineContext ctx;
    private final RunCleanup cleanup;
    private final Stopper stopper;
    private final ExitHandler exits;
    private final HealthMonitor health;

    Launcher(EngineContext ctx, RunCleanup cleanup, Stopper stopper, ExecManager execs, Remover remover) {
        this.ctx = ctx;
        this.cleanup = cleanup;
        this.stopper = stopper;
        // both restart containers: each is given this launcher
        this.exits = new ExitHandler(ctx, cleanup, this, remover);
        this.health = new HealthMonitor(ctx, execs, stopper, this);
    }

    HealthMonitor health() {
        return health;
    }

    /**
     * docker start: false when it is running already (docker's 304); CONFLICT while it is being
     * removed; a program that cannot start is INVALID_ARGUMENT in runc's words.
     */
    boolean start(String idOrName) {
        ctx.ensureOpen();
        return ctx.table.withLocked(idOrName, s -> {
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
            startLocked(s);
            return true;
        });
    }

    /** docker restart: stop (with the timeout, as stop does), then start; the restart count is kept. */
    void restart(String idOrName, Optional<Integer> timeoutSeconds) {
        ctx.ensureOpen();
        Slot s = ctx.table.find(idOrName);
        stopper.stop(s, timeoutSeconds, true);
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
            startLocked(s);
            ctx.events.emit("restart", s.container);
        } finally {
            s.lock.unlock();
        }
    }

    /** docker resize: the terminal's rows and columns; CONFLICT when it is not running, INVALID without a tty. */
    void resize(String idOrName, int rows, int columns) {
        ctx.table.withLockedDo(idOrName, s -> {
            Container c = s.container;
            if (!c.state().running()) {
                throw BerthException.conflict("Container " + c.id() + " is not running");
            }
            if (s.ttyFd < 0) {
                throw BerthException.invalid("container " + c.id() + " has no terminal");
            }
            ctx.sys.setWindowSize(s.ttyFd, rows, columns);
        });
    }

    /** Starts the container's process; the caller holds the slot's lock and has checked it may start. */
    void startLocked(Slot s) {
        Container c = s.container;
        String id = c.id();
        s.stopping = false;
        s.pendingRestart = null;
        Path dir = ctx.store.dir(id);
        int[] out = null;
        int[] err = null;
        int stdin = -1;
        boolean launched = false;
        try {
            ContainerMount m = ctx.snapshots.mount(id);
            Path rootfs = ctx.mounts.mount(id, m);
            Optional<Path> netns = ctx.networking.setUp(s);
            c = s.container; // with its addresses and published ports
            ctx.networking.writeEtcFiles(dir, c);
            ctx.volumes.mountFor(id, ContainerVolumes.namesOf(c)); // volumes with a device: mounted while it runs
            Spec spec = ctx.specs.build(c, rootfs, dir, name -> ctx.volumes.get(name).mountpoint());
            if (netns.isPresent()) {
                spec = SpecBuilder.withNetworkNamespace(spec, netns.get());
            }
            ScopedPath.mkdirs(rootfs, spec.process().cwd(), (int) spec.process().user().uid(),
                    (int) spec.process().user().gid());
            // the spec goes to the runtime in memory: no config.json to write and parse back
            LogConfig logConfig = c.hostConfig().logConfig();
            s.logger = logConfig.type().equals("none") ? null
                    : new JsonFileLogger(ctx.logFile(id), LogOptions.from(logConfig.config(), ctx.options.logDefaults()));
            if (c.config().tty()) {
                launchWithTerminal(s, c, withConsoleSize(spec, s.initialConsoleSize));
                return;
            }
            out = ctx.sys.pipe();
            err = ctx.sys.pipe();
            if (c.config().openStdin()) {
                // -i: the container reads a pipe whose other end attach writes to
                int[] in = ctx.sys.pipe();
                stdin = in[0];
                s.stdinFd = in[1];
            } else {
                stdin = ctx.sys.open(Path.of("/dev/null"), Syscalls.O_RDONLY);
            }
            int pid = ctx.runtime.launch(CreateOptions.of(id, ctx.mounts.bundle(id)), spec, new Stdio(stdin, out[1], err[1]),
                    () -> ctx.networking.awaitAttached(s));
            launched = true;
            c = s.container; // with the MACs the plugins gave
            ctx.closeQuietly(out[1]);
            ctx.closeQuietly(err[1]);
            ctx.closeQuietly(stdin);
            stdin = -1;
            watchRun(s, c, pid, out[0], err[0]);
        } catch (RuntimeException e) {
            throw startFailed(s, c, launched, out, err, stdin, e);
        }
    }

    /**
     * A container with a terminal: the runtime hands the pty master over the console socket
     * (runc's protocol); the engine reads the container's output from it (one stream, logged as
     * stdout, as docker does) and writes stdin and window sizes to it.
     */
    private void launchWithTerminal(Slot s, Container c, Spec spec) {
        String id = c.id();
        int nul = -1;
        int master = -1;
        boolean launched = false;
        try (ConsoleSocket console = ConsoleSocket.listen(ctx.sys, ctx.options.execRoot(), id)) {
            try {
                nul = ctx.sys.open(Path.of("/dev/null"), Syscalls.O_RDONLY);
                int pid = ctx.runtime.launch(new CreateOptions(id, ctx.mounts.bundle(id), Optional.empty(),
                        Optional.of(console.path()), false, false, 0), spec, new Stdio(nul, nul, nul),
                        () -> ctx.networking.awaitAttached(s));
                launched = true;
                c = s.container; // with the MACs the plugins gave
                master = console.receiveMaster();
                if (master < 0) {
                    throw BerthException.internal("container " + id + ": the runtime sent no terminal");
                }
                int reader = ctx.sys.dup(master);
                s.ttyFd = master;
                watchRun(s, c, pid, reader, -1);
            } catch (RuntimeException e) {
                if (master >= 0 && s.ttyFd != master) {
                    ctx.closeQuietly(master);
                }
                throw startFailed(s, c, launched, null, null, -1, e);
            } finally {
                if (nul >= 0) {
                    ctx.closeQuietly(nul);
                }
            }
        } catch (IOException e) {
            throw startFailed(s, c, false, null, null, -1, BerthException.internal("console socket of " + id + ": "
                    + e.getMessage(), e));
        }
    }

    /** The process runs: watch its pidfd and output, record it running, start its healthcheck. Nothing here may fail the start after the watch. */
    private void watchRun(Slot s, Container c, int pid, int outFd, int errFd) {
        int watchFd = ctx.sys.pidfdOpen(pid);
        s.signalFd = ctx.sys.pidfdOpen(pid);
        long run = ++s.run;
        s.startedAt = Instant.now();
        ctx.io.watch(watchFd, outFd, errFd, s, status -> exits.onExit(s, run, status));
        s.container = c.withState(c.state().toRunning(pid, s.startedAt)).withStartedBefore();
        try {
            health.start(s, run);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "healthcheck of " + c.id() + ": " + e.getMessage());
        }
        ctx.saveRunQuietly(s);
        ctx.events.emit("start", s.container);
    }

    /** The spec with the pty's first size, when the client gave one at create. */
    private static Spec withConsoleSize(Spec spec, ConsoleSize size) {
        if (size == null) {
            return spec;
        }
        Process p = spec.process();
        Process sized = new Process(p.terminal(), size, p.cwd(), p.env(), p.args(), p.commandLine(), p.rlimits(),
                p.apparmorProfile(), p.capabilities(), p.noNewPrivileges(), p.oomScoreAdj(), p.selinuxLabel(), p.user());
        return new Spec(spec.ociVersion(), sized, spec.root(), spec.hostname(), spec.domainname(), spec.mounts(),
                spec.hooks(), spec.annotations(), spec.linux());
    }

    /** Undoes a start that failed and records why (exit code 127/126/128 as docker's); returns what to throw. */
    private RuntimeException startFailed(Slot s, Container c, boolean launched, int[] out, int[] err, int stdin,
                                         RuntimeException e) {
        String id = c.id();
        if (launched) {
            // launched but not watched (a pidfd could not be had): kill it, reap it, remove its cgroups
            EngineContext.quietly(() -> ctx.runtime.delete(id, true));
            if (s.signalFd >= 0) {
                ctx.closeQuietly(s.signalFd);
                s.signalFd = -1;
            }
        }
        for (int[] p : new int[][] {out, err}) {
            if (p != null) {
                ctx.closeQuietly(p[0]);
                if (!launched) {
                    ctx.closeQuietly(p[1]);
                }
            }
        }
        if (stdin >= 0) {
            ctx.closeQuietly(stdin);
        }
        cleanup.closeStdin(s);
        cleanup.closeLogger(s);
        EngineContext.quietly(() -> ctx.mounts.unmount(id));
        EngineContext.quietly(() -> ctx.volumes.unmountFor(id));
        EngineContext.quietly(() -> ctx.networking.teardown(s));
        c = ContainerNetworking.cleared(c);
        String message = e.getMessage() == null ? e.toString() : e.getMessage();
        int code = ExitCodes.forStartError(message);
        s.container = c.withState(c.state().withStartError(code, message, Instant.now()));
        ctx.saveQuietly(s);
        if (c.hostConfig().autoRemove()) {
            exits.autoRemoveLater(s);
        }
        if (e instanceof BerthException be) {
            if (ExitCodes.isUserError(code)) {
                return new BerthException(BerthException.Kind.INVALID_ARGUMENT, message, e);
            }
            return be;
        }
        return BerthException.internal("start container " + id + ": " + message, e);
    }
}
