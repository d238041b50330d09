package dev.berth.engine.volume;

import dev.berth.oci.BerthException;
import dev.berth.runtime.plan.MountOptions;
import dev.berth.runtime.sys.Errno;
import dev.berth.runtime.sys.Syscalls;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The mounts of volumes with {@link VolumeOptions}, as dockerd's local driver makes them: the
 * device is mounted on the volume's {@code _data} when the first holder (a running container, a
 * create copying the image's files in) needs it and unmounted when the last lets go, so a tmpfs
 * volume is shared by the containers running at once and empty again after. A mount found in
 * place with no holder (left by a daemon that was killed while containers ran) is used as it
 * is and unmounted when its next holders are done. Not thread-safe: {@link VolumeStore} calls
 * it under its lock.
 */
final class VolumeMounts {
    private static final long MS_RDONLY = 1, MS_REMOUNT = 32, MS_BIND = 4096, MS_REC = 16384;
    private static final int MNT_DETACH = 2;

    private final Syscalls sys;
    /** volume name → who holds its mount. */
    private final Map<String, Set<String>> holders = new HashMap<>();

    VolumeMounts(Syscalls sys) {
        this.sys = sys;
    }

    /** Mounts the volume for {@code holder} unless it is mounted already; holding twice is holding once. */
    void acquire(Volume v, String holder) {
        Set<String> held = holders.computeIfAbsent(v.name(), k -> new HashSet<>());
        if (held.isEmpty() && !isMountPoint(v.mountpoint())) {
            mount(v);
        }
        held.add(holder);
    }

    /** Lets go of the holder's use; the last one out unmounts. */
    void release(String volumeName, Path mountpoint, String holder) {
        Set<String> held = holders.get(volumeName);
        if (held == null || !held.remove(holder)) {
            return;
        }
        if (held.isEmpty()) {
            holders.remove(volumeName);
            unmount(mountpoint);
        }
    }

    /** Every volume the holder holds, let go (a container's run has ended). */
    void releaseAll(Map<String, Volume> volumes, String holder) {
        for (String name : Set.copyOf(holders.keySet())) {
            Volume v = volumes.get(name);
            if (v != null) {
                release(name, v.mountpoint(), holder);
            }
        }
    }

    /** Unmounts whatever is mounted on the volume (before it is removed); false if something stays mounted. */
    boolean unmountForRemoval(Volume v) {
        holders.remove(v.name());
        if (isMountPoint(v.mountpoint())) {
            unmount(v.mountpoint());
        }
        return !isMountPoint(v.mountpoint());
    }

    /**
     * dockerd's mount: the options split into flags and data as mount(8) does, one mount(2),
     * then the propagation, then a read-only remount for {@code o=bind,ro}; errors in its words
     * ("error while mounting volume '…': failed to mount local volume: mount dev:path, flags: 0x1000: …").
     */
    private void mount(Volume v) {
        VolumeOptions o = v.options();
        MountOptions parsed = MountOptions.parse(o.mountOptions().isEmpty() ? java.util.List.of()
                : Arrays.asList(o.mountOptions().split(",")));
        long flags = parsed.flags() | (parsed.bind() ? MS_BIND : 0) | (parsed.recursive() ? MS_REC : 0);
        String data = parsed.data();
        try {
            sys.mount(o.device(), v.mountpoint(), o.type(), flags, data.isEmpty() ? null : data);
        } catch (Errno e) {
            throw failed(v, "mount " + o.device() + ":" + v.mountpoint() + (flags != 0 ? ", flags: 0x" + Long.toHexString(flags) : "")
                    + (data.isEmpty() ? "" : ", data: " + data) + ": " + Errno.describe(e.errno()));
        }
        try {
            if (parsed.propagation() != 0) {
                sys.mount("", v.mountpoint(), "", parsed.propagation(), null);
            }
            if ((flags & (MS_BIND | MS_RDONLY)) == (MS_BIND | MS_RDONLY)) {
                sys.mount("", v.mountpoint(), "", flags | MS_REMOUNT, null);
            }
        } catch (Errno e) {
            unmount(v.mountpoint());
            throw failed(v, "remount " + v.mountpoint() + ": " + Errno.describe(e.errno()));
        }
    }

    private static BerthException failed(Volume v, String why) {
        return BerthException.internal("error while mounting volume '" + v.mountpoint() + "': failed to mount local volume: " + why);
    }

    private void unmount(Path mountpoint) {
        try {
            sys.umount(mountpoint, MNT_DETACH);
        } catch (Errno e) {
            if (e.errno() != 22) { // EINVAL: nothing mounted there
                throw BerthException.internal("unmount volume " + mountpoint + ": " + Errno.describe(e.errno()));
            }
        }
    }

    /** Whether something is mounted on exactly this path (mountinfo's fifth field, octal escapes undone). */
    static boolean isMountPoint(Path path) {
        String wanted = path.toAbsolutePath().normalize().toString();
        try (var lines = Files.lines(Path.of("/proc/self/mountinfo"))) {
            return lines.map(l -> l.split(" ", 6)).filter(f -> f.length > 4).anyMatch(f -> unescape(f[4]).equals(wanted));
        } catch (IOException e) {
            throw BerthException.internal("read /proc/self/mountinfo: " + e.getMessage(), e);
        }
    }

    static String unescape(String field) {
        if (field.indexOf('\\') < 0) {
            return field;
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '\\' && i + 3 < field.length()) {
                out.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
