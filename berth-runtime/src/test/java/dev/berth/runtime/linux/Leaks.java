package dev.berth.runtime.linux;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.stream.Stream;

/** Checks that a container left nothing behind on the host. */
final class Leaks {
    private Leaks() {}

    /**
     * Everything a container may leave behind once deleted: its state directory under root, its
     * cgroup directories, processes in its pid namespaces, and mounts that mention its bundle.
     */
    static void assertNothingLeft(Path root, String id, Path bundle, Collection<String> pidNamespaces) {
        assertNoStateDir(root, id);
        assertNoCgroupLeft(id);
        assertNoProcessIn(pidNamespaces);
        assertNoMountUnder(bundle);
    }

    static void assertNoStateDir(Path root, String id) {
        assertThat(Files.exists(root.resolve(id))).as("state directory left behind: " + root.resolve(id)).isFalse();
    }

    /** No directory named id under any cgroup hierarchy. */
    static void assertNoCgroupLeft(String id) {
        Path base = Path.of("/sys/fs/cgroup");
        if (!Files.isDirectory(base)) {
            return;
        }
        try (Stream<Path> hierarchies = Files.list(base)) {
            for (Path h : hierarchies.toList()) {
                Path dir = h.resolve("berth").resolve(id);
                assertThat(Files.exists(dir)).as("cgroup left behind: " + dir).isFalse();
            }
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** No mount of the host whose path mentions the bundle (mounts leak into the host ns only by mistake). */
    static void assertNoMountUnder(Path path) {
        try {
            String mounts = Files.readString(Path.of("/proc/self/mountinfo"));
            assertThat(mounts).as("mount left behind under " + path).doesNotContain(path.toString());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * No process but zombies (only a parent's bookkeeping) in any of the given pid namespaces,
     * named as readlink(/proc/pid/ns/pid) shows them ("pid:[4026532]").
     */
    static void assertNoProcessIn(Collection<String> pidNamespaces) {
        if (pidNamespaces.isEmpty()) {
            return;
        }
        // a process killed a moment ago may still be on its way out: give it a few seconds
        long deadline = System.nanoTime() + 5_000_000_000L;
        List<String> found = processesIn(pidNamespaces);
        while (!found.isEmpty() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            found = processesIn(pidNamespaces);
        }
        assertThat(found).as("processes left in the container's pid namespace").isEmpty();
    }

    private static List<String> processesIn(Collection<String> pidNamespaces) {
        List<String> found = new ArrayList<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : procs.toList()) {
                String name = p.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                int pid = Integer.parseInt(name);
                String ns = pidNamespaceOf(pid);
                if (ns != null && pidNamespaces.contains(ns) && ProcStat.read(pid).map(s -> s.state() != 'Z').orElse(false)) {
                    found.add(describe(p));
                }
            }
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return found;
    }

    /** "pid (comm) state ppid", from /proc/pid/stat. */
    private static String describe(Path proc) {
        try {
            String[] f = Files.readString(proc.resolve("stat")).split(" ");
            return String.join(" ", f[0], f[1], f[2], "ppid", f[3]);
        } catch (IOException e) {
            return proc.getFileName() + " (gone)";
        }
    }

    /** readlink(/proc/pid/ns/pid), or null when the process is gone. */
    static String pidNamespaceOf(int pid) {
        try {
            return Files.readSymbolicLink(Path.of("/proc", Integer.toString(pid), "ns", "pid")).toString();
        } catch (IOException e) {
            return null;
        }
    }
}
