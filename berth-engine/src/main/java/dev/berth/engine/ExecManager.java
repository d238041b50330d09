package dev.berth.engine;

import dev.berth.engine.container.Container;
import dev.berth.engine.container.ContainerId;
import dev.berth.engine.container.Status;
import dev.berth.engine.logs.LogEntry;
import dev.berth.engine.run.ExitCodes;
import dev.berth.engine.run.SignalNames;
import dev.berth.engine.spec.EnvMerge;
import dev.berth.engine.spec.UserResolver;
import dev.berth.oci.BerthException;
import dev.berth.oci.runtime.Capabilities;
import dev.berth.oci.runtime.Process;
import dev.berth.oci.runtime.Spec;
import dev.berth.oci.runtime.User;
import dev.berth.runtime.api.ExecOptions;
import dev.berth.runtime.api.Stdio;
import dev.berth.runtime.sys.Errno;
import dev.berth.runtime.sys.Syscalls;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * docker exec: processes started in a running container's namespaces and cgroups through the
 * runtime library, with pipes or a terminal, watched in the engine's I/O loop. Exec records live
 * in memory until their container is removed (health probes drop theirs at once).
 */
final class ExecManager {
    private final EngineContext ctx;
    /** exec id → exec, in creation order; guarded by this manager's monitor. */
    private final Map<String, ExecSlot> execs = new LinkedHashMap<>();

    ExecManager(EngineContext ctx) {
        this.ctx = ctx;
    }

    /** docker exec's create: CONFLICT unless the container runs; returns the exec's id. */
    String create(String idOrName, ExecConfig config) {
        ctx.ensureOpen();
        return ctx.table.withLocked(idOrName, s -> {
            checkExecable(s.container);
            String id = ContainerId.generate();
            synchronized (this) {
                execs.put(id, new ExecSlot(id, s, config));
            }
            return id;
        });
    }

    private static void checkExecable(Container c) {
        if (c.status() == Status.PAUSED) {
            throw BerthException.conflict("Container " + c.id() + " is paused, unpause the container before exec");
        }
        if (c.status() != Status.RUNNING) {
            throw BerthException.conflict("Container " + c.id() + " is not running");
        }
    }

    private synchronized ExecSlot find(String execId) {
        ExecSlot e = execs.get(execId);
        if (e == null) {
            throw BerthException.notFound("No such exec instance: " + execId);
        }
        return e;
    }

    /**
     * The container's ExecIDs (inspect): its execs created in its current run that have not
     * ended, oldest first. dockerd drops an exec from the list when it ends and clears the list
     * when the container stops; the exec itself stays inspectable.
     */
    List<String> idsOf(String idOrName) {
        return ctx.table.withLocked(idOrName, s -> {
            List<ExecSlot> all;
            synchronized (this) {
                all = List.copyOf(execs.values());
            }
            return all.stream().filter(e -> e.container == s && e.listed()).map(e -> e.id).toList();
        });
    }

    ExecInstance inspect(String execId) {
        ExecSlot e = find(execId);
        e.container.lock.lock();
        try {
            return e.snapshot();
        } finally {
            e.container.lock.unlock();
        }
    }

    /** The exec's process: the container's, with the exec's command, env added, user, working dir, tty and privileges. */
    private Process processOf(ExecSlot e, Container c) {
        Spec spec = ctx.runtime.spec(c.id());
        Process base = spec.process();
        User user = e.config.user().isEmpty() ? base.user() : UserResolver.resolve(e.config.user(), ctx.mounts.rootfs(c.id()));
        List<String> caps = e.config.privileged() ? dev.berth.engine.spec.CapabilitySet.compute(List.of(), List.of(), true) : null;
        return new Process(e.config.tty(), null,
                e.config.workingDir().isEmpty() ? base.cwd() : e.config.workingDir(),
                EnvMerge.replaceOrAppend(base.env(), e.config.env()),
                e.config.cmd(), null, base.rlimits(), null,
                caps == null ? base.capabilities() : new Capabilities(caps, caps, List.of(), caps, List.of()),
                base.noNewPrivileges(), null, null, user);
    }

    /**
     * Starts the exec's process; its output goes to {@code output} only, on the I/O thread (it
     * must not block). The future completes with its exit code. A program that cannot start
     * throws INVALID_ARGUMENT in runc's words and records 127 or 126.
     */
    CompletableFuture<Integer> start(String execId, Consumer<LogEntry> output) {
        ctx.ensureOpen();
        ExecSlot e = find(execId);
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
            Process p = processOf(e, c);
            if (e.config.tty()) {
                e.started = true;
                return startWithTerminal(e, c, p, output);
            }
            out = ctx.sys.pipe();
            err = ctx.sys.pipe();
            if (e.config.attachStdin()) {
                int[] pipe = ctx.sys.pipe();
                in = pipe[0];
                e.stdinFd = pipe[1];
            } else {
                in = ctx.sys.open(Path.of("/dev/null"), Syscalls.O_RDONLY);
            }
            e.started = true;
            int pid = ctx.runtime.execDetached(c.id(), new ExecOptions(p, true, Optional.empty(), Optional.empty(), 0),
                    new Stdio(in, out[1], err[1]));
            launched = true;
            watch(e, c, pid, out[0], err[0], output);
            return e.exit.copy();
        } catch (RuntimeException ex) {
            if (!launched) {
                for (int[] pipe : new int[][] {out, err}) {
                    if (pipe != null) {
                        ctx.closeQuietly(pipe[0]);
                    }
                }
                closeStdin(e);
                if (e.started) {
                    throw startFailed(e, ex);
                }
            }
            throw ex;
        } finally {
            if (out != null) {
                ctx.closeQuietly(out[1]);
            }
            if (err != null) {
                ctx.closeQuietly(err[1]);
            }
            if (in >= 0) {
                ctx.closeQuietly(in);
            }
            s.lock.unlock();
        }
    }

    /** exec -t: as a container's terminal, the pty master comes over a console socket. */
    private CompletableFuture<Integer> startWithTerminal(ExecSlot e, Container c, Process p, Consumer<LogEntry> output) {
        int nul = -1;
        try (ConsoleSocket console = ConsoleSocket.listen(ctx.sys, ctx.options.execRoot(), e.id)) {
            nul = ctx.sys.open(Path.of("/dev/null"), Syscalls.O_RDONLY);
            int pid = ctx.runtime.execDetached(c.id(), new ExecOptions(p, true, Optional.empty(),
                    Optional.of(console.path()), 0), new Stdio(nul, nul, nul));
            int master = console.receiveMaster();
            if (master < 0) {
                // a runtime bug: kill the process and let the loop reap it
                ctx.io.watch(ctx.sys.pidfdOpen(pid), -1, -1, output, status -> onExit(e, status));
                ctx.sys.kill(pid, SignalNames.SIGKILL);
                throw BerthException.internal("exec " + e.id + ": the runtime sent no terminal");
            }
            synchronized (e.stdinLock) {
                e.ttyFd = master;
                e.stdinFd = e.config.attachStdin() ? master : -1;
            }
            watch(e, c, pid, ctx.sys.dup(master), -1, output);
            return e.exit.copy();
        } catch (IOException ex) {
            throw BerthException.internal("console socket of exec " + e.id + ": " + ex.getMessage(), ex);
        } catch (BerthException ex) {
            throw startFailed(e, ex);
        } finally {
            if (nul >= 0) {
                ctx.closeQuietly(nul);
            }
        }
    }

    private void watch(ExecSlot e, Container c, int pid, int outFd, int errFd, Consumer<LogEntry> output) {
        int watchFd = ctx.sys.pidfdOpen(pid);
        e.running = true;
        e.pid = pid;
        ctx.io.watch(watchFd, outFd, errFd, output, status -> onExit(e, status));
        ctx.events.emit("exec_start: " + String.join(" ", e.config.cmd()), c, Map.of("execID", e.id));
    }

    /** Records an exec that could not start (127/126 as docker's) and returns what to throw. */
    private static RuntimeException startFailed(ExecSlot e, RuntimeException ex) {
        String message = ex.getMessage() == null ? ex.toString() : ex.getMessage();
        int code = ExitCodes.forStartError(message);
        e.exitCode = code;
        e.exit.complete(code);
        if (ExitCodes.isUserError(code)) {
            return new BerthException(BerthException.Kind.INVALID_ARGUMENT, message, ex);
        }
        return ex;
    }

    /** docker exec resize: the exec's terminal size. */
    void resize(String execId, int rows, int columns) {
        ExecSlot e = find(execId);
        synchronized (e.stdinLock) {
            if (e.ttyFd < 0) {
                throw BerthException.conflict("exec " + execId + " is not running with a terminal");
            }
            ctx.sys.setWindowSize(e.ttyFd, rows, columns);
        }
    }

    private void onExit(ExecSlot e, int waitStatus) {
        int code = ExitCodes.fromWaitStatus(waitStatus);
        e.container.lock.lock();
        try {
            e.running = false;
            e.exitCode = code;
            closeStdin(e);
            closeTerminal(e);
            ctx.events.emit("exec_die", e.container.container, Map.of("execID", e.id, "exitCode", Integer.toString(code)));
        } finally {
            e.container.lock.unlock();
        }
        e.exit.complete(code);
    }

    private void closeStdin(ExecSlot e) {
        synchronized (e.stdinLock) {
            if (e.stdinFd >= 0 && e.stdinFd != e.ttyFd) {
                ctx.closeQuietly(e.stdinFd);
            }
            e.stdinFd = -1;
        }
    }

    private void closeTerminal(ExecSlot e) {
        synchronized (e.stdinLock) {
            e.stdinFd = -1;
            if (e.ttyFd >= 0) {
                ctx.closeQuietly(e.ttyFd);
                e.ttyFd = -1;
            }
        }
    }

    /** The exec's stdin (AttachStdin); closing it closes the process's stdin. */
    OutputStream stdin(String execId) {
        ExecSlot e = find(execId);
        int fd = e.stdinFd;
        if (fd < 0) {
            throw BerthException.precondition("exec " + execId + " has no stdin (AttachStdin) or it is closed");
        }
        return new GuardedFdOutput(ctx.sys, fd, e.stdinLock, () -> e.stdinFd == fd, () -> {
            synchronized (e.stdinLock) {
                if (e.stdinFd == fd) {
                    closeStdin(e);
                }
            }
        }, "exec " + execId + ": stdin is closed");
    }

    /** SIGKILL to a running exec's process (a health probe past its timeout). */
    void kill(String execId) {
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
                    ctx.sys.kill(e.pid, SignalNames.SIGKILL);
                } catch (Errno ignored) {
                    // exited meanwhile
                }
            }
        } finally {
            e.container.lock.unlock();
        }
    }

    /** Drops a finished exec's record (health probes leave none behind, as docker's). */
    synchronized void forget(String execId) {
        execs.remove(execId);
    }

    /** Drops the records of a removed container's execs. */
    synchronized void forgetAll(Slot container) {
        execs.values().removeIf(e -> e.container == container);
    }
}
