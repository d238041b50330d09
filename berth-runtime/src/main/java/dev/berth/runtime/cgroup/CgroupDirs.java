package dev.berth.runtime.cgroup;

import dev.berth.oci.BerthException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;

/** Directory work shared by the managers: mkdir -p with a record, careful removal, pid walks. */
final class CgroupDirs {
    /**
     * How long one destroy keeps retrying EBUSY, across all its hierarchies: tasks leave a
     * cgroup asynchronously after a kill, but a cgroup that still holds live tasks never empties.
     */
    static final long RMDIR_PATIENCE_NANOS = 1_000_000_000L;
    /** A parent vanishes only in the instant between two mkdirs when another destroy empties it. */
    private static final int MKDIR_ATTEMPTS = 5;

    private CgroupDirs() {}

    /**
     * Creates base/components..., adding each directory it made to created and marking each
     * parent (not the leaf) it made in marks. A parent may vanish between two mkdirs when
     * another container's destroy removes it as empty (see {@link #removeEmptyParents}): then
     * the walk starts again from the top.
     */
    static Path mkdirs(CgroupFs fs, Path base, List<String> components, Set<Path> created, ParentMarks marks) {
        for (int attempt = 1; ; attempt++) {
            Path dir = base;
            try {
                for (int i = 0; i < components.size(); i++) {
                    dir = dir.resolve(components.get(i));
                    if (fs.mkdir(dir)) {
                        created.add(dir);
                        if (i < components.size() - 1) {
                            Path parent = dir;
                            fs.inode(parent).ifPresent(inode -> marks.mark(parent, inode));
                        }
                    }
                }
                return dir;
            } catch (BerthException e) {
                if (attempt == MKDIR_ATTEMPTS || fs.exists(dir.getParent())) {
                    throw e;
                }
            }
        }
    }

    /**
     * After its leaf is gone, removes the leaf's parents bottom up while they are empty, if
     * berth made them: this container's create (in created), or any berth create (marked in
     * marks, see {@link ParentMarks}). So the last container out of /berth removes it, whoever
     * made it. A parent still holding other cgroups or tasks (the kernel refuses its rmdir), or
     * one no berth create made (an admin's, with limits on it), stays.
     */
    static void removeEmptyParents(CgroupFs fs, Path leaf, Set<Path> created, ParentMarks marks) {
        for (Path parent = leaf.getParent(); parent != null; parent = parent.getParent()) {
            OptionalLong inode = fs.inode(parent);
            boolean marked = inode.isPresent() && marks.isMarked(parent, inode.getAsLong());
            if (!marked && !created.contains(parent)) {
                return;
            }
            try {
                fs.rmdir(parent);
            } catch (BerthException busyOrNotEmpty) {
                return;
            }
            created.remove(parent);
            if (inode.isPresent()) {
                marks.unmark(parent, inode.getAsLong());
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
