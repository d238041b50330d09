package dev.berth.oci.runtime;

import java.util.List;

/**
 * The seccomp vocabulary of linux.seccomp (config-linux.md "Seccomp"), shared by the validator
 * and {@code features} so that what berth advertises is exactly what it accepts.
 */
public final class SeccompNames {
    /** Actions berth compiles, sorted as runc's {@code features} prints them. */
    public static final List<String> ACTIONS = List.of(
            "SCMP_ACT_ALLOW", "SCMP_ACT_ERRNO", "SCMP_ACT_KILL", "SCMP_ACT_KILL_PROCESS",
            "SCMP_ACT_KILL_THREAD", "SCMP_ACT_LOG", "SCMP_ACT_NOTIFY", "SCMP_ACT_TRACE", "SCMP_ACT_TRAP");

    /** Actions that return an errno, the only ones that may carry errnoRet (config-linux.md). */
    public static final List<String> ACTIONS_WITH_ERRNO = List.of("SCMP_ACT_ERRNO", "SCMP_ACT_TRACE");

    /** Argument comparison operators, sorted. */
    public static final List<String> OPERATORS = List.of(
            "SCMP_CMP_EQ", "SCMP_CMP_GE", "SCMP_CMP_GT", "SCMP_CMP_LE", "SCMP_CMP_LT",
            "SCMP_CMP_MASKED_EQ", "SCMP_CMP_NE");

    /**
     * Every architecture name libseccomp (and so the spec) defines. A config may list any of
     * them: Docker's default profile names the native architecture's companions, and on a host
     * those other names simply never match.
     */
    public static final List<String> KNOWN_ARCHS = List.of(
            "SCMP_ARCH_X86", "SCMP_ARCH_X86_64", "SCMP_ARCH_X32", "SCMP_ARCH_ARM", "SCMP_ARCH_AARCH64",
            "SCMP_ARCH_MIPS", "SCMP_ARCH_MIPS64", "SCMP_ARCH_MIPS64N32", "SCMP_ARCH_MIPSEL",
            "SCMP_ARCH_MIPSEL64", "SCMP_ARCH_MIPSEL64N32", "SCMP_ARCH_PPC", "SCMP_ARCH_PPC64",
            "SCMP_ARCH_PPC64LE", "SCMP_ARCH_S390", "SCMP_ARCH_S390X", "SCMP_ARCH_PARISC",
            "SCMP_ARCH_PARISC64", "SCMP_ARCH_RISCV64", "SCMP_ARCH_LOONGARCH64", "SCMP_ARCH_M68K",
            "SCMP_ARCH_SH", "SCMP_ARCH_SHEB");

    /** Architectures berth's seccomp compiler emits filters for, sorted. */
    public static final List<String> SUPPORTED_ARCHS = List.of(
            "SCMP_ARCH_AARCH64", "SCMP_ARCH_X32", "SCMP_ARCH_X86", "SCMP_ARCH_X86_64");

    /** seccomp(2) filter flags the spec names. */
    public static final List<String> FLAGS = List.of(
            "SECCOMP_FILTER_FLAG_TSYNC", "SECCOMP_FILTER_FLAG_LOG", "SECCOMP_FILTER_FLAG_SPEC_ALLOW",
            "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV");

    private SeccompNames() {}
}
