package dev.berth.runtime.cgroup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.oci.BerthException;
import dev.berth.oci.runtime.Resources;
import dev.berth.runtime.api.ContainerStats;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** cgroup v2 file by file, on a fixture tree. */
class V2ManagerTest {
    @TempDir
    Path tmp;

    private Fixtures.Host host;
    private CgroupManager manager;
    private Path dir;

    @BeforeEach
    void create() {
        host = Fixtures.v2(tmp);
        manager = CgroupManager.open(host.layout(), CgroupPath.resolve(null, "c1"), host.fs());
        manager.create();
        dir = host.cgroupRoot().resolve("berth/c1");
    }

    private String file(String name) {
        return Fixtures.get(dir.resolve(name));
    }

    private static Resources memory(Long limit, Long swap) {
        return new Resources(null, new Resources.Memory(limit, null, swap, null, null, null, null, null, null),
                null, null, null, null, null, null);
    }

    private static Resources cpu(Long shares, Long quota, Long period) {
        return new Resources(null, null, new Resources.Cpu(shares, quota, null, period, null, null, null, null, null),
                null, null, null, null, null);
    }

    private static Resources unified(String key, String value) {
        return new Resources(null, null, null, null, null, null, null, Map.of(key, value));
    }

    private static BerthException.Kind kind(Throwable e) {
        return ((BerthException) e).kind();
    }

    @Test
    void controllersAreEnabledDownToTheLeafsParentButNotInTheLeaf() {
        assertThat(CgroupLayout.words(Fixtures.get(host.cgroupRoot().resolve("cgroup.subtree_control"))))
                .containsExactlyInAnyOrder("cpuset", "cpu", "io", "memory", "hugetlb", "pids");
        assertThat(Fixtures.get(host.cgroupRoot().resolve("berth/cgroup.subtree_control"))).isNotEmpty();
        assertThat(file("cgroup.subtree_control")).isEmpty();
    }

    @Test
    void sharesBecomeWeightAndQuotaPeriodBecomeCpuMax() {
        manager.set(cpu(1024L, 50_000L, 100_000L));
        assertThat(file("cpu.weight")).isEqualTo("39");
        assertThat(file("cpu.max")).isEqualTo("50000 100000");
        manager.update(cpu(null, null, 200_000L));
        assertThat(file("cpu.max")).isEqualTo("50000 200000");
        manager.update(cpu(null, -1L, null));
        assertThat(file("cpu.max")).isEqualTo("max");
    }

    @Test
    void realtimeCpuIsRefused() {
        Resources rt = new Resources(null, null, new Resources.Cpu(null, null, null, null, 1000L, 10000L, null,
                null, null), null, null, null, null, null);
        assertThatThrownBy(() -> manager.set(rt)).satisfies(e -> assertThat(kind(e))
                .isEqualTo(BerthException.Kind.UNSUPPORTED));
    }

    @Test
    void swapIsConvertedFromMemoryPlusSwapToSwapAlone() {
        manager.set(memory(64L << 20, 192L << 20));
        assertThat(file("memory.max")).isEqualTo(Long.toString(64L << 20));
        assertThat(file("memory.swap.max")).isEqualTo(Long.toString(128L << 20));
        manager.update(memory(null, 96L << 20));
        assertThat(file("memory.swap.max")).isEqualTo(Long.toString(32L << 20));
        manager.update(memory(-1L, null));
        assertThat(file("memory.max")).isEqualTo("max");
        assertThat(file("memory.swap.max")).isEqualTo("max");
    }

    @Test
    void swapBelowMemoryIsInvalid() {
        assertThatThrownBy(() -> manager.set(memory(64L << 20, 32L << 20)))
                .satisfies(e -> assertThat(kind(e)).isEqualTo(BerthException.Kind.INVALID_ARGUMENT));
    }

    @Test
    void swapWithoutSwapMaxIsUnsupported() throws Exception {
        Files.delete(dir.resolve("memory.swap.max"));
        assertThatThrownBy(() -> manager.set(memory(64L << 20, 128L << 20)))
                .satisfies(e -> assertThat(kind(e)).isEqualTo(BerthException.Kind.UNSUPPORTED))
                .hasMessageContaining("memory.swap.max does not exist");
        manager.set(memory(-1L, null)); // unlimited memory implies unlimited swap only where swap is accounted
        assertThat(file("memory.max")).isEqualTo("max");
    }

    @Test
    void checkBeforeUpdateRefusesALimitBelowUsage() {
        Fixtures.put(dir.resolve("memory.current"), Long.toString(100L << 20));
        Resources lower = new Resources(null, new Resources.Memory(50L << 20, null, null, null, null, null, null,
                null, true), null, null, null, null, null, null);
        assertThatThrownBy(() -> manager.update(lower)).hasMessageContaining("below the current usage");
        manager.set(lower); // set is not an update: the spec's check is for updates
        assertThat(file("memory.max")).isEqualTo(Long.toString(50L << 20));
    }

    @Test
    void reservationIsMemoryLow() {
        manager.set(new Resources(null, new Resources.Memory(null, 32L << 20, null, null, null, null, null, null,
                null), null, null, null, null, null, null));
        assertThat(file("memory.low")).isEqualTo(Long.toString(32L << 20));
    }

    @Test
    void ioWeightIsConvertedAndThrottlesGoToIoMax() {
        Resources.ThrottleDevice sda = new Resources.ThrottleDevice(8, 0, 1000);
        manager.set(new Resources(null, null, null, null, new Resources.BlockIO(500, null,
                List.of(new Resources.WeightDevice(8, 16, 1000, null)), List.of(sda), null, null,
                List.of(new Resources.ThrottleDevice(8, 0, 0))), null, null, null));
        assertThat(host.fs().writesTo("io.weight")).containsExactly("default 4950", "8:16 10000");
        assertThat(host.fs().writesTo("io.max")).containsExactly("8:0 rbps=1000", "8:0 wiops=max");
    }

    @Test
    void ioWeightGoesToBfqUnconvertedWhereBfqIsTheScheduler() {
        Fixtures.put(dir.resolve("io.bfq.weight"), "default 100");
        manager.set(new Resources(null, null, null, null, new Resources.BlockIO(500, null, null, null, null,
                null, null), null, null, null));
        assertThat(file("io.bfq.weight")).isEqualTo("default 500");
    }

    @Test
    void pidsHugetlbAndCpuset() {
        manager.set(new Resources(null, null, new Resources.Cpu(null, null, null, null, null, null, "0", "0",
                null), new Resources.Pids(0), null, List.of(new Resources.HugepageLimit("2MB", 2L << 21)), null,
                null));
        assertThat(file("pids.max")).isEqualTo("0");
        assertThat(file("hugetlb.2MB.max")).isEqualTo(Long.toString(2L << 21));
        assertThat(file("hugetlb.2MB.rsvd.max")).isEqualTo(Long.toString(2L << 21));
        assertThat(file("cpuset.cpus")).isEqualTo("0");
    }

    @Test
    void unifiedEntriesAreWrittenAsGiven() {
        Fixtures.put(dir.resolve("memory.high"), "max");
        Map<String, String> entries = new LinkedHashMap<>();
        entries.put("memory.high", "1073741824");
        entries.put("cgroup.freeze", "0");
        manager.set(new Resources(null, null, null, null, null, null, null, entries));
        assertThat(file("memory.high")).isEqualTo("1073741824");
    }

    @Test
    void unifiedKeysMustNameAFileOfAnEnabledController() {
        assertThatThrownBy(() -> manager.set(unified("../escape.max", "1")))
                .hasMessage("unified key \"../escape.max\" is not a cgroup file name");
        assertThatThrownBy(() -> manager.set(unified("rdma.max", "mlx4_0 hca_handle=2")))
                .satisfies(e -> assertThat(kind(e)).isEqualTo(BerthException.Kind.UNSUPPORTED))
                .hasMessageContaining("needs cgroup controller \"rdma\"");
        assertThatThrownBy(() -> manager.set(unified("memory.nonsense", "1")))
                .satisfies(e -> assertThat(kind(e)).isEqualTo(BerthException.Kind.INVALID_ARGUMENT));
    }

    @Test
    void explicitDeviceRulesAreUnsupportedButALoneDenyAllIsFine() {
        manager.set(new Resources(List.of(new Resources.DeviceRule(false, null, null, null, "rwm")), null, null,
                null, null, null, null, null));
        Resources allowNull = new Resources(List.of(new Resources.DeviceRule(false, null, null, null, "rwm"),
                new Resources.DeviceRule(true, "c", 1L, 3L, "rwm")), null, null, null, null, null, null, null);
        assertThatThrownBy(() -> manager.set(allowNull))
                .satisfies(e -> assertThat(kind(e)).isEqualTo(BerthException.Kind.UNSUPPORTED))
                .hasMessageContaining("eBPF");
    }

    @Test
    void controllersTheParentDoesNotOfferAreReported() {
        Fixtures.put(host.cgroupRoot().resolve("berth/cgroup.subtree_control"), "cpu");
        assertThatThrownBy(() -> manager.set(CgroupManagerContract.memoryAndPids(1L << 20, 5)))
                .hasMessage("cgroup controller \"memory\" is not enabled in " + dir);
    }

    @Test
    void freezeWaitsForCgroupEvents() {
        manager.freeze();
        assertThat(file("cgroup.freeze")).isEqualTo("1");
        assertThat(manager.isFrozen()).isTrue();
        manager.thaw();
        assertThat(file("cgroup.events")).contains("frozen 0");
    }

    @Test
    void freezeWithoutTheV2FreezerIsUnsupported() throws Exception {
        Files.delete(dir.resolve("cgroup.freeze"));
        assertThatThrownBy(manager::freeze).satisfies(e -> assertThat(kind(e))
                .isEqualTo(BerthException.Kind.UNSUPPORTED));
    }

    @Test
    void statsFromV2Files() {
        Fixtures.put(dir.resolve("cpu.stat"), "usage_usec 300\nuser_usec 200\nsystem_usec 100\nnr_periods 0\n");
        Fixtures.put(dir.resolve("memory.current"), "4096");
        Fixtures.put(dir.resolve("memory.peak"), "8192");
        Fixtures.put(dir.resolve("memory.stat"), "anon 1\nfile 512\n");
        Fixtures.put(dir.resolve("pids.current"), "2");
        Fixtures.put(dir.resolve("pids.max"), "10");
        assertThat(manager.stats()).isEqualTo(new ContainerStats(300_000, 200_000, 100_000, 4096, Long.MAX_VALUE,
                8192, 512, 2, 10));
    }
}
