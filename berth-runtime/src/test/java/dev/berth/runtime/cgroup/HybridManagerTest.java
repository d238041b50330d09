package dev.berth.runtime.cgroup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.oci.runtime.Resources;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A hybrid host like the development machines: v1 controllers, hugetlb only on cgroup2. */
class HybridManagerTest {
    @TempDir
    Path tmp;

    private Fixtures.Host host;
    private CgroupManager manager;

    @BeforeEach
    void create() {
        host = Fixtures.hybrid(tmp);
        manager = CgroupManager.open(host.layout(), CgroupPath.resolve("/c1", "c1"), host.fs());
        manager.create();
    }

    @Test
    void theProcessJoinsV1AndV2() {
        manager.apply(77);
        assertThat(Fixtures.get(host.mount("memory").resolve("c1/cgroup.procs"))).isEqualTo("77");
        assertThat(Fixtures.get(host.mount("unified").resolve("c1/cgroup.procs"))).isEqualTo("77");
        assertThat(Fixtures.get(host.mount("unified").resolve("cgroup.subtree_control"))).isEqualTo("hugetlb");
    }

    @Test
    void aNewProcessJoinsV1ByItsTasksFilesAndIsClonedIntoV2() {
        CgroupManager.Placement placement = manager.placement().orElseThrow();
        assertThat(placement.tasksFiles()).contains(host.mount("memory").resolve("c1/tasks"))
                .allMatch(f -> f.getFileName().toString().equals("tasks"))
                .noneMatch(f -> f.startsWith(host.mount("unified")))
                .doesNotHaveDuplicates();
        assertThat(placement.cloneInto()).contains(host.mount("unified").resolve("c1"));
    }

    @Test
    void eachLimitGoesToTheHierarchyHoldingItsController() {
        manager.set(new Resources(null, new Resources.Memory(1L << 30, null, null, null, null, null, null, null,
                null), null, null, null, List.of(new Resources.HugepageLimit("2MB", 1L << 21)), null,
                Map.of("hugetlb.2MB.max", Long.toString(2L << 21))));
        assertThat(Fixtures.get(host.mount("memory").resolve("c1/memory.limit_in_bytes")))
                .isEqualTo(Long.toString(1L << 30));
        assertThat(Fixtures.get(host.mount("unified").resolve("c1/hugetlb.2MB.rsvd.max")))
                .isEqualTo(Long.toString(1L << 21));
        // The unified map is written after the typed fields, so it wins.
        assertThat(Fixtures.get(host.mount("unified").resolve("c1/hugetlb.2MB.max")))
                .isEqualTo(Long.toString(2L << 21));
        assertThat(manager.stats().memoryLimitBytes()).isEqualTo(1L << 30);
    }

    @Test
    void unifiedKeysForV1ControllersAreRefused() {
        assertThatThrownBy(() -> manager.set(new Resources(null, null, null, null, null, null, null,
                Map.of("memory.max", "1G")))).hasMessageContaining("needs cgroup controller \"memory\"")
                .hasMessageStartingWith("invalid configuration: ");
    }

    @Test
    void freezingUsesTheV1Freezer() {
        manager.freeze();
        assertThat(Fixtures.get(host.mount("freezer").resolve("c1/freezer.state"))).isEqualTo("FROZEN");
        assertThat(Fixtures.get(host.mount("unified").resolve("c1/cgroup.freeze"))).isEqualTo("0");
    }

    @Test
    void aControllerOnNeitherHierarchyIsUnsupported() {
        CgroupLayout noHugetlb = new CgroupLayout(host.layout().v1(), host.layout().v2()
                .map(h -> new Hierarchy(h.mountPoint(), h.mountRoot(), java.util.Set.of(), h.ownPath(), true)));
        CgroupManager m = CgroupManager.open(noHugetlb, CgroupPath.resolve("/c2", "c2"), host.fs());
        assertThatThrownBy(() -> m.set(new Resources(null, null, null, null, null,
                List.of(new Resources.HugepageLimit("2MB", 1)), null, null)))
                .hasMessage("cgroup controller \"hugetlb\" is neither on a cgroup v1 hierarchy nor on cgroup v2");
    }
}
