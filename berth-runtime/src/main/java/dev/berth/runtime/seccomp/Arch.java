package dev.berth.runtime.seccomp;

import dev.berth.oci.BerthException;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The syscall ABIs a berth seccomp filter can tell apart, by the value the kernel puts in
 * {@code seccomp_data.arch} (the AUDIT_ARCH_* constants of {@code linux/audit.h}) and by the
 * name libseccomp and the OCI spec give them (config-linux.md "Seccomp", {@code architectures}).
 *
 * <p>x32 is the odd one: it shares AUDIT_ARCH_X86_64 with x86_64 and is told apart only by bit
 * 30 ({@link #X32_SYSCALL_BIT}) of the syscall number.
 */
public enum Arch {
    X86_64("SCMP_ARCH_X86_64", 0xC000003E, "amd64", 64),
    X86("SCMP_ARCH_X86", 0x40000003, "386", 32),
    X32("SCMP_ARCH_X32", 0xC000003E, "x32", 32),
    AARCH64("SCMP_ARCH_AARCH64", 0xC00000B7, "arm64", 64);

    /** Set in every x32 syscall number (the kernel's __X32_SYSCALL_BIT). */
    public static final int X32_SYSCALL_BIT = 0x40000000;

    /**
     * Names libseccomp knows but berth has no syscall table for: a profile may list them (Docker's
     * archMap does, for every host), and they are left out of the filter, so their syscalls meet
     * the bad-arch action. SCMP_ARCH_ARM is here too: this host's headers carry no 32-bit arm table.
     */
    private static final Set<String> KNOWN_WITHOUT_TABLE = Set.of(
            "SCMP_ARCH_ARM", "SCMP_ARCH_MIPS", "SCMP_ARCH_MIPS64", "SCMP_ARCH_MIPS64N32",
            "SCMP_ARCH_MIPSEL", "SCMP_ARCH_MIPSEL64", "SCMP_ARCH_MIPSEL64N32", "SCMP_ARCH_PPC",
            "SCMP_ARCH_PPC64", "SCMP_ARCH_PPC64LE", "SCMP_ARCH_S390", "SCMP_ARCH_S390X",
            "SCMP_ARCH_PARISC", "SCMP_ARCH_PARISC64", "SCMP_ARCH_RISCV64", "SCMP_ARCH_LOONGARCH64",
            "SCMP_ARCH_M68K", "SCMP_ARCH_SH", "SCMP_ARCH_SHEB");

    private final String scmpName;
    private final int auditArch;
    private final String goArch;
    private final int argBits;

    Arch(String scmpName, int auditArch, String goArch, int argBits) {
        this.scmpName = scmpName;
        this.auditArch = auditArch;
        this.goArch = goArch;
        this.argBits = argBits;
    }

    /** The libseccomp / OCI name, e.g. {@code SCMP_ARCH_X86_64}. */
    public String scmpName() {
        return scmpName;
    }

    /** The value of {@code seccomp_data.arch} for syscalls of this ABI. */
    public int auditArch() {
        return auditArch;
    }

    /** Go's GOARCH spelling, which Docker profiles use in {@code includes.arches}. */
    public String goArch() {
        return goArch;
    }

    /**
     * Width of a syscall argument as libseccomp treats it: on 32-bit ABIs only the low word of
     * {@code seccomp_data.args[i]} is compared, against the low 32 bits of the rule's value.
     */
    int argBits() {
        return argBits;
    }

    /** This ABI's syscall names and numbers, loaded on first use. */
    public SyscallTable syscalls() {
        return SyscallTable.of(this);
    }

    /** The arch of this JVM's host, from {@code os.arch}. */
    public static Arch host() {
        return fromOsArch(System.getProperty("os.arch", ""));
    }

    static Arch fromOsArch(String osArch) {
        return switch (osArch.toLowerCase(Locale.ROOT)) {
            case "amd64", "x86_64" -> X86_64;
            case "aarch64", "arm64" -> AARCH64;
            default -> throw BerthException.unsupported("host architecture \"" + osArch + "\" has no seccomp support in berth");
        };
    }

    /**
     * Looks up an OCI {@code architectures} entry: empty for an arch libseccomp knows but berth
     * cannot filter (left out of the filter), an error for a name nobody knows.
     */
    public static Optional<Arch> fromScmpName(String name) {
        for (Arch arch : values()) {
            if (arch.scmpName.equals(name)) {
                return Optional.of(arch);
            }
        }
        if (KNOWN_WITHOUT_TABLE.contains(name)) {
            return Optional.empty();
        }
        throw BerthException.invalid("linux.seccomp.architectures entry \"" + name + "\" is unknown");
    }
}
