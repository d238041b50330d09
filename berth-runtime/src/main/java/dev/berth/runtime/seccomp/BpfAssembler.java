package dev.berth.runtime.seccomp;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds a classic BPF program with symbolic, forward-only jump targets.
 *
 * <p>A conditional jump encodes its targets in 8 bits (at most 255 instructions ahead); only
 * {@code BPF_JA} has a 32-bit offset. {@link #assemble()} therefore lays the program out and,
 * for every conditional jump whose target is too far, routes it through a trampoline (a
 * {@code ja} to the far target), repeating until every jump fits. A trampoline already in
 * reach is reused; a new one goes into the furthest slot in reach that follows an instruction
 * which never falls through (a conditional jump, {@code ja} or {@code ret}), so nothing runs
 * into it by accident and later jumps to the same target can share it.
 */
final class BpfAssembler {
    /** A jump target, bound to the instruction that follows {@link #bind}. */
    static final class Label {
        private Insn at;
    }

    private static final class Insn {
        final int code;
        final int k;
        Label jt;
        Label jf;
        final Label target;
        final boolean trampoline;

        Insn(int code, int k, Label jt, Label jf, Label target, boolean trampoline) {
            this.code = code;
            this.k = k;
            this.jt = jt;
            this.jf = jf;
            this.target = target;
            this.trampoline = trampoline;
        }

        boolean conditional() {
            return (code & 0x07) == Bpf.JMP && (code & 0xf0) != Bpf.JA;
        }
    }

    private final List<Insn> insns = new ArrayList<>();
    private final List<Label> pending = new ArrayList<>();

    Label label() {
        return new Label();
    }

    /** Binds the label to the next instruction emitted. */
    void bind(Label label) {
        if (label.at != null) {
            throw new IllegalStateException("label bound twice");
        }
        pending.add(label);
    }

    /** A = 32-bit word of seccomp_data at offset. */
    void load(int offset) {
        emit(new Insn(Bpf.LD | Bpf.W | Bpf.ABS, offset, null, null, null, false));
    }

    /** A &= k. */
    void and(int k) {
        emit(new Insn(Bpf.ALU | Bpf.AND | Bpf.K, k, null, null, null, false));
    }

    /** if (A op k) goto jt else goto jf; op is one of Bpf.JEQ, JGT, JGE, JSET (unsigned). */
    void jump(int op, int k, Label jt, Label jf) {
        emit(new Insn(Bpf.JMP | op | Bpf.K, k, jt, jf, null, false));
    }

    /** goto target. */
    void jumpAlways(Label target) {
        emit(new Insn(Bpf.JMP | Bpf.JA, 0, null, null, target, false));
    }

    /** return k. */
    void ret(int k) {
        emit(new Insn(Bpf.RET | Bpf.K, k, null, null, null, false));
    }

    private void emit(Insn insn) {
        insns.add(insn);
        for (Label label : pending) {
            label.at = insn;
        }
        pending.clear();
    }

    /** Resolves every label, adds trampolines where needed, and encodes little-endian sock_filters. */
    byte[] assemble() {
        if (!pending.isEmpty()) {
            throw new IllegalStateException("label bound past the last instruction");
        }
        Map<Insn, Integer> position = new IdentityHashMap<>();
        while (!fitAll(position)) {
            // fitAll inserted trampolines; lay out again
        }
        ByteBuffer out = ByteBuffer.allocate(insns.size() * Bpf.INSN_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < insns.size(); i++) {
            Insn insn = insns.get(i);
            int jt = 0;
            int jf = 0;
            int k = insn.k;
            if (insn.conditional()) {
                jt = distance(position, i, insn.jt);
                jf = distance(position, i, insn.jf);
            } else if (insn.target != null) {
                k = distance(position, i, insn.target);
            }
            out.putShort((short) insn.code).put((byte) jt).put((byte) jf).putInt(k);
        }
        return out.array();
    }

    /** Instructions so far, before trampolines. */
    int size() {
        return insns.size();
    }

    /** Whether some {@code ret} returns exactly k. */
    boolean returns(int k) {
        return insns.stream().anyMatch(i -> i.code == (Bpf.RET | Bpf.K) && i.k == k);
    }

    /** Lays out; on the first jump out of 8-bit reach, inserts a trampoline and returns false. */
    private boolean fitAll(Map<Insn, Integer> position) {
        position.clear();
        for (int i = 0; i < insns.size(); i++) {
            position.put(insns.get(i), i);
        }
        for (int i = 0; i < insns.size(); i++) {
            Insn insn = insns.get(i);
            if (!insn.conditional()) {
                continue;
            }
            if (distance(position, i, insn.jt) > 255) {
                insn.jt = trampoline(position, i, insn.jt);
                return false;
            }
            if (distance(position, i, insn.jf) > 255) {
                insn.jf = trampoline(position, i, insn.jf);
                return false;
            }
        }
        return true;
    }

    private Label trampoline(Map<Insn, Integer> position, int from, Label far) {
        for (int j = from + 1; j <= from + 256 && j < insns.size(); j++) {
            Insn candidate = insns.get(j);
            if (candidate.trampoline && candidate.target.at == far.at) {
                Label near = new Label();
                near.at = candidate;
                return near;
            }
        }
        Label near = new Label();
        Insn ja = new Insn(Bpf.JMP | Bpf.JA, 0, null, null, far, true);
        near.at = ja;
        insns.add(slot(from, position.get(far.at)), ja);
        return near;
    }

    /** The furthest index in reach of the jump at from, before the target, that nothing falls into. */
    private int slot(int from, int target) {
        for (int at = Math.min(from + 256, target); at > from + 1; at--) {
            if (!fallsThrough(insns.get(at - 1))) {
                return at;
            }
        }
        return from + 1; // right after the conditional jump itself, which never falls through
    }

    private static boolean fallsThrough(Insn insn) {
        int cls = insn.code & 0x07;
        return !(cls == Bpf.RET || cls == Bpf.JMP);
    }

    private static int distance(Map<Insn, Integer> position, int from, Label label) {
        if (label.at == null) {
            throw new IllegalStateException("jump to an unbound label");
        }
        int offset = position.get(label.at) - from - 1;
        if (offset < 0) {
            throw new IllegalStateException("backward jump at instruction " + from);
        }
        return offset;
    }
}
