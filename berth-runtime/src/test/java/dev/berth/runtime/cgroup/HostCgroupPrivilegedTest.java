package dev.berth.runtime.cgroup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.berth.oci.runtime.Resources;
import dev.berth.runtime.api.ContainerStats;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The managers against this host's kernel: a real cgroup under /berth-test-&lt;random&gt;,
 * limits, a real process, stats, freeze, and a clean removal. Needs root and mounted cgroups;
 * skipped (saying why) elsewhere or with -Dberth.skipPrivileged=true.
 */
class HostCgroupPrivilegedTest {
    private static final long MIB = 1024 * 1024;

    private CgroupManager manager;
    private List<Path> dirs = List.of();
    private Process sleeper;

    @BeforeEach
    void needsRootAndCgroups() throws IOException {
        assumeTrue(!Boolean.getBoolean("berth.skipPrivileged"), "privileged tests are off (-Dberth.skipPrivileged)");
        boolean isRoot = Files.readAllLines(Path.of("/proc/self/status")).stream()
                .anyMatch(l -> l.matches("Uid:\\s+0\\s.*"));
        boolean cgroupsMounted = Files.readString(Path.of("/proc/self/mountinfo")).contains(" - cgroup");
        assumeTrue(isRoot && cgroupsMounted,
                "needs root and mounted cgroups: root=" + isRoot + ", cgroups mounted=" + cgroupsMounted);
    }

    @AfterEach
    void cleanUp() throws InterruptedException {
        try {
            if (sleeper != null && sleeper.isAlive()) {
                // A frozen task cannot act on SIGKILL until thawed.
                if (manager != null && manager.isFrozen()) {
                    manager.thaw();
                }
                sleeper.destroyForcibly();
                sleeper.waitFor(10, TimeUnit.SECONDS);
            }
        } finally {
            if (manager != null) {
                manager.destroy();
            }
            assertThat(dirs).allSatisfy(dir -> assertThat(dir).doesNotExist());
        }
    }

    @Test
    void limitsStatsFreezeAndCleanRemovalOnTheRealKernel() throws Exception {
        String id = "berth-test-" + UUID.randomUUID().toString().substring(0, 8);
        CgroupLayout layout = CgroupLayout.detect();
        manager = CgroupManager.open(layout, CgroupPath.resolve("/" + id, id), CgroupFs.host());
        manager.create();
        dirs = manager.dirs();
        assertThat(dirs).allSatisfy(dir -> assertThat(dir).isDirectory());

        manager.set(new Resources(null,
                new Resources.Memory(64 * MIB, null, null, null, null, null, null, null, null),
                new Resources.Cpu(null, 50_000L, null, 100_000L, null, null, null, null, null),
                new Resources.Pids(20), null, null, null, null));

        sleeper = new ProcessBuilder("sleep", "30").start();
        int pid = (int) sleeper.pid();
        manager.apply(pid);
        assertThat(manager.pids()).containsExactly(pid);
        String procCgroup = Files.readString(Path.of("/proc/" + pid + "/cgroup"));
        assertThat(procCgroup).contains(":memory:/" + id + "\n");
        if (layout.v2().isPresent()) {
            assertThat(procCgroup).contains("0::/" + id + "\n");
        }

        ContainerStats stats = manager.stats();
        assertThat(stats.memoryLimitBytes()).isEqualTo(64 * MIB);
        assertThat(stats.pidsLimit()).isEqualTo(20);
        assertThat(stats.pidsCurrent()).isEqualTo(1);
        // memoryUsageBytes may be 0: on v1, pages charged before the move stay with the old cgroup.
        assertThat(stats.cpuTotalNanos()).isNotNegative();

        manager.freeze();
        assertThat(manager.isFrozen()).isTrue();
        manager.thaw();
        assertThat(manager.isFrozen()).isFalse();

        manager.update(new Resources(null, null, null, new Resources.Pids(30), null, null, null, null));
        assertThat(manager.stats().pidsLimit()).isEqualTo(30);
        assertThat(manager.stats().memoryLimitBytes()).isEqualTo(64 * MIB);

        sleeper.destroyForcibly();
        assertThat(sleeper.waitFor(10, TimeUnit.SECONDS)).isTrue();
        manager.destroy();
        assertThat(dirs).allSatisfy(dir -> assertThat(dir).doesNotExist());
    }

    /**
     * Two containers under one parent that the first one's create made, removed in the order of
     * creation: the kernel refuses the first removal's rmdir of the parent (it still holds the
     * second), and the second removal, which did not make the parent, removes it by its mark.
     */
    @Test
    void theLastOfTwoOverlappingContainersRemovesTheParentTheFirstMade(@TempDir Path tmp) {
        String parent = "/berth-test-" + UUID.randomUUID().toString().substring(0, 8);
        CgroupLayout layout = CgroupLayout.detect();
        ParentMarks marks = ParentMarks.in(tmp.resolve("marks"));
        CgroupManager a = CgroupManager.open(layout, CgroupPath.resolve(parent + "/a", "a"), CgroupFs.host(), Set.of(), marks);
        CgroupManager b = CgroupManager.open(layout, CgroupPath.resolve(parent + "/b", "b"), CgroupFs.host(), Set.of(), marks);
        List<Path> parents = a.dirs().stream().map(Path::getParent).toList();
        try {
            a.create();
            b.create();
            assertThat(b.createdDirs()).as("b found the parent there").doesNotContainAnyElementsOf(parents);
            Set<Path> bCreated = b.createdDirs();

            CgroupManager.open(layout, a.path(), CgroupFs.host(), a.createdDirs(), marks).destroy();
            assertThat(a.dirs()).allSatisfy(dir -> assertThat(dir).doesNotExist());
            assertThat(parents).allSatisfy(dir -> assertThat(dir).as("still holds b").isDirectory());

            CgroupManager.open(layout, b.path(), CgroupFs.host(), bCreated, marks).destroy();
            assertThat(b.dirs()).allSatisfy(dir -> assertThat(dir).doesNotExist());
            assertThat(parents).allSatisfy(dir -> assertThat(dir).as("made by a, removed with b").doesNotExist());
            assertThat(tmp.resolve("marks")).doesNotExist();
        } finally {
            b.destroy();
            a.destroy();
            for (Path dir : parents) {
                CgroupFs.host().rmdir(dir);
            }
        }
    }

    @Test
    void aCgroupThatExistedBeforeIsJoinedAndLeftInPlace() {
        String id = "berth-test-" + UUID.randomUUID().toString().substring(0, 8);
        CgroupLayout layout = CgroupLayout.detect();
        manager = CgroupManager.open(layout, CgroupPath.resolve("/" + id, id), CgroupFs.host());
        manager.create();
        dirs = manager.dirs();
        CgroupManager joined = CgroupManager.open(layout, manager.path(), CgroupFs.host());
        joined.create();
        joined.destroy();
        assertThat(dirs).allSatisfy(dir -> assertThat(dir).isDirectory());
    }
}
