package dev.berth.runtime.seccomp;

import dev.berth.oci.BerthException;
import dev.berth.oci.runtime.Seccomp;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Compiles an OCI {@code linux.seccomp} section (config-linux.md "Seccomp") into a classic BPF
 * seccomp filter (kernel Documentation/userspace-api/seccomp_filter.rst), with the semantics of
 * runc on libseccomp where the spec is silent:
 *
 * <ul>
 *   <li><b>Arches.</b> The filter covers the native arch plus {@code architectures}. A syscall
 *       from any other ABI gets SECCOMP_RET_KILL_PROCESS (libseccomp's bad-arch action kills).
 *       Arch names libseccomp knows but berth has no table for (mips, ppc, s390, arm, …) are
 *       left out without error; unknown names are an error.
 *   <li><b>x32.</b> x32 shares AUDIT_ARCH_X86_64; its numbers carry bit 0x40000000. Such a
 *       number never matches an x86_64 rule: it gets the x32 rules if SCMP_ARCH_X32 is listed,
 *       else the bad-arch kill, as libseccomp does. Exception: nr -1 (a tracer skipping a
 *       syscall) takes the x86_64 rules.
 *   <li><b>Names.</b> A name an arch does not have is skipped for that arch; a name no arch of
 *       the filter has is skipped and reported in {@link SeccompProgram#skippedSyscalls()}.
 *   <li><b>Rules of one syscall.</b> Rules whose action equals the default action are dropped
 *       (runc does; libseccomp refuses them). If an unconditional rule remains, the first one
 *       decides and the conditional rules of that syscall are moot (libseccomp lets an
 *       unconditional rule replace the argument tree). Otherwise the conditional rules are
 *       tried in spec order and the first whose conditions <em>all</em> hold decides (libseccomp
 *       merges rules into a tree; for the disjoint conditions real profiles use this is the
 *       same); if none holds, the default action. Conditions of one entry are ANDed, except
 *       when two of them test the same argument: then each is a rule of its own (ORed), as
 *       runc does (runc's seccomp.bats tests {@code args[0] == 100 || args[0] == 9001}).
 *   <li><b>Comparisons</b> are unsigned and 64-bit (high word, then low word). On 32-bit ABIs
 *       (x86, x32) only the low word is compared, as libseccomp does.
 *   <li><b>Newer syscalls.</b> When the default action denies (ERRNO, TRAP, KILL), numbers above
 *       the highest syscall the profile names on an arch return ENOSYS, as runc does, so a libc
 *       probing a syscall newer than the profile falls back instead of failing with EPERM.
 * </ul>
 */
public final class SeccompCompiler {
    private SeccompCompiler() {}

    /** Compiles {@code spec} for a host whose native syscall ABI is {@code nativeArch}. */
    public static SeccompProgram compile(Seccomp spec, Arch nativeArch) {
        if (spec.listenerMetadata() != null && !spec.listenerMetadata().isEmpty()
                && (spec.listenerPath() == null || spec.listenerPath().isEmpty())) {
            throw BerthException.invalid("linux.seccomp.listenerMetadata is set without linux.seccomp.listenerPath");
        }
        int defaultRet = SeccompActions.encode(spec.defaultAction(), spec.defaultErrnoRet(), "linux.seccomp.defaultAction");
        int flags = flags(spec.flags());
        List<SyscallRule> rules = new ArrayList<>(spec.syscalls().size());
        for (int i = 0; i < spec.syscalls().size(); i++) {
            rules.addAll(SyscallRule.expand(spec.syscalls().get(i), i));
        }
        Map<String, Boolean> resolved = new HashMap<>();
        List<ArchPlan> plans = new ArrayList<>();
        for (Arch arch : arches(nativeArch, spec.architectures())) {
            plans.add(ArchPlan.build(arch, rules, defaultRet, resolved));
        }
        BpfAssembler asm = FilterEmitter.emit(plans, defaultRet);
        if (asm.size() > Bpf.MAX_INSNS) {
            throw BerthException.invalid("linux.seccomp compiles to " + asm.size()
                    + " BPF instructions, more than the kernel's limit of " + Bpf.MAX_INSNS);
        }
        byte[] filter = asm.assemble();
        int count = filter.length / Bpf.INSN_BYTES;
        if (count > Bpf.MAX_INSNS) {
            throw BerthException.invalid("linux.seccomp compiles to " + count
                    + " BPF instructions, more than the kernel's limit of " + Bpf.MAX_INSNS);
        }
        List<String> skipped = resolved.entrySet().stream()
                .filter(e -> !e.getValue())
                .map(Map.Entry::getKey)
                .sorted()
                .toList();
        return new SeccompProgram(filter, count, flags, asm.returns(SeccompActions.RET_USER_NOTIF), skipped);
    }

    private static Set<Arch> arches(Arch nativeArch, List<String> names) {
        Set<Arch> arches = new LinkedHashSet<>();
        arches.add(nativeArch);
        for (String name : names) {
            Arch.fromScmpName(name).ifPresent(arches::add);
        }
        return arches;
    }

    private static int flags(List<String> names) {
        int flags = 0;
        for (String name : names) {
            flags |= switch (name) {
                case "SECCOMP_FILTER_FLAG_TSYNC" -> SeccompProgram.FLAG_TSYNC;
                case "SECCOMP_FILTER_FLAG_LOG" -> SeccompProgram.FLAG_LOG;
                case "SECCOMP_FILTER_FLAG_SPEC_ALLOW" -> SeccompProgram.FLAG_SPEC_ALLOW;
                case "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV", "SECCOMP_FILTER_FLAG_NEW_LISTENER",
                        "SECCOMP_FILTER_FLAG_TSYNC_ESRCH" ->
                    throw BerthException.unsupported("linux.seccomp.flags entry " + name + " is not supported by berth");
                default -> throw BerthException.invalid("linux.seccomp.flags entry \"" + name + "\" is unknown");
            };
        }
        return flags;
    }
}
