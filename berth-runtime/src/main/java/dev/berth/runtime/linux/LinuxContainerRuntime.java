package dev.berth.runtime.linux;

import dev.berth.oci.BerthException;
import dev.berth.oci.runtime.Hooks;
import dev.berth.oci.runtime.Linux;
import dev.berth.oci.runtime.Namespace;
import dev.berth.oci.runtime.Process;
import dev.berth.oci.runtime.Resources;
import dev.berth.oci.runtime.Spec;
import dev.berth.oci.runtime.SpecValidator;
import dev.berth.oci.runtime.State;
import dev.berth.oci.runtime.State.Status;
import dev.berth.oci.runtime.json.SpecJson;
import dev.berth.oci.runtime.json.StateJson;
import dev.berth.runtime.api.ContainerRuntime;
import dev.berth.runtime.cgroup.CgroupManager;
import dev.berth.runtime.api.ContainerStats;
import dev.berth.runtime.api.CreateOptions;
import dev.berth.runtime.api.ExecOptions;
import dev.berth.runtime.plan.ContainerPlanner;
import dev.berth.runtime.plan.ContainerPlanner.StartMode;
import dev.berth.runtime.plan.ExecPlanner;
import dev.berth.runtime.plan.HostFacts;
import dev.berth.runtime.plan.LaunchPlan;
import dev.berth.runtime.sys.Errno;
import dev.berth.runtime.sys.Syscalls;
import java.io.IOException;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The runtime library on Linux: the lifecycle of runtime.md over berth-init, cgroups and the
 * state directory. Every verb is refresh → guard → act → persist.
 */
public final class LinuxContainerRuntime implements ContainerRuntime {
    /** The runtime spec version berth implements, as `state` reports it. */
    public static final String OCI_VERSION = "1.2.0";
    private static final DateTimeFormatter RFC3339_NANO =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.nnnnnnnnn'Z'").withZone(ZoneOffset.UTC);

    private final Syscalls sys;
    private final ContainerStore store;
    private final InitLauncher launcher;
    private final boolean launcherStaysInGroup;
    private final CgroupOpener cgroups;
    private final SeccompSupport seccomp;
    /** berth-init, also the exec shim of hooks whose args[0] is not their path */
    private final Path helper;
    /** The host's cgroup mounts and /proc facts, read on the first create: they hold for the process's life. */
    private volatile HostFacts hostFacts;

    LinuxContainerRuntime(Syscalls sys, Path root, InitLauncher launcher, CgroupOpener cgroups, SeccompSupport seccomp) {
        this(sys, root, launcher, defaultHelper(), cgroups, seccomp);
    }

    LinuxContainerRuntime(Syscalls sys, Path root, InitLauncher launcher, Path helper, CgroupOpener cgroups,
                          SeccompSupport seccomp) {
        this.sys = sys;
        this.helper = helper;
        this.store = new ContainerStore(root);
        this.launcher = launcher;
        this.launcherStaysInGroup = launcher instanceof PipeInitLauncher;
        this.cgroups = cgroups;
        this.seccomp = seccomp;
    }

    /**
     * The runtime as a library (berthd's way): containers become children of this process,
     * launched through FFM with exact fds. State under root.
     */
    public static LinuxContainerRuntime open(Path root, Path helper) {
        var sys = new dev.berth.runtime.sys.LinuxSyscalls();
        return new LinuxContainerRuntime(sys, root, new FdInitLauncher(sys, helper), helper, CgroupOpener.host(),
                HostSeccomp.INSTANCE);
    }

    /**
     * The runtime for a short-lived command (berth-runtime): berth-init is started without
     * native bindings (see {@link PipeInitLauncher}), which keeps the JVM's start-up short.
     */
    public static LinuxContainerRuntime openForCli(Path root, Path helper) {
        return new LinuxContainerRuntime(new dev.berth.runtime.sys.LinuxSyscalls(), root, new PipeInitLauncher(helper),
                helper, CgroupOpener.host(), HostSeccomp.INSTANCE);
    }

    /** The helper binary: -Dberth.init, else next to the jar (target/berth-init). */
    public static Path defaultHelper() {
        String prop = System.getProperty("berth.init");
        if (prop != null && !prop.isEmpty()) {
            return Path.of(prop);
        }
        try {
            Path jar = Path.of(LinuxContainerRuntime.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path dir = Files.isDirectory(jar) ? jar.getParent() : jar.getParent();
            return dir.resolve("berth-init");
        } catch (Exception e) {
            return Path.of("berth-init");
        }
    }

    // ---- create / start / run ----

    /** A container whose init has finished its setup and waits to be started. */
    private record Launched(ContainerRecord record, InitProcess init, Spec spec, CgroupManager cgroup) {}

    @Override
    public State create(CreateOptions options) {
        Launched l = launch(options, StartMode.FIFO, false);
        l.init().release();
        l.init().close();
        reapInBackground(l.record().pid());
        return state(options.id());
    }

    @Override
    public void start(String id) {
        ContainerRecord record = store.load(id);
        try (FileLock lock = store.lock(id)) {
            Status status = status(record);
            switch (status) {
                case CREATED -> { }
                case STOPPED -> throw BerthException.precondition("cannot start a container that has stopped");
                case RUNNING -> throw BerthException.precondition("cannot start an already running container");
                default -> throw BerthException.precondition("cannot start a container in the " + status.word() + " state");
            }
            Path fifo = store.dir(id).resolve(ContainerStore.FIFO);
            ExecFifo.release(fifo, record.pid(), record.pidStartTime());
            Files.deleteIfExists(fifo);
            runPoststart(spec(id), record);
        } catch (IOException e) {
            throw BerthException.internal("start " + id + ": " + e.getMessage(), e);
        }
    }

    @Override
    public int run(CreateOptions options, boolean detach) {
        return run(options, detach, false);
    }

    /** keep (runc run --keep): the stopped container stays until delete. */
    @Override
    public int run(CreateOptions options, boolean detach, boolean keep) {
        Launched l = launch(options, StartMode.SYNC, !detach);
        String id = options.id();
        try {
            l.init().start();
            l.init().awaitExec();
        } catch (RuntimeException e) {
            l.init().close();
            cleanup(id, l.record(), l.cgroup());
            throw e;
        }
        l.init().release();
        l.init().close();
        store.save(l.record().withSetupDone());
        runPoststart(l.spec(), l.record());
        if (detach) {
            reapInBackground(l.record().pid());
            return 0;
        }
        SignalForwarder forwarder = SignalForwarder.install(l.init(), launcherStaysInGroup);
        int code;
        try {
            code = l.init().waitExit();
        } finally {
            forwarder.uninstall();
        }
        if (!keep) {
            delete(id, true);
        }
        return code;
    }

    /**
     * berthd's start: create and start in one conversation (no exec fifo), with the init's
     * stdio on {@code stdio}'s fds. Returns the init's host pid once it has exec'd the user's
     * program. The init is this process's child and nobody else waits for it: the caller must
     * reap it (berthd watches a pidfd), or it stays a zombie. A program that cannot start fails
     * here with berth-init's words ({@code exec: "x": executable file not found in $PATH}) and
     * leaves nothing behind.
     */
    public int launch(CreateOptions options, dev.berth.runtime.api.Stdio stdio) {
        return launch(options, null, stdio);
    }

    /**
     * {@link #launch(CreateOptions, dev.berth.runtime.api.Stdio)} with the spec in memory: a
     * caller that built it (the engine) need not write the bundle's config.json for the runtime
     * to read and parse back. The bundle directory still anchors a relative root.path. The
     * runtime keeps its copy of the config (for exec) as always.
     */
    public int launch(CreateOptions options, Spec spec, dev.berth.runtime.api.Stdio stdio) {
        return launch(options, spec, stdio, () -> { });
    }

    /**
     * {@link #launch(CreateOptions, Spec, dev.berth.runtime.api.Stdio)} with a step between
     * create and start: {@code beforeStart} runs once the init has made the container (its
     * namespaces joined, mounts made, cgroups applied) and waits, before it execs the program.
     * The engine finishes a container's network there, so the CNI plugins' work overlaps the
     * init's. When {@code beforeStart} throws, the init is killed and everything undone, as for
     * a program that cannot start, and its exception is thrown.
     */
    public int launch(CreateOptions options, Spec spec, dev.berth.runtime.api.Stdio stdio, Runnable beforeStart) {
        Launched l = launch(options, spec, StartMode.SYNC, false, stdio);
        String id = options.id();
        try {
            beforeStart.run();
            l.init().start();
            l.init().awaitExec();
        } catch (RuntimeException e) {
            l.init().close();
            cleanup(id, l.record(), l.cgroup());
            throw e;
        }
        l.init().release();
        l.init().close();
        store.save(l.record().withSetupDone());
        runPoststart(l.spec(), l.record());
        return l.record().pid();
    }

    /**
     * As a library (the fd launcher) the processes berth-init starts are children of this JVM
     * (CLONE_PARENT). One that nobody waits for stays a zombie once it exits, and a zombie in a
     * container's pid namespace keeps that namespace's init from finishing its exit, so `delete`
     * would wait on it forever. A long-lived caller (berthd, tests) must reap them: a daemon
     * thread waits for each. The CLI's processes are not its children.
     */
    private void reapInBackground(int pid) {
        if (launcherStaysInGroup) {
            return;
        }
        Thread.ofPlatform().daemon().name("berth-reap-" + pid).start(() -> {
            try {
                sys.waitPid(pid);
            } catch (RuntimeException ignored) {
                // reaped elsewhere (delete) or not our child
            }
        });
    }

    static int exitCode(int waitStatus) {
        int sig = waitStatus & 0x7f;
        if (sig == 0) {
            return (waitStatus >> 8) & 0xff;
        }
        return 128 + sig;
    }

    private Launched launch(CreateOptions o, StartMode mode, boolean stay) {
        return launch(o, null, mode, stay, dev.berth.runtime.api.Stdio.INHERIT);
    }

    /** givenSpec: the spec in memory, or null to read the bundle's config.json. */
    private Launched launch(CreateOptions o, Spec givenSpec, StartMode mode, boolean stay, dev.berth.runtime.api.Stdio stdio) {
        String id = o.id();
        ContainerStore.validateId(id);
        Path bundle = o.bundle().toAbsolutePath().normalize();
        byte[] configBytes;
        Spec spec;
        if (givenSpec != null) {
            spec = givenSpec;
            configBytes = SpecJson.write(spec).getBytes(StandardCharsets.UTF_8);
        } else {
            try {
                configBytes = Files.readAllBytes(bundle.resolve("config.json"));
            } catch (NoSuchFileException e) {
                throw BerthException.invalid("JSON specification file config.json not found in bundle " + bundle);
            } catch (IOException e) {
                throw BerthException.invalid("read " + bundle.resolve("config.json") + ": " + e.getMessage());
            }
            spec = SpecJson.parse(new String(configBytes, StandardCharsets.UTF_8));
        }
        SpecValidator.validate(spec);
        Process process = spec.process();
        if (process == null) {
            throw BerthException.invalid("config.json: process: required to create a container");
        }
        if (process.apparmorProfile() != null && !process.apparmorProfile().isEmpty()) {
            throw BerthException.unsupported("config.json: process.apparmorProfile: apparmor is not supported by berth-runtime");
        }
        if (process.selinuxLabel() != null && !process.selinuxLabel().isEmpty()) {
            throw BerthException.unsupported("config.json: process.selinuxLabel: selinux is not supported by berth-runtime");
        }
        Path rootfs = bundle.resolve(spec.root().path()).normalize();
        if (!Files.isDirectory(rootfs)) {
            throw BerthException.invalid("rootfs (" + rootfs + ") does not exist");
        }
        Linux linux = spec.linux();
        String cgroupsPath = linux == null || linux.cgroupsPath() == null ? "" : linux.cgroupsPath();
        Optional<ContainerPlanner.SeccompFilter> filter = linux == null || linux.seccomp() == null
                ? Optional.empty() : Optional.of(seccomp.compile(linux.seccomp()));

        Path dir = store.claim(id);
        boolean ok = false;
        ContainerRecord record = null;
        CgroupManager cgroup = null;
        InitProcess init = null;
        try {
            store.saveConfig(id, configBytes);
            record = new ContainerRecord(id, 0, 0, bundle.toString(), rootfs.toString(),
                    RFC3339_NANO.format(Instant.now()), cgroupsPath, mode == StartMode.FIFO, spec.annotations(), List.of(), false);
            store.save(record);
            cgroup = cgroups.open(cgroupsPath, id, java.util.Set.of());
            // the init joins its cgroups itself when the manager says how (no cgroup.procs write,
            // whose global lock waits for an RCU grace period); else it is moved in after clone
            Optional<CgroupManager.Placement> placement = cgroup.placement();
            HostFacts facts = hostFacts().withContainerCgroupDirs(cgroup.dirs());
            if (placement.isPresent()) {
                facts = facts.withCgroupJoin(new HostFacts.CgroupJoin(placement.get().tasksFiles(),
                        placement.get().cloneInto()));
            }
            LaunchPlan plan = ContainerPlanner.plan(new ContainerPlanner.Request(spec, rootfs, dir, id,
                    o.noPivot(), o.noNewKeyring(), o.preserveFds(),
                    o.consoleSocket(), stay && launcherStaysInGroup, mode, filter, facts));
            cgroup.create();
            record = record.withCgroupDirs(cgroup.createdDirs());
            store.save(record);
            if (!cgroup.createdDirs().containsAll(cgroup.dirs())) {
                checkCgroupUsable(cgroup); // a cgroup made just now is neither frozen nor populated
            }
            cgroup.set(linux == null || linux.resources() == null ? Resources.NONE
                    : dev.berth.runtime.plan.DeviceRules.complete(linux.resources(), linux.devices()));
            init = launcher.launch(plan, stay, o.preserveFds(), stdio);
            int pid = init.pid();
            if (placement.isEmpty()) {
                cgroup.apply(pid);
            }
            long start = ProcStat.read(pid).map(ProcStat::startTime).orElse(0L);
            record = record.withPid(pid, start);
            store.save(record);
            String stateJson = StateJson.write(toState(record, Status.CREATING));
            Hooks hooks = spec.hooks() == null ? Hooks.NONE : spec.hooks();
            init.go(stateJson.getBytes(StandardCharsets.UTF_8));
            if (!plan.stepsOf(dev.berth.runtime.plan.Op.RUNTIME_HOOKS).isEmpty()) {
                // the init has made the mounts and waits before pivot_root, as runc's does
                init.awaitHooks();
                HookRunner.run(helper, "prestart", hooks.prestart(), stateJson);
                HookRunner.run(helper, "createRuntime", hooks.createRuntime(), stateJson);
                init.go(new byte[0]);
            }
            try {
                init.awaitReady();
            } catch (BerthException e) {
                // before READY the only hooks berth-init runs are createContainer's: say so, as
                // the Java side says "createRuntime hook ..."
                if (e.getMessage() != null && e.getMessage().startsWith("hook ")) {
                    throw BerthException.internal("createContainer " + e.getMessage(), e);
                }
                // a hook that failed (runc's words: "error running hook ...")
                String failed = "error running hook ";
                if (e.getMessage() != null && e.getMessage().startsWith(failed)) {
                    throw BerthException.internal("error running createContainer hook "
                            + e.getMessage().substring(failed.length()), e);
                }
                throw e;
            }
            if (mode == StartMode.FIFO) {
                // created: the init waits on the fifo (with SYNC, run() marks it once it has exec'd)
                record = record.withSetupDone();
                store.save(record);
            }
            if (o.pidFile().isPresent()) {
                writePidFile(o.pidFile().get(), pid);
            }
            ok = true;
            return new Launched(record, init, spec, cgroup);
        } finally {
            if (!ok) {
                if (init != null) {
                    init.close();
                }
                if (cgroup != null) {
                    try {
                        cgroup.destroy();
                    } catch (RuntimeException ignored) {
                        // the original failure matters more
                    }
                }
                store.remove(id);
                if (init != null) {
                    // runtime.md: a failed create (a prestart hook, say) goes on to delete,
                    // and delete runs the poststop hooks
                    runPoststop(spec, record);
                }
            }
        }
    }

    /** runc's checks on a cgroup that existed before: a frozen one would hang the init. */
    private static void checkCgroupUsable(CgroupManager cgroup) {
        if (cgroup.isFrozen()) {
            throw BerthException.precondition("container's cgroup unexpectedly frozen");
        }
        int n = cgroup.pids().size();
        if (n > 0) {
            System.err.println("warning: container's cgroup is not empty: " + n + " process(es) found");
        }
    }

    private HostFacts hostFacts() {
        HostFacts facts = hostFacts;
        if (facts == null) {
            facts = HostFactsReader.read();
            hostFacts = facts;
        }
        return facts;
    }

    private static void writePidFile(Path file, int pid) {
        Path abs = file.toAbsolutePath();
        ContainerStore.writeAtomically(abs, Integer.toString(pid).getBytes(StandardCharsets.UTF_8));
    }

    private void runPoststart(Spec spec, ContainerRecord record) {
        if (spec.hooks() == null || spec.hooks().poststart().isEmpty()) {
            return;
        }
        try {
            HookRunner.run(helper, "poststart", spec.hooks().poststart(), StateJson.write(toState(record, Status.RUNNING)));
        } catch (BerthException e) {
            // runtime.md: a failing poststart hook is logged, the lifecycle goes on
            System.err.println("warning: " + e.getMessage());
        }
    }

    private CgroupManager cgroupOf(ContainerRecord r) {
        return cgroups.open(r.cgroupsPath(), r.id(), r.cgroupDirSet());
    }

    // ---- state ----

    @Override
    public State state(String id) {
        ContainerRecord record = store.load(id);
        return toState(record, status(record));
    }

    private Status status(ContainerRecord r) {
        if (r.pid() == 0) {
            return Status.CREATING;
        }
        if (!ProcStat.isLive(r.pid(), r.pidStartTime())) {
            return Status.STOPPED;
        }
        if (!r.setupDone()) {
            return Status.CREATING;
        }
        if (cgroupOf(r).isFrozen()) {
            return Status.PAUSED;
        }
        if (r.createdViaFifo() && Files.exists(store.dir(r.id()).resolve(ContainerStore.FIFO))) {
            return Status.CREATED;
        }
        return Status.RUNNING;
    }

    private static State toState(ContainerRecord r, Status status) {
        int pid = status == Status.STOPPED ? 0 : r.pid();
        return new State(OCI_VERSION, r.id(), status, pid, r.bundle(), r.rootfs(), r.created(), "", r.annotations());
    }

    @Override
    public Spec spec(String id) {
        return SpecJson.parse(new String(store.config(id), StandardCharsets.UTF_8));
    }

    @Override
    public List<State> list() {
        List<State> states = new ArrayList<>();
        for (String id : store.ids()) {
            try {
                State s = state(id);
                // runc's list names the owner of the state directory; its state leaves it empty
                String owner = store.ownerName(id);
                states.add(new State(s.ociVersion(), s.id(), s.status(), s.pid(), s.bundle(), s.rootfs(), s.created(),
                        owner, s.annotations()));
            } catch (BerthException e) {
                // a container removed while listing is not an error
            }
        }
        return states;
    }

    // ---- signals, delete ----

    @Override
    public void kill(String id, int signal, boolean all) {
        ContainerRecord r = store.load(id);
        Status status = status(r);
        // runc: --all still signals what is left in the cgroup of a stopped container
        if ((status == Status.STOPPED && !all) || status == Status.CREATING) {
            throw BerthException.precondition("container not running");
        }
        if (signal < 0 || signal > 64) {
            throw BerthException.invalid("invalid signal " + signal);
        }
        if (all) {
            CgroupManager cg = cgroupOf(r);
            for (int pid : cg.pids()) {
                killQuietly(pid, signal);
            }
            if (status == Status.PAUSED && signal == 9) {
                cg.thaw();
            }
        } else {
            try {
                sys.kill(r.pid(), signal);
            } catch (Errno e) {
                throw BerthException.internal("kill container " + id + ": " + e.getMessage(), e);
            }
        }
    }

    /** SIGKILL without native bindings (ProcessHandle), for the CLI's start-up. */
    private static void sigkill(int pid) {
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    }

    private void killQuietly(int pid, int signal) {
        try {
            sys.kill(pid, signal);
        } catch (Errno ignored) {
            // it exited meanwhile
        }
    }

    @Override
    public void delete(String id, boolean force) {
        ContainerRecord r = store.load(id);
        Status status = status(r);
        CgroupManager cg = cgroupOf(r);
        if (status != Status.STOPPED) {
            if (!force && status != Status.CREATING) {
                throw BerthException.precondition("cannot delete container " + id + " that is not stopped: " + status.word());
            }
            if (!force && status == Status.CREATING) {
                throw BerthException.precondition("cannot delete container " + id + " that is not stopped: creating");
            }
            killAll(r, cg, status == Status.PAUSED);
        }
        cleanup(id, r, cg);
    }

    /** SIGKILL to the init and everything in the cgroup, then wait (bounded) until all are gone. */
    private void killAll(ContainerRecord r, CgroupManager cg, boolean paused) {
        if (ProcStat.isLive(r.pid(), r.pidStartTime())) {
            sigkill(r.pid());
        }
        for (int pid : safePids(cg)) {
            sigkill(pid);
        }
        if (paused) {
            cg.thaw();
        }
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline) {
            boolean initGone = !ProcStat.isLive(r.pid(), r.pidStartTime());
            if (initGone) {
                // reap it if it is our child (run, daemon); otherwise its parent does
                launcher.reap(r.pid());
            }
            if (initGone && safePids(cg).isEmpty()) {
                return;
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static List<Integer> safePids(CgroupManager cg) {
        try {
            return cg.pids();
        } catch (RuntimeException e) {
            return List.of();
        }
    }

    private void cleanup(String id, ContainerRecord r, CgroupManager cg) {
        if (!safePids(cg).isEmpty()) {
            killAll(r, cg, false);
        }
        cg.destroy();
        Spec spec = null;
        try {
            spec = poststopSpec(id);
        } catch (BerthException ignored) {
            // a half-created container may have no config copy
        }
        store.remove(id);
        runPoststop(spec, r);
    }

    /**
     * The config copy, parsed only when it can have poststop hooks: a daemon deletes container
     * after container, and parsing a whole spec (docker's seccomp profile is most of it) to find
     * none took a millisecond of each.
     */
    private Spec poststopSpec(String id) {
        byte[] config = store.config(id);
        String raw = new String(config, StandardCharsets.ISO_8859_1);
        if (!raw.contains("poststop") && !raw.contains("\\u")) { // a key could be spelled with escapes
            return null;
        }
        return SpecJson.parse(new String(config, StandardCharsets.UTF_8));
    }

    /** runtime.md: poststop hooks run once the container is deleted; a failing one only warns. */
    private void runPoststop(Spec spec, ContainerRecord r) {
        if (spec != null && spec.hooks() != null && !spec.hooks().poststop().isEmpty()) {
            try {
                HookRunner.run(helper, "poststop", spec.hooks().poststop(), StateJson.write(toState(r, Status.STOPPED)));
            } catch (BerthException e) {
                System.err.println("warning: " + e.getMessage());
            }
        }
    }

    // ---- exec ----

    @Override
    public int exec(String id, ExecOptions options) {
        return exec(id, options, false);
    }

    @Override
    public int exec(String id, ExecOptions options, boolean ignorePaused) {
        return exec(id, options, ignorePaused, dev.berth.runtime.api.Stdio.INHERIT, false);
    }

    /**
     * berthd's exec: starts the process in the running container with its stdio on
     * {@code stdio}'s fds and returns its host pid once it has exec'd. As with
     * {@link #launch(CreateOptions, dev.berth.runtime.api.Stdio)}, nobody else waits for it:
     * the caller reaps it (a pidfd). A program that cannot start fails here, in runc's words.
     */
    public int execDetached(String id, ExecOptions options, dev.berth.runtime.api.Stdio stdio) {
        return exec(id, options, false, stdio, true);
    }

    private int exec(String id, ExecOptions options, boolean ignorePaused, dev.berth.runtime.api.Stdio stdio,
                     boolean callerReaps) {
        ContainerRecord r = store.load(id);
        Status status = status(r);
        switch (status) {
            case RUNNING, CREATED -> { }
            case PAUSED -> {
                if (!ignorePaused) {
                    throw BerthException.precondition("cannot exec in a paused container");
                }
            }
            default -> throw BerthException.precondition("cannot exec in a stopped container");
        }
        Spec spec = spec(id);
        List<Namespace> namespaces = spec.linux() == null ? List.of() : spec.linux().namespaces();
        Optional<ContainerPlanner.SeccompFilter> filter = spec.linux() == null || spec.linux().seccomp() == null
                ? Optional.empty() : Optional.of(seccomp.compile(spec.linux().seccomp()));
        CgroupManager cg = cgroupOf(r);
        // the process joins the cgroups itself (v1 tasks, no global lock; v2's cgroup.procs),
        // from files stage 0 opens before it enters the container's namespaces
        // (exec --cgroup: moved into its sub-cgroups by the runtime instead)
        Optional<CgroupManager.Placement> placement = options.subCgroups().isEmpty() ? cg.placement() : Optional.empty();
        List<Path> cgroupFiles = new ArrayList<>();
        placement.ifPresent(p -> {
            cgroupFiles.addAll(p.tasksFiles());
            p.cloneInto().ifPresent(dir -> cgroupFiles.add(dir.resolve("cgroup.procs")));
        });
        LaunchPlan plan = ExecPlanner.plan(r.pid(), namespaces, options.process(), options.consoleSocket(),
                !options.detach() && launcherStaysInGroup, filter, options.preserveFds(), cgroupFiles);
        InitProcess proc = launcher.launch(plan, !options.detach(), options.preserveFds(), stdio);
        int pid = proc.pid();
        try {
            if (!options.subCgroups().isEmpty()) {
                try {
                    cg.apply(pid, new dev.berth.runtime.cgroup.SubCgroups(options.subCgroups()));
                } catch (BerthException e) {
                    // runc's words: "exec failed: .. is not a sub cgroup path"
                    throw new BerthException(e.kind(), "exec failed: " + e.getMessage(), e);
                }
            } else if (placement.isEmpty()) {
                cg.apply(pid);
            }
            proc.go(new byte[0]);
            proc.awaitExec();
        } catch (RuntimeException e) {
            proc.close();
            throw e;
        }
        proc.release();
        proc.close();
        if (options.pidFile().isPresent()) {
            writePidFile(options.pidFile().get(), pid);
        }
        if (callerReaps) {
            return pid;
        }
        if (options.detach()) {
            reapInBackground(pid);
            return 0;
        }
        SignalForwarder forwarder = SignalForwarder.install(proc, launcherStaysInGroup);
        try {
            return proc.waitExit();
        } finally {
            forwarder.uninstall();
        }
    }

    // ---- cgroup verbs ----

    @Override
    public long oomKills(String id) {
        ContainerRecord r = store.load(id);
        // v1: memory.oom_control, v2: memory.events; both count kills on an "oom_kill N" line
        for (Path dir : cgroupOf(r).dirs()) {
            for (String file : List.of("memory.oom_control", "memory.events")) {
                Path f = dir.resolve(file);
                if (!Files.exists(f)) {
                    continue; // not the memory hierarchy: no exception thrown and caught for each of ten
                }
                try {
                    for (String line : Files.readAllLines(f)) {
                        if (line.startsWith("oom_kill ")) {
                            return Long.parseLong(line.substring("oom_kill ".length()).trim());
                        }
                    }
                } catch (IOException | NumberFormatException e) {
                    // not this hierarchy, or a kernel without the counter
                }
            }
        }
        return 0;
    }

    @Override
    public List<Integer> pids(String id) {
        ContainerRecord r = store.load(id);
        return cgroupOf(r).pids();
    }

    @Override
    public void pause(String id) {
        ContainerRecord r = store.load(id);
        Status status = status(r);
        if (status != Status.RUNNING && status != Status.CREATED) {
            throw BerthException.precondition("container not running");
        }
        cgroupOf(r).freeze();
    }

    @Override
    public void resume(String id) {
        ContainerRecord r = store.load(id);
        if (status(r) != Status.PAUSED) {
            throw BerthException.precondition("container not paused");
        }
        cgroupOf(r).thaw();
    }

    @Override
    public void update(String id, Resources resources) {
        ContainerRecord r = store.load(id);
        if (status(r) == Status.STOPPED) {
            throw BerthException.precondition("container not running");
        }
        cgroupOf(r).update(resources);
    }

    @Override
    public ContainerStats stats(String id) {
        ContainerRecord r = store.load(id);
        if (status(r) == Status.STOPPED) {
            throw BerthException.precondition("container not running");
        }
        return cgroupOf(r).stats();
    }
}
