package dev.berth.runtime.seccomp;

import static dev.berth.runtime.seccomp.Specs.nr;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

/** Docker's default profile, translated for a container with Docker's default caps, compiled and run. */
class DockerDefaultProfileTest {
    static final Set<String> DEFAULT_CAPS = Set.of("CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER",
            "CAP_MKNOD", "CAP_NET_RAW", "CAP_SETGID", "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP",
            "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT", "CAP_KILL", "CAP_AUDIT_WRITE");

    private static final int ALLOW = 0x7fff0000;
    private static final int EPERM = 0x00050001;
    private static final int ENOSYS = 0x00050026;
    private static final int KILL_PROCESS = 0x80000000;
    private static final long CLONE_NEWUSER = 0x10000000L;
    private static final long FORK_FLAGS = 0x01200011L; // CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID | SIGCHLD

    private static SeccompProgram compile(Set<String> caps, String kernel) {
        return SeccompCompiler.compile(DockerProfile.defaultProfile(caps, Arch.X86_64, kernel), Arch.X86_64);
    }

    private static BpfInterpreter x86_64(Set<String> caps, String kernel) {
        return new BpfInterpreter(compile(caps, kernel).filter());
    }

    private static int run(BpfInterpreter bpf, String name, long... args) {
        return bpf.run(Arch.X86_64, nr(Arch.X86_64, name), args);
    }

    @Test
    void ordinarySyscallsAreAllowed() {
        var bpf = x86_64(DEFAULT_CAPS, "6.1.0-18-amd64");

        for (String name : new String[] {"read", "write", "openat", "execve", "exit_group", "futex", "mmap", "arch_prctl", "chroot"}) {
            assertThat(run(bpf, name)).as(name).isEqualTo(ALLOW);
        }
        assertThat(run(bpf, "clone", FORK_FLAGS)).isEqualTo(ALLOW);
    }

    @Test
    void privilegedSyscallsAreDeniedWithEperm() {
        var bpf = x86_64(DEFAULT_CAPS, "6.1.0-18-amd64");

        for (String name : new String[] {"unshare", "keyctl", "add_key", "mount", "umount2", "reboot", "kexec_load", "bpf",
                "setns", "init_module", "open_by_handle_at", "perf_event_open", "syslog"}) {
            assertThat(run(bpf, name)).as(name).isEqualTo(EPERM);
        }
        assertThat(run(bpf, "clone", FORK_FLAGS | CLONE_NEWUSER)).isEqualTo(EPERM);
        assertThat(run(bpf, "clone3")).as("clone3 looks unimplemented so libc falls back to clone").isEqualTo(ENOSYS);
    }

    @Test
    void ptraceDependsOnTheKernelVersion() {
        assertThat(run(x86_64(DEFAULT_CAPS, "6.1.0"), "ptrace")).isEqualTo(ALLOW);
        assertThat(run(x86_64(DEFAULT_CAPS, "4.8.0"), "ptrace")).isEqualTo(ALLOW);
        assertThat(run(x86_64(DEFAULT_CAPS, "4.4.0-generic"), "ptrace")).isEqualTo(EPERM);
    }

    @Test
    void personalityOnlyWithTheListedPersonas() {
        var bpf = x86_64(DEFAULT_CAPS, "6.1");

        assertThat(run(bpf, "personality", 0)).isEqualTo(ALLOW);
        assertThat(run(bpf, "personality", 8)).isEqualTo(ALLOW);
        assertThat(run(bpf, "personality", 0xffffffffL)).isEqualTo(ALLOW);
        assertThat(run(bpf, "personality", 0x123)).isEqualTo(EPERM);
        assertThat(run(bpf, "personality", 0xffffffff_ffffffffL)).isEqualTo(EPERM);
    }

    @Test
    void socketFamiliesBelowAndAboveVsock() {
        var bpf = x86_64(DEFAULT_CAPS, "6.1");

        assertThat(run(bpf, "socket", 2)).isEqualTo(ALLOW);
        assertThat(run(bpf, "socket", 39)).isEqualTo(ALLOW);
        assertThat(run(bpf, "socket", 40)).as("AF_VSOCK").isEqualTo(EPERM);
        assertThat(run(bpf, "socket", 38)).isEqualTo(EPERM);
        assertThat(run(bpf, "socket", 45)).isEqualTo(ALLOW);
    }

    @Test
    void sysAdminOpensNamespacesAndMounts() {
        var caps = new java.util.HashSet<>(DEFAULT_CAPS);
        caps.add("SYS_ADMIN");
        var bpf = x86_64(caps, "6.1");

        assertThat(run(bpf, "unshare")).isEqualTo(ALLOW);
        assertThat(run(bpf, "mount")).isEqualTo(ALLOW);
        assertThat(run(bpf, "clone", FORK_FLAGS | CLONE_NEWUSER)).isEqualTo(ALLOW);
        assertThat(run(bpf, "clone3")).isEqualTo(ALLOW);
        assertThat(run(bpf, "reboot")).isEqualTo(EPERM);
    }

    @Test
    void otherArchesAreKilledAndSubArchesFollowTheirOwnNumbers() {
        var bpf = x86_64(DEFAULT_CAPS, "6.1");

        assertThat(bpf.run(Arch.AARCH64, 221)).isEqualTo(KILL_PROCESS);
        assertThat(bpf.run(Arch.X86, nr(Arch.X86, "execve"))).isEqualTo(ALLOW);
        assertThat(bpf.run(Arch.X86, nr(Arch.X86, "read"))).isEqualTo(ALLOW);
        assertThat(bpf.run(Arch.X86, nr(Arch.X86, "socketcall"))).isEqualTo(ALLOW);
        assertThat(bpf.run(Arch.X86, nr(Arch.X86, "unshare"))).isEqualTo(EPERM);
        assertThat(bpf.run(Arch.X86, nr(Arch.X86, "personality"), 0x123)).isEqualTo(EPERM);
        assertThat(bpf.run(Arch.X32, nr(Arch.X32, "execve"))).isEqualTo(ALLOW);
        assertThat(bpf.run(Arch.X32, nr(Arch.X32, "mount"))).isEqualTo(EPERM);
    }

    @Test
    void fitsTheKernelLimitAndSkipsOnlyForeignNames() {
        var program = compile(DEFAULT_CAPS, "6.1");

        assertThat(program.instructionCount()).isLessThan(4096);
        assertThat(program.flags()).isZero();
        assertThat(program.usesNotify()).isFalse();
        assertThat(program.skippedSyscalls()).doesNotContain("read", "clone", "socket", "fchmodat2", "mseal");
    }

    @Test
    void aarch64HostGetsItsOwnNumbers() {
        var spec = DockerProfile.defaultProfile(DEFAULT_CAPS, Arch.AARCH64, "6.1");
        var bpf = new BpfInterpreter(SeccompCompiler.compile(spec, Arch.AARCH64).filter());

        assertThat(spec.architectures()).containsExactly("SCMP_ARCH_AARCH64", "SCMP_ARCH_ARM");
        assertThat(bpf.run(Arch.AARCH64, nr(Arch.AARCH64, "openat"))).isEqualTo(ALLOW);
        assertThat(bpf.run(Arch.AARCH64, nr(Arch.AARCH64, "clone"), FORK_FLAGS)).isEqualTo(ALLOW);
        assertThat(bpf.run(Arch.AARCH64, nr(Arch.AARCH64, "clone"), FORK_FLAGS | CLONE_NEWUSER)).isEqualTo(EPERM);
        assertThat(bpf.run(Arch.AARCH64, nr(Arch.AARCH64, "unshare"))).isEqualTo(EPERM);
        assertThat(bpf.run(Arch.X86_64, 59)).isEqualTo(KILL_PROCESS);
    }
}
