package dev.berth.engine.run;

import dev.berth.image.snapshot.ContainerMount;
import dev.berth.oci.BerthException;
import dev.berth.runtime.sys.Errno;
import dev.berth.runtime.sys.Syscalls;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A container's root filesystem: an overlay mount of its snapshot at
 * {@code <exec-root>/containers/<id>/rootfs}, made at start and undone at exit. What a crash
 * left mounted under the exec root is found in /proc/self/mountinfo and unmounted at open.
 */
public final class RootfsMounts {
    private final Syscalls sys;
    private final Path bundles;

    public RootfsMounts(Syscalls sys, Path execRoot) {
        this.sys = sys;
        this.bundles = execRoot.resolve("containers");
    }

    public Path bundle(String id) {
        return bundles.resolve(id);
    }

    public Path rootfs(String id) {
        return bundle(id).resolve("rootfs");
    }

    /** Mounts the overlay; the bundle directory is made fresh. */
    public Path mount(String id, ContainerMount m) {
        Path rootfs = rootfs(id);
        try {
            Files.createDirectories(rootfs);
        } catch (IOException e) {
            throw BerthException.internal("mkdir " + rootfs + ": " + e.getMessage(), e);
        }
        String data = m.overlayOptions();
        if (data.length() > 4000) {
            throw BerthException.unsupported("image has too many layers for one overlay mount (" + m.lowerDirs().size() + ")");
        }
        try {
            sys.mount("overlay", rootfs, "overlay", 0, data);
        } catch (Errno e) {
            throw BerthException.internal("mount overlay at " + rootfs + ": " + e.getMessage(), e);
        }
        return rootfs;
    }

    /**
     * Unmounts (lazily if busy) and removes the bundle; nothing mounted is fine. The rootfs is
     * the one mount the engine makes there, so it is unmounted by name; only when the bundle
     * will not go (something else mounted under it) is /proc/self/mountinfo read, which on a
     * host with many containers is a long file to read at every exit.
     */
    public void unmount(String id) {
        Path rootfs = rootfs(id);
        Path bundle = bundle(id);
        if (!Files.exists(bundle)) {
            return;
        }
        umount(rootfs);
        try {
            deleteBundle(bundle);
            return;
        } catch (BerthException e) {
            // mounts stacked on the rootfs or elsewhere under the bundle: find them all
        }
        for (Path p : mountsUnder(bundle)) {
            umount(p);
        }
        deleteBundle(bundle);
        if (Files.exists(rootfs)) {
            throw BerthException.internal("could not remove " + rootfs);
        }
    }

    private void umount(Path p) {
        try {
            sys.umount(p, 0);
        } catch (Errno e) {
            if (e.errno() == Errno.EBUSY) {
                sys.umount(p, Syscalls.MNT_DETACH);
            } else if (e.errno() != 22 && e.errno() != Errno.ENOENT) { // EINVAL: not a mount point (any more)
                throw BerthException.internal("umount " + p + ": " + e.getMessage(), e);
            }
        }
    }

    /** Every mount point under the exec root's containers directory, deepest first. */
    public List<Path> staleMounts() {
        return mountsUnder(bundles);
    }

    public void unmountAll(List<Path> mounts) {
        for (Path p : mounts) {
            umount(p);
        }
    }

    static List<Path> mountsUnder(Path dir) {
        List<Path> out = new ArrayList<>();
        String prefix = dir.toAbsolutePath().normalize().toString() + "/";
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
                String[] f = line.split(" ");
                if (f.length > 4) {
                    String point = unescape(f[4]);
                    if (point.startsWith(prefix)) {
                        out.add(Path.of(point));
                    }
                }
            }
        } catch (IOException e) {
            throw BerthException.internal("read /proc/self/mountinfo: " + e.getMessage(), e);
        }
        out.sort((a, b) -> b.getNameCount() - a.getNameCount());
        return out;
    }

    /** mountinfo escapes space, tab, newline and backslash as octal. */
    static String unescape(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 3 < s.length()) {
                b.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    private static void deleteBundle(Path bundle) {
        try {
            Files.deleteIfExists(bundle.resolve("rootfs"));
            Files.deleteIfExists(bundle.resolve("config.json"));
            try (var left = Files.list(bundle)) {
                for (Path p : left.toList()) {
                    Files.deleteIfExists(p);
                }
            }
            Files.deleteIfExists(bundle);
        } catch (java.nio.file.NoSuchFileException e) {
            // already gone
        } catch (IOException e) {
            throw BerthException.internal("remove " + bundle + ": " + e.getMessage(), e);
        }
    }
}
