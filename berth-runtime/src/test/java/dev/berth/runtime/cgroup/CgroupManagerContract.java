package dev.berth.runtime.cgroup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.oci.BerthException;
import dev.berth.oci.runtime.Resources;
import dev.berth.runtime.api.ContainerStats;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every {@link CgroupManager} must do, whatever the cgroup version. Each implementation
 * runs this suite against its fixture host by extending it.
 */
abstract class CgroupManagerContract {
    static final long MIB = 1024 * 1024;

    @TempDir
    Path tmp;
    Fixtures.Host host;
    FixtureCgroupFs fs;

    abstract Fixtures.Host host(Path tmp);

    @BeforeEach
    void setUp() {
        host = host(tmp);
        fs = host.fs();
    }

    CgroupManager manager(String cgroupsPath) {
        return CgroupManager.open(host.layout(), CgroupPath.resolve(cgroupsPath, "c1"), fs);
    }

    static Resources memoryAndPids(long memory, long pids) {
        return new Resources(null, new Resources.Memory(memory, null, null, null, null, null, null, null, null),
                null, new Resources.Pids(pids), null, null, null, null);
    }

    @Test
    void createMakesTheCgroupInEveryHierarchyWithItsParents() {
        CgroupManager m = manager("");
        m.create();
        assertThat(m.dirs()).isNotEmpty().allSatisfy(dir -> {
            assertThat(dir).isDirectory().endsWith(Path.of("berth", "c1"));
            assertThat(m.createdDirs()).contains(dir, dir.getParent());
        });
    }

    @Test
    void createJoinsExistingDirectoriesWithoutOwningThem() {
        manager("/shared/c1").create();
        CgroupManager second = manager("/shared/c1");
        second.create();
        assertThat(second.createdDirs()).isEmpty();
        second.destroy();
        assertThat(second.dirs()).allSatisfy(dir -> assertThat(dir).isDirectory());
    }

    @Test
    void applyPutsThePidInEveryHierarchy() {
        CgroupManager m = manager("/app");
        m.create();
        m.apply(4242);
        assertThat(m.dirs()).allSatisfy(dir -> assertThat(Fixtures.get(dir.resolve("cgroup.procs"))).isEqualTo("4242"));
        assertThat(m.pids()).containsExactly(4242);
    }

    @Test
    void pidsIncludeChildCgroupsTheContainerMade() {
        CgroupManager m = manager("/app");
        m.create();
        m.apply(30);
        for (Path dir : m.dirs()) {
            fs.mkdir(dir.resolve("inner"));
            fs.write(dir.resolve("inner/cgroup.procs"), "7");
        }
        assertThat(m.pids()).containsExactly(7, 30);
    }

    @Test
    void setLimitsShowInStats() {
        CgroupManager m = manager("/app");
        m.create();
        m.set(memoryAndPids(64 * MIB, 20));
        ContainerStats stats = m.stats();
        assertThat(stats.memoryLimitBytes()).isEqualTo(64 * MIB);
        assertThat(stats.pidsLimit()).isEqualTo(20);
    }

    @Test
    void unlimitedPidsReportAsZeroLimit() {
        CgroupManager m = manager("/app");
        m.create();
        m.set(memoryAndPids(64 * MIB, -1));
        assertThat(m.stats().pidsLimit()).isZero();
    }

    @Test
    void updateWritesOnlyTheGivenParts() {
        CgroupManager m = manager("/app");
        m.create();
        m.set(memoryAndPids(64 * MIB, 20));
        m.update(new Resources(null, null, null, new Resources.Pids(50), null, null, null, null));
        assertThat(m.stats().memoryLimitBytes()).isEqualTo(64 * MIB);
        assertThat(m.stats().pidsLimit()).isEqualTo(50);
    }

    @Test
    void setNothingWritesNothing() {
        CgroupManager m = manager("/app");
        m.create();
        int before = fs.writes().size();
        m.set(Resources.NONE);
        assertThat(fs.writes()).hasSize(before);
    }

    @Test
    void freezeAndThaw() {
        CgroupManager m = manager("/app");
        m.create();
        assertThat(m.isFrozen()).isFalse();
        m.freeze();
        assertThat(m.isFrozen()).isTrue();
        m.thaw();
        assertThat(m.isFrozen()).isFalse();
    }

    @Test
    void destroyRemovesTheLeavesAndTheEmptyParentsItMade() {
        CgroupManager m = manager("");
        m.create();
        List<Path> dirs = m.dirs();
        m.destroy();
        assertThat(dirs).allSatisfy(dir -> {
            assertThat(dir).doesNotExist();
            assertThat(dir.getParent()).as("the /berth parent this create made").doesNotExist();
        });
        m.destroy(); // already gone is fine
    }

    @Test
    void destroyKeepsAParentOthersStillUse() {
        CgroupManager first = manager("");
        first.create();
        CgroupManager second = CgroupManager.open(host.layout(), CgroupPath.resolve("", "other"), fs);
        second.create();
        first.destroy();
        assertThat(first.dirs()).allSatisfy(dir -> {
            assertThat(dir).doesNotExist();
            assertThat(dir.getParent()).isDirectory();
        });
        second.destroy();
    }

    @Test
    void destroyKeepsAParentItFoundThere() {
        for (Hierarchy h : hierarchies()) {
            fs.mkdir(h.mountPoint().resolve("admin"));
        }
        CgroupManager m = manager("/admin/c1");
        m.create();
        m.destroy();
        assertThat(m.dirs()).allSatisfy(dir -> {
            assertThat(dir).doesNotExist();
            assertThat(dir.getParent()).as("made by someone else").isDirectory();
        });
    }

    /** Opens a container "id" under the default parent as the runtime does, with marks. */
    CgroupManager withMarks(String id, ParentMarks marks, java.util.Set<Path> created) {
        return CgroupManager.open(host.layout(), CgroupPath.resolve("", id), fs, created, marks);
    }

    @Test
    void theLastContainerOutRemovesTheParentWhoeverMadeIt() {
        ParentMarks marks = ParentMarks.in(tmp.resolve("marks"));
        CgroupManager a = withMarks("a", marks, java.util.Set.of());
        a.create();
        CgroupManager b = withMarks("b", marks, java.util.Set.of());
        b.create();
        assertThat(b.createdDirs()).as("b found /berth there").containsExactlyInAnyOrderElementsOf(b.dirs());
        // removed by later processes from the persisted records, a first (its rmdir of /berth fails: b is in it)
        withMarks("a", marks, a.createdDirs()).destroy();
        assertThat(b.dirs()).allSatisfy(dir -> assertThat(dir.getParent()).isDirectory());
        withMarks("b", marks, b.createdDirs()).destroy();
        assertThat(b.dirs()).allSatisfy(dir -> assertThat(dir.getParent()).as("/berth, made by a's create").doesNotExist());
        assertThat(tmp.resolve("marks")).as("the last mark takes the directory with it").doesNotExist();
    }

    @Test
    void withoutMarksOnlyTheCreatorsRecordRemovesTheParent() {
        CgroupManager a = withMarks("a", ParentMarks.none(), java.util.Set.of());
        a.create();
        CgroupManager b = withMarks("b", ParentMarks.none(), java.util.Set.of());
        b.create();
        a.destroy();
        b.destroy();
        assertThat(b.dirs()).allSatisfy(dir -> assertThat(dir.getParent()).isDirectory());
    }

    @Test
    void aParentNoBerthCreateMadeStaysThoughEmpty() {
        ParentMarks marks = ParentMarks.in(tmp.resolve("marks"));
        for (Hierarchy h : hierarchies()) {
            fs.mkdir(h.mountPoint().resolve("berth")); // an admin's, maybe with limits on it
        }
        CgroupManager a = withMarks("a", marks, java.util.Set.of());
        a.create();
        CgroupManager b = withMarks("b", marks, java.util.Set.of());
        b.create();
        a.destroy();
        b.destroy();
        assertThat(b.dirs()).allSatisfy(dir -> {
            assertThat(dir).doesNotExist();
            assertThat(dir.getParent()).isDirectory();
        });
    }

    @Test
    void aStaleMarkDoesNotClaimAParentMadeAgainBySomeoneElse() {
        ParentMarks marks = ParentMarks.in(tmp.resolve("marks"));
        CgroupManager a = withMarks("a", marks, java.util.Set.of());
        a.create();
        // a remover dies between its rmdirs and its unmark; then an admin makes /berth anew
        for (Path dir : a.dirs()) {
            fs.rmdir(dir);
            fs.rmdir(dir.getParent());
            fs.mkdir(dir.getParent());
        }
        CgroupManager b = withMarks("b", marks, java.util.Set.of());
        b.create();
        b.destroy();
        assertThat(b.dirs()).allSatisfy(dir -> assertThat(dir.getParent()).as("the admin's /berth").isDirectory());
    }

    @Test
    void aParentOfAGivenPathIsMarkedOnlyWhereBerthMadeIt() {
        ParentMarks marks = ParentMarks.in(tmp.resolve("marks"));
        for (Hierarchy h : hierarchies()) {
            fs.mkdir(h.mountPoint().resolve("system.slice"));
        }
        CgroupManager a = CgroupManager.open(host.layout(), CgroupPath.resolve("/system.slice/app/a", "a"), fs,
                java.util.Set.of(), marks);
        a.create();
        CgroupManager b = CgroupManager.open(host.layout(), CgroupPath.resolve("/system.slice/app/b", "b"), fs,
                java.util.Set.of(), marks);
        b.create();
        a.destroy();
        b.destroy();
        assertThat(b.dirs()).allSatisfy(dir -> {
            assertThat(dir.getParent()).as("app, made by a's create").doesNotExist();
            assertThat(dir.getParent().getParent()).as("system.slice, found there").isDirectory();
        });
    }

    @Test
    void createStartsAgainWhenAnotherDestroyRemovesTheParentMidway() {
        ParentMarks marks = ParentMarks.in(tmp.resolve("marks"));
        CgroupManager a = withMarks("a", marks, java.util.Set.of());
        a.create();
        CgroupManager b = CgroupManager.open(host.layout(), CgroupPath.resolve("", "b"),
                new ParentVanishingFs(fs, () -> withMarks("a", marks, a.createdDirs()).destroy()),
                java.util.Set.of(), marks);
        b.create();
        assertThat(b.dirs()).allSatisfy(dir -> assertThat(dir).isDirectory());
        assertThat(b.createdDirs()).as("b made /berth again").containsAll(b.dirs().stream().map(Path::getParent).toList());
        b.destroy();
        assertThat(b.dirs()).allSatisfy(dir -> assertThat(dir.getParent()).doesNotExist());
    }

    @Test
    void destroyOfAReopenedManagerUsesThePersistedRecord() {
        CgroupManager first = manager("/app");
        first.create();
        CgroupManager reopened = CgroupManager.open(host.layout(), first.path(), fs, first.createdDirs());
        reopened.destroy();
        assertThat(first.dirs()).allSatisfy(dir -> assertThat(dir).doesNotExist());
    }

    @Test
    void destroyRetriesWhileTheKernelSaysBusy() {
        CgroupManager m = manager("/app");
        m.create();
        m.dirs().forEach(dir -> fs.busyFor(dir, 3));
        m.destroy();
        assertThat(m.dirs()).allSatisfy(dir -> assertThat(dir).doesNotExist());
    }

    @Test
    void destroyRemovesChildCgroupsTheContainerMade() {
        CgroupManager m = manager("/app");
        m.create();
        m.dirs().forEach(dir -> fs.mkdir(dir.resolve("nested")));
        m.destroy();
        assertThat(m.dirs()).allSatisfy(dir -> assertThat(dir).doesNotExist());
    }

    @Test
    void destroyReportsACgroupThatKeepsItsTasks() {
        CgroupManager m = manager("/app");
        m.create();
        m.apply(99);
        assertThatThrownBy(m::destroy).isInstanceOf(BerthException.class)
                .hasMessageContaining("cannot remove cgroup").hasMessageContaining("app");
    }

    @Test
    void relativePathsStartAtThisProcesssOwnCgroup() {
        CgroupManager m = manager("inner/c1");
        m.create();
        for (Hierarchy h : hierarchies()) {
            assertThat(Files.isDirectory(h.ownDir().resolve("inner/c1"))).as(h.toString()).isTrue();
        }
    }

    List<Hierarchy> hierarchies() {
        List<Hierarchy> all = new java.util.ArrayList<>(host.layout().v1());
        host.layout().v2().ifPresent(all::add);
        return all;
    }
}
