package dev.berth.runtime.seccomp;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What the filter does with each syscall number of one {@link Arch}: the rules resolved to
 * numbers and combined by the semantics documented in {@link SeccompCompiler}.
 *
 * @param outcomes syscall number → outcome, only for numbers that differ from the default
 * @param highestNamed the highest number any rule names (before dropping no-op rules), or -1
 */
record ArchPlan(Arch arch, SortedMap<Integer, Outcome> outcomes, int highestNamed) {

    /** What one syscall number gets. */
    sealed interface Outcome {}

    /** Always return this value. */
    record Return(int ret) implements Outcome {}

    /** Try the rules in order (first whose conditions all hold returns its value), else fallback. */
    record Chain(List<SyscallRule> rules, int fallback) implements Outcome {}

    /**
     * Resolves {@code rules} on {@code arch}; names this arch lacks are left out and recorded
     * in {@code resolved} as false unless another arch knows them.
     */
    static ArchPlan build(Arch arch, List<SyscallRule> rules, int defaultRet, Map<String, Boolean> resolved) {
        SyscallTable table = arch.syscalls();
        Map<Integer, List<SyscallRule>> byNumber = new LinkedHashMap<>();
        int highest = -1;
        for (SyscallRule rule : rules) {
            for (String name : rule.names()) {
                var nr = table.number(name);
                resolved.merge(name, nr.isPresent(), Boolean::logicalOr);
                if (nr.isEmpty()) {
                    continue;
                }
                highest = Math.max(highest, nr.getAsInt());
                List<SyscallRule> forNumber = byNumber.computeIfAbsent(nr.getAsInt(), n -> new ArrayList<>());
                if (!forNumber.contains(rule)) {
                    forNumber.add(rule);
                }
            }
        }
        SortedMap<Integer, Outcome> outcomes = new TreeMap<>();
        byNumber.forEach((nr, forNumber) -> {
            Outcome outcome = combine(forNumber, defaultRet);
            if (outcome != null) {
                outcomes.put(nr, outcome);
            }
        });
        return new ArchPlan(arch, outcomes, highest);
    }

    /** Null when the syscall ends up with the default action. */
    private static Outcome combine(List<SyscallRule> rules, int defaultRet) {
        // runc skips rules whose action is the default one (libseccomp refuses them)
        List<SyscallRule> effective = rules.stream().filter(r -> r.ret() != defaultRet).toList();
        if (effective.isEmpty()) {
            return null;
        }
        // as libseccomp: an unconditional rule makes the conditional ones for that syscall moot
        for (SyscallRule rule : effective) {
            if (rule.unconditional()) {
                return new Return(rule.ret());
            }
        }
        return new Chain(effective, defaultRet);
    }
}
