package dev.berth.runtime.linux;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.oci.json.Json;
import dev.berth.oci.runtime.Linux;
import dev.berth.oci.runtime.Seccomp;
import dev.berth.oci.runtime.Spec;
import dev.berth.oci.runtime.json.SpecJson;
import dev.berth.runtime.seccomp.Arch;
import dev.berth.runtime.seccomp.DockerProfile;
import dev.berth.runtime.testing.TestBundle;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** linux.seccomp loaded into a container's process, Docker's default profile and small ones. */
class SeccompContainerTest {
    @TempDir
    Path tmp;
    Harness h;

    @BeforeEach
    void setUp() {
        h = Harness.open(tmp, "seccomp");
    }

    @AfterEach
    void tearDown() {
        if (h != null) {
            h.close();
        }
    }

    /** Docker's default profile as dockerd makes it for a container with the bundle's capabilities. */
    private static void useDockerDefault(TestBundle b) {
        Spec spec = SpecJson.parse(Json.write(b.config()));
        Set<String> caps = new HashSet<>(spec.process().capabilities().bounding());
        Seccomp profile = DockerProfile.defaultProfile(caps, Arch.host(), System.getProperty("os.version"));
        useSeccomp(b, profile);
    }

    @SuppressWarnings("unchecked")
    static void useSeccomp(TestBundle b, Seccomp seccomp) {
        Spec spec = SpecJson.parse(Json.write(b.config()));
        Linux l = spec.linux();
        Linux withSeccomp = new Linux(l.namespaces(), l.uidMappings(), l.gidMappings(), l.devices(), l.cgroupsPath(),
                l.resources(), l.rootfsPropagation(), seccomp, l.sysctl(), l.maskedPaths(), l.readonlyPaths(),
                l.mountLabel(), l.personality());
        Spec written = new Spec(spec.ociVersion(), spec.process(), spec.root(), spec.hostname(), spec.domainname(),
                spec.mounts(), spec.hooks(), spec.annotations(), withSeccomp);
        Map<String, Object> tree = (Map<String, Object>) Json.parse(SpecJson.write(written));
        Object section = ((Map<String, Object>) tree.get("linux")).get("seccomp");
        b.edit(c -> b.linux().put("seccomp", section));
    }

    @Test
    void dockersDefaultProfileConfinesButLetsProgramsRun() {
        TestBundle b = h.bundle("sh", "-c", "grep Seccomp: /proc/self/status > /out/mode;"
                + " unshare -n true 2> /out/unshare; echo $? > /out/unshare-rc;"
                + " ls / > /out/ls && cat /out/ls > /out/cat && echo ok > /out/ok");
        useDockerDefault(b);
        assertThat(h.run()).isZero();
        assertThat(b.read("mode").split("\\s+")[1]).isEqualTo("2");
        assertThat(b.read("unshare-rc").trim()).isNotEqualTo("0");
        assertThat(b.read("unshare")).contains("Operation not permitted");
        assertThat(b.read("cat")).contains("bin", "proc");
        assertThat(b.read("ok").trim()).isEqualTo("ok");
    }

    @Test
    void withoutNoNewPrivilegesTheFilterIsLoadedBeforeTheCapabilityDrop() {
        TestBundle b = h.bundle("sh", "-c", "grep -E 'Seccomp:|NoNewPrivs:' /proc/self/status > /out/status");
        b.edit(c -> b.process().put("noNewPrivileges", false));
        useDockerDefault(b);
        assertThat(h.run()).isZero();
        assertThat(b.read("status")).containsPattern("NoNewPrivs:\\s+0").containsPattern("Seccomp:\\s+2");
    }

    /** An allow list: everything else fails with EPERM. */
    private static Seccomp allowOnly(List<String> names) {
        return new Seccomp("SCMP_ACT_ERRNO", null, List.of(), List.of(), null, null,
                List.of(new Seccomp.Syscall(names, "SCMP_ACT_ALLOW", null, List.of())));
    }

    /** What busybox and berth-init's last steps (close_range, execve) need, and no mkdir. */
    static final List<String> FEW = List.of("execve", "close_range", "brk", "arch_prctl", "set_tid_address",
            "set_robust_list", "rseq", "prlimit64", "mmap", "munmap", "mprotect", "getuid", "geteuid", "getgid",
            "getegid", "getpid", "getppid", "exit", "exit_group", "write", "writev", "read", "close", "fstat",
            "newfstatat", "ioctl", "rt_sigaction", "rt_sigprocmask", "rt_sigreturn", "getrandom", "uname",
            "readlink", "readlinkat", "openat", "open", "fcntl", "access", "faccessat", "faccessat2", "lseek");

    @Test
    void anAllowListRunsWhatItAllows() {
        TestBundle b = h.bundle("/bin/busybox", "true");
        useSeccomp(b, allowOnly(FEW));
        assertThat(h.run()).isZero();
    }

    @Test
    @SuppressWarnings("unchecked")
    void anAllowListRefusesTheRestWithEperm() {
        TestBundle b = h.bundle("/bin/busybox", "mkdir", "/tmp/refused");
        b.edit(c -> ((Map<String, Object>) c.get("root")).put("readonly", false));
        useSeccomp(b, allowOnly(FEW));
        assertThat(h.run()).isEqualTo(1);
        assertThat(b.rootfs().resolve("tmp/refused")).doesNotExist();
    }

    @Test
    @SuppressWarnings("unchecked")
    void killActionKillsTheProcess() {
        TestBundle b = h.bundle("/bin/busybox", "mkdir", "/tmp/killed");
        b.edit(c -> ((Map<String, Object>) c.get("root")).put("readonly", false));
        useSeccomp(b, new Seccomp("SCMP_ACT_ALLOW", null, List.of(), List.of(), null, null,
                List.of(new Seccomp.Syscall(List.of("mkdir", "mkdirat"), "SCMP_ACT_KILL", null, List.of()))));
        assertThat(h.run()).isEqualTo(128 + 31);
        assertThat(b.rootfs().resolve("tmp/killed")).doesNotExist();
    }
}
