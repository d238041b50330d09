package dev.berth.engine.spec;

import dev.berth.engine.container.ConfigMerge;
import dev.berth.engine.container.Container;
import dev.berth.engine.container.ContainerConfig;
import dev.berth.engine.container.HostConfig;
import dev.berth.engine.container.MountSpec;
import dev.berth.engine.container.Ulimit;
import dev.berth.oci.BerthException;
import dev.berth.oci.runtime.Capabilities;
import dev.berth.oci.runtime.Linux;
import dev.berth.oci.runtime.Mount;
import dev.berth.oci.runtime.Namespace;
import dev.berth.oci.runtime.OciVersion;
import dev.berth.oci.runtime.Process;
import dev.berth.oci.runtime.Resources;
import dev.berth.oci.runtime.Rlimit;
import dev.berth.oci.runtime.Root;
import dev.berth.oci.runtime.Seccomp;
import dev.berth.oci.runtime.Spec;
import dev.berth.oci.runtime.User;
import dev.berth.runtime.seccomp.DockerProfile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A container's OCI runtime spec, as dockerd builds it for runc: docker's default mounts,
 * capabilities, masked and read-only paths and seccomp profile (shared/specs/docker-defaults),
 * then the container's HostConfig on top. Pure: the only file it reads is the image's
 * /etc/passwd and /etc/group (for a user given by name) under the mounted rootfs.
 */
public final class SpecBuilder {
    /** Docker's masked paths (moby oci/defaults.go). */
    public static final List<String> MASKED_PATHS = List.of(
            "/proc/asound", "/proc/acpi", "/proc/interrupts", "/proc/kcore", "/proc/keys", "/proc/latency_stats",
            "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/proc/scsi", "/sys/firmware",
            "/sys/devices/virtual/powercap");
    /** Docker's read-only paths. */
    public static final List<String> READONLY_PATHS = List.of(
            "/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger");
    /** Where --init puts docker-init inside the container. */
    public static final String INIT_PATH = "/sbin/docker-init";
    private static final long CFS_PERIOD = 100_000;

    private final HostInfo host;
    /** Docker's default profile evaluated per capability set: parsing it costs milliseconds per start. */
    private final java.util.concurrent.ConcurrentHashMap<Set<String>, Seccomp> defaultProfiles =
            new java.util.concurrent.ConcurrentHashMap<>();

    public SpecBuilder(HostInfo host) {
        this.host = host;
    }

    /**
     * @param c the container, its Config already merged with the image's ({@link ConfigMerge})
     * @param rootfs the mounted root filesystem (users are looked up in it)
     * @param containerDir where the hostname, hosts and resolv.conf files are (see {@link EtcFiles})
     */
    public Spec build(Container c, Path rootfs, Path containerDir) {
        return build(c, rootfs, containerDir, name -> {
            throw BerthException.notFound("get " + name + ": no such volume");
        });
    }

    /** build, with named volumes found by {@code volumes} (name → the directory to bind). */
    public Spec build(Container c, Path rootfs, Path containerDir, java.util.function.Function<String, Path> volumes) {
        ContainerConfig cfg = c.config();
        HostConfig hc = c.hostConfig();
        String hostname = hostname(c);
        List<String> argv = new ArrayList<>(ConfigMerge.commandLine(cfg));
        List<Mount> extraMounts = new ArrayList<>();
        if (hc.init().orElse(false)) {
            Path init = host.initBinary().orElseThrow(() -> BerthException.precondition(
                    "--init: no docker-init (tini) on this host; install the tini package"));
            argv.addAll(0, List.of(INIT_PATH, "--"));
            extraMounts.add(new Mount(INIT_PATH, "bind", init.toString(), List.of("bind", "ro"), null, null));
        }
        List<String> caps = CapabilitySet.compute(hc.capAdd(), hc.capDrop(), hc.privileged());
        Security sec = Security.parse(hc.securityOpt());
        User user = withGroups(UserResolver.resolve(cfg.user(), rootfs), hc.groupAdd(), rootfs);
        String cwd = cfg.workingDir().isEmpty() ? "/" : cfg.workingDir();
        if (!cwd.startsWith("/")) {
            throw BerthException.invalid("the working directory '" + cwd + "' is invalid, it needs to be an absolute path");
        }
        Process process = new Process(
                cfg.tty(), null, cwd,
                EnvMerge.processEnv(cfg.env(), hostname, cfg.tty()),
                argv, null,
                rlimits(hc.ulimits()),
                null,
                new Capabilities(caps, caps, List.of(), caps, List.of()),
                sec.noNewPrivileges(),
                hc.oomScoreAdj() == 0 ? null : hc.oomScoreAdj(), null, user);

        boolean hostNet = hc.networkMode().equals("host");
        List<Namespace> namespaces = new ArrayList<>();
        namespaces.add(new Namespace("mount", null));
        if (!hostNet) {
            namespaces.add(new Namespace("network", null));
        }
        namespaces.add(new Namespace("uts", null));
        namespaces.add(new Namespace("pid", null));
        namespaces.add(new Namespace("ipc", null));

        Map<String, String> sysctl = new LinkedHashMap<>();
        if (!hostNet) {
            // docker 20.10+: unprivileged ports and ping inside a container's own network namespace
            sysctl.put("net.ipv4.ip_unprivileged_port_start", "0");
            sysctl.put("net.ipv4.ping_group_range", "0 2147483647");
        }
        sysctl.putAll(hc.sysctls());
        Seccomp seccomp = null;
        if (!hc.privileged() && !sec.seccompUnconfined()) {
            Set<String> granted = new LinkedHashSet<>(caps);
            seccomp = sec.seccompProfile().isPresent()
                    ? DockerProfile.toOci(sec.seccompProfile().get(), granted, host.arch(), host.kernelVersion())
                    : defaultProfiles.computeIfAbsent(Set.copyOf(granted),
                            g -> DockerProfile.defaultProfile(g, host.arch(), host.kernelVersion()));
        }
        HostDevices.Resolved devices = HostDevices.resolve(hc.devices());
        List<dev.berth.oci.runtime.Device> nodes = new ArrayList<>(devices.devices());
        if (hc.privileged()) {
            // docker gives a privileged container the host's devices (its own --device ones first)
            Set<String> mapped = new HashSet<>();
            nodes.forEach(d -> mapped.add(d.path()));
            HostDevices.all(Path.of("/dev")).stream().filter(d -> !mapped.contains(d.path())).forEach(nodes::add);
        }
        Linux linux = new Linux(
                namespaces, null, null, nodes,
                "/berth/" + c.id(),
                resources(hc, devices.rules()),
                null,
                seccomp,
                sysctl,
                hc.privileged() ? List.of() : MASKED_PATHS,
                hc.privileged() ? List.of() : READONLY_PATHS,
                null, null);
        List<Mount> mounts = mounts(hc, containerDir, extraMounts, volumes);
        return new Spec(OciVersion.MAX, process, new Root(rootfs.toString(), hc.readonlyRootfs()), hostname,
                cfg.domainname().isEmpty() ? null : cfg.domainname(), mounts, null, Map.of(), linux);
    }

    /**
     * The spec with the network namespace at {@code path} joined instead of a new one: the
     * container's pinned namespace, or another container's (--network container:x).
     */
    public static Spec withNetworkNamespace(Spec spec, Path path) {
        Linux l = spec.linux();
        List<Namespace> namespaces = new ArrayList<>();
        for (Namespace n : l.namespaces()) {
            namespaces.add(n.type().equals("network") ? new Namespace("network", path.toString()) : n);
        }
        Linux joined = new Linux(namespaces, l.uidMappings(), l.gidMappings(), l.devices(), l.cgroupsPath(), l.resources(),
                l.rootfsPropagation(), l.seccomp(), l.sysctl(), l.maskedPaths(), l.readonlyPaths(), l.mountLabel(),
                l.personality());
        return new Spec(spec.ociVersion(), spec.process(), spec.root(), spec.hostname(), spec.domainname(), spec.mounts(),
                spec.hooks(), spec.annotations(), joined);
    }

    /** The config's hostname; else the host's with --network host; else the short id, as docker does. */
    public String hostname(Container c) {
        if (!c.config().hostname().isEmpty()) {
            return c.config().hostname();
        }
        if (c.hostConfig().networkMode().equals("host")) {
            return host.hostname();
        }
        return c.id().substring(0, 12);
    }

    /** --group-add: numbers as given, names looked up in the image's /etc/group (docker's words when missing). */
    static User withGroups(User user, List<String> groupAdd, Path rootfs) {
        if (groupAdd.isEmpty()) {
            return user;
        }
        List<Long> gids = new ArrayList<>(user.additionalGids());
        List<UserResolver.GroupEntry> groups = null;
        for (String g : groupAdd) {
            long gid;
            if (g.matches("\\d+")) {
                gid = Long.parseLong(g);
            } else {
                if (groups == null) {
                    groups = UserResolver.readGroups(rootfs.resolve("etc/group"));
                }
                gid = groups.stream().filter(e -> e.name().equals(g)).findFirst().map(UserResolver.GroupEntry::gid)
                        .orElseThrow(() -> BerthException.invalid("Unable to find group " + g + ": no matching entries in group file"));
            }
            if (!gids.contains(gid)) {
                gids.add(gid);
            }
        }
        return new User(user.uid(), user.gid(), user.umask(), gids, user.username());
    }

    static List<Rlimit> rlimits(List<Ulimit> ulimits) {
        List<Rlimit> out = new ArrayList<>();
        for (Ulimit u : ulimits) {
            out.add(new Rlimit(u.rlimitType(), u.soft(), u.hard()));
        }
        return out;
    }

    /** The cgroup resources of a HostConfig (also what docker update applies), without --device rules. */
    public Resources resources(HostConfig hc) {
        return resources(hc, List.of());
    }

    /** The cgroup resources, the device rules being docker's deny-all (allow-all when privileged), then {@code allowed}. */
    Resources resources(HostConfig hc, List<Resources.DeviceRule> allowed) {
        List<Resources.DeviceRule> devices = new ArrayList<>();
        devices.add(hc.privileged()
                ? new Resources.DeviceRule(true, "a", null, null, "rwm")
                : new Resources.DeviceRule(false, "a", null, null, "rwm"));
        for (Resources.DeviceRule r : allowed) {
            if (!r.type().equals("p")) { // a fifo needs no device rule
                devices.add(r);
            }
        }
        Resources.Memory memory = null;
        if (hc.memory() > 0) {
            Long swap = null;
            if (host.swapAccounting()) {
                // docker: unset MemorySwap allows as much swap as memory (limit + swap = 2 x limit)
                swap = hc.memorySwap() == 0 ? hc.memory() * 2 : hc.memorySwap();
            }
            memory = new Resources.Memory(hc.memory(), null, swap, null, null, null, null, null, null);
        }
        Resources.Cpu cpu = null;
        if (hc.nanoCpus() > 0 || hc.cpuShares() > 0 || !hc.cpusetCpus().isEmpty()) {
            Long quota = hc.nanoCpus() > 0 ? hc.nanoCpus() * CFS_PERIOD / 1_000_000_000L : null;
            Long period = hc.nanoCpus() > 0 ? CFS_PERIOD : null;
            cpu = new Resources.Cpu(hc.cpuShares() > 0 ? hc.cpuShares() : null, quota, null, period, null, null,
                    hc.cpusetCpus().isEmpty() ? null : hc.cpusetCpus(), null, null);
        }
        Resources.Pids pids = hc.pidsLimit().filter(n -> n > 0).map(Resources.Pids::new).orElse(null);
        return new Resources(devices, memory, cpu, pids, null, null, null, null);
    }

    /**
     * Docker's default mounts, then the network files, then the user's mounts by depth; a
     * user's mount replaces a default at the same destination.
     */
    List<Mount> mounts(HostConfig hc, Path containerDir, List<Mount> extra, java.util.function.Function<String, Path> volumes) {
        List<Mount> user = new ArrayList<>();
        for (MountSpec m : hc.allMounts()) {
            if (m.type() == MountSpec.Type.VOLUME) {
                user.add(toOci(MountSpec.bind(volumes.apply(m.source()).toString(), m.target(), m.readOnly())));
            } else {
                user.add(toOci(m));
            }
        }
        for (Map.Entry<String, String> t : hc.tmpfs().entrySet()) {
            user.add(new Mount(t.getKey(), "tmpfs", "tmpfs", TmpfsOptions.merge(t.getValue()), null, null));
        }
        user.addAll(extra);
        user.sort(Comparator.comparingInt(m -> depth(m.destination())));
        Set<String> taken = new HashSet<>();
        for (Mount m : user) {
            taken.add(m.destination());
        }
        List<Mount> out = new ArrayList<>();
        for (Mount m : defaults(hc.privileged(), hc.shmSize())) {
            if (!taken.contains(m.destination())) {
                out.add(m);
            }
        }
        List<String> fileOpts = hc.readonlyRootfs() ? List.of("rbind", "rprivate", "ro") : List.of("rbind", "rprivate");
        for (String[] file : new String[][] {{"/etc/resolv.conf", EtcFiles.RESOLV_CONF},
                {"/etc/hostname", EtcFiles.HOSTNAME}, {"/etc/hosts", EtcFiles.HOSTS}}) {
            if (!taken.contains(file[0])) {
                out.add(new Mount(file[0], "bind", containerDir.resolve(file[1]).toString(), fileOpts, null, null));
            }
        }
        out.addAll(user);
        return out;
    }

    static List<Mount> defaults(boolean privileged) {
        return defaults(privileged, 0);
    }

    /** docker's default mounts; /dev/shm sized by --shm-size (64 MiB when 0). */
    static List<Mount> defaults(boolean privileged, long shmSize) {
        List<Mount> m = new ArrayList<>();
        m.add(mount("/proc", "proc", "proc", "nosuid", "noexec", "nodev"));
        m.add(mount("/dev", "tmpfs", "tmpfs", "nosuid", "strictatime", "mode=755", "size=65536k"));
        m.add(mount("/dev/pts", "devpts", "devpts", "nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"));
        m.add(privileged ? mount("/sys", "sysfs", "sysfs", "nosuid", "noexec", "nodev", "rw")
                : mount("/sys", "sysfs", "sysfs", "nosuid", "noexec", "nodev", "ro"));
        m.add(privileged ? mount("/sys/fs/cgroup", "cgroup", "cgroup", "nosuid", "noexec", "nodev", "relatime", "rw")
                : mount("/sys/fs/cgroup", "cgroup", "cgroup", "nosuid", "noexec", "nodev", "relatime", "ro"));
        m.add(mount("/dev/mqueue", "mqueue", "mqueue", "nosuid", "noexec", "nodev"));
        m.add(mount("/dev/shm", "tmpfs", "shm", "nosuid", "noexec", "nodev", "mode=1777",
                "size=" + (shmSize > 0 ? shmSize : 67108864)));
        return m;
    }

    static Mount toOci(MountSpec m) {
        return switch (m.type()) {
            case BIND -> new Mount(m.target(), "bind", m.source(),
                    m.readOnly() ? List.of("rbind", "rprivate", "ro") : List.of("rbind", "rprivate"), null, null);
            case VOLUME -> throw new IllegalArgumentException("a volume is bound from its directory");
            case TMPFS -> {
                List<String> opts = new ArrayList<>(List.of("nosuid", "nodev", "noexec"));
                if (m.readOnly()) {
                    opts.add("ro");
                }
                if (m.tmpfsMode() != 0) {
                    opts.add("mode=" + Integer.toOctalString(m.tmpfsMode()));
                }
                if (m.tmpfsSizeBytes() > 0) {
                    opts.add("size=" + m.tmpfsSizeBytes());
                }
                yield new Mount(m.target(), "tmpfs", "tmpfs", opts, null, null);
            }
        };
    }

    private static Mount mount(String destination, String type, String source, String... options) {
        return new Mount(destination, type, source, List.of(options), null, null);
    }

    private static int depth(String path) {
        int n = 0;
        for (String part : path.split("/")) {
            if (!part.isEmpty()) {
                n++;
            }
        }
        return n;
    }

    /** HostConfig.SecurityOpt as docker reads it. */
    record Security(boolean noNewPrivileges, boolean seccompUnconfined, Optional<String> seccompProfile) {
        static Security parse(List<String> opts) {
            boolean nnp = false;
            boolean unconfined = false;
            String profile = null;
            for (String opt : opts) {
                int eq = opt.indexOf('=');
                // docker also accepts the old "key:value" form
                int sep = eq >= 0 ? eq : opt.indexOf(':');
                String key = sep < 0 ? opt : opt.substring(0, sep);
                String value = sep < 0 ? "" : opt.substring(sep + 1);
                switch (key) {
                    case "no-new-privileges" -> {
                        if (value.isEmpty() || value.equals("true")) {
                            nnp = true;
                        } else if (!value.equals("false")) {
                            throw BerthException.invalid("invalid --security-opt 2: \"" + opt + "\"");
                        }
                    }
                    case "seccomp" -> {
                        if (value.equals("unconfined")) {
                            unconfined = true;
                        } else if (value.isEmpty()) {
                            throw BerthException.invalid("invalid --security-opt 2: \"" + opt + "\"");
                        } else {
                            profile = value;
                        }
                    }
                    // no AppArmor or SELinux here: their opts change nothing, as on a docker host without them
                    case "apparmor", "label" -> { }
                    default -> throw BerthException.invalid("invalid --security-opt 1: \"" + opt + "\"");
                }
            }
            return new Security(nnp, unconfined, Optional.ofNullable(profile));
        }
    }
}
