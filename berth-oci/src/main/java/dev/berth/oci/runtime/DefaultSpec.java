package dev.berth.oci.runtime;

import dev.berth.oci.runtime.json.SpecJson;
import java.util.ArrayList;
import java.util.List;

/**
 * The config that {@code berth-runtime spec} writes: the same as {@code runc spec} (runc 1.1,
 * libcontainer/specconv Example and ToRootless), except that ociVersion is {@link OciVersion#MAX}.
 * A minimal, locked-down container running {@code sh} on a terminal: a read-only root, three
 * capabilities, no new privileges, the /proc and /sys paths that leak host data masked.
 */
public final class DefaultSpec {
    private static final List<String> CAPS = List.of("CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE");

    private static final List<String> MASKED = List.of(
            "/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys", "/proc/latency_stats",
            "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/sys/firmware", "/proc/scsi");

    private static final List<String> READONLY = List.of(
            "/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger");

    private DefaultSpec() {}

    /**
     * The default config; {@code rootless} gives the variant of {@code runc spec --rootless},
     * which maps container root to the calling user's uid and gid.
     */
    public static Spec create(boolean rootless) {
        if (!rootless) {
            return build(false, 0, 0);
        }
        var self = new com.sun.security.auth.module.UnixSystem();
        return build(true, self.getUid(), self.getGid());
    }

    /** The rootless default config for an explicit host user, container root mapped to it. */
    public static Spec rootless(long hostUid, long hostGid) {
        return build(true, hostUid, hostGid);
    }

    /** {@link #create} as config.json text, byte for byte as {@code runc spec} lays it out. */
    public static String json(boolean rootless) {
        return SpecJson.write(create(rootless));
    }

    private static Spec build(boolean rootless, long hostUid, long hostGid) {
        Process process = new Process(
                true,
                null,
                "/",
                List.of("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "TERM=xterm"),
                List.of("sh"),
                null,
                // the soft limit equals the hard one so that no CAP_SYS_RESOURCE is needed to apply it
                List.of(new Rlimit("RLIMIT_NOFILE", 1024, 1024)),
                null,
                new Capabilities(CAPS, CAPS, null, CAPS, CAPS),
                true,
                null,
                null,
                new User(0, 0, null, null, null));
        List<Namespace> namespaces = new ArrayList<>();
        namespaces.add(new Namespace("pid", null));
        if (!rootless) {
            // an unprivileged user cannot configure a new network namespace's links, so runc leaves it out
            namespaces.add(new Namespace("network", null));
        }
        namespaces.add(new Namespace("ipc", null));
        namespaces.add(new Namespace("uts", null));
        namespaces.add(new Namespace("mount", null));
        if (rootless) {
            namespaces.add(new Namespace("user", null));
        }
        List<IdMapping> uidMappings = rootless ? List.of(new IdMapping(0, hostUid, 1)) : List.of();
        List<IdMapping> gidMappings = rootless ? List.of(new IdMapping(0, hostGid, 1)) : List.of();
        // rootless: device cgroup rules need cgroup write access the user does not have
        Resources resources = rootless ? null : new Resources(
                List.of(new Resources.DeviceRule(false, null, null, null, "rwm")), null, null, null, null, null, null, null);
        Linux linux = new Linux(namespaces, uidMappings, gidMappings, null, null, resources, null, null,
                null, MASKED, READONLY, null, null);
        return new Spec(OciVersion.MAX, process, new Root("rootfs", true), "runc", null, mounts(rootless), null, null, linux);
    }

    private static List<Mount> mounts(boolean rootless) {
        List<String> devpts = new ArrayList<>(List.of("nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620"));
        if (!rootless) {
            devpts.add("gid=5"); // the tty group of the image may not be mapped in a user namespace
        }
        Mount sys = rootless
                // a user namespace may not mount a fresh sysfs; bind the host's, read-only
                ? mount("/sys", "none", "/sys", "rbind", "nosuid", "noexec", "nodev", "ro")
                : mount("/sys", "sysfs", "sysfs", "nosuid", "noexec", "nodev", "ro");
        return List.of(
                mount("/proc", "proc", "proc"),
                mount("/dev", "tmpfs", "tmpfs", "nosuid", "strictatime", "mode=755", "size=65536k"),
                new Mount("/dev/pts", "devpts", "devpts", devpts, null, null),
                mount("/dev/shm", "tmpfs", "shm", "nosuid", "noexec", "nodev", "mode=1777", "size=65536k"),
                mount("/dev/mqueue", "mqueue", "mqueue", "nosuid", "noexec", "nodev"),
                sys,
                mount("/sys/fs/cgroup", "cgroup", "cgroup", "nosuid", "noexec", "nodev", "relatime", "ro"));
    }

    private static Mount mount(String destination, String type, String source, String... options) {
        return new Mount(destination, type, source, List.of(options), null, null);
    }
}
