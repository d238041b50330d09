package dev.berth.runtime.seccomp;

import static dev.berth.runtime.seccomp.Specs.arg;
import static dev.berth.runtime.seccomp.Specs.rule;
import static dev.berth.runtime.seccomp.Specs.spec;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.oci.BerthException;
import dev.berth.oci.runtime.Seccomp;
import java.util.List;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;

/** Bad specs fail with messages that name the field at fault. */
class SeccompValidationTest {

    @Test
    void unknownDefaultAction() {
        fails(spec("SCMP_ACT_MAYBE", List.of()), BerthException.Kind.INVALID_ARGUMENT)
                .hasMessage("linux.seccomp.defaultAction \"SCMP_ACT_MAYBE\" is unknown");
    }

    @Test
    void missingDefaultAction() {
        fails(spec(null, List.of()), BerthException.Kind.INVALID_ARGUMENT)
                .hasMessage("linux.seccomp.defaultAction is required");
    }

    @Test
    void unknownRuleAction() {
        fails(spec("SCMP_ACT_ALLOW", List.of(rule("SCMP_ACT_ALLOW", "read"), rule("SCMP_ACT_FOO", "write"))),
                BerthException.Kind.INVALID_ARGUMENT)
                .hasMessage("linux.seccomp.syscalls[1].action \"SCMP_ACT_FOO\" is unknown");
    }

    @Test
    void unknownOp() {
        fails(spec("SCMP_ACT_ALLOW", List.of(rule("SCMP_ACT_ERRNO", null, List.of(arg(0, "SCMP_CMP_EQ", 1), arg(1, "SCMP_CMP_ABOUT", 1)), "read"))),
                BerthException.Kind.INVALID_ARGUMENT)
                .hasMessage("linux.seccomp.syscalls[0].args[1].op \"SCMP_CMP_ABOUT\" is unknown");
    }

    @Test
    void argIndexOutOfRange() {
        fails(spec("SCMP_ACT_ALLOW", List.of(rule("SCMP_ACT_ERRNO", null, List.of(arg(6, "SCMP_CMP_EQ", 1)), "read"))),
                BerthException.Kind.INVALID_ARGUMENT)
                .hasMessage("linux.seccomp.syscalls[0].args[0].index must be within 0..5, got 6");
    }

    @Test
    void errnoOnAnActionWithoutOne() {
        fails(spec("SCMP_ACT_ERRNO", List.of(rule("SCMP_ACT_ALLOW", 1, List.of(), "read"))), BerthException.Kind.INVALID_ARGUMENT)
                .hasMessage("linux.seccomp.syscalls[0].action SCMP_ACT_ALLOW takes no errnoRet, got 1");
        fails(new Seccomp("SCMP_ACT_ALLOW", 1, List.of(), List.of(), null, null, List.of()), BerthException.Kind.INVALID_ARGUMENT)
                .hasMessage("linux.seccomp.defaultAction SCMP_ACT_ALLOW takes no errnoRet, got 1");
    }

    @Test
    void errnoOutOfRange() {
        fails(spec("SCMP_ACT_ALLOW", List.of(rule("SCMP_ACT_ERRNO", 70000, List.of(), "read"))), BerthException.Kind.INVALID_ARGUMENT)
                .hasMessage("errnoRet of linux.seccomp.syscalls[0].action must be within 0..65535, got 70000");
    }

    @Test
    void emptyNames() {
        fails(spec("SCMP_ACT_ALLOW", List.of(rule("SCMP_ACT_ERRNO"))), BerthException.Kind.INVALID_ARGUMENT)
                .hasMessage("linux.seccomp.syscalls[0].names must hold at least one name");
    }

    @Test
    void unknownArchitecture() {
        fails(spec("SCMP_ACT_ALLOW", List.of(), "SCMP_ARCH_VAX"), BerthException.Kind.INVALID_ARGUMENT)
                .hasMessage("linux.seccomp.architectures entry \"SCMP_ARCH_VAX\" is unknown");
    }

    @Test
    void flags() {
        fails(withFlag("SECCOMP_FILTER_FLAG_FAST"), BerthException.Kind.INVALID_ARGUMENT)
                .hasMessage("linux.seccomp.flags entry \"SECCOMP_FILTER_FLAG_FAST\" is unknown");
        fails(withFlag("SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV"), BerthException.Kind.UNSUPPORTED)
                .hasMessage("linux.seccomp.flags entry SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV is not supported by berth");
    }

    @Test
    void listenerMetadataWithoutPath() {
        fails(new Seccomp("SCMP_ACT_ALLOW", null, List.of(), List.of(), null, "meta", List.of()), BerthException.Kind.INVALID_ARGUMENT)
                .hasMessage("linux.seccomp.listenerMetadata is set without linux.seccomp.listenerPath");
    }

    private static Seccomp withFlag(String flag) {
        return new Seccomp("SCMP_ACT_ALLOW", null, List.of(), List.of(flag), null, null, List.of());
    }

    private static AbstractThrowableAssert<?, ? extends Throwable> fails(Seccomp spec, BerthException.Kind kind) {
        return assertThatThrownBy(() -> SeccompCompiler.compile(spec, Arch.X86_64))
                .isInstanceOfSatisfying(BerthException.class, e -> org.assertj.core.api.Assertions.assertThat(e.kind()).isEqualTo(kind));
    }
}
