package dev.berth.runtime.seccomp;

/**
 * Classic BPF opcodes ({@code linux/bpf_common.h}, {@code linux/filter.h}) and the layout of
 * {@code struct seccomp_data} ({@code linux/seccomp.h}) that a seccomp filter reads.
 */
final class Bpf {
    // instruction classes
    static final int LD = 0x00;
    static final int LDX = 0x01;
    static final int ST = 0x02;
    static final int STX = 0x03;
    static final int ALU = 0x04;
    static final int JMP = 0x05;
    static final int RET = 0x06;
    static final int MISC = 0x07;

    // ld/ldx size and mode
    static final int W = 0x00;
    static final int IMM = 0x00;
    static final int ABS = 0x20;
    static final int MEM = 0x60;
    static final int LEN = 0x80;

    // alu and jmp operations
    static final int ADD = 0x00;
    static final int SUB = 0x10;
    static final int MUL = 0x20;
    static final int DIV = 0x30;
    static final int OR = 0x40;
    static final int AND = 0x50;
    static final int LSH = 0x60;
    static final int RSH = 0x70;
    static final int NEG = 0x80;
    static final int MOD = 0x90;
    static final int XOR = 0xa0;
    static final int JA = 0x00;
    static final int JEQ = 0x10;
    static final int JGT = 0x20;
    static final int JGE = 0x30;
    static final int JSET = 0x40;

    // operand source
    static final int K = 0x00;
    static final int X = 0x08;
    static final int A = 0x10;

    // misc
    static final int TAX = 0x00;
    static final int TXA = 0x80;

    /** The kernel's BPF_MAXINSNS: a longer seccomp filter is refused with EINVAL. */
    static final int MAX_INSNS = 4096;
    /** Bytes per {@code struct sock_filter}. */
    static final int INSN_BYTES = 8;

    // struct seccomp_data { int nr; __u32 arch; __u64 instruction_pointer; __u64 args[6]; }
    static final int OFFSET_NR = 0;
    static final int OFFSET_ARCH = 4;
    static final int OFFSET_IP = 8;
    static final int OFFSET_ARGS = 16;
    static final int SECCOMP_DATA_BYTES = 64;

    private Bpf() {}

    /** Offset of the low 32 bits of args[index] (every supported arch is little-endian). */
    static int argLow(int index) {
        return OFFSET_ARGS + 8 * index;
    }

    /** Offset of the high 32 bits of args[index]. */
    static int argHigh(int index) {
        return OFFSET_ARGS + 8 * index + 4;
    }
}
