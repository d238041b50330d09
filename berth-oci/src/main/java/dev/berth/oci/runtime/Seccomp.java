package dev.berth.oci.runtime;

import java.util.List;

/** linux.seccomp (config-linux.md "Seccomp"). */
public record Seccomp(
        String defaultAction,
        Integer defaultErrnoRet,
        List<String> architectures,
        List<String> flags,
        String listenerPath,
        String listenerMetadata,
        List<Syscall> syscalls) {
    public Seccomp {
        architectures = List.copyOf(architectures == null ? List.of() : architectures);
        flags = List.copyOf(flags == null ? List.of() : flags);
        syscalls = List.copyOf(syscalls == null ? List.of() : syscalls);
    }

    /** A rule: these syscall names get this action when all args conditions hold. */
    public record Syscall(List<String> names, String action, Integer errnoRet, List<Arg> args) {
        public Syscall {
            names = List.copyOf(names == null ? List.of() : names);
            args = List.copyOf(args == null ? List.of() : args);
        }
    }

    /** An argument condition; value and valueTwo are unsigned 64-bit held in a long. op is SCMP_CMP_*. */
    public record Arg(int index, long value, long valueTwo, String op) {}
}
