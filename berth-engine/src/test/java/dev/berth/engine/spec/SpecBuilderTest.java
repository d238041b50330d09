package dev.berth.engine.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.engine.container.Container;
import dev.berth.engine.container.ContainerConfig;
import dev.berth.engine.container.ContainerId;
import dev.berth.engine.container.ContainerName;
import dev.berth.engine.container.ContainerState;
import dev.berth.engine.container.DeviceMapping;
import dev.berth.engine.container.HostConfig;
import dev.berth.engine.container.MountSpec;
import dev.berth.engine.container.Ulimit;
import dev.berth.oci.image.Digest;
import dev.berth.oci.runtime.Mount;
import dev.berth.oci.runtime.Namespace;
import dev.berth.oci.runtime.Spec;
import dev.berth.oci.runtime.SpecValidator;
import dev.berth.runtime.seccomp.Arch;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The spec dockerd would hand runc for the same container (moby's oci defaults and HostConfig handling). */
class SpecBuilderTest {
    @TempDir
    Path tmp;
    Path rootfs;
    Path dir;
    final SpecBuilder builder = new SpecBuilder(new HostInfo(Arch.X86_64, "6.1.0", "myhost", true,
            Optional.of(Path.of("/usr/bin/tini-static")), Path.of("/etc")));

    @BeforeEach
    void rootfs() throws Exception {
        rootfs = Files.createDirectories(tmp.resolve("rootfs/etc"));
        rootfs = rootfs.getParent();
        Files.writeString(rootfs.resolve("etc/passwd"), "root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000::/home/app:/bin/sh\n");
        Files.writeString(rootfs.resolve("etc/group"), "root:x:0:\nwheel:x:10:root,app\napp:x:1000:\n");
        dir = Files.createDirectories(tmp.resolve("dir"));
    }

    private static Container container(ContainerConfig config, HostConfig host) {
        return new Container(ContainerId.generate(), ContainerName.of("web"), Instant.now(),
                Digest.sha256("x".getBytes()), config, host, "", List.of(), ContainerState.created(), 0, false, false);
    }

    @Test
    void dockerDefaultsForEchoHi() {
        Container c = container(ContainerConfig.of("busybox", List.of("echo", "hi"))
                .withEnv(List.of("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin")), HostConfig.DEFAULT);
        Spec spec = builder.build(c, rootfs, dir);
        SpecValidator.validate(spec);
        assertThat(spec.process().args()).containsExactly("echo", "hi");
        assertThat(spec.process().cwd()).isEqualTo("/");
        assertThat(spec.process().env()).containsExactly(
                "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "HOSTNAME=" + c.id().substring(0, 12));
        assertThat(spec.hostname()).isEqualTo(c.id().substring(0, 12));
        assertThat(spec.process().user().uid()).isZero();
        assertThat(spec.process().user().gid()).isZero();
        assertThat(spec.process().user().additionalGids()).containsExactly(0L, 10L);
        assertThat(spec.process().capabilities().bounding()).containsExactlyElementsOf(CapabilitySet.DOCKER_DEFAULT);
        assertThat(spec.process().capabilities().effective()).hasSize(14);
        assertThat(spec.process().capabilities().inheritable()).isEmpty();
        assertThat(spec.process().noNewPrivileges()).isFalse();
        assertThat(spec.root().readonly()).isFalse();
        assertThat(spec.mounts()).extracting(Mount::destination).containsExactly("/proc", "/dev", "/dev/pts", "/sys",
                "/sys/fs/cgroup", "/dev/mqueue", "/dev/shm", "/etc/resolv.conf", "/etc/hostname", "/etc/hosts");
        assertThat(spec.mounts().get(7).source()).isEqualTo(dir.resolve("resolv.conf").toString());
        assertThat(spec.mounts().get(7).options()).containsExactly("rbind", "rprivate");
        assertThat(spec.linux().namespaces()).extracting(Namespace::type).containsExactly("mount", "network", "uts", "pid", "ipc");
        assertThat(spec.linux().maskedPaths()).contains("/proc/kcore", "/proc/keys", "/sys/firmware").hasSize(12);
        assertThat(spec.linux().readonlyPaths()).containsExactly("/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger");
        assertThat(spec.linux().cgroupsPath()).isEqualTo("/berth/" + c.id());
        assertThat(spec.linux().resources().devices()).singleElement()
                .satisfies(d -> assertThat(d.allow()).isFalse());
        assertThat(spec.linux().seccomp().defaultAction()).isEqualTo("SCMP_ACT_ERRNO");
        assertThat(spec.linux().seccomp().architectures()).containsExactly("SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32");
        // without CAP_SYS_ADMIN, mount/unshare/setns are not in the allow list
        assertThat(spec.linux().seccomp().syscalls()).flatExtracting(s -> s.names()).doesNotContain("mount", "unshare");
        assertThat(spec.linux().sysctl()).containsEntry("net.ipv4.ip_unprivileged_port_start", "0");
    }

    @Test
    void hostConfigOnTop() {
        HostConfig host = HostConfig.DEFAULT
                .withResources(64L << 20, -1, 1_500_000_000L, 512, "0", Optional.of(100L))
                .withUlimits(List.of(new Ulimit("nofile", 1024, 2048)))
                .withSecurity(false, List.of("SYS_ADMIN", "cap_net_admin"), List.of("MKNOD", "CAP_NET_RAW"),
                        List.of("no-new-privileges", "seccomp=unconfined"))
                .withMounts(List.of("/srv/data:/data:ro"), List.of(MountSpec.tmpfs("/run", 1 << 20, 01777)), true)
                .withNetworkMode("host");
        ContainerConfig config = ContainerConfig.of("busybox", List.of("sh")).withUser("app").withWorkingDir("/w")
                .withEnv(List.of("PATH=/bin", "A=1"));
        Container c = container(config, host);
        Spec spec = builder.build(c, rootfs, dir);
        SpecValidator.validate(spec);
        assertThat(spec.process().user().uid()).isEqualTo(1000);
        assertThat(spec.process().user().gid()).isEqualTo(1000);
        assertThat(spec.process().user().additionalGids()).containsExactly(1000L, 10L);
        assertThat(spec.process().cwd()).isEqualTo("/w");
        assertThat(spec.process().env()).containsExactly("PATH=/bin", "HOSTNAME=myhost", "A=1");
        assertThat(spec.hostname()).isEqualTo("myhost");
        assertThat(spec.process().noNewPrivileges()).isTrue();
        assertThat(spec.process().capabilities().bounding())
                .contains("CAP_SYS_ADMIN", "CAP_NET_ADMIN").doesNotContain("CAP_MKNOD", "CAP_NET_RAW");
        assertThat(spec.process().rlimits()).singleElement().satisfies(r -> {
            assertThat(r.type()).isEqualTo("RLIMIT_NOFILE");
            assertThat(r.soft()).isEqualTo(1024);
            assertThat(r.hard()).isEqualTo(2048);
        });
        assertThat(spec.linux().seccomp()).isNull();
        assertThat(spec.linux().namespaces()).extracting(Namespace::type).doesNotContain("network");
        assertThat(spec.linux().sysctl()).isEmpty();
        assertThat(spec.root().readonly()).isTrue();
        var r = spec.linux().resources();
        assertThat(r.memory().limit()).isEqualTo(64L << 20);
        assertThat(r.memory().swap()).isEqualTo(-1);
        assertThat(r.cpu().quota()).isEqualTo(150_000);
        assertThat(r.cpu().period()).isEqualTo(100_000);
        assertThat(r.cpu().shares()).isEqualTo(512);
        assertThat(r.cpu().cpus()).isEqualTo("0");
        assertThat(r.pids().limit()).isEqualTo(100);
        assertThat(spec.mounts()).filteredOn(m -> m.destination().equals("/data")).singleElement().satisfies(m -> {
            assertThat(m.source()).isEqualTo("/srv/data");
            assertThat(m.options()).containsExactly("rbind", "rprivate", "ro");
        });
        assertThat(spec.mounts()).filteredOn(m -> m.destination().equals("/run")).singleElement()
                .satisfies(m -> assertThat(m.options()).containsExactly("nosuid", "nodev", "noexec", "mode=1777", "size=1048576"));
        assertThat(spec.mounts()).filteredOn(m -> m.destination().equals("/etc/hosts")).singleElement()
                .satisfies(m -> assertThat(m.options()).contains("ro"));
    }

    @Test
    void memoryWithoutSwapGetsAsMuchSwapAsMemoryAndPrivilegedGetsEverything() {
        HostConfig host = HostConfig.DEFAULT.withResources(64L << 20, 0, 0, 0, "", Optional.empty())
                .withSecurity(true, List.of(), List.of(), List.of());
        Spec spec = builder.build(container(ContainerConfig.of("busybox", List.of("sh")), host), rootfs, dir);
        assertThat(spec.linux().resources().memory().swap()).isEqualTo(128L << 20);
        assertThat(spec.process().capabilities().bounding()).contains("CAP_SYS_ADMIN", "CAP_SYS_MODULE");
        assertThat(spec.linux().seccomp()).isNull();
        assertThat(spec.linux().maskedPaths()).isEmpty();
        assertThat(spec.linux().readonlyPaths()).isEmpty();
        assertThat(spec.linux().resources().devices()).singleElement().satisfies(d -> assertThat(d.allow()).isTrue());
    }

    @Test
    void initAndUserErrors() {
        HostConfig init = new HostConfig(List.of(), List.of(), false, HostConfig.DEFAULT.restartPolicy(), 0, 0, 0, 0, "",
                Optional.empty(), List.of(), List.of(), List.of(), false, List.of(), false, "none", Optional.of(true),
                HostConfig.DEFAULT.logConfig());
        Spec spec = builder.build(container(ContainerConfig.of("busybox", List.of("sleep", "1")), init), rootfs, dir);
        assertThat(spec.process().args()).containsExactly("/sbin/docker-init", "--", "sleep", "1");
        assertThat(spec.mounts()).anySatisfy(m -> {
            assertThat(m.destination()).isEqualTo("/sbin/docker-init");
            assertThat(m.source()).isEqualTo("/usr/bin/tini-static");
        });
        assertThatThrownBy(() -> builder.build(container(ContainerConfig.of("busybox", List.of("sh")).withUser("ghost"),
                HostConfig.DEFAULT), rootfs, dir))
                .hasMessage("unable to find user ghost: no matching entries in passwd file");
        assertThatThrownBy(() -> builder.build(container(ContainerConfig.of("busybox", List.of("sh")).withWorkingDir("rel"),
                HostConfig.DEFAULT), rootfs, dir))
                .hasMessageContaining("it needs to be an absolute path");
        assertThatThrownBy(() -> builder.build(container(ContainerConfig.of("busybox", List.of("sh")), HostConfig.DEFAULT
                .withSecurity(false, List.of("CAP_NOPE"), List.of(), List.of())), rootfs, dir))
                .hasMessage("unknown capability: \"CAP_NOPE\"");
    }

    @Test
    void usersByNumberNameAndGroup() {
        var passwd = UserResolver.readPasswd(rootfs.resolve("etc/passwd"));
        var groups = UserResolver.readGroups(rootfs.resolve("etc/group"));
        assertThat(UserResolver.resolve("1234", passwd, groups).uid()).isEqualTo(1234);
        assertThat(UserResolver.resolve("1234", passwd, groups).gid()).isZero();
        assertThat(UserResolver.resolve("1234:5", passwd, groups).gid()).isEqualTo(5);
        assertThat(UserResolver.resolve("app:wheel", passwd, groups).gid()).isEqualTo(10);
        assertThat(UserResolver.resolve("app:wheel", passwd, groups).additionalGids()).containsExactly(10L);
        assertThat(UserResolver.resolve("1000", passwd, groups).additionalGids()).containsExactly(1000L, 10L);
        assertThat(UserResolver.resolve("1234", passwd, groups).additionalGids()).containsExactly(0L);
        assertThatThrownBy(() -> UserResolver.resolve("app:nogroup", passwd, groups))
                .hasMessage("unable to find group nogroup: no matching entries in group file");
    }

    @Test
    void devicesTmpfsOptionsAndASeccompProfileFromTheCli() {
        HostConfig host = HostConfig.DEFAULT
                .withDevices(List.of(new DeviceMapping("/dev/null", "/dev/mynull", "r"), new DeviceMapping("/dev/zero", "", "")))
                .withTmpfs(java.util.Map.of("/run", "rw,exec,size=64m,mode=1770", "/scratch", ""))
                // the CLI reads --security-opt seccomp=<file> and sends the file's content
                .withSecurity(false, List.of(), List.of(), List.of("seccomp={\"defaultAction\":\"SCMP_ACT_ALLOW\","
                        + "\"syscalls\":[{\"names\":[\"mkdir\"],\"action\":\"SCMP_ACT_ERRNO\"}]}"));
        Spec spec = builder.build(container(ContainerConfig.of("busybox", List.of("sh")), host), rootfs, dir);
        SpecValidator.validate(spec);
        assertThat(spec.linux().devices()).extracting(d -> d.path() + " " + d.type() + " " + d.major() + ":" + d.minor())
                .containsExactly("/dev/mynull c 1:3", "/dev/zero c 1:5");
        assertThat(spec.linux().resources().devices()).extracting(d -> d.allow() + " " + d.type() + " " + d.major() + ":" + d.minor()
                + " " + d.access()).containsExactly("false a null:null rwm", "true c 1:3 r", "true c 1:5 rwm");
        assertThat(spec.mounts()).filteredOn(m -> m.destination().equals("/run")).singleElement().satisfies(m -> {
            assertThat(m.type()).isEqualTo("tmpfs");
            assertThat(m.options()).containsExactly("nosuid", "nodev", "rprivate", "rw", "exec", "size=64m", "mode=1770");
        });
        assertThat(spec.mounts()).filteredOn(m -> m.destination().equals("/scratch")).singleElement()
                .satisfies(m -> assertThat(m.options()).containsExactly("noexec", "nosuid", "nodev", "rprivate"));
        assertThat(spec.linux().seccomp().defaultAction()).isEqualTo("SCMP_ACT_ALLOW");
        assertThat(spec.linux().seccomp().syscalls()).flatExtracting(x -> x.names()).containsExactly("mkdir");

        // docker's words for a device that is not there or not a device (at start, as dockerd)
        assertThatThrownBy(() -> builder.build(container(ContainerConfig.of("busybox", List.of("sh")),
                HostConfig.DEFAULT.withDevices(List.of(new DeviceMapping("/dev/nope", "", "")))), rootfs, dir))
                .hasMessage("error gathering device information while adding custom device \"/dev/nope\": no such file or directory");
        assertThatThrownBy(() -> builder.build(container(ContainerConfig.of("busybox", List.of("sh")),
                HostConfig.DEFAULT.withDevices(List.of(new DeviceMapping("/etc/passwd", "", "")))), rootfs, dir))
                .hasMessage("error gathering device information while adding custom device \"/etc/passwd\": not a device node");
        assertThatThrownBy(() -> new DeviceMapping("/dev/null", "/dev/x", "rwx")).hasMessage("bad mode specified: rwx");
        assertThatThrownBy(() -> new DeviceMapping("/dev/null", "relative", "")).hasMessage("relative is not an absolute path");
        assertThatThrownBy(() -> HostConfig.DEFAULT.withTmpfs(java.util.Map.of("run", ""))).hasMessageContaining("must be absolute");
    }

    @Test
    void shmSizeSysctlsGroupsOomScoreAndNames() throws Exception {
        HostConfig host = HostConfig.DEFAULT.withProcessSettings(128L << 20, java.util.Map.of("net.core.somaxconn", "1024",
                "kernel.shmmax", "1000000"), List.of("wheel", "4242"), -500)
                .withNames(new dev.berth.engine.container.NameResolution(List.of("db:10.0.0.5", "v6:fe80::1"),
                        List.of("127.0.0.53", "9.9.9.9"), List.of("example.com"), List.of("ndots:2")));
        Spec spec = builder.build(container(ContainerConfig.of("busybox", List.of("sh")), host), rootfs, dir);
        SpecValidator.validate(spec);
        assertThat(spec.mounts()).filteredOn(m -> m.destination().equals("/dev/shm")).singleElement()
                .satisfies(m -> assertThat(m.options()).contains("size=134217728"));
        assertThat(spec.linux().sysctl()).containsEntry("net.core.somaxconn", "1024").containsEntry("kernel.shmmax", "1000000")
                .containsEntry("net.ipv4.ip_unprivileged_port_start", "0");
        assertThat(spec.process().user().additionalGids()).containsExactly(0L, 10L, 4242L);
        assertThat(spec.process().oomScoreAdj()).isEqualTo(-500);
        assertThatThrownBy(() -> builder.build(container(ContainerConfig.of("busybox", List.of("sh")),
                HostConfig.DEFAULT.withProcessSettings(0, java.util.Map.of(), List.of("nogroup"), 0)), rootfs, dir))
                .hasMessage("Unable to find group nogroup: no matching entries in group file");
        assertThatThrownBy(() -> HostConfig.DEFAULT.withProcessSettings(0, java.util.Map.of("kernel.hostname", "x"), List.of(), 0))
                .hasMessage("sysctl 'kernel.hostname=x' is not allowed");
        assertThatThrownBy(() -> HostConfig.DEFAULT.withNetworkMode("host")
                .withProcessSettings(0, java.util.Map.of("net.core.somaxconn", "1"), List.of(), 0))
                .hasMessage("sysctl \"net.core.somaxconn\" not allowed in host network namespace");
        assertThatThrownBy(() -> HostConfig.DEFAULT.withProcessSettings(0, java.util.Map.of(), List.of(), 1001))
                .hasMessage("Invalid value 1001, range for oom score adj is [-1000, 1000]");
        assertThatThrownBy(() -> new dev.berth.engine.container.NameResolution(List.of("nocolon"), List.of(), List.of(), List.of()))
                .hasMessageContaining("bad format for add-host");

        Path etc = Files.createDirectories(tmp.resolve("hostetc"));
        Files.writeString(etc.resolve("resolv.conf"), "nameserver 127.0.0.53\nsearch lan\noptions edns0\n");
        EtcFiles.write(dir, "box", false, etc, host.names());
        assertThat(dir.resolve("hosts")).content().endsWith("ff02::2\tip6-allrouters\n10.0.0.5\tdb\nfe80::1\tv6\n");
        assertThat(dir.resolve("resolv.conf")).hasContent("nameserver 127.0.0.53\nnameserver 9.9.9.9\nsearch example.com\noptions ndots:2");
        EtcFiles.write(dir, "box", false, etc, dev.berth.engine.container.NameResolution.NONE);
        assertThat(dir.resolve("resolv.conf")).content().contains("search lan", "nameserver 8.8.8.8").doesNotContain("127.0.0.53");
    }
}
