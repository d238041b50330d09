package dev.berth.runtime.plan;

import dev.berth.oci.BerthException;
import dev.berth.oci.runtime.Capabilities;
import dev.berth.oci.runtime.Device;
import dev.berth.oci.runtime.Hook;
import dev.berth.oci.runtime.IdMapping;
import dev.berth.oci.runtime.Linux;
import dev.berth.oci.runtime.Mount;
import dev.berth.oci.runtime.Namespace;
import dev.berth.oci.runtime.Process;
import dev.berth.oci.runtime.Rlimit;
import dev.berth.oci.runtime.Spec;
import dev.berth.oci.runtime.User;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Turns a validated config.json into the launch plan of a container's init: the policy half of
 * runc's init, in Java. The order of ops follows runc's (and the runtime spec's): namespaces,
 * mounts, devices, prestart/createRuntime hooks (run by the runtime while the init waits),
 * createContainer hooks, pivot_root, hostname, sysctls, read-only and masked
 * paths, console, rlimits, wait for start, startContainer hooks, then identity, capabilities,
 * no_new_privs and seccomp last, and execve.
 */
public final class ContainerPlanner {

    /** How the init learns that `start` ran: runc's exec fifo, or a message on the sync socket. */
    public enum StartMode { FIFO, SYNC }

    /** Everything besides the spec that shapes the plan. */
    public record Request(
            Spec spec,
            Path rootfs,
            Path stateDir,
            String containerId,
            boolean noPivot,
            boolean noNewKeyring,
            int preserveFds,
            Optional<java.nio.file.Path> consoleSocket,
            boolean relayConsole,
            StartMode startMode,
            Optional<SeccompFilter> seccomp,
            HostFacts host) {}

    /** A compiled seccomp program (struct sock_filter array bytes) and its filter flags. */
    public record SeccompFilter(byte[] program, int flags) {}

    /** Op.CHDIR modes, in step with berth-init.c: a first try that may fail for lack of permission, and the try as the user unless one succeeded. */
    static final long CHDIR_TRY = 1;
    static final long CHDIR_UNLESS_DONE = 2;

    private static final List<Device> DEFAULT_DEVICES = List.of(
            new Device("c", "/dev/null", 1, 3, 0666, 0L, 0L),
            new Device("c", "/dev/zero", 1, 5, 0666, 0L, 0L),
            new Device("c", "/dev/full", 1, 7, 0666, 0L, 0L),
            new Device("c", "/dev/random", 1, 8, 0666, 0L, 0L),
            new Device("c", "/dev/urandom", 1, 9, 0666, 0L, 0L),
            new Device("c", "/dev/tty", 5, 0, 0666, 0L, 0L));

    private ContainerPlanner() {}

    public static LaunchPlan plan(Request r) {
        Spec spec = r.spec();
        Linux linux = spec.linux() == null ? emptyLinux() : spec.linux();
        Process process = spec.process();
        if (process == null) {
            throw BerthException.invalid("config.json: process: required to create a container");
        }
        LaunchPlan plan = new LaunchPlan();
        List<Namespace> ns = linux.namespaces();
        boolean newUser = Namespaces.createsNew(ns, "user");
        boolean newMount = Namespaces.createsNew(ns, "mount");
        if (!newMount && Namespaces.find(ns, "mount").isEmpty()) {
            throw BerthException.invalid("config.json: linux.namespaces: a mount namespace is required");
        }

        // Stage 0: join existing namespaces (user first, so that the others are entered with
        // its privileges; cgroup last, after the cgroup move), then clone the new ones.
        if (r.startMode() == StartMode.FIFO) {
            // runc's exec fifo: the init blocks opening it for writing until `start` reads it
            plan.add(Op.MKFIFO, r.stateDir().resolve("exec.fifo").toString(), 0622L);
        }
        if (process.terminal()) {
            if (r.consoleSocket().isPresent()) {
                plan.add(Op.CONNECT_CONSOLE, r.consoleSocket().get().toAbsolutePath().toString());
            } else if (r.relayConsole()) {
                // foreground run: berth-init relays our stdio to the pty, as runc does
                plan.add(Op.CONSOLE_RELAY);
            } else {
                throw BerthException.invalid("cannot allocate tty if berth-runtime will detach without setting console socket");
            }
        }
        // The init joins its cgroups itself: stage 0 opens the v1 tasks files (the child writes
        // 0 to them before GO) and the cgroup2 directory to clone into, before any namespace is
        // joined, so the paths are the runtime's.
        r.host().cgroupJoin().ifPresent(join -> join.tasksFiles().forEach(f -> plan.add(Op.CGROUP_JOIN, f.toString())));
        r.host().cgroupJoin().flatMap(HostFacts.CgroupJoin::cloneInto)
                .ifPresent(dir -> plan.add(Op.CLONE_INTO_CGROUP, dir.toString()));
        long cloneFlags = 0;
        for (String type : List.of("user", "ipc", "uts", "network", "pid", "mount", "time")) {
            Optional<Namespace> n = Namespaces.find(ns, type);
            if (n.isEmpty()) {
                continue;
            }
            if (n.get().path() != null && !n.get().path().isEmpty()) {
                plan.add(Op.JOIN_NS, n.get().path(), Namespaces.flag(type));
            } else {
                cloneFlags |= Namespaces.flag(type);
            }
        }
        // runc opens bind sources before it enters a new user namespace, so that a source only
        // the host's root may reach still mounts: a detached copy of each, taken in stage 0.
        Map<Mount, String> openedSources = new IdentityHashMap<>();
        if ((cloneFlags & Namespaces.flag("user")) != 0) {
            for (Mount m : spec.mounts()) {
                Optional<Path> src = bindSource(m, r);
                if (src.isPresent() && Files.exists(src.get())) {
                    plan.add(Op.OPEN_TREE, src.get().toString(),
                            MountOptions.parse(m.options()).recursive() ? 1L : 0L);
                    openedSources.put(m, "fd:" + openedSources.size());
                }
            }
        }
        plan.add(Op.CLONE, cloneFlags);
        if (newUser) {
            plan.add(Op.UID_MAP, idMap(linux.uidMappings(), "uidMappings"));
            plan.add(Op.GID_MAP, idMap(linux.gidMappings(), "gidMappings"), 1L);
        }

        // The init, once it is in its cgroups (the cgroup namespace, unshared after GO, has the
        // container's cgroup as its root).
        plan.add(Op.SETSID);
        if (process.oomScoreAdj() != null) {
            plan.add(Op.OOM_SCORE, Integer.toString(process.oomScoreAdj()));
        }
        Optional<Namespace> cgroupNs = Namespaces.find(ns, "cgroup");
        if (cgroupNs.isPresent()) {
            if (cgroupNs.get().path() == null || cgroupNs.get().path().isEmpty()) {
                plan.add(Op.UNSHARE, Namespaces.CLONE_NEWCGROUP);
            } else {
                plan.add(Op.JOIN_NS_LATE, cgroupNs.get().path(), Namespaces.CLONE_NEWCGROUP);
            }
        }
        if (r.startMode() == StartMode.FIFO) {
            plan.add(Op.FIFO_DIR, r.stateDir().toString());
        }

        // Root filesystem and mounts.
        long rootPropagation = MountOptions.propagation(linux.rootfsPropagation());
        plan.add(Op.ROOT_PROPAGATION, rootPropagation != 0 ? rootPropagation
                : MountOptions.MS_SLAVE | MountOptions.MS_REC);
        plan.add(Op.BIND_ROOTFS, r.rootfs().toString());
        Set<String> mountedPaths = new HashSet<>();
        Path bundle = r.rootfs().getParent();
        List<Mount> readOnlyLater = new ArrayList<>();
        for (Mount m : spec.mounts()) {
            addMount(plan, m, r, mountedPaths, readOnlyLater, openedSources.get(m));
        }
        if (!mountedPaths.contains("/dev") && spec.mounts().stream().noneMatch(m -> m.destination().equals("/dev"))) {
            // runc creates devices in the image's /dev when /dev is not a mount; so do we
        }
        addDevices(plan, linux, newUser, mountedPaths);
        addDevSymlinks(plan, r.host(), mountedPaths);
        if (process.cwd() != null && !process.cwd().isEmpty()) {
            plan.add(Op.MKDIR_IN_ROOT, process.cwd());
        }
        if (!hooks(spec).prestart().isEmpty() || !hooks(spec).createRuntime().isEmpty()) {
            // runc's procHooks: the runtime's hooks see the container's mounts, before pivot_root
            plan.add(Op.RUNTIME_HOOKS);
        }
        for (Hook h : hooks(spec).createContainer()) {
            plan.add(Op.HOOK, hookFields(h));
        }
        for (Mount m : readOnlyLater) {
            // in place (a bind remount of the mount itself, no new layer), keeping its other flags
            long keep = MountOptions.parse(m.options()).flags()
                    & (MountOptions.MS_NOSUID | MountOptions.MS_NODEV | MountOptions.MS_NOEXEC);
            plan.add(Op.MOUNT, m.destination(), m.destination(), "",
                    MountOptions.MS_BIND | MountOptions.MS_REMOUNT | MountOptions.MS_RDONLY | keep, "", 0L, 0L, 0L);
        }
        plan.add(Op.PIVOT, r.noPivot() ? 1L : 0L);
        if (rootPropagation != 0) {
            plan.add(Op.ROOT_PROPAGATION, rootPropagation);
        }

        // Identity of the host inside: hostname, sysctls.
        if (spec.hostname() != null && !spec.hostname().isEmpty()) {
            plan.add(Op.HOSTNAME, spec.hostname());
        }
        if (spec.domainname() != null && !spec.domainname().isEmpty()) {
            plan.add(Op.DOMAINNAME, spec.domainname());
        }
        for (Map.Entry<String, String> e : linux.sysctl().entrySet()) {
            Sysctls.check(e.getKey(), ns);
            plan.add(Op.WRITE_FILE, sysctlPath(e.getKey()), e.getValue());
        }
        for (String p : linux.readonlyPaths()) {
            plan.add(Op.READONLY, p);
        }
        for (String p : linux.maskedPaths()) {
            plan.add(Op.MASK, p);
        }
        if (spec.root() != null && spec.root().readonly()) {
            plan.add(Op.REMOUNT_ROOT_RO);
        }
        if (process.terminal()) {
            long rows = process.consoleSize() == null ? 0 : process.consoleSize().height();
            long cols = process.consoleSize() == null ? 0 : process.consoleSize().width();
            plan.add(Op.CONSOLE, -1L, rows, cols);
        }
        for (Rlimit l : process.rlimits()) {
            plan.add(Op.RLIMIT, (long) Rlimits.number(l.type()), l.soft(), l.hard());
        }
        if (!r.noNewKeyring()) {
            plan.add(Op.KEYRING, "_ses." + r.containerId());
        }
        String cwd = process.cwd() == null || process.cwd().isEmpty() ? "/" : process.cwd();
        plan.add(Op.CHDIR, cwd, CHDIR_TRY);
        plan.add(Op.CHECK_EXEC, process.args().getFirst(), pathOf(process.env()));

        plan.add(Op.READY, r.startMode() == StartMode.FIFO ? 0L : 1L);

        // startContainer hooks run last, as runc's do: as the user, under the seccomp filter
        addProcessIdentityAndExec(plan, process, r.seccomp(), r.preserveFds(), hooks(spec).startContainer());
        return plan;
    }

    /**
     * The tail shared by a container's init and an exec'd process: umask, user, capabilities,
     * cwd, no_new_privs, seccomp, fd closing and execve. Without no_new_privs the kernel only
     * lets a process holding CAP_SYS_ADMIN load a filter, so it is loaded before the drop, as
     * runc does.
     */
    static void addProcessIdentityAndExec(LaunchPlan plan, Process process, Optional<SeccompFilter> seccomp, int preserveFds) {
        addProcessIdentityAndExec(plan, process, seccomp, preserveFds, List.of());
    }

    /** The same, with hooks run just before the execve, once everything else is in place. */
    static void addProcessIdentityAndExec(LaunchPlan plan, Process process, Optional<SeccompFilter> seccomp, int preserveFds,
            List<Hook> lastHooks) {
        // fds are marked close-on-exec first: a seccomp filter may deny close_range
        plan.add(Op.CLOSE_FDS, 3L + preserveFds);
        User user = process.user() == null ? new User(0, 0, null, List.of(), null) : process.user();
        if (user.umask() != null) {
            plan.add(Op.UMASK, (long) user.umask());
        } else {
            plan.add(Op.UMASK, 022L);
        }
        if (seccomp.isPresent() && !process.noNewPrivileges()) {
            plan.add(Op.SECCOMP, (long) seccomp.get().flags(), seccomp.get().program());
        }
        Capabilities caps = process.capabilities() == null
                ? new Capabilities(null, null, null, null, null) : process.capabilities();
        String cwd = process.cwd() == null || process.cwd().isEmpty() ? "/" : process.cwd();
        // runc's order: cwd with the runtime's privileges first (the user may lack them),
        // as the user after the switch only if that failed for lack of permission
        plan.add(Op.CHDIR, cwd, CHDIR_TRY);
        plan.add(Op.CAP_BOUNDING, Capability.mask(caps.bounding()));
        List<Object> userFields = new ArrayList<>();
        userFields.add(user.uid());
        userFields.add(user.gid());
        userFields.add((long) user.additionalGids().size());
        for (Long g : user.additionalGids()) {
            userFields.add(g);
        }
        plan.add(Op.USER, userFields.toArray());
        plan.add(Op.CAPS, Capability.mask(caps.effective()), Capability.mask(caps.permitted()),
                Capability.mask(caps.inheritable()), Capability.mask(caps.ambient()));
        plan.add(Op.CHDIR, cwd, CHDIR_UNLESS_DONE);
        if (process.noNewPrivileges()) {
            plan.add(Op.NO_NEW_PRIVS);
        }
        if (seccomp.isPresent() && process.noNewPrivileges()) {
            plan.add(Op.SECCOMP, (long) seccomp.get().flags(), seccomp.get().program());
        }
        for (Hook h : lastHooks) {
            plan.add(Op.HOOK, hookFields(h));
        }
        List<Object> exec = new ArrayList<>();
        exec.add(process.args().getFirst());
        exec.add((long) process.args().size());
        exec.addAll(process.args());
        exec.addAll(process.env());
        plan.add(Op.EXEC, exec.toArray());
    }

    /**
     * Adds one mount. A read-only tmpfs, or a read-only mount at /dev, is mounted writable and
     * added to readOnlyLater, as runc does: devices, mount points and hooks still write to it.
     */
    /** The host path a bind mount (not a cgroup one) takes, relative sources against the bundle. */
    private static Optional<Path> bindSource(Mount m, Request r) {
        String type = m.type() == null ? "" : m.type();
        if (type.equals("cgroup") || type.equals("cgroup2")
                || !(MountOptions.parse(m.options()).bind() || type.equals("bind"))) {
            return Optional.empty();
        }
        Path src = Path.of(m.source() == null ? "" : m.source());
        return Optional.of(src.isAbsolute() ? src : r.rootfs().getParent().resolve(src));
    }

    /** openedSource: "fd:N" when stage 0 opened the bind source (OPEN_TREE), else null. */
    private static void addMount(LaunchPlan plan, Mount m, Request r, Set<String> mountedPaths, List<Mount> readOnlyLater,
            String openedSource) {
        String dest = m.destination();
        if (dest == null || !dest.startsWith("/")) {
            throw BerthException.invalid("config.json: mounts: destination must be an absolute path, got " + quote(dest));
        }
        MountOptions o = MountOptions.parse(m.options());
        String type = m.type() == null ? "" : m.type();
        boolean bind = o.bind() || type.equals("bind");
        mountedPaths.add(dest);
        if (type.equals("cgroup") || type.equals("cgroup2")) {
            List<Namespace> ns = r.spec().linux().namespaces();
            addCgroupMount(plan, m, o, r.host(),
                    Namespaces.createsNew(ns, "user") || Namespaces.find(ns, "cgroup").isEmpty());
            return;
        }
        if (bind) {
            String source = m.source() == null ? "" : m.source();
            Path src = Path.of(source);
            if (!src.isAbsolute()) {
                src = r.rootfs().getParent().resolve(source);
            }
            if (!Files.exists(src)) {
                throw BerthException.invalid("config.json: mounts: bind source " + src + " of " + dest + " does not exist");
            }
            long mkkind = Files.isDirectory(src) ? 1 : 2;
            long flags = MountOptions.MS_BIND | (o.recursive() ? MountOptions.MS_REC : 0);
            long remount = o.flags() & MountOptions.REMOUNT_FLAGS;
            long recursiveAttrs = MountOptions.recursiveAttributes(m.options());
            String from = openedSource != null ? openedSource : src.toString();
            if (recursiveAttrs != 0) {
                plan.add(Op.MOUNT, from, dest, "", flags, "", mkkind, remount, o.propagation(), recursiveAttrs);
            } else {
                plan.add(Op.MOUNT, from, dest, "", flags, "", mkkind, remount, o.propagation());
            }
        } else {
            String source = m.source() == null || m.source().isEmpty() ? type : m.source();
            long flags = o.flags() & ~MountOptions.MS_REMOUNT;
            if ((flags & MountOptions.MS_RDONLY) != 0 && (type.equals("tmpfs") || dest.equals("/dev"))) {
                flags &= ~MountOptions.MS_RDONLY;
                readOnlyLater.add(m);
            }
            plan.add(Op.MOUNT, source, dest, type, flags, o.data(), 1L, 0L, o.propagation());
        }
    }

    /**
     * A "cgroup" mount: on cgroup v2 the cgroup2 filesystem; on v1 a tmpfs holding one
     * cgroup mount per hierarchy, as runc and docker lay it out. With a cgroup namespace each
     * shows the container's own cgroup as its root.
     */
    private static void addCgroupMount(LaunchPlan plan, Mount m, MountOptions o, HostFacts host, boolean bindOwn) {
        String dest = m.destination();
        long flags = (o.flags() | MountOptions.MS_NOSUID | MountOptions.MS_NODEV | MountOptions.MS_NOEXEC)
                & ~MountOptions.MS_REMOUNT;
        if (host.cgroupV2() && !host.hybrid()) {
            plan.add(Op.MOUNT, "cgroup2", dest, "cgroup2", flags, "", 1L, 0L, 0L);
            return;
        }
        plan.add(Op.MOUNT, "tmpfs", dest, "tmpfs", flags & ~MountOptions.MS_RDONLY, "mode=755", 1L, 0L, 0L);
        for (HostFacts.CgroupHierarchy h : host.cgroupV1Hierarchies()) {
            if (bindOwn) {
                bindOwnCgroup(plan, host, h.dirName(), dest, flags);
            } else {
                plan.add(Op.MOUNT, "cgroup", dest + "/" + h.dirName(), "cgroup", flags, h.options(), 1L, 0L, 0L);
            }
        }
        if (host.hybrid()) {
            if (bindOwn) {
                bindOwnCgroup(plan, host, "unified", dest, flags);
            } else {
                plan.add(Op.MOUNT, "cgroup2", dest + "/unified", "cgroup2", flags, "", 1L, 0L, 0L);
            }
        }
        if ((o.flags() & MountOptions.MS_RDONLY) != 0) {
            // the tmpfs becomes read-only last, once its mount points exist: a remount in place
            // (a bind from dest would take the host's /sys/fs/cgroup, without its submounts)
            plan.add(Op.MOUNT, "", dest, "", MountOptions.MS_BIND | MountOptions.MS_REMOUNT | MountOptions.MS_RDONLY
                    | MountOptions.MS_NOSUID | MountOptions.MS_NODEV | MountOptions.MS_NOEXEC, "", 0L, 0L, 0L);
        }
    }

    /**
     * Without a cgroup namespace a cgroup mount would show the host's whole tree (and programs
     * that size themselves from /sys/fs/cgroup/memory/memory.limit_in_bytes would read the
     * host's), and a user namespace may not mount cgroup v1 at all (nor, beside v1 hierarchies,
     * cgroup2): bind the container's own cgroup directory of the hierarchy instead, as runc does.
     * A hierarchy the container has no directory in is left out.
     */
    private static void bindOwnCgroup(LaunchPlan plan, HostFacts host, String dirName, String dest, long flags) {
        Path hierarchy = Path.of("/sys/fs/cgroup", dirName);
        for (Path dir : host.containerCgroupDirs()) {
            if (dir.startsWith(hierarchy)) {
                plan.add(Op.MOUNT, dir.toString(), dest + "/" + dirName, "", MountOptions.MS_BIND | MountOptions.MS_REC,
                        "", 1L, flags & MountOptions.REMOUNT_FLAGS, 0L);
                return;
            }
        }
    }

    private static void addDevices(LaunchPlan plan, Linux linux, boolean newUser, Set<String> mountedPaths) {
        List<Device> devices = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (Device d : linux.devices()) {
            devices.add(d);
            seen.add(d.path());
        }
        for (Device d : DEFAULT_DEVICES) {
            if (!seen.contains(d.path())) {
                devices.add(d);
            }
        }
        for (Device d : devices) {
            if (mountedPaths.contains(d.path())) {
                continue;
            }
            if (d.path() == null || !d.path().startsWith("/")) {
                throw BerthException.invalid("config.json: linux.devices: path must be absolute, got " + quote(d.path()));
            }
            if (newUser) {
                // mknod is refused in a user namespace: bind the host's node instead, as runc does
                plan.add(Op.BIND_DEV, d.path(), d.path());
                continue;
            }
            long typeBits = switch (d.type()) {
                case "c", "u" -> 0020000L;
                case "b" -> 0060000L;
                case "p" -> 0010000L;
                default -> throw BerthException.invalid("config.json: linux.devices: " + d.path() + ": unknown type " + quote(d.type()));
            };
            long mode = typeBits | (d.fileMode() == null ? 0666 : d.fileMode() & 07777);
            long dev = makedev(d.major(), d.minor());
            plan.add(Op.MKNOD, d.path(), mode, dev, d.uid() == null ? 0L : d.uid(), d.gid() == null ? 0L : d.gid());
        }
    }

    private static void addDevSymlinks(LaunchPlan plan, HostFacts host, Set<String> mountedPaths) {
        List<String[]> links = new ArrayList<>(List.of(
                new String[] {"/proc/self/fd", "/dev/fd"},
                new String[] {"/proc/self/fd/0", "/dev/stdin"},
                new String[] {"/proc/self/fd/1", "/dev/stdout"},
                new String[] {"/proc/self/fd/2", "/dev/stderr"}));
        if (host.hasKcore()) {
            links.add(new String[] {"/proc/kcore", "/dev/core"});
        }
        if (!mountedPaths.contains("/dev/ptmx")) {
            links.add(new String[] {"pts/ptmx", "/dev/ptmx"});
        }
        for (String[] l : links) {
            if (!mountedPaths.contains(l[1])) {
                plan.add(Op.SYMLINK, l[0], l[1]);
            }
        }
    }

    /** glibc's makedev for 64-bit dev_t. */
    static long makedev(long major, long minor) {
        return ((major & 0xfffff000L) << 32) | ((major & 0xfffL) << 8)
                | ((minor & 0xffffff00L) << 12) | (minor & 0xffL);
    }

    static Object[] hookFields(Hook h) {
        List<Object> f = new ArrayList<>();
        f.add(h.path());
        f.add(h.timeout() == null ? 0L : (long) h.timeout());
        List<String> args = h.args().isEmpty() ? List.of(h.path()) : h.args();
        f.add((long) args.size());
        f.addAll(args);
        f.addAll(h.env());
        return f.toArray();
    }

    private static String idMap(List<IdMapping> maps, String field) {
        if (maps.isEmpty()) {
            throw BerthException.invalid("config.json: linux." + field + ": required with a new user namespace");
        }
        StringBuilder sb = new StringBuilder();
        for (IdMapping m : maps) {
            sb.append(m.containerID()).append(' ').append(m.hostID()).append(' ').append(m.size()).append('\n');
        }
        return sb.toString();
    }

    /** net.ipv4.ip_forward → /proc/sys/net/ipv4/ip_forward; keys with / are taken as paths. */
    static String sysctlPath(String key) {
        if (key.contains("..") || key.isEmpty()) {
            throw BerthException.invalid("config.json: linux.sysctl: invalid key " + quote(key));
        }
        return "/proc/sys/" + (key.contains("/") ? key : key.replace('.', '/'));
    }

    static String pathOf(List<String> env) {
        for (String e : env) {
            if (e.startsWith("PATH=")) {
                return e.substring(5);
            }
        }
        return "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    }

    private static dev.berth.oci.runtime.Hooks hooks(Spec spec) {
        return spec.hooks() == null ? dev.berth.oci.runtime.Hooks.NONE : spec.hooks();
    }

    private static Linux emptyLinux() {
        return new Linux(null, null, null, null, null, null, null, null, null, null, null, null, null);
    }

    private static String quote(String s) {
        return s == null ? "null" : "\"" + s + "\"";
    }
}
