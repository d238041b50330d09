package dev.berth.runtime.cgroup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CgroupLayoutTest {
    @TempDir
    Path tmp;

    /** The development machines' /proc/self/mountinfo and /proc/self/cgroup, verbatim. */
    private static final String HYBRID_MOUNTINFO = """
            31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755
            32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu
            33 31 0:30 / /sys/fs/cgroup/cpuacct rw,relatime - cgroup cgroup rw,cpuacct
            34 31 0:31 / /sys/fs/cgroup/cpuset rw,relatime - cgroup cgroup rw,cpuset
            35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory
            36 31 0:33 / /sys/fs/cgroup/devices rw,relatime - cgroup cgroup rw,devices
            37 31 0:34 / /sys/fs/cgroup/freezer rw,relatime - cgroup cgroup rw,freezer
            38 31 0:35 / /sys/fs/cgroup/blkio rw,relatime - cgroup cgroup rw,blkio
            39 31 0:36 / /sys/fs/cgroup/pids rw,relatime - cgroup cgroup rw,pids
            40 31 0:37 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,name=systemd
            41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw
            """;
    private static final String HYBRID_CGROUP = """
            9:name=systemd:/
            8:pids:/
            7:blkio:/
            6:freezer:/
            5:devices:/
            4:memory:/process_api/0445dc37d9a89fbc274296ceddafb2b8
            3:cpuset:/
            2:cpuacct:/
            1:cpu:/
            0::/
            """;

    /** A fs whose only file is the unified root's cgroup.controllers. */
    private CgroupFs controllersFile(Path mountPoint, String controllers) throws Exception {
        Path fake = tmp.resolve("fake");
        Files.createDirectories(fake);
        Files.writeString(fake.resolve("cgroup.controllers"), controllers);
        CgroupFs host = CgroupFs.host();
        return new CgroupFs() {
            private Path map(Path p) {
                return p.equals(mountPoint.resolve("cgroup.controllers")) ? fake.resolve("cgroup.controllers") : p;
            }

            public String read(Path file) {
                return host.read(map(file));
            }

            public void write(Path file, String value) {
                throw new UnsupportedOperationException();
            }

            public boolean mkdir(Path dir) {
                throw new UnsupportedOperationException();
            }

            public boolean rmdir(Path dir) {
                throw new UnsupportedOperationException();
            }

            public boolean exists(Path path) {
                return host.exists(map(path));
            }

            public java.util.OptionalLong inode(Path dir) {
                throw new UnsupportedOperationException();
            }

            public java.util.List<Path> childDirs(Path dir) {
                return java.util.List.of();
            }
        };
    }

    @Test
    void theDevelopmentMachinesAreHybridWithHugetlbOnlyOnV2() throws Exception {
        CgroupLayout layout = CgroupLayout.parse(HYBRID_MOUNTINFO, HYBRID_CGROUP,
                controllersFile(Path.of("/sys/fs/cgroup/unified"), "hugetlb\n"));
        assertThat(layout.mode()).isEqualTo(CgroupLayout.Mode.HYBRID);
        assertThat(layout.v1()).hasSize(9);
        assertThat(layout.v1For("cpuacct").orElseThrow().mountPoint()).isEqualTo(Path.of("/sys/fs/cgroup/cpuacct"));
        assertThat(layout.v1For("name=systemd")).isPresent();
        assertThat(layout.v1For("memory").orElseThrow().ownDir())
                .isEqualTo(Path.of("/sys/fs/cgroup/memory/process_api/0445dc37d9a89fbc274296ceddafb2b8"));
        assertThat(layout.v1For("hugetlb")).isEmpty();
        assertThat(layout.v2OnlyControllers()).containsExactly("hugetlb");
    }

    @Test
    void coMountedAndNamedHierarchies() throws Exception {
        String mountinfo = """
                25 24 0:22 / /sys/fs/cgroup/cpu,cpuacct rw,nosuid shared:9 - cgroup cgroup rw,cpu,cpuacct
                26 24 0:23 / /sys/fs/cgroup/net_cls,net_prio rw shared:10 shared:11 - cgroup cgroup rw,net_cls,net_prio
                27 24 0:24 / /sys/fs/cgroup/systemd rw - cgroup cgroup rw,xattr,release_agent=/x,name=systemd
                28 24 0:22 / /mnt/bind\\040mount rw - cgroup cgroup rw,cpu,cpuacct
                """;
        String cgroup = "3:name=systemd:/user.slice\n2:net_cls,net_prio:/\n1:cpu,cpuacct:/user.slice\n";
        CgroupLayout layout = CgroupLayout.parse(mountinfo, cgroup, CgroupFs.host());
        assertThat(layout.mode()).isEqualTo(CgroupLayout.Mode.V1);
        assertThat(layout.v1()).hasSize(3);
        Hierarchy cpu = layout.v1For("cpuacct").orElseThrow();
        assertThat(cpu).isEqualTo(layout.v1For("cpu").orElseThrow());
        assertThat(cpu.mountPoint()).isEqualTo(Path.of("/sys/fs/cgroup/cpu,cpuacct"));
        assertThat(cpu.controllers()).containsExactlyInAnyOrder("cpu", "cpuacct");
        assertThat(layout.v1For("name=systemd").orElseThrow().ownPath()).isEqualTo("/user.slice");
        assertThat(layout.v1For("net_prio").orElseThrow().controllers()).isEqualTo(Set.of("net_cls", "net_prio"));
    }

    @Test
    void pureV2() throws Exception {
        String mountinfo = "31 23 0:28 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:4 - cgroup2 cgroup2 rw,nsdelegate,memory_recursiveprot\n";
        CgroupLayout layout = CgroupLayout.parse(mountinfo, "0::/user.slice/user-1000.slice/session-2.scope\n",
                controllersFile(Path.of("/sys/fs/cgroup"), "cpuset cpu io memory hugetlb pids rdma misc\n"));
        assertThat(layout.mode()).isEqualTo(CgroupLayout.Mode.V2);
        Hierarchy v2 = layout.v2().orElseThrow();
        assertThat(v2.controllers()).contains("memory", "pids", "io");
        assertThat(v2.ownDir()).isEqualTo(Path.of("/sys/fs/cgroup/user.slice/user-1000.slice/session-2.scope"));
        assertThat(layout.v2OnlyControllers()).isEqualTo(v2.controllers());
    }

    @Test
    void escapedMountPointsAreDecoded() {
        assertThat(MountInfoLine.unescape("/mnt/a\\040b\\134c")).isEqualTo("/mnt/a b\\c");
        assertThat(MountInfoLine.unescape("/plain\\x")).isEqualTo("/plain\\x");
    }

    @Test
    void noCgroupsAtAllIsUnsupported() {
        assertThatThrownBy(() -> CgroupLayout.parse("23 1 0:21 / / rw - ext4 /dev/vda rw\n", "", CgroupFs.host()))
                .hasMessage("no cgroup hierarchy is mounted");
    }

    @Test
    void thisHostsLayoutIsDetected() {
        CgroupLayout layout = CgroupLayout.detect();
        assertThat(layout.v1().size() + layout.v2().stream().count()).isPositive();
    }
}
