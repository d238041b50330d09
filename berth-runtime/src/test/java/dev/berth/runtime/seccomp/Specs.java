package dev.berth.runtime.seccomp;

import dev.berth.oci.runtime.Seccomp;
import java.util.Arrays;
import java.util.List;

/** Small builders for seccomp specs in tests. */
final class Specs {
    private Specs() {}

    static Seccomp spec(String defaultAction, List<Seccomp.Syscall> syscalls, String... architectures) {
        return new Seccomp(defaultAction, null, Arrays.asList(architectures), List.of(), null, null, syscalls);
    }

    static Seccomp.Syscall rule(String action, String... names) {
        return new Seccomp.Syscall(List.of(names), action, null, List.of());
    }

    static Seccomp.Syscall rule(String action, Integer errnoRet, List<Seccomp.Arg> args, String... names) {
        return new Seccomp.Syscall(List.of(names), action, errnoRet, args);
    }

    static Seccomp.Arg arg(int index, String op, long value) {
        return new Seccomp.Arg(index, value, 0, op);
    }

    static Seccomp.Arg masked(int index, long mask, long expected) {
        return new Seccomp.Arg(index, mask, expected, "SCMP_CMP_MASKED_EQ");
    }

    static int nr(Arch arch, String name) {
        return arch.syscalls().number(name).orElseThrow();
    }

    static BpfInterpreter filter(Seccomp spec) {
        return new BpfInterpreter(SeccompCompiler.compile(spec, Arch.X86_64).filter());
    }
}
