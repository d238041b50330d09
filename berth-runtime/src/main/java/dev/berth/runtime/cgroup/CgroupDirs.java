package dev.berth.runtime.cgroup;

import dev.berth.oci.BerthException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** Directory work shared by the managers: mkdir -p with a record, careful removal, pid walks. */
final class CgroupDirs {
    /**
     * How long one destroy keeps retrying EBUSY, across all its hierarchies: tasks leave a
     * cgroup asynchronously after a kill, but a cgroup that still holds live tasks never empties.
     */
    static final long RMDIR_PATIENCE_NANOS = 1_000_000_000L;

    private CgroupDirs() {}

    /**
     * Creates base/components..., adding each directory it made to created. A parent may vanish
     * between two mkdirs when another container's destroy removes it as empty (see
     * {@link #removeEmptyParents}): then the walk starts again from the top.
     */
    static Path mkdirs(CgroupFs fs, Path base, List<String> components, Set<Path> created) {
        for (int attempt = 1; ; attempt++) {
            Path dir = base;
            try {
                for (String part : components) {
                    dir = dir.resolve(part);
                    if (fs.mkdir(dir)) {
                        created.add(dir);
                    }
                }
                return dir;
            } catch (BerthException e) {
                if (attempt == 3 || fs.exists(dir.getParent())) {
                    throw e;
                }
            }
        }
    }

    /**
     * After its leaf is gone, removes the leaf's parents that this container's create made,
     * bottom up, while they are empty: the first container under /berth made it, and the last
     * one out removes it. A parent still holding other cgroups, or one that create found
     * already there (an admin's, with limits on it), stays.
     */
    static void removeEmptyParents(CgroupFs fs, Path leaf, Set<Path> created) {
        for (Path parent = leaf.getParent(); parent != null && created.contains(parent); parent = parent.getParent()) {
            try {
                fs.rmdir(parent);
                created.remove(parent);
            } catch (BerthException busyOrNotEmpty) {
                return;
            }
        }
    }

    /** The directories between base (exclusive) and leaf (inclusive), top down. */
    static List<Path> chain(Path base, List<String> components) {
        List<Path> dirs = new ArrayList<>();
        Path dir = base;
        for (String part : components) {
            dir = dir.resolve(part);
            dirs.add(dir);
        }
        return dirs;
    }

    /**
     * Removes a leaf this manager created and, first, the child cgroups the container made in
     * it (a nested cgroup manager such as systemd in the container). Retries briefly while
     * the kernel still reports the cgroup busy. The usual leaf has no children: one rmdir, and
     * the directory (dozens of interface files in v1) is listed only when that fails.
     */
    static void removeTree(CgroupFs fs, Path leaf, long deadlineNanos) {
        for (int attempt = 1; ; attempt++) {
            try {
                fs.rmdir(leaf);
                return;
            } catch (BerthException e) {
                List<Path> children = fs.childDirs(leaf);
                for (Path child : children) {
                    removeTree(fs, child, deadlineNanos);
                }
                if (System.nanoTime() - deadlineNanos >= 0) {
                    throw e;
                }
                if (children.isEmpty()) {
                    sleepMillis(Math.min(100, 5L * attempt));
                }
            }
        }
    }

    static long destroyDeadline() {
        return System.nanoTime() + RMDIR_PATIENCE_NANOS;
    }

    /** The pids in cgroup.procs of dir and of every cgroup below it. */
    static List<Integer> pidsUnder(CgroupFs fs, Path dir) {
        Set<Integer> pids = new TreeSet<>();
        collectPids(fs, dir, pids);
        return List.copyOf(pids);
    }

    private static void collectPids(CgroupFs fs, Path dir, Set<Integer> pids) {
        Path procs = dir.resolve("cgroup.procs");
        if (!fs.exists(procs)) {
            return;
        }
        for (String line : fs.read(procs).split("\n")) {
            if (!line.isBlank()) {
                pids.add(Integer.parseInt(line.trim()));
            }
        }
        for (Path child : fs.childDirs(dir)) {
            collectPids(fs, child, pids);
        }
    }

    static void sleepMillis(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw BerthException.internal("interrupted while waiting for a cgroup", e);
        }
    }
}
