package dev.berth.runtime.seccomp;

import dev.berth.oci.BerthException;
import dev.berth.oci.runtime.Seccomp;
import java.util.ArrayList;
import java.util.List;

/**
 * One validated entry of {@code linux.seccomp.syscalls} (or one of the rules runc splits it
 * into): its names, the encoded return value and the argument conditions, all of which must hold.
 */
record SyscallRule(List<String> names, int ret, List<Condition> conditions) {

    /** {@code args[index] op value} (for MASKED_EQ: {@code (args[index] & value) == valueTwo}). */
    record Condition(int index, ArgOp op, long value, long valueTwo) {}

    boolean unconditional() {
        return conditions.isEmpty();
    }

    /**
     * The rules entry {@code position} stands for, as runc reads it: when two of its conditions
     * test the same argument, each condition is a rule of its own (they are ORed: {@code
     * args[0] == 100 || args[0] == 9001}); otherwise one rule with all of them (ANDed).
     */
    static List<SyscallRule> expand(Seccomp.Syscall syscall, int position) {
        SyscallRule rule = parse(syscall, position);
        boolean[] seen = new boolean[6];
        boolean sameArgument = false;
        for (Condition c : rule.conditions()) {
            sameArgument |= seen[c.index()];
            seen[c.index()] = true;
        }
        if (!sameArgument) {
            return List.of(rule);
        }
        List<SyscallRule> split = new ArrayList<>(rule.conditions().size());
        for (Condition c : rule.conditions()) {
            split.add(new SyscallRule(rule.names(), rule.ret(), List.of(c)));
        }
        return split;
    }

    /** Validates entry {@code position} of the spec's syscalls; messages name the field. */
    static SyscallRule parse(Seccomp.Syscall syscall, int position) {
        String field = "linux.seccomp.syscalls[" + position + "]";
        if (syscall.names().isEmpty()) {
            throw BerthException.invalid(field + ".names must hold at least one name");
        }
        for (String name : syscall.names()) {
            if (name == null || name.isEmpty()) {
                throw BerthException.invalid(field + ".names holds an empty name");
            }
        }
        int ret = SeccompActions.encode(syscall.action(), syscall.errnoRet(), field + ".action");
        List<Condition> conditions = new ArrayList<>(syscall.args().size());
        for (int i = 0; i < syscall.args().size(); i++) {
            Seccomp.Arg arg = syscall.args().get(i);
            String argField = field + ".args[" + i + "]";
            if (arg.index() < 0 || arg.index() > 5) {
                throw BerthException.invalid(argField + ".index must be within 0..5, got " + arg.index());
            }
            ArgOp op = ArgOp.parse(arg.op(), argField + ".op");
            conditions.add(new Condition(arg.index(), op, arg.value(), arg.valueTwo()));
        }
        return new SyscallRule(syscall.names(), ret, List.copyOf(conditions));
    }
}
