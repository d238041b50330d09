package dev.berth.runtime.seccomp;

import dev.berth.runtime.seccomp.ArchPlan.Chain;
import dev.berth.runtime.seccomp.ArchPlan.Outcome;
import dev.berth.runtime.seccomp.ArchPlan.Return;
import dev.berth.runtime.seccomp.BpfAssembler.Label;
import dev.berth.runtime.seccomp.SyscallRule.Condition;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns per-arch plans into BPF:
 *
 * <pre>
 *   A = arch; one jeq per AUDIT_ARCH value; else return bad-arch (KILL_PROCESS)
 *   per arch: A = nr
 *     [x86_64 value only] nr has the x32 bit → x32 plan, else x86_64 plan (a missing one is bad arch)
 *     [deny defaults] nr above the highest named syscall → ERRNO(ENOSYS), as runc does
 *     binary search over ranges of syscall numbers → return, or the rule chain of one syscall
 * </pre>
 */
final class FilterEmitter {
    private static final long U32_END = 1L << 32;

    private final BpfAssembler asm = new BpfAssembler();
    private final int defaultRet;
    private final boolean enosysAboveHighest;
    /** Argument width of the arch whose plan is being emitted. */
    private int argBits;

    private FilterEmitter(int defaultRet) {
        this.defaultRet = defaultRet;
        int action = defaultRet & 0xffff0000;
        // a deny default: unknown (newer) syscalls should look unimplemented so libc falls back
        this.enosysAboveHighest = defaultRet != (SeccompActions.RET_ERRNO | SeccompActions.ENOSYS)
                && (action == SeccompActions.RET_ERRNO || action == SeccompActions.RET_TRAP
                        || defaultRet == SeccompActions.RET_KILL_THREAD
                        || defaultRet == SeccompActions.RET_KILL_PROCESS);
    }

    /** Emits the filter for the plans (in the order given, native first) into a fresh assembler. */
    static BpfAssembler emit(List<ArchPlan> plans, int defaultRet) {
        FilterEmitter emitter = new FilterEmitter(defaultRet);
        emitter.program(plans);
        return emitter.asm;
    }

    private void program(List<ArchPlan> plans) {
        Map<Integer, List<ArchPlan>> byAuditArch = new LinkedHashMap<>();
        for (ArchPlan plan : plans) {
            byAuditArch.computeIfAbsent(plan.arch().auditArch(), a -> new ArrayList<>()).add(plan);
        }
        asm.load(Bpf.OFFSET_ARCH);
        Map<Integer, Label> blocks = new LinkedHashMap<>();
        for (int auditArch : byAuditArch.keySet()) {
            Label block = asm.label();
            Label next = asm.label();
            asm.jump(Bpf.JEQ, auditArch, block, next);
            asm.bind(next);
            blocks.put(auditArch, block);
        }
        asm.ret(SeccompActions.RET_KILL_PROCESS);
        byAuditArch.forEach((auditArch, samePlans) -> {
            asm.bind(blocks.get(auditArch));
            asm.load(Bpf.OFFSET_NR);
            if (auditArch == Arch.X86_64.auditArch()) {
                x86_64Block(find(samePlans, Arch.X86_64), find(samePlans, Arch.X32));
            } else {
                plan(samePlans.getFirst());
            }
        });
    }

    private static ArchPlan find(List<ArchPlan> plans, Arch arch) {
        return plans.stream().filter(p -> p.arch() == arch).findFirst().orElse(null);
    }

    /** x86_64 and x32 share AUDIT_ARCH_X86_64; bit 30 of nr tells them apart. */
    private void x86_64Block(ArchPlan x86_64, ArchPlan x32) {
        Label x32Side = asm.label();
        Label x86_64Side = asm.label();
        if (x32 == null) {
            // -1 is what a tracer writes to skip a syscall, not an x32 call: give it the x86_64 rules
            Label notSkipped = asm.label();
            asm.jump(Bpf.JEQ, -1, x86_64Side, notSkipped);
            asm.bind(notSkipped);
        }
        asm.jump(Bpf.JGE, Arch.X32_SYSCALL_BIT, x32Side, x86_64Side);
        asm.bind(x86_64Side);
        planOrBadArch(x86_64);
        asm.bind(x32Side);
        planOrBadArch(x32);
    }

    private void planOrBadArch(ArchPlan plan) {
        if (plan == null) {
            asm.ret(SeccompActions.RET_KILL_PROCESS);
        } else {
            plan(plan);
        }
    }

    /** Expects A = nr. */
    private void plan(ArchPlan plan) {
        argBits = plan.arch().argBits();
        if (enosysAboveHighest && plan.highestNamed() >= 0) {
            Label unknown = asm.label();
            Label known = asm.label();
            asm.jump(Bpf.JGT, plan.highestNamed(), unknown, known);
            asm.bind(unknown);
            asm.ret(SeccompActions.RET_ERRNO | SeccompActions.ENOSYS);
            asm.bind(known);
        }
        List<Range> ranges = ranges(plan);
        search(ranges, 0, ranges.size() - 1);
    }

    /** A partition of all u32 numbers into ranges, each with one outcome. */
    private record Range(long start, Outcome outcome) {}

    private List<Range> ranges(ArchPlan plan) {
        Return byDefault = new Return(defaultRet);
        List<Range> ranges = new ArrayList<>();
        long next = 0;
        for (var entry : plan.outcomes().entrySet()) {
            long nr = Integer.toUnsignedLong(entry.getKey());
            if (nr > next) {
                add(ranges, new Range(next, byDefault));
            }
            add(ranges, new Range(nr, entry.getValue()));
            next = nr + 1;
        }
        if (next < U32_END) {
            add(ranges, new Range(next, byDefault));
        }
        return ranges;
    }

    /** Appends, merging with the previous range when both just return the same value. */
    private static void add(List<Range> ranges, Range range) {
        if (!ranges.isEmpty() && range.outcome() instanceof Return r
                && ranges.getLast().outcome() instanceof Return last && last.ret() == r.ret()) {
            return;
        }
        ranges.add(range);
    }

    /** Binary search over ranges[lo..hi] with A = nr; leaves are inline. */
    private void search(List<Range> ranges, int lo, int hi) {
        if (lo == hi) {
            outcome(ranges.get(lo).outcome());
            return;
        }
        int mid = (lo + hi + 1) >>> 1;
        Label upper = asm.label();
        Label lower = asm.label();
        asm.jump(Bpf.JGE, (int) ranges.get(mid).start(), upper, lower);
        asm.bind(lower);
        search(ranges, lo, mid - 1);
        asm.bind(upper);
        search(ranges, mid, hi);
    }

    private void outcome(Outcome outcome) {
        switch (outcome) {
            case Return r -> asm.ret(r.ret());
            case Chain c -> chain(c);
        }
    }

    private void chain(Chain chain) {
        for (SyscallRule rule : chain.rules()) {
            Label nextRule = asm.label();
            for (Condition condition : rule.conditions()) {
                condition(condition, nextRule);
            }
            asm.ret(rule.ret());
            asm.bind(nextRule);
        }
        asm.ret(chain.fallback());
    }

    /** Emits a test of one condition; falls through when it holds, jumps to fail otherwise. */
    private void condition(Condition c, Label fail) {
        Label pass = asm.label();
        long value = c.value();
        if (c.op() == ArgOp.MASKED_EQ) {
            maskedEquals(c.index(), value, c.valueTwo(), pass, fail, argBits == 64);
        } else if (argBits == 32) {
            lowWord(c.op(), c.index(), (int) value, pass, fail);
        } else {
            bothWords(c.op(), c.index(), value, pass, fail);
        }
        asm.bind(pass);
    }

    private void maskedEquals(int index, long mask, long expected, Label pass, Label fail, boolean wide) {
        if (wide && (int) (mask >>> 32) != 0) {
            Label low = asm.label();
            asm.load(Bpf.argHigh(index));
            asm.and((int) (mask >>> 32));
            asm.jump(Bpf.JEQ, (int) (expected >>> 32), low, fail);
            asm.bind(low);
        } else if (wide && (int) (expected >>> 32) != 0) {
            // the high word masks to 0, so an expected high word other than 0 never matches
            asm.jumpAlways(fail);
            return;
        }
        asm.load(Bpf.argLow(index));
        if ((int) mask != -1) {
            asm.and((int) mask);
        }
        asm.jump(Bpf.JEQ, (int) expected, pass, fail);
    }

    /** 32-bit ABIs: libseccomp compares the low word only. */
    private void lowWord(ArgOp op, int index, int value, Label pass, Label fail) {
        asm.load(Bpf.argLow(index));
        switch (op) {
            case EQ -> asm.jump(Bpf.JEQ, value, pass, fail);
            case NE -> asm.jump(Bpf.JEQ, value, fail, pass);
            case GT -> asm.jump(Bpf.JGT, value, pass, fail);
            case GE -> asm.jump(Bpf.JGE, value, pass, fail);
            case LT -> asm.jump(Bpf.JGE, value, fail, pass);
            case LE -> asm.jump(Bpf.JGT, value, fail, pass);
            case MASKED_EQ -> throw new IllegalArgumentException("masked_eq is emitted elsewhere");
        }
    }

    /**
     * Unsigned 64-bit comparison from two 32-bit ones: the high words decide unless they are
     * equal, then the low words decide.
     */
    private void bothWords(ArgOp op, int index, long value, Label pass, Label fail) {
        int high = (int) (value >>> 32);
        int low = (int) value;
        Label lowWord = asm.label();
        asm.load(Bpf.argHigh(index));
        switch (op) {
            case EQ -> asm.jump(Bpf.JEQ, high, lowWord, fail);
            case NE -> asm.jump(Bpf.JEQ, high, lowWord, pass);
            case GT, GE -> highThenEqual(high, pass, lowWord, fail);
            case LT, LE -> highThenEqual(high, fail, lowWord, pass);
            case MASKED_EQ -> throw new IllegalArgumentException("masked_eq is emitted elsewhere");
        }
        asm.bind(lowWord);
        asm.load(Bpf.argLow(index));
        switch (op) {
            case EQ -> asm.jump(Bpf.JEQ, low, pass, fail);
            case NE -> asm.jump(Bpf.JEQ, low, fail, pass);
            case GT -> asm.jump(Bpf.JGT, low, pass, fail);
            case GE -> asm.jump(Bpf.JGE, low, pass, fail);
            case LT -> asm.jump(Bpf.JGE, low, fail, pass);
            case LE -> asm.jump(Bpf.JGT, low, fail, pass);
            case MASKED_EQ -> throw new IllegalArgumentException("masked_eq is emitted elsewhere");
        }
    }

    /** A = high word: above → ifAbove; equal → ifEqual; below → ifBelow. */
    private void highThenEqual(int high, Label ifAbove, Label ifEqual, Label ifBelow) {
        Label notAbove = asm.label();
        asm.jump(Bpf.JGT, high, ifAbove, notAbove);
        asm.bind(notAbove);
        asm.jump(Bpf.JEQ, high, ifEqual, ifBelow);
    }
}
