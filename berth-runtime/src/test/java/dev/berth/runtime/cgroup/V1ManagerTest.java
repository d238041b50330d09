package dev.berth.runtime.cgroup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.oci.BerthException;
import dev.berth.oci.runtime.Resources;
import dev.berth.runtime.api.ContainerStats;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** cgroup v1 file by file, on a fixture tree. */
class V1ManagerTest {
    @TempDir
    Path tmp;

    private Fixtures.Host host;
    private CgroupManager manager;

    private CgroupManager create(Fixtures.Host fixture) {
        host = fixture;
        manager = CgroupManager.open(host.layout(), CgroupPath.resolve("/berth/c1", "c1"), host.fs());
        manager.create();
        return manager;
    }

    private Path dir(String mount) {
        return host.mount(mount).resolve("berth/c1");
    }

    private String file(String mount, String name) {
        return Fixtures.get(dir(mount).resolve(name));
    }

    private static Resources memory(Long limit, Long swap) {
        return new Resources(null, new Resources.Memory(limit, null, swap, null, null, null, null, null, null),
                null, null, null, null, null, null);
    }

    private static Resources cpu(Resources.Cpu cpu) {
        return new Resources(null, null, cpu, null, null, null, null, null);
    }

    @Test
    void newCpusetsInheritCpusAndMemsFromTheirParents() {
        create(Fixtures.v1(tmp));
        assertThat(Fixtures.get(host.mount("cpuset").resolve("berth/cpuset.cpus"))).isEqualTo("0-1");
        assertThat(file("cpuset", "cpuset.cpus")).isEqualTo("0-1");
        assertThat(file("cpuset", "cpuset.mems")).isEqualTo("0");
    }

    @Test
    void namedHierarchiesAreJoinedToo() {
        create(Fixtures.v1(tmp)).apply(12);
        assertThat(file("systemd", "cgroup.procs")).isEqualTo("12");
    }

    /** exec.bats "runc exec --cgroup sub-cgroups [v1]": per-controller sub-cgroups, runc's refusals. */
    @Test
    void execJoinsSubCgroupsPerControllerAndNothingOutside() {
        create(Fixtures.v1CoMounted(tmp));
        host.fs().mkdir(dir("memory").resolve("submem"));
        host.fs().mkdir(dir("cpu,cpuacct").resolve("subcpu"));

        manager.apply(12, SubCgroups.parse(List.of("memory:submem", "cpu,cpuacct:subcpu")));
        assertThat(Fixtures.get(dir("memory").resolve("submem/cgroup.procs"))).isEqualTo("12");
        assertThat(Fixtures.get(dir("cpu,cpuacct").resolve("subcpu/cgroup.procs"))).isEqualTo("12");
        assertThat(file("pids", "cgroup.procs")).as("hierarchies not named: the container's cgroup").isEqualTo("12");

        assertThatThrownBy(() -> manager.apply(13, SubCgroups.parse(List.of(".."))))
                .hasMessage(".. is not a sub cgroup path");
        assertThatThrownBy(() -> manager.apply(13, SubCgroups.parse(List.of("cpu:nonexistent"))))
                .hasMessageStartingWith("error adding pid 13 to cgroups: open ")
                .hasMessageEndingWith("/nonexistent/cgroup.procs: no such file or directory");
        assertThatThrownBy(() -> manager.apply(13, SubCgroups.parse(List.of("whaaat:/"))))
                .hasMessage("unknown controller whaaat");
        assertThatThrownBy(() -> SubCgroups.parse(List.of("a", "memory:b")))
                .hasMessage("invalid --cgroup argument: a (missing <controller>: prefix)");
        manager.apply(14, SubCgroups.parse(List.of("/")));
        assertThat(file("memory", "cgroup.procs")).isEqualTo("14");
    }

    @Test
    void memoryLimitsSwapAndTheRest() {
        create(Fixtures.v1(tmp));
        manager.set(new Resources(null, new Resources.Memory(64L << 20, 32L << 20, 128L << 20, 1L, 2048L, 10L,
                true, null, null), null, null, null, null, null, null));
        List<String> order = host.fs().writes().stream().map(FixtureCgroupFs.Write::name)
                .filter(n -> n.startsWith("memory.")).toList();
        // memsw is unlimited before, so the lower memory limit goes first.
        assertThat(order).startsWith("memory.limit_in_bytes", "memory.memsw.limit_in_bytes");
        assertThat(file("memory", "memory.limit_in_bytes")).isEqualTo(Long.toString(64L << 20));
        assertThat(file("memory", "memory.memsw.limit_in_bytes")).isEqualTo(Long.toString(128L << 20));
        assertThat(file("memory", "memory.soft_limit_in_bytes")).isEqualTo(Long.toString(32L << 20));
        assertThat(file("memory", "memory.kmem.tcp.limit_in_bytes")).isEqualTo("2048");
        assertThat(file("memory", "memory.swappiness")).isEqualTo("10");
        assertThat(file("memory", "memory.oom_control")).isEqualTo("1");
    }

    @Test
    void growingSwapWritesTheSwapLimitFirst() {
        create(Fixtures.v1(tmp));
        manager.set(memory(64L << 20, 128L << 20));
        manager.update(memory(256L << 20, 512L << 20));
        List<String> last = host.fs().writes().stream().map(FixtureCgroupFs.Write::name)
                .filter(n -> n.startsWith("memory.")).toList();
        assertThat(last.subList(last.size() - 2, last.size()))
                .containsExactly("memory.memsw.limit_in_bytes", "memory.limit_in_bytes");
    }

    /** runc's update.bats: update --memory -1 after a swap limit lifts the swap limit first. */
    @Test
    void unlimitedMemoryWithoutSwapLiftsTheSwapLimitFirst() {
        create(Fixtures.v1(tmp));
        manager.set(memory(64L << 20, 128L << 20));
        manager.update(memory(-1L, null));
        List<String> last = host.fs().writes().stream().map(FixtureCgroupFs.Write::name)
                .filter(n -> n.startsWith("memory.")).toList();
        assertThat(last.subList(last.size() - 2, last.size()))
                .containsExactly("memory.memsw.limit_in_bytes", "memory.limit_in_bytes");
        assertThat(file("memory", "memory.memsw.limit_in_bytes")).isEqualTo("-1");
    }

    @Test
    void shrinkingSwapWritesTheMemoryLimitFirst() {
        create(Fixtures.v1(tmp));
        manager.set(memory(64L << 20, 128L << 20));
        manager.update(memory(32L << 20, 64L << 20));
        List<String> last = host.fs().writes().stream().map(FixtureCgroupFs.Write::name)
                .filter(n -> n.startsWith("memory.")).toList();
        assertThat(last.subList(last.size() - 2, last.size()))
                .containsExactly("memory.limit_in_bytes", "memory.memsw.limit_in_bytes");
    }

    @Test
    void swapWithoutSwapAccountingIsUnsupported() throws Exception {
        create(Fixtures.v1(tmp));
        Files.delete(dir("memory").resolve("memory.memsw.limit_in_bytes"));
        assertThatThrownBy(() -> manager.set(memory(64L << 20, 128L << 20)))
                .isInstanceOfSatisfying(BerthException.class,
                        e -> assertThat(e.kind()).isEqualTo(BerthException.Kind.UNSUPPORTED))
                .hasMessageContaining("memory.memsw.limit_in_bytes does not exist");
        // A limit alone still works.
        manager.set(memory(64L << 20, null));
    }

    @Test
    void swappinessOutOfRangeIsInvalid() {
        create(Fixtures.v1(tmp));
        assertThatThrownBy(() -> manager.set(new Resources(null, new Resources.Memory(null, null, null, null,
                null, 101L, null, null, null), null, null, null, null, null, null)))
                .hasMessage("memory.swappiness 101 is not in 0..100");
    }

    @Test
    void cpuSharesQuotaPeriodRealtimeAndCpuset() {
        create(Fixtures.v1(tmp));
        manager.set(cpu(new Resources.Cpu(512L, 50_000L, null, 200_000L, 10_000L, 1_000_000L, "1", "0", null)));
        assertThat(file("cpu", "cpu.shares")).isEqualTo("512");
        assertThat(file("cpu", "cpu.cfs_quota_us")).isEqualTo("50000");
        assertThat(file("cpu", "cpu.cfs_period_us")).isEqualTo("200000");
        assertThat(file("cpu", "cpu.rt_period_us")).isEqualTo("1000000");
        assertThat(file("cpu", "cpu.rt_runtime_us")).isEqualTo("10000");
        assertThat(file("cpuset", "cpuset.cpus")).isEqualTo("1");
        assertThat(host.fs().writesTo("cpu.rt_period_us")).hasSize(1);
    }

    @Test
    void coMountedCpuAndCpuacctShareOneDirectory() {
        create(Fixtures.v1CoMounted(tmp));
        manager.set(cpu(new Resources.Cpu(null, 20_000L, null, null, null, null, null, null, null)));
        assertThat(file("cpu,cpuacct", "cpu.cfs_quota_us")).isEqualTo("20000");
        Fixtures.put(dir("cpu,cpuacct").resolve("cpuacct.usage"), "5000");
        assertThat(manager.stats().cpuTotalNanos()).isEqualTo(5000);
    }

    @Test
    void coMountedHierarchiesAreJoinedOnceByTheirTasksFile() {
        create(Fixtures.v1CoMounted(tmp));
        CgroupManager.Placement placement = manager.placement().orElseThrow();
        assertThat(placement.tasksFiles()).contains(dir("cpu,cpuacct").resolve("tasks")).doesNotHaveDuplicates();
        assertThat(placement.cloneInto()).isEmpty();
    }

    @Test
    void devicesDenyAllThenRulesInTheirOrder() {
        create(Fixtures.v1(tmp));
        manager.set(new Resources(List.of(
                new Resources.DeviceRule(false, null, null, null, "rwm"),
                new Resources.DeviceRule(true, "c", 1L, 3L, "rwm"),
                new Resources.DeviceRule(true, "c", 136L, null, "rw"),
                new Resources.DeviceRule(false, "c", 1L, 3L, "m")), null, null, null, null, null, null, null));
        List<String> rules = host.fs().writes().stream().filter(w -> w.name().startsWith("devices."))
                .map(w -> w.name() + " " + w.value()).toList();
        assertThat(rules).containsExactly("devices.deny a", "devices.deny a", "devices.allow c 1:3 rwm",
                "devices.allow c 136:* rw", "devices.deny c 1:3 m");
    }

    /** update.bats "update devices [minimal transition rules]": runc ignores the a of access "rwa". */
    @Test
    void accessLettersOtherThanRwmAreIgnored() {
        create(Fixtures.v1(tmp));
        manager.set(new Resources(List.of(
                new Resources.DeviceRule(false, null, null, null, "rwm"),
                new Resources.DeviceRule(false, "c", 1L, 11L, "rwa"),
                new Resources.DeviceRule(true, "c", 1L, 12L, "a")), null, null, null, null, null, null, null));
        List<String> rules = host.fs().writes().stream().filter(w -> w.name().startsWith("devices."))
                .map(w -> w.name() + " " + w.value()).toList();
        assertThat(rules).containsExactly("devices.deny a", "devices.deny a", "devices.deny c 1:11 rw");
    }

    @Test
    void badDeviceRulesAreInvalid() {
        create(Fixtures.v1(tmp));
        assertThatThrownBy(() -> manager.set(new Resources(List.of(new Resources.DeviceRule(true, "x", 1L, 1L,
                "r")), null, null, null, null, null, null, null))).hasMessage("device rule type \"x\" is not a, c or b");
    }

    @Test
    void blkioWeightFallsBackToBfqAndThrottlesAreWritten() {
        create(Fixtures.v1(tmp));
        Resources.ThrottleDevice sda = new Resources.ThrottleDevice(8, 0, 1_048_576);
        manager.set(new Resources(null, null, null, null, new Resources.BlockIO(300, null,
                List.of(new Resources.WeightDevice(8, 0, 200, null)), List.of(sda), null, null, List.of(sda)),
                null, null, null));
        assertThat(file("blkio", "blkio.bfq.weight")).isEqualTo("300");
        assertThat(file("blkio", "blkio.bfq.weight_device")).isEqualTo("8:0 200");
        assertThat(file("blkio", "blkio.throttle.read_bps_device")).isEqualTo("8:0 1048576");
        assertThat(file("blkio", "blkio.throttle.write_iops_device")).isEqualTo("8:0 1048576");
    }

    @Test
    void hugetlbLimitsAndUnknownPageSizes() {
        create(Fixtures.v1(tmp));
        manager.set(new Resources(null, null, null, null, null,
                List.of(new Resources.HugepageLimit("2MB", 4L << 21)), null, null));
        assertThat(file("hugetlb", "hugetlb.2MB.limit_in_bytes")).isEqualTo(Long.toString(4L << 21));
        assertThat(file("hugetlb", "hugetlb.2MB.rsvd.limit_in_bytes")).isEqualTo(Long.toString(4L << 21));
        assertThatThrownBy(() -> manager.set(new Resources(null, null, null, null, null,
                List.of(new Resources.HugepageLimit("3MB", 1)), null, null)))
                .isInstanceOfSatisfying(BerthException.class,
                        e -> assertThat(e.kind()).isEqualTo(BerthException.Kind.INVALID_ARGUMENT))
                .hasMessageStartingWith("hugepage size \"3MB\" is not supported by this host");
    }

    @Test
    void networkClassesWhereMountedAndSkippedWhereNot() {
        Resources net = new Resources(null, null, null, null, null, null,
                new Resources.Network(0x100001L, List.of(new Resources.InterfacePriority("eth0", 5))), null);
        create(Fixtures.v1(tmp)).set(net);
        assertThat(file("net_cls,net_prio", "net_cls.classid")).isEqualTo(Long.toString(0x100001L));
        assertThat(file("net_cls,net_prio", "net_prio.ifpriomap")).isEqualTo("eth0 5");
        create(Fixtures.v1CoMounted(tmp.resolve("other"))).set(net);
    }

    @Test
    void missingControllersAndUnifiedResourcesAreUnsupported() {
        create(Fixtures.v1CoMounted(tmp));
        assertThatThrownBy(() -> manager.set(new Resources(null, null, null, null, null,
                List.of(new Resources.HugepageLimit("2MB", 1)), null, null)))
                .hasMessage("cgroup controller \"hugetlb\" is not mounted");
        assertThatThrownBy(() -> manager.set(new Resources(null, null, null, null, null, null, null,
                Map.of("memory.high", "1G"))))
                .hasMessage("unified resources need cgroup v2, this host has only cgroup v1");
    }

    @Test
    void statsFromV1Files() {
        create(Fixtures.v1(tmp));
        Fixtures.put(dir("cpuacct").resolve("cpuacct.usage"), "3000000");
        Fixtures.put(dir("cpuacct").resolve("cpuacct.usage_user"), "2000000");
        Fixtures.put(dir("cpuacct").resolve("cpuacct.usage_sys"), "1000000");
        Fixtures.put(dir("memory").resolve("memory.usage_in_bytes"), "4096");
        Fixtures.put(dir("memory").resolve("memory.max_usage_in_bytes"), "8192");
        Fixtures.put(dir("memory").resolve("memory.stat"), "cache 100\nrss 5\ntotal_cache 200\n");
        Fixtures.put(dir("pids").resolve("pids.current"), "3");
        ContainerStats stats = manager.stats();
        assertThat(stats).isEqualTo(new ContainerStats(3_000_000, 2_000_000, 1_000_000, 4096,
                9223372036854771712L, 8192, 200, 3, 0));
    }

    @Test
    void cpuTimesFallBackToTicksOnOldKernels() throws Exception {
        create(Fixtures.v1(tmp));
        Files.delete(dir("cpuacct").resolve("cpuacct.usage_user"));
        Fixtures.put(dir("cpuacct").resolve("cpuacct.stat"), "user 3\nsystem 1\n");
        assertThat(manager.stats().cpuUserNanos()).isEqualTo(30_000_000L);
        assertThat(manager.stats().cpuKernelNanos()).isEqualTo(10_000_000L);
    }

    @Test
    void freezeRewritesUntilTheKernelReportsFrozen() {
        create(Fixtures.v1(tmp)).freeze();
        assertThat(host.fs().writesTo("freezer.state")).containsExactly("FROZEN");
        assertThat(manager.isFrozen()).isTrue();
    }

    @Test
    void relativePathsLandUnderThisProcesssMemoryCgroup() {
        host = Fixtures.v1(tmp);
        CgroupManager m = CgroupManager.open(host.layout(), CgroupPath.resolve("c9", "c9"), host.fs());
        m.create();
        assertThat(m.dirs()).contains(Hierarchy.under(host.mount("memory"), Fixtures.OWN_MEMORY).resolve("c9"),
                host.mount("pids").resolve("c9"));
    }
}
