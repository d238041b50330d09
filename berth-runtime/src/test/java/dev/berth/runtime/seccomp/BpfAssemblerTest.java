package dev.berth.runtime.seccomp;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BpfAssemblerTest {

    @Test
    void farConditionalJumpsShareATrampoline() {
        var asm = new BpfAssembler();
        var far = asm.label();
        asm.load(Bpf.OFFSET_NR);
        for (int nr = 0; nr < 3; nr++) {
            var next = asm.label();
            asm.jump(Bpf.JEQ, nr, far, next);
            asm.bind(next);
        }
        for (int i = 0; i < 600; i++) {
            var next = asm.label();
            asm.jump(Bpf.JEQ, 1000 + i, next, next);
            asm.bind(next);
        }
        asm.ret(SeccompActions.RET_ERRNO | 1);
        asm.bind(far);
        asm.ret(SeccompActions.RET_ALLOW);

        var bpf = new BpfInterpreter(asm.assemble());

        assertThat(bpf.instructionCount()).as("one trampoline for three jumps").isEqualTo(1 + 3 + 600 + 2 + 1);
        for (int nr = 0; nr < 3; nr++) {
            assertThat(bpf.run(Arch.X86_64, nr)).isEqualTo(SeccompActions.RET_ALLOW);
        }
        assertThat(bpf.run(Arch.X86_64, 3)).isEqualTo(SeccompActions.RET_ERRNO | 1);
    }

    @Test
    void nearJumpsNeedNoTrampoline() {
        var asm = new BpfAssembler();
        var yes = asm.label();
        var no = asm.label();
        asm.load(Bpf.OFFSET_NR);
        asm.jump(Bpf.JGT, 10, yes, no);
        asm.bind(no);
        asm.ret(0);
        asm.bind(yes);
        asm.ret(1);

        var bpf = new BpfInterpreter(asm.assemble());

        assertThat(bpf.instructionCount()).isEqualTo(4);
        assertThat(bpf.run(Arch.X86_64, 11)).isEqualTo(1);
        assertThat(bpf.run(Arch.X86_64, 10)).isEqualTo(0);
    }
}
