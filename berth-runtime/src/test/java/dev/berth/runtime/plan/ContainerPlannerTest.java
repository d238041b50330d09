package dev.berth.runtime.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.oci.BerthException;
import dev.berth.oci.json.Json;
import dev.berth.oci.runtime.DefaultSpec;
import dev.berth.oci.runtime.Spec;
import dev.berth.oci.runtime.json.SpecJson;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** The planner is pure: these tests need no root and look at the ops it emits. */
class ContainerPlannerTest {
    private static final HostFacts V1_HOST = new HostFacts(List.of(
            new HostFacts.CgroupHierarchy("cpu", "cpu"), new HostFacts.CgroupHierarchy("memory", "memory"),
            new HostFacts.CgroupHierarchy("systemd", "name=systemd")), true, true, true);

    @SuppressWarnings("unchecked")
    private static Spec spec(Consumer<Map<String, Object>> change) {
        Map<String, Object> tree = (Map<String, Object>) Json.parse(DefaultSpec.json(false));
        ((Map<String, Object>) tree.get("process")).put("terminal", false);
        change.accept(tree);
        return SpecJson.parse(Json.write(tree));
    }

    @SuppressWarnings("unchecked")
    private static void joinNetworkNamespace(Map<String, Object> t) {
        List<Object> namespaces = (List<Object>) ((Map<String, Object>) t.get("linux")).get("namespaces");
        namespaces.removeIf(n -> "network".equals(((Map<String, Object>) n).get("type")));
        namespaces.add(new LinkedHashMap<>(Map.of("type", "network", "path", "/run/netns/n1")));
    }

    @SuppressWarnings("unchecked")
    private static void addCgroupNamespace(Map<String, Object> t) {
        ((List<Object>) ((Map<String, Object>) t.get("linux")).get("namespaces"))
                .add(new LinkedHashMap<>(Map.of("type", "cgroup")));
    }

    private static LaunchPlan plan(Spec spec) {
        return plan(spec, Optional.empty(), false);
    }

    private static LaunchPlan plan(Spec spec, Optional<Path> console, boolean relay) {
        return ContainerPlanner.plan(new ContainerPlanner.Request(spec, Path.of("/b/rootfs"), Path.of("/run/x/c1"), "c1",
                false, false, 0, console, relay, ContainerPlanner.StartMode.FIFO, Optional.empty(), V1_HOST));
    }

    private static List<Op> ops(LaunchPlan p) {
        return p.steps().stream().map(LaunchPlan.Step::op).toList();
    }

    @Test
    void theInitJoinsItsCgroupsItselfWhenTheHostSaysHow() {
        HostFacts host = V1_HOST.withCgroupJoin(new HostFacts.CgroupJoin(
                List.of(Path.of("/sys/fs/cgroup/memory/berth/c1/tasks")), Optional.of(Path.of("/sys/fs/cgroup/unified/berth/c1"))));
        LaunchPlan p = ContainerPlanner.plan(new ContainerPlanner.Request(spec(ContainerPlannerTest::joinNetworkNamespace),
                Path.of("/b/rootfs"), Path.of("/run/x/c1"), "c1", false, false, 0, Optional.empty(), false,
                ContainerPlanner.StartMode.FIFO, Optional.empty(), host));
        List<Op> ops = ops(p);
        // the files and the cgroup2 directory are opened before any namespace is joined
        assertThat(ops.indexOf(Op.CGROUP_JOIN)).isLessThan(ops.indexOf(Op.JOIN_NS));
        assertThat(ops.indexOf(Op.CLONE_INTO_CGROUP)).isLessThan(ops.indexOf(Op.JOIN_NS));
        assertThat(ops.indexOf(Op.JOIN_NS)).isLessThan(ops.indexOf(Op.CLONE));
        assertThat(p.stepsOf(Op.CGROUP_JOIN).getFirst().fields()).containsExactly("/sys/fs/cgroup/memory/berth/c1/tasks");
        assertThat(p.stepsOf(Op.CLONE_INTO_CGROUP).getFirst().fields()).containsExactly("/sys/fs/cgroup/unified/berth/c1");
        assertThat(ops(plan(spec(c -> { })))).doesNotContain(Op.CGROUP_JOIN, Op.CLONE_INTO_CGROUP);
    }

    @Test
    void stepsComeInRuncsOrder() {
        List<Op> ops = ops(plan(spec(ContainerPlannerTest::addCgroupNamespace)));
        assertThat(ops.indexOf(Op.MKFIFO)).isLessThan(ops.indexOf(Op.CLONE));
        assertThat(ops.indexOf(Op.CLONE)).isLessThan(ops.indexOf(Op.UNSHARE));
        assertThat(ops.indexOf(Op.BIND_ROOTFS)).isLessThan(ops.indexOf(Op.MOUNT));
        assertThat(ops.lastIndexOf(Op.MOUNT)).isLessThan(ops.indexOf(Op.PIVOT));
        assertThat(ops.indexOf(Op.PIVOT)).isLessThan(ops.indexOf(Op.HOSTNAME));
        assertThat(ops.indexOf(Op.HOSTNAME)).isLessThan(ops.indexOf(Op.READONLY));
        assertThat(ops.lastIndexOf(Op.READONLY)).isLessThan(ops.indexOf(Op.MASK));
        assertThat(ops.indexOf(Op.CHECK_EXEC)).isLessThan(ops.indexOf(Op.READY));
        assertThat(ops.indexOf(Op.READY)).isLessThan(ops.indexOf(Op.CAP_BOUNDING));
        assertThat(ops.indexOf(Op.CAP_BOUNDING)).isLessThan(ops.indexOf(Op.USER));
        assertThat(ops.indexOf(Op.USER)).isLessThan(ops.indexOf(Op.CAPS));
        assertThat(ops.indexOf(Op.NO_NEW_PRIVS)).isLessThan(ops.indexOf(Op.EXEC));
        assertThat(ops.getLast()).isEqualTo(Op.EXEC);
    }

    @Test
    @SuppressWarnings("unchecked")
    void runtimeHooksWaitForTheMountsOnlyWhenThereAreSome() {
        assertThat(ops(plan(spec(t -> { })))).doesNotContain(Op.RUNTIME_HOOKS);
        Map<String, Object> hook = new LinkedHashMap<>(Map.of("path", "/bin/true"));
        List<Op> ops = ops(plan(spec(t -> t.put("hooks", new LinkedHashMap<>(Map.of(
                "createRuntime", new ArrayList<>(List.of(hook)), "createContainer", new ArrayList<>(List.of(hook))))))));
        assertThat(ops.indexOf(Op.RUNTIME_HOOKS)).isGreaterThan(ops.lastIndexOf(Op.MOUNT));
        assertThat(ops.indexOf(Op.RUNTIME_HOOKS)).isLessThan(ops.indexOf(Op.HOOK));
        assertThat(ops.indexOf(Op.HOOK)).isLessThan(ops.indexOf(Op.PIVOT));
    }

    @Test
    void cloneFlagsCoverTheNewNamespacesButNotCgroup() {
        LaunchPlan p = plan(spec(ContainerPlannerTest::addCgroupNamespace));
        long flags = (Long) p.stepsOf(Op.CLONE).getFirst().fields().getFirst();
        assertThat(flags & Namespaces.CLONE_NEWPID).isNotZero();
        assertThat(flags & Namespaces.CLONE_NEWNS).isNotZero();
        assertThat(flags & Namespaces.CLONE_NEWCGROUP).as("cgroup ns is unshared after the cgroup move").isZero();
        assertThat(p.stepsOf(Op.UNSHARE).getFirst().fields().getFirst()).isEqualTo(Namespaces.CLONE_NEWCGROUP);
    }

    @Test
    void bindMountOptionsBecomeARemount() {
        Spec s = spec(t -> ((List<Object>) t.get("mounts")).add(new LinkedHashMap<>(Map.of("destination", "/data",
                "type", "bind", "source", "/tmp", "options", new ArrayList<>(List.of("rbind", "ro", "nosuid"))))));
        LaunchPlan.Step m = plan(s).stepsOf(Op.MOUNT).stream().filter(x -> x.fields().get(1).equals("/data")).findFirst().orElseThrow();
        assertThat(m.fields().get(3)).isEqualTo(MountOptions.MS_BIND | MountOptions.MS_REC);
        assertThat(m.fields().get(5)).as("mkdir the destination").isEqualTo(1L);
        assertThat(m.fields().get(6)).isEqualTo(MountOptions.MS_RDONLY | MountOptions.MS_NOSUID);
    }

    @Test
    void cgroupMountOnAHybridHostMountsEachHierarchy() {
        List<LaunchPlan.Step> mounts = plan(spec(ContainerPlannerTest::addCgroupNamespace)).stepsOf(Op.MOUNT);
        List<String> dests = mounts.stream().map(x -> (String) x.fields().get(1)).toList();
        assertThat(dests).contains("/sys/fs/cgroup", "/sys/fs/cgroup/cpu", "/sys/fs/cgroup/memory",
                "/sys/fs/cgroup/systemd", "/sys/fs/cgroup/unified");
        assertThat(mounts).filteredOn(x -> x.fields().get(1).equals("/sys/fs/cgroup/memory"))
                .extracting(x -> x.fields().get(2)).containsExactly("cgroup");
    }

    @Test
    void withoutACgroupNamespaceTheContainersOwnCgroupsAreBound() {
        HostFacts host = V1_HOST.withContainerCgroupDirs(List.of(Path.of("/sys/fs/cgroup/cpu/berth/c1"),
                Path.of("/sys/fs/cgroup/memory/berth/c1"), Path.of("/sys/fs/cgroup/systemd/berth/c1"),
                Path.of("/sys/fs/cgroup/unified/berth/c1")));
        LaunchPlan p = ContainerPlanner.plan(new ContainerPlanner.Request(spec(t -> { }), Path.of("/b/rootfs"),
                Path.of("/run/x/c1"), "c1", false, false, 0, Optional.empty(), false, ContainerPlanner.StartMode.FIFO,
                Optional.empty(), host));
        List<LaunchPlan.Step> cgroupMounts = p.stepsOf(Op.MOUNT).stream()
                .filter(x -> ((String) x.fields().get(1)).startsWith("/sys/fs/cgroup/")).toList();
        assertThat(cgroupMounts).extracting(x -> x.fields().get(0)).containsExactly("/sys/fs/cgroup/cpu/berth/c1",
                "/sys/fs/cgroup/memory/berth/c1", "/sys/fs/cgroup/systemd/berth/c1", "/sys/fs/cgroup/unified/berth/c1");
        assertThat(cgroupMounts).extracting(x -> x.fields().get(3)).containsOnly(MountOptions.MS_BIND | MountOptions.MS_REC);
        LaunchPlan.Step readOnly = p.stepsOf(Op.MOUNT).stream().filter(x -> x.fields().get(1).equals("/sys/fs/cgroup")).toList().getLast();
        assertThat(readOnly.fields().get(0)).as("a remount in place, not a bind of the host's /sys/fs/cgroup").isEqualTo("");
        assertThat((Long) readOnly.fields().get(3) & MountOptions.MS_REMOUNT).isNotZero();
    }

    @Test
    void defaultDevicesAreCreatedAndBoundInAUserNamespace() {
        assertThat(plan(spec(t -> { })).stepsOf(Op.MKNOD)).extracting(x -> x.fields().getFirst())
                .contains("/dev/null", "/dev/zero", "/dev/full", "/dev/random", "/dev/urandom", "/dev/tty");
        Spec userns = spec(t -> {
            Map<String, Object> linux = (Map<String, Object>) t.get("linux");
            ((List<Object>) linux.get("namespaces")).add(new LinkedHashMap<>(Map.of("type", "user")));
            linux.put("uidMappings", new ArrayList<>(List.of(new LinkedHashMap<>(Map.of("containerID", 0, "hostID", 100000, "size", 65536)))));
            linux.put("gidMappings", new ArrayList<>(List.of(new LinkedHashMap<>(Map.of("containerID", 0, "hostID", 100000, "size", 65536)))));
        });
        LaunchPlan p = plan(userns);
        assertThat(p.stepsOf(Op.MKNOD)).isEmpty();
        assertThat(p.stepsOf(Op.BIND_DEV)).isNotEmpty();
        assertThat(p.stepsOf(Op.UID_MAP).getFirst().fields().getFirst()).isEqualTo("0 100000 65536\n");
    }

    /** userns.bats "userns with 2 inaccessible mounts": bind sources are opened in stage 0, before the user namespace. */
    @Test
    @SuppressWarnings("unchecked")
    void bindSourcesAreOpenedBeforeANewUserNamespace() {
        Consumer<Map<String, Object>> binds = t -> ((List<Object>) t.get("mounts")).addAll(List.of(
                new LinkedHashMap<>(Map.of("source", "/tmp", "destination", "/m1", "options", List.of("bind"))),
                new LinkedHashMap<>(Map.of("source", "/etc", "destination", "/m2", "options", List.of("rbind", "ro")))));
        Spec userns = spec(t -> {
            Map<String, Object> linux = (Map<String, Object>) t.get("linux");
            ((List<Object>) linux.get("namespaces")).add(new LinkedHashMap<>(Map.of("type", "user")));
            linux.put("uidMappings", new ArrayList<>(List.of(new LinkedHashMap<>(Map.of("containerID", 0, "hostID", 100000, "size", 65536)))));
            linux.put("gidMappings", new ArrayList<>(List.of(new LinkedHashMap<>(Map.of("containerID", 0, "hostID", 100000, "size", 65536)))));
            binds.accept(t);
        });
        LaunchPlan p = plan(userns);
        List<Op> ops = ops(p);
        assertThat(p.stepsOf(Op.OPEN_TREE)).extracting(x -> x.fields()).containsExactly(List.of("/tmp", 0L), List.of("/etc", 1L));
        assertThat(ops.lastIndexOf(Op.OPEN_TREE)).isLessThan(ops.indexOf(Op.CLONE));
        assertThat(p.stepsOf(Op.MOUNT)).filteredOn(x -> x.fields().get(1).toString().startsWith("/m"))
                .extracting(x -> x.fields().getFirst()).containsExactly("fd:0", "fd:1");

        LaunchPlan noUserns = plan(spec(binds));
        assertThat(noUserns.stepsOf(Op.OPEN_TREE)).as("without a new user namespace: mounted by path").isEmpty();
        assertThat(noUserns.stepsOf(Op.MOUNT)).extracting(x -> x.fields().getFirst()).contains("/tmp", "/etc");
    }

    @Test
    void capabilitiesBecomeMasks() {
        LaunchPlan.Step caps = plan(spec(t -> { })).stepsOf(Op.CAPS).getFirst();
        long expected = Capability.mask(List.of("CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE"));
        assertThat(caps.fields().get(0)).isEqualTo(expected);
        assertThat(caps.fields().get(1)).isEqualTo(expected);
    }

    @Test
    void terminalNeedsAConsoleSocketUnlessRelayed() {
        Spec tty = spec(t -> ((Map<String, Object>) t.get("process")).put("terminal", true));
        assertThatThrownBy(() -> plan(tty)).isInstanceOf(BerthException.class).hasMessageContaining("console socket");
        assertThat(ops(plan(tty, Optional.of(Path.of("/tmp/c.sock")), false))).contains(Op.CONNECT_CONSOLE, Op.CONSOLE);
        assertThat(ops(plan(tty, Optional.empty(), true))).contains(Op.CONSOLE_RELAY, Op.CONSOLE);
    }

    @Test
    void sysctlKeysBecomeProcPaths() {
        assertThat(ContainerPlanner.sysctlPath("net.ipv4.ip_forward")).isEqualTo("/proc/sys/net/ipv4/ip_forward");
        assertThatThrownBy(() -> ContainerPlanner.sysctlPath("../../etc")).isInstanceOf(BerthException.class);
    }

    @Test
    void onlyNamespacedSysctlsAreAllowed() {
        Spec ok = spec(t -> ((Map<String, Object>) t.get("linux")).put("sysctl",
                new LinkedHashMap<>(Map.of("net.ipv4.ip_forward", "1", "kernel.shmmax", "100000"))));
        assertThat(plan(ok).stepsOf(Op.WRITE_FILE)).extracting(x -> x.fields().getFirst())
                .contains("/proc/sys/net/ipv4/ip_forward", "/proc/sys/kernel/shmmax");
        Spec host = spec(t -> ((Map<String, Object>) t.get("linux")).put("sysctl",
                new LinkedHashMap<>(Map.of("vm.swappiness", "10"))));
        assertThatThrownBy(() -> plan(host)).isInstanceOf(BerthException.class).hasMessageContaining("vm.swappiness");
    }

    @Test
    void makedevMatchesGlibc() {
        assertThat(ContainerPlanner.makedev(1, 3)).isEqualTo(0x103L);
        assertThat(ContainerPlanner.makedev(136, 300)).isEqualTo((136L << 8) | (300L & 0xff) | ((300L & ~0xffL) << 12));
    }

    @Test
    void planEncodesFieldsLengthPrefixed() {
        byte[] bytes = new LaunchPlan().add(Op.HOSTNAME, "ab").encode();
        // op 20, 1 field, len 3, "ab\0"
        assertThat(bytes).containsExactly(20, 0, 0, 0, 1, 0, 0, 0, 3, 0, 0, 0, 'a', 'b', 0);
    }
}
