package dev.berth.runtime.linux;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.oci.runtime.Resources;
import dev.berth.oci.runtime.State.Status;
import dev.berth.runtime.api.ContainerStats;
import dev.berth.runtime.testing.TestBundle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * linux.resources applied to a container's cgroup, seen from inside through its read-only
 * /sys/fs/cgroup, and the cgroup verbs: update, stats, pids, kill --all. Written for cgroup v1
 * (and hybrid) file names, as on this project's CI hosts; skipped on pure v2.
 */
class ResourcesTest {
    static final long MIB = 1024 * 1024;

    @TempDir
    Path tmp;
    Harness h;

    @BeforeEach
    void setUp() {
        h = Harness.open(tmp, "res");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(Path.of("/sys/fs/cgroup/memory")),
                "checks cgroup v1 files (memory.limit_in_bytes); this host has no v1 memory hierarchy");
    }

    @AfterEach
    void tearDown() {
        if (h != null) {
            h.close();
        }
    }

    private static void resources(TestBundle b, String key, Map<String, Object> value) {
        b.edit(c -> {
            @SuppressWarnings("unchecked")
            Map<String, Object> res = (Map<String, Object>) b.linux().computeIfAbsent("resources", k -> new LinkedHashMap<>());
            res.put(key, new LinkedHashMap<>(value));
        });
    }

    @SuppressWarnings("unchecked")
    private static void withCgroupNamespace(TestBundle b) {
        b.edit(c -> ((List<Object>) b.linux().get("namespaces")).add(new LinkedHashMap<>(Map.of("type", "cgroup"))));
    }

    private static final String READ_LIMITS = "cat /sys/fs/cgroup/memory/memory.limit_in_bytes > /out/mem;"
            + " cat /sys/fs/cgroup/cpu/cpu.shares > /out/shares; cat /sys/fs/cgroup/cpu/cpu.cfs_quota_us > /out/quota;"
            + " cat /proc/self/cgroup > /out/cgroup";

    private TestBundle limited() {
        TestBundle b = h.bundle("sh", "-c", READ_LIMITS);
        resources(b, "memory", Map.of("limit", 64 * MIB));
        resources(b, "cpu", Map.of("shares", 512, "quota", 50000, "period", 100000));
        return b;
    }

    @Test
    void theContainerSeesItsOwnLimits() {
        TestBundle b = limited();
        assertThat(h.run()).isZero();
        assertThat(b.read("mem").trim()).isEqualTo(Long.toString(64 * MIB));
        assertThat(b.read("shares").trim()).isEqualTo("512");
        assertThat(b.read("quota").trim()).isEqualTo("50000");
    }

    @Test
    void aPidsLimitOfOneHoldsTheInitAloneAndAnExecdProcessJoinsTheCgroupsToo() {
        // the init joins its cgroups itself and the launcher's stage 0 never enters them: with a
        // limit of one the init starts, and it is all the cgroup holds
        TestBundle b = h.bundle("sleep", "60");
        resources(b, "pids", Map.of("limit", 1));
        h.runDetached();
        assertThat(h.runtime.pids(h.id)).hasSize(1);
        assertThat(h.runtime.stats(h.id).pidsCurrent()).isEqualTo(1L);
        // shell builtins only: the limit refuses any fork in there
        assertThat(h.exec("sh", "-c", "while read l; do echo \"$l\"; done < /proc/self/cgroup > /out/cgroup")).isZero();
        assertThat(b.read("cgroup").lines().filter(l -> !l.startsWith("0::")))
                .isNotEmpty().allMatch(l -> l.endsWith("/" + h.id), "in the container's cgroup");
    }

    @Test
    void theContainerSeesItsOwnLimitsInACgroupNamespace() {
        TestBundle b = limited();
        withCgroupNamespace(b);
        assertThat(h.run()).isZero();
        assertThat(b.read("mem").trim()).isEqualTo(Long.toString(64 * MIB));
        assertThat(b.read("shares").trim()).isEqualTo("512");
        assertThat(b.read("quota").trim()).isEqualTo("50000");
        assertThat(b.read("cgroup")).contains("memory:/\n");
    }

    @Test
    void aProcessOverTheMemoryLimitIsKilled() {
        TestBundle b = h.bundle("dd", "if=/dev/zero", "of=/dev/null", "bs=128M", "count=1");
        resources(b, "memory", Map.of("limit", 32 * MIB, "swap", 32 * MIB));
        assertThat(h.run()).isEqualTo(128 + 9);
    }

    @Test
    void thePidsLimitBoundsAForkBomb() {
        TestBundle b = h.bundle("sh", "-c", "(for i in $(seq 100); do sleep 60 & done) 2> /out/err; echo done > /out/done; exec sleep 60");
        resources(b, "pids", Map.of("limit", 20));
        h.runDetached();
        Harness.waitFor(() -> Files.exists(b.out().resolve("done")));
        assertThat(b.read("err")).containsIgnoringCase("fork");
        assertThat(h.runtime.pids(h.id).size()).isBetween(2, 20);
        assertThat(h.runtime.stats(h.id).pidsCurrent()).isBetween(2L, 20L);
        assertThat(h.runtime.stats(h.id).pidsLimit()).isEqualTo(20L);
    }

    @Test
    void anInitKilledByAFailedForkTakesItsChildren() {
        TestBundle b = h.bundle("sh", "-c", "for i in $(seq 100); do sleep 60 & done");
        resources(b, "pids", Map.of("limit", 20));
        h.runDetached();
        h.awaitStatus(Status.STOPPED);
    }

    @Test
    void updateChangesTheMemoryLimitOfARunningContainer() {
        TestBundle b = h.bundle("sleep", "60");
        resources(b, "memory", Map.of("limit", 64 * MIB));
        h.runDetached();
        h.runtime.update(h.id, new Resources(null, new Resources.Memory(128 * MIB, null, null, null, null, null, null, null, null),
                null, null, null, null, null, null));
        assertThat(h.exec("sh", "-c", "cat /sys/fs/cgroup/memory/memory.limit_in_bytes > /out/mem")).isZero();
        assertThat(b.read("mem").trim()).isEqualTo(Long.toString(128 * MIB));
        assertThat(h.runtime.stats(h.id).memoryLimitBytes()).isEqualTo(128 * MIB);
    }

    @Test
    void statsReportMemoryAndPids() {
        h.bundle("sh", "-c", "sleep 60 & sleep 60 & wait");
        h.runDetached();
        Harness.waitFor(() -> h.runtime.pids(h.id).size() == 3);
        ContainerStats s = h.runtime.stats(h.id);
        assertThat(s.memoryUsageBytes()).isPositive();
        assertThat(s.pidsCurrent()).isEqualTo(3);
    }

    @Test
    void killAllReachesEveryProcess() {
        h.bundle("sh", "-c", "trap '' TERM; sleep 60 & sleep 60 & wait");
        h.runDetached();
        Harness.waitFor(() -> h.runtime.pids(h.id).size() == 3);
        List<Integer> pids = h.runtime.pids(h.id);
        assertThat(pids).contains(h.runtime.state(h.id).pid());
        h.runtime.kill(h.id, 9, true);
        h.awaitStatus(Status.STOPPED);
        Harness.waitFor(() -> pids.stream().allMatch(p -> ProcStat.read(p).map(s -> s.state() == 'Z').orElse(true)));
    }

    @Test
    void killAllWithSigkillStopsAPausedContainer() {
        h.bundle("sh", "-c", "sleep 60 & sleep 60 & wait");
        h.runDetached();
        Harness.waitFor(() -> h.runtime.pids(h.id).size() == 3);
        h.runtime.pause(h.id);
        h.runtime.kill(h.id, 9, true);
        h.awaitStatus(Status.STOPPED);
    }

    @Test
    void updateChangesThePidsAndCpuLimitsOfARunningContainer() {
        TestBundle b = h.bundle("sleep", "60");
        h.runDetached();
        h.runtime.update(h.id, new Resources(null, null,
                new Resources.Cpu(256L, 20000L, null, 100000L, null, null, null, null, null), new Resources.Pids(33),
                null, null, null, null));
        assertThat(h.exec("sh", "-c", "cat /sys/fs/cgroup/pids/pids.max /sys/fs/cgroup/cpu/cpu.shares"
                + " /sys/fs/cgroup/cpu/cpu.cfs_quota_us > /out/limits")).isZero();
        assertThat(b.read("limits").split("\n")).containsExactly("33", "256", "20000");
    }
}
