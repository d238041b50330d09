package dev.berth.runtime.seccomp;

import static dev.berth.runtime.seccomp.Specs.arg;
import static dev.berth.runtime.seccomp.Specs.filter;
import static dev.berth.runtime.seccomp.Specs.masked;
import static dev.berth.runtime.seccomp.Specs.rule;
import static dev.berth.runtime.seccomp.Specs.spec;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.oci.runtime.Seccomp;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every comparison against an unsigned 64-bit reference, at and around word boundaries. */
class ArgComparisonTest {
    private static final int MATCH = 0x0005002a;
    private static final int NO_MATCH = 0x7fff0000;
    private static final int GETPID = 39;

    private static final long[] VALUES = {
        0L, 1L, 5L, 0x7fff_ffffL, 0x8000_0000L, 0xffff_fffeL, 0xffff_ffffL,
        0x1_0000_0000L, 0x1_0000_0001L, 0x1_0000_0005L, 0x2_0000_0005L, 0x1_ffff_ffffL,
        0x7fff_ffff_ffff_ffffL, 0x8000_0000_0000_0000L, 0x8000_0000_0000_0005L, -2L, -1L,
    };

    @ParameterizedTest
    @ValueSource(strings = {"SCMP_CMP_NE", "SCMP_CMP_LT", "SCMP_CMP_LE", "SCMP_CMP_EQ", "SCMP_CMP_GE", "SCMP_CMP_GT"})
    void comparesUnsigned64BitValues(String op) {
        for (long value : VALUES) {
            var bpf = filter(onGetpid(arg(2, op, value)));
            for (long actual : probes(value)) {
                boolean expected = reference(op, actual, value);
                assertThat(bpf.run(Arch.X86_64, GETPID, 0, 0, actual))
                        .as("%s: 0x%x vs 0x%x", op, actual, value)
                        .isEqualTo(expected ? MATCH : NO_MATCH);
            }
        }
    }

    @Test
    void maskedEqualsTestsTheMaskedBitsOnBothWords() {
        long[][] cases = {
            {0x7e02_0000L, 0},
            {0xffL, 0x12L},
            {0xff_0000_00ffL, 0x12_0000_0034L},
            {0xffff_ffff_0000_0000L, 0x8000_0000_0000_0000L},
            {-1L, 0x1234_5678_9abc_def0L},
            {0xf0L, 0x1_0000_0000L}, // expected outside the mask never matches
        };
        for (long[] c : cases) {
            long mask = c[0];
            long expected = c[1];
            var bpf = filter(onGetpid(masked(0, mask, expected)));
            for (long actual : LongStream.concat(LongStream.of(VALUES), LongStream.of(expected, expected | ~mask, expected ^ 1, expected ^ (1L << 40))).toArray()) {
                boolean match = (actual & mask) == expected;
                assertThat(bpf.run(Arch.X86_64, GETPID, actual))
                        .as("(0x%x & 0x%x) == 0x%x", actual, mask, expected)
                        .isEqualTo(match ? MATCH : NO_MATCH);
            }
        }
    }

    @Test
    void dockerCloneRuleRejectsNamespaceFlags() {
        var bpf = filter(onGetpid(masked(0, 0x7e02_0000L, 0)));

        assertThat(bpf.run(Arch.X86_64, GETPID, 0x0120_0011L)).as("fork-like flags").isEqualTo(MATCH);
        assertThat(bpf.run(Arch.X86_64, GETPID, 0x1000_0000L)).isEqualTo(NO_MATCH);
    }

    @Test
    void thirtyTwoBitArchesCompareTheLowWordOnly() {
        var spec = spec("SCMP_ACT_ALLOW", List.of(rule("SCMP_ACT_ERRNO", 42, List.of(arg(0, "SCMP_CMP_EQ", 0x1_0000_0005L)), "getpid")),
                "SCMP_ARCH_X86");
        var bpf = filter(spec);

        assertThat(bpf.run(Arch.X86, 20, 5)).as("getpid on i386").isEqualTo(MATCH);
        assertThat(bpf.run(Arch.X86, 20, 6)).isEqualTo(NO_MATCH);
        assertThat(bpf.run(Arch.X86_64, GETPID, 5)).as("x86_64 compares all 64 bits").isEqualTo(NO_MATCH);
        assertThat(bpf.run(Arch.X86_64, GETPID, 0x1_0000_0005L)).isEqualTo(MATCH);
    }

    /** runc's seccomp.bats {@code runc run [seccomp -ENOSYS handling]}: process_vm_readv and kcmp rules. */
    @Test
    void conditionsOnTheSameArgumentAreOredAsRuncDoes() {
        var or = filter(spec("SCMP_ACT_ALLOW", List.of(rule("SCMP_ACT_ERRNO", 42,
                List.of(arg(0, "SCMP_CMP_EQ", 100), arg(0, "SCMP_CMP_EQ", 9001)), "getpid"))));
        assertThat(or.run(Arch.X86_64, GETPID, 100)).isEqualTo(MATCH);
        assertThat(or.run(Arch.X86_64, GETPID, 9001)).isEqualTo(MATCH);
        assertThat(or.run(Arch.X86_64, GETPID, 0)).isEqualTo(NO_MATCH);

        var and = filter(spec("SCMP_ACT_ALLOW", List.of(rule("SCMP_ACT_ERRNO", 42,
                List.of(arg(0, "SCMP_CMP_EQ", 0), arg(1, "SCMP_CMP_EQ", 1337)), "getpid"))));
        assertThat(and.run(Arch.X86_64, GETPID, 0, 1337)).isEqualTo(MATCH);
        assertThat(and.run(Arch.X86_64, GETPID, 0, 0)).as("different arguments are ANDed").isEqualTo(NO_MATCH);
        assertThat(and.run(Arch.X86_64, GETPID, 500, 1337)).isEqualTo(NO_MATCH);
    }

    private static Seccomp onGetpid(Seccomp.Arg arg) {
        return spec("SCMP_ACT_ALLOW", List.of(rule("SCMP_ACT_ERRNO", 42, List.of(arg), "getpid")));
    }

    /** The value itself, its neighbours, and the same low word under other high words. */
    private static long[] probes(long value) {
        long low = value & 0xffff_ffffL;
        long high = value & 0xffff_ffff_0000_0000L;
        return LongStream.concat(LongStream.of(VALUES), LongStream.of(
                        value, value - 1, value + 1, high + low + 1, high - (1L << 32) + low,
                        high + (1L << 32) + low, high | (low ^ 0x8000_0000L), low))
                .distinct()
                .toArray();
    }

    private static boolean reference(String op, long actual, long value) {
        int c = Long.compareUnsigned(actual, value);
        return switch (op) {
            case "SCMP_CMP_NE" -> c != 0;
            case "SCMP_CMP_LT" -> c < 0;
            case "SCMP_CMP_LE" -> c <= 0;
            case "SCMP_CMP_EQ" -> c == 0;
            case "SCMP_CMP_GE" -> c >= 0;
            case "SCMP_CMP_GT" -> c > 0;
            default -> throw new IllegalArgumentException(op);
        };
    }
}
