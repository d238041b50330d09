package dev.berth.runtime.seccomp;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Runs a classic BPF seccomp filter the way the kernel does, on a {@code struct seccomp_data}
 * built from its fields, so filters can be tested without loading them. Also checks what the
 * kernel checks when a filter is loaded (bpf_check_classic + seccomp_check_filter): length,
 * jump targets inside the program, a final return, aligned loads inside seccomp_data, and only
 * the opcodes seccomp admits.
 */
final class BpfInterpreter {
    private final byte[] filter;
    private final int count;

    BpfInterpreter(byte[] filter) {
        if (filter.length % Bpf.INSN_BYTES != 0) {
            throw new IllegalArgumentException("filter length " + filter.length + " is not a multiple of 8");
        }
        this.filter = filter;
        this.count = filter.length / Bpf.INSN_BYTES;
        verify();
    }

    /** seccomp_data for one syscall; args are six u64 values held in longs. */
    record Data(int arch, int nr, long instructionPointer, long... args) {
        Data {
            if (args.length > 6) {
                throw new IllegalArgumentException("at most 6 args");
            }
            long[] six = new long[6];
            System.arraycopy(args, 0, six, 0, args.length);
            args = six;
        }

        ByteBuffer bytes() {
            ByteBuffer b = ByteBuffer.allocate(Bpf.SECCOMP_DATA_BYTES).order(ByteOrder.LITTLE_ENDIAN);
            b.putInt(nr).putInt(arch).putLong(instructionPointer);
            for (long arg : args) {
                b.putLong(arg);
            }
            return b;
        }
    }

    /** The filter's 32-bit return value for a syscall of arch with this number and args. */
    int run(Arch arch, int nr, long... args) {
        return run(new Data(arch.auditArch(), nr, 0x7fff_0000_1000L, args));
    }

    int run(Data data) {
        ByteBuffer seccompData = data.bytes();
        int a = 0;
        int x = 0;
        int[] mem = new int[16];
        int pc = 0;
        while (true) {
            int code = code(pc);
            int jt = Byte.toUnsignedInt(filter[pc * 8 + 2]);
            int jf = Byte.toUnsignedInt(filter[pc * 8 + 3]);
            int k = k(pc);
            pc++;
            switch (code & 0x07) {
                case Bpf.LD -> a = switch (code & 0xe0) {
                    case Bpf.ABS -> seccompData.getInt(k);
                    case Bpf.LEN -> Bpf.SECCOMP_DATA_BYTES;
                    case Bpf.IMM -> k;
                    case Bpf.MEM -> mem[k];
                    default -> throw bad(pc - 1, code);
                };
                case Bpf.LDX -> x = switch (code & 0xe0) {
                    case Bpf.LEN -> Bpf.SECCOMP_DATA_BYTES;
                    case Bpf.IMM -> k;
                    case Bpf.MEM -> mem[k];
                    default -> throw bad(pc - 1, code);
                };
                case Bpf.ST -> mem[k] = a;
                case Bpf.STX -> mem[k] = x;
                case Bpf.ALU -> a = alu(code, a, (code & Bpf.X) != 0 ? x : k);
                case Bpf.JMP -> {
                    int operand = (code & Bpf.X) != 0 ? x : k;
                    pc += switch (code & 0xf0) {
                        case Bpf.JA -> k;
                        case Bpf.JEQ -> a == operand ? jt : jf;
                        case Bpf.JGT -> Integer.compareUnsigned(a, operand) > 0 ? jt : jf;
                        case Bpf.JGE -> Integer.compareUnsigned(a, operand) >= 0 ? jt : jf;
                        case Bpf.JSET -> (a & operand) != 0 ? jt : jf;
                        default -> throw bad(pc - 1, code);
                    };
                }
                case Bpf.RET -> {
                    return (code & 0x18) == Bpf.A ? a : k;
                }
                case Bpf.MISC -> {
                    if ((code & 0xf8) == Bpf.TAX) {
                        x = a;
                    } else {
                        a = x;
                    }
                }
                default -> throw bad(pc - 1, code);
            }
        }
    }

    int instructionCount() {
        return count;
    }

    private static int alu(int code, int a, int operand) {
        return switch (code & 0xf0) {
            case Bpf.ADD -> a + operand;
            case Bpf.SUB -> a - operand;
            case Bpf.MUL -> a * operand;
            case Bpf.DIV -> Integer.divideUnsigned(a, operand);
            case Bpf.MOD -> Integer.remainderUnsigned(a, operand);
            case Bpf.OR -> a | operand;
            case Bpf.AND -> a & operand;
            case Bpf.XOR -> a ^ operand;
            case Bpf.LSH -> a << operand;
            case Bpf.RSH -> a >>> operand;
            case Bpf.NEG -> -a;
            default -> throw new IllegalStateException("bad alu op 0x" + Integer.toHexString(code));
        };
    }

    private void verify() {
        if (count == 0 || count > Bpf.MAX_INSNS) {
            throw new IllegalStateException("filter has " + count + " instructions");
        }
        for (int pc = 0; pc < count; pc++) {
            int code = code(pc);
            int k = k(pc);
            switch (code & 0x07) {
                case Bpf.LD, Bpf.LDX -> {
                    if ((code & 0xe0) == Bpf.ABS && ((code & 0x18) != Bpf.W || k < 0 || k > 60 || k % 4 != 0)) {
                        throw new IllegalStateException("load at " + pc + " is outside seccomp_data or unaligned: " + k);
                    }
                    if ((code & 0xe0) == Bpf.MEM && (k < 0 || k > 15)) {
                        throw new IllegalStateException("scratch index " + k + " at " + pc);
                    }
                }
                case Bpf.ST, Bpf.STX -> {
                    if (k < 0 || k > 15) {
                        throw new IllegalStateException("scratch index " + k + " at " + pc);
                    }
                }
                case Bpf.JMP -> {
                    if ((code & 0xf0) == Bpf.JA) {
                        if (Integer.toUnsignedLong(k) >= count - pc - 1) {
                            throw new IllegalStateException("ja at " + pc + " leaves the program");
                        }
                    } else {
                        int jt = Byte.toUnsignedInt(filter[pc * 8 + 2]);
                        int jf = Byte.toUnsignedInt(filter[pc * 8 + 3]);
                        if (pc + 1 + Math.max(jt, jf) >= count) {
                            throw new IllegalStateException("jump at " + pc + " leaves the program");
                        }
                    }
                }
                case Bpf.RET, Bpf.ALU, Bpf.MISC -> {}
                default -> throw bad(pc, code);
            }
        }
        if ((code(count - 1) & 0x07) != Bpf.RET) {
            throw new IllegalStateException("filter does not end with a return");
        }
    }

    private int code(int pc) {
        return (filter[pc * 8] & 0xff) | (filter[pc * 8 + 1] & 0xff) << 8;
    }

    private int k(int pc) {
        return ByteBuffer.wrap(filter, pc * 8 + 4, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
    }

    private static IllegalStateException bad(int pc, int code) {
        return new IllegalStateException("opcode 0x" + Integer.toHexString(code) + " at " + pc + " is not allowed in seccomp");
    }
}
