package dev.berth.runtime.seccomp;

import static dev.berth.runtime.seccomp.Specs.arg;
import static dev.berth.runtime.seccomp.Specs.filter;
import static dev.berth.runtime.seccomp.Specs.nr;
import static dev.berth.runtime.seccomp.Specs.rule;
import static dev.berth.runtime.seccomp.Specs.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.oci.BerthException;
import dev.berth.oci.runtime.Seccomp;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SeccompCompilerTest {
    private static final int ALLOW = 0x7fff0000;
    private static final int EPERM = 0x00050001;
    private static final int ENOSYS = 0x00050026;
    private static final int KILL_PROCESS = 0x80000000;

    @ParameterizedTest
    @CsvSource({
        "SCMP_ACT_KILL,,0x00000000",
        "SCMP_ACT_KILL_THREAD,,0x00000000",
        "SCMP_ACT_KILL_PROCESS,,0x80000000",
        "SCMP_ACT_TRAP,,0x00030000",
        "SCMP_ACT_ERRNO,,0x00050001",
        "SCMP_ACT_ERRNO,13,0x0005000d",
        "SCMP_ACT_ERRNO,0,0x00050000",
        "SCMP_ACT_TRACE,,0x7ff00001",
        "SCMP_ACT_TRACE,7,0x7ff00007",
        "SCMP_ACT_LOG,,0x7ffc0000",
        "SCMP_ACT_NOTIFY,,0x7fc00000",
    })
    void everyActionReturnsItsKernelValue(String action, Integer errnoRet, String expected) {
        var spec = spec("SCMP_ACT_ALLOW", List.of(rule(action, errnoRet, List.of(), "getpid")));
        var program = SeccompCompiler.compile(spec, Arch.X86_64);
        var bpf = new BpfInterpreter(program.filter());

        assertThat(bpf.run(Arch.X86_64, nr(Arch.X86_64, "getpid"))).isEqualTo(Integer.parseUnsignedInt(expected.substring(2), 16));
        assertThat(bpf.run(Arch.X86_64, nr(Arch.X86_64, "getppid"))).isEqualTo(ALLOW);
        assertThat(program.usesNotify()).isEqualTo(action.equals("SCMP_ACT_NOTIFY"));
        assertThat(program.instructionCount()).isEqualTo(program.filter().length / 8);
    }

    @Test
    void allowRuleUnderDenyingDefault() {
        var bpf = filter(spec("SCMP_ACT_ERRNO", List.of(rule("SCMP_ACT_ALLOW", "read", "write", "getpid"))));

        assertThat(bpf.run(Arch.X86_64, 0)).isEqualTo(ALLOW);
        assertThat(bpf.run(Arch.X86_64, 1)).isEqualTo(ALLOW);
        assertThat(bpf.run(Arch.X86_64, 39)).isEqualTo(ALLOW);
        assertThat(bpf.run(Arch.X86_64, 2)).isEqualTo(EPERM);
        assertThat(bpf.run(Arch.X86_64, 38)).isEqualTo(EPERM);
    }

    @Test
    void defaultErrnoRetAppliesToTheDefaultAction() {
        var spec = new Seccomp("SCMP_ACT_ERRNO", 13, List.of(), List.of(), null, null, List.of(rule("SCMP_ACT_ALLOW", "getpid")));
        var bpf = filter(spec);

        assertThat(bpf.run(Arch.X86_64, nr(Arch.X86_64, "read"))).isEqualTo(0x0005000d);
        assertThat(bpf.run(Arch.X86_64, nr(Arch.X86_64, "getpid"))).isEqualTo(ALLOW);
    }

    @Test
    void numbersAboveTheHighestNamedSyscallAreUnimplementedUnderADenyingDefault() {
        var bpf = filter(spec("SCMP_ACT_ERRNO", List.of(rule("SCMP_ACT_ALLOW", "read", "getpid"))));

        assertThat(bpf.run(Arch.X86_64, 39)).isEqualTo(ALLOW);
        assertThat(bpf.run(Arch.X86_64, 20)).isEqualTo(EPERM);
        assertThat(bpf.run(Arch.X86_64, 40)).isEqualTo(ENOSYS);
        assertThat(bpf.run(Arch.X86_64, 100_000)).isEqualTo(ENOSYS);
    }

    @Test
    void noEnosysStubUnderAnAllowingDefault() {
        var bpf = filter(spec("SCMP_ACT_ALLOW", List.of(rule("SCMP_ACT_ERRNO", "read"))));

        assertThat(bpf.run(Arch.X86_64, 0)).isEqualTo(EPERM);
        assertThat(bpf.run(Arch.X86_64, 400)).isEqualTo(ALLOW);
    }

    @Test
    void syscallOfAnotherArchIsKilled() {
        var bpf = filter(spec("SCMP_ACT_ALLOW", List.of()));

        assertThat(bpf.run(Arch.X86_64, 0)).isEqualTo(ALLOW);
        assertThat(bpf.run(Arch.X86, 0)).isEqualTo(KILL_PROCESS);
        assertThat(bpf.run(Arch.AARCH64, 0)).isEqualTo(KILL_PROCESS);
        assertThat(bpf.run(new BpfInterpreter.Data(0x12345678, 0, 0))).isEqualTo(KILL_PROCESS);
    }

    @Test
    void listedArchesGetTheRulesByTheirOwnNumbers() {
        var bpf = filter(spec("SCMP_ACT_ERRNO", List.of(rule("SCMP_ACT_ALLOW", "execve", "socketcall")),
                "SCMP_ARCH_X86", "SCMP_ARCH_AARCH64"));

        assertThat(bpf.run(Arch.X86_64, 59)).isEqualTo(ALLOW);
        assertThat(bpf.run(Arch.X86, 11)).isEqualTo(ALLOW);
        assertThat(bpf.run(Arch.X86, 102)).as("socketcall exists on i386 only").isEqualTo(ALLOW);
        assertThat(bpf.run(Arch.AARCH64, 221)).isEqualTo(ALLOW);
        assertThat(bpf.run(Arch.X86, 59)).isEqualTo(EPERM);
        assertThat(bpf.run(Arch.AARCH64, 59)).isEqualTo(EPERM);
    }

    @Test
    void x32CallsDoNotMatchX86_64RulesAndAreKilledUnlessX32IsListed() {
        var rules = List.of(rule("SCMP_ACT_ALLOW", "getpid", "execve"));
        int x32Getpid = Arch.X32_SYSCALL_BIT | 39;
        int x32Execve = Arch.X32_SYSCALL_BIT | 520;

        var without = filter(spec("SCMP_ACT_ERRNO", rules));
        assertThat(without.run(Arch.X86_64, 39)).isEqualTo(ALLOW);
        assertThat(without.run(Arch.X86_64, x32Getpid)).isEqualTo(KILL_PROCESS);
        assertThat(without.run(Arch.X86_64, -1)).as("nr -1 is a skipped syscall, not x32").isEqualTo(ENOSYS);

        var with = filter(spec("SCMP_ACT_ERRNO", rules, "SCMP_ARCH_X32"));
        assertThat(with.run(Arch.X86_64, 39)).isEqualTo(ALLOW);
        assertThat(with.run(Arch.X32, x32Getpid)).isEqualTo(ALLOW);
        assertThat(with.run(Arch.X32, x32Execve)).isEqualTo(ALLOW);
        assertThat(with.run(Arch.X32, Arch.X32_SYSCALL_BIT | 59)).as("59 is not execve on x32").isEqualTo(EPERM);
        assertThat(with.run(Arch.X32, Arch.X32_SYSCALL_BIT | 40)).isEqualTo(EPERM);
    }

    @Test
    void x86_64CallsAreKilledWhenOnlyX32IsFiltered() {
        var bpf = new BpfInterpreter(SeccompCompiler.compile(spec("SCMP_ACT_ALLOW", List.of()), Arch.X32).filter());

        assertThat(bpf.run(Arch.X32, Arch.X32_SYSCALL_BIT | 39)).isEqualTo(ALLOW);
        assertThat(bpf.run(Arch.X86_64, 39)).isEqualTo(KILL_PROCESS);
    }

    @Test
    void archesWithoutTablesAreLeftOut() {
        var bpf = filter(spec("SCMP_ACT_ALLOW", List.of(), "SCMP_ARCH_MIPS", "SCMP_ARCH_S390X", "SCMP_ARCH_ARM"));

        assertThat(bpf.run(Arch.X86_64, 0)).isEqualTo(ALLOW);
        assertThat(bpf.run(new BpfInterpreter.Data(0x40000028, 0, 0))).as("arm").isEqualTo(KILL_PROCESS);
    }

    @Test
    void namesUnknownOnEveryArchAreSkippedAndReported() {
        var spec = spec("SCMP_ACT_ERRNO", List.of(
                rule("SCMP_ACT_ALLOW", "read", "no_such_syscall", "socketcall", "arch_prctl"),
                rule("SCMP_ACT_NOTIFY", "another_missing_one")), "SCMP_ARCH_X86");
        var program = SeccompCompiler.compile(spec, Arch.X86_64);

        assertThat(program.skippedSyscalls()).containsExactly("another_missing_one", "no_such_syscall");
        assertThat(program.usesNotify()).as("the only notify rule names an unknown syscall").isFalse();
        assertThat(new BpfInterpreter(program.filter()).run(Arch.X86_64, 0)).isEqualTo(ALLOW);
    }

    @Test
    void conditionsOnDifferentArgumentsMustAllHold() {
        var bpf = filter(spec("SCMP_ACT_ALLOW", List.of(rule("SCMP_ACT_ERRNO", null,
                List.of(arg(0, "SCMP_CMP_EQ", 1), arg(1, "SCMP_CMP_GT", 10), arg(2, "SCMP_CMP_LT", 20)), "getpid"))));

        assertThat(bpf.run(Arch.X86_64, 39, 1, 15, 15)).isEqualTo(EPERM);
        assertThat(bpf.run(Arch.X86_64, 39, 1, 10, 15)).isEqualTo(ALLOW);
        assertThat(bpf.run(Arch.X86_64, 39, 1, 15, 20)).isEqualTo(ALLOW);
        assertThat(bpf.run(Arch.X86_64, 39, 2, 15, 15)).isEqualTo(ALLOW);
    }

    @Test
    void firstMatchingConditionalRuleWins() {
        var bpf = filter(spec("SCMP_ACT_ALLOW", List.of(
                rule("SCMP_ACT_ERRNO", 5, List.of(arg(0, "SCMP_CMP_LT", 10)), "getpid"),
                rule("SCMP_ACT_ERRNO", 6, List.of(arg(0, "SCMP_CMP_LT", 100)), "getpid"))));

        assertThat(bpf.run(Arch.X86_64, 39, 3)).isEqualTo(0x00050005);
        assertThat(bpf.run(Arch.X86_64, 39, 50)).isEqualTo(0x00050006);
        assertThat(bpf.run(Arch.X86_64, 39, 500)).isEqualTo(ALLOW);
    }

    @Test
    void unconditionalRuleOverridesConditionalOnesForTheSameSyscall() {
        var bpf = filter(spec("SCMP_ACT_ALLOW", List.of(
                rule("SCMP_ACT_ERRNO", 5, List.of(arg(0, "SCMP_CMP_EQ", 1)), "getpid"),
                rule("SCMP_ACT_TRAP", "getpid"))));

        assertThat(bpf.run(Arch.X86_64, 39, 1)).isEqualTo(0x00030000);
        assertThat(bpf.run(Arch.X86_64, 39, 2)).isEqualTo(0x00030000);
    }

    @Test
    void rulesWithTheDefaultActionAreDropped() {
        var bpf = filter(spec("SCMP_ACT_ERRNO", List.of(
                rule("SCMP_ACT_ERRNO", null, List.of(arg(0, "SCMP_CMP_EQ", 0x123)), "personality"),
                rule("SCMP_ACT_ALLOW", "personality"))));

        assertThat(bpf.run(Arch.X86_64, nr(Arch.X86_64, "personality"), 0x123)).isEqualTo(ALLOW);
    }

    @Test
    void flagsAreOred() {
        var spec = new Seccomp("SCMP_ACT_ALLOW", null, List.of(),
                List.of("SECCOMP_FILTER_FLAG_TSYNC", "SECCOMP_FILTER_FLAG_LOG", "SECCOMP_FILTER_FLAG_SPEC_ALLOW"), null, null, List.of());

        assertThat(SeccompCompiler.compile(spec, Arch.X86_64).flags()).isEqualTo(7);
    }

    @Test
    void longJumpsGoThroughTrampolines() {
        // one conditional rule per syscall makes the binary search and the arch dispatch
        // span far more than 255 instructions
        List<Seccomp.Syscall> rules = new ArrayList<>();
        List<String> names = Arch.X86_64.syscalls().all().keySet().stream().sorted().toList();
        for (String name : names) {
            rules.add(rule("SCMP_ACT_ALLOW", null, List.of(arg(0, "SCMP_CMP_EQ", name.length())), name));
        }
        assertThat(rules).hasSizeGreaterThan(300);
        var program = SeccompCompiler.compile(spec("SCMP_ACT_ERRNO", rules), Arch.X86_64);
        var bpf = new BpfInterpreter(program.filter());

        assertThat(program.instructionCount()).isGreaterThan(1000);
        assertThat(jumpAlwaysCount(program.filter())).isPositive();
        for (String name : names) {
            int nr = nr(Arch.X86_64, name);
            assertThat(bpf.run(Arch.X86_64, nr, name.length())).as(name).isEqualTo(ALLOW);
            assertThat(bpf.run(Arch.X86_64, nr, name.length() + 1L)).as(name).isEqualTo(EPERM);
            assertThat(bpf.run(Arch.X86_64, nr, name.length() | 1L << 32)).as(name).isEqualTo(EPERM);
        }
    }

    @Test
    void archDispatchJumpsOverALargeBlock() {
        // alternating actions keep every syscall number its own range: a block of ~800 instructions
        List<Seccomp.Syscall> rules = new ArrayList<>();
        Arch.X86_64.syscalls().all().forEach((name, nr) ->
                rules.add(rule(nr % 2 == 0 ? "SCMP_ACT_ALLOW" : "SCMP_ACT_LOG", name)));
        var program = SeccompCompiler.compile(spec("SCMP_ACT_ERRNO", rules, "SCMP_ARCH_X86"), Arch.X86_64);
        var bpf = new BpfInterpreter(program.filter());

        assertThat(program.instructionCount()).isGreaterThan(1000);
        Arch.X86_64.syscalls().all().forEach((name, nr) ->
                assertThat(bpf.run(Arch.X86_64, nr)).as(name).isEqualTo(nr % 2 == 0 ? ALLOW : 0x7ffc0000));
        Arch.X86.syscalls().all().forEach((name, nr) -> {
            Integer x86_64Nr = Arch.X86_64.syscalls().all().get(name);
            int expected = x86_64Nr == null ? EPERM : x86_64Nr % 2 == 0 ? ALLOW : 0x7ffc0000;
            assertThat(bpf.run(Arch.X86, nr)).as(name).isEqualTo(expected);
        });
    }

    @Test
    void moreThan4096InstructionsIsAnError() {
        List<Seccomp.Syscall> rules = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            rules.add(rule("SCMP_ACT_ALLOW", null, List.of(arg(0, "SCMP_CMP_EQ", i)), "getpid"));
        }
        assertThatThrownBy(() -> SeccompCompiler.compile(spec("SCMP_ACT_ERRNO", rules), Arch.X86_64))
                .isInstanceOf(BerthException.class)
                .hasMessageContaining("4096")
                .hasMessageStartingWith("linux.seccomp compiles to ");
    }

    @Test
    void justUnder4096InstructionsCompiles() {
        List<Seccomp.Syscall> rules = new ArrayList<>();
        for (int i = 0; i < 800; i++) {
            rules.add(rule("SCMP_ACT_ALLOW", null, List.of(arg(0, "SCMP_CMP_EQ", i)), "getpid"));
        }
        var program = SeccompCompiler.compile(spec("SCMP_ACT_ERRNO", rules), Arch.X86_64);
        var bpf = new BpfInterpreter(program.filter());

        assertThat(program.instructionCount()).isBetween(4000, 4096);
        assertThat(bpf.run(Arch.X86_64, 39, 799)).isEqualTo(ALLOW);
        assertThat(bpf.run(Arch.X86_64, 39, 800)).isEqualTo(EPERM);
    }

    private static int jumpAlwaysCount(byte[] filter) {
        int count = 0;
        for (int i = 0; i < filter.length; i += 8) {
            if ((filter[i] & 0xff) == (Bpf.JMP | Bpf.JA) && filter[i + 1] == 0) {
                count++;
            }
        }
        return count;
    }
}
