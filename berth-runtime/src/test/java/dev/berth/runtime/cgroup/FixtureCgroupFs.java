package dev.berth.runtime.cgroup;

import dev.berth.oci.BerthException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A {@link CgroupFs} over a fixture tree in a temp dir that behaves like cgroupfs where the
 * managers depend on it: mkdir fills the new cgroup with its parent's interface files, rmdir
 * removes a cgroup with its files but refuses one with tasks or children, subtree_control
 * and cgroup.freeze act on the files the kernel would change, and every write is logged.
 */
final class FixtureCgroupFs implements CgroupFs {
    /** Files a new cgroup does not inherit from its parent. */
    private static final Set<String> RESET = Set.of("cgroup.procs", "cpuset.cpus", "cpuset.mems",
            "cgroup.subtree_control", "tasks");

    record Write(Path file, String value) {
        String name() {
            return file.getFileName().toString();
        }
    }

    private final CgroupFs host = CgroupFs.host();
    private final List<Write> writes = new ArrayList<>();
    private final Map<Path, Integer> busy = new HashMap<>();
    /**
     * Inode numbers given at mkdir, never reused (a real file system may reuse a deleted
     * directory's inode at once, which would make tests of "made again" depend on the disk).
     */
    private final Map<Path, Long> inodes = new HashMap<>();
    private long nextInode = 1000;

    List<Write> writes() {
        return List.copyOf(writes);
    }

    /** Values written to files with this name, in order. */
    List<String> writesTo(String name) {
        return writes.stream().filter(w -> w.name().equals(name)).map(Write::value).toList();
    }

    /** The next n rmdir calls on dir fail with EBUSY, as while tasks are still exiting. */
    void busyFor(Path dir, int n) {
        busy.put(dir, n);
    }

    /** In a created cgroup, cgroup.controllers follows the parent's subtree_control, as in the kernel. */
    private static final String FROM_PARENT = "@parent-subtree-control";

    @Override
    public String read(Path file) {
        String content = host.read(file);
        if (content.equals(FROM_PARENT)) {
            return read(file.getParent().resolveSibling("cgroup.subtree_control"));
        }
        return content;
    }

    @Override
    public void write(Path file, String value) {
        if (!Files.isRegularFile(file)) {
            throw BerthException.internal("cannot write \"" + value + "\" to " + file + ": no such file or directory");
        }
        writes.add(new Write(file, value));
        String name = file.getFileName().toString();
        switch (name) {
            case "cgroup.subtree_control" -> host.write(file, toggled(read(file), value));
            case "cgroup.procs", "devices.allow", "devices.deny", "io.max", "net_prio.ifpriomap" ->
                    host.write(file, read(file) + value + "\n");
            case "cgroup.freeze" -> {
                host.write(file, value);
                host.write(file.resolveSibling("cgroup.events"), "populated 0\nfrozen " + value.trim() + "\n");
            }
            default -> host.write(file, value);
        }
    }

    private static String toggled(String current, String change) {
        Set<String> on = new LinkedHashSet<>(CgroupLayout.words(current));
        for (String c : change.trim().split("\\s+")) {
            if (c.startsWith("+")) {
                on.add(c.substring(1));
            } else if (c.startsWith("-")) {
                on.remove(c.substring(1));
            }
        }
        return String.join(" ", on);
    }

    @Override
    public boolean mkdir(Path dir) {
        if (!host.mkdir(dir)) {
            return false;
        }
        inodes.put(dir, nextInode++);
        Path parent = dir.getParent();
        for (Path file : files(parent)) {
            String name = file.getFileName().toString();
            String content = RESET.contains(name) ? "" : read(file);
            if (name.equals("cgroup.controllers")) {
                content = FROM_PARENT;
            } else if (name.equals("cgroup.events")) {
                content = "populated 0\nfrozen 0\n";
            } else if (name.equals("cgroup.freeze")) {
                content = "0";
            }
            Fixtures.put(dir.resolve(name), content);
        }
        return true;
    }

    @Override
    public boolean rmdir(Path dir) {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        int left = busy.getOrDefault(dir, 0);
        if (left > 0) {
            busy.put(dir, left - 1);
            throw BerthException.internal("cannot remove cgroup " + dir + ": device or resource busy");
        }
        if (!childDirs(dir).isEmpty()) {
            throw BerthException.internal("cannot remove cgroup " + dir + ": directory not empty");
        }
        Path procs = dir.resolve("cgroup.procs");
        if (Files.exists(procs) && !read(procs).isBlank()) {
            throw BerthException.internal("cannot remove cgroup " + dir + ": device or resource busy");
        }
        try {
            for (Path file : files(dir)) {
                Files.delete(file);
            }
            Files.delete(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        inodes.remove(dir);
        return true;
    }

    /** The number mkdir gave; the disk's for directories the fixture made without it (mount points). */
    @Override
    public OptionalLong inode(Path dir) {
        if (!Files.isDirectory(dir)) {
            return OptionalLong.empty();
        }
        Long given = inodes.get(dir);
        return given != null ? OptionalLong.of(given) : host.inode(dir);
    }

    @Override
    public boolean exists(Path path) {
        return host.exists(path);
    }

    @Override
    public List<Path> childDirs(Path dir) {
        return host.childDirs(dir);
    }

    private static List<Path> files(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isRegularFile).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
