package dev.berth.runtime.seccomp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.oci.BerthException;
import dev.berth.oci.runtime.Seccomp;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The translation of Docker's profile format, rule by rule. */
class DockerProfileTest {

    private static Seccomp translate(String syscallsJson, String... caps) {
        String json = """
                {"defaultAction": "SCMP_ACT_ERRNO", "defaultErrnoRet": 1,
                 "archMap": [{"architecture": "SCMP_ARCH_X86_64", "subArchitectures": ["SCMP_ARCH_X86", "SCMP_ARCH_X32"]},
                             {"architecture": "SCMP_ARCH_AARCH64", "subArchitectures": ["SCMP_ARCH_ARM"]}],
                 "syscalls": %s}
                """.formatted(syscallsJson);
        return DockerProfile.toOci(json, Set.of(caps), Arch.X86_64, "5.10.0-28-amd64");
    }

    private static Seccomp.Syscall only(Seccomp spec) {
        assertThat(spec.syscalls()).hasSize(1);
        return spec.syscalls().getFirst();
    }

    @Test
    void topLevelFieldsCarryOver() {
        var spec = translate("[]");

        assertThat(spec.defaultAction()).isEqualTo("SCMP_ACT_ERRNO");
        assertThat(spec.defaultErrnoRet()).isEqualTo(1);
        assertThat(spec.architectures()).containsExactly("SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32");
    }

    @Test
    void ruleFieldsCarryOverAndConditionsAreDropped() {
        var call = only(translate("""
                [{"names": ["clone"], "action": "SCMP_ACT_ALLOW", "errnoRet": 38, "comment": "x",
                  "args": [{"index": 1, "value": 2114060288, "valueTwo": 18446744073709551615, "op": "SCMP_CMP_MASKED_EQ"}],
                  "excludes": {"caps": ["CAP_SYS_ADMIN"]}}]"""));

        assertThat(call.names()).containsExactly("clone");
        assertThat(call.action()).isEqualTo("SCMP_ACT_ALLOW");
        assertThat(call.errnoRet()).isEqualTo(38);
        assertThat(call.args()).containsExactly(new Seccomp.Arg(1, 2114060288L, -1L, "SCMP_CMP_MASKED_EQ"));
    }

    @Test
    void includedCapsMustAllBeGranted() {
        String rule = """
                [{"names": ["mount"], "action": "SCMP_ACT_ALLOW", "includes": {"caps": ["CAP_SYS_ADMIN", "CAP_NET_ADMIN"]}}]""";

        assertThat(translate(rule, "CAP_SYS_ADMIN").syscalls()).isEmpty();
        assertThat(translate(rule, "CAP_SYS_ADMIN", "CAP_NET_ADMIN").syscalls()).hasSize(1);
        assertThat(translate(rule, "sys_admin", "net_admin").syscalls()).as("caps without prefix").hasSize(1);
    }

    @Test
    void anyExcludedCapDropsTheRule() {
        String rule = """
                [{"names": ["clone"], "action": "SCMP_ACT_ALLOW", "excludes": {"caps": ["CAP_SYS_ADMIN", "CAP_BPF"]}}]""";

        assertThat(translate(rule).syscalls()).hasSize(1);
        assertThat(translate(rule, "CAP_BPF").syscalls()).isEmpty();
    }

    @Test
    void archesUseGoNames() {
        assertThat(translate("""
                [{"names": ["arch_prctl"], "action": "SCMP_ACT_ALLOW", "includes": {"arches": ["amd64", "x32"]}}]""").syscalls()).hasSize(1);
        assertThat(translate("""
                [{"names": ["breakpoint"], "action": "SCMP_ACT_ALLOW", "includes": {"arches": ["arm", "arm64"]}}]""").syscalls()).isEmpty();
        assertThat(translate("""
                [{"names": ["clone"], "action": "SCMP_ACT_ALLOW", "excludes": {"arches": ["amd64"]}}]""").syscalls()).isEmpty();
    }

    @Test
    void minKernelComparesMajorAndMinor() {
        // the host kernel is 5.10
        assertThat(translate("""
                [{"names": ["ptrace"], "action": "SCMP_ACT_ALLOW", "includes": {"minKernel": "5.10"}}]""").syscalls()).hasSize(1);
        assertThat(translate("""
                [{"names": ["ptrace"], "action": "SCMP_ACT_ALLOW", "includes": {"minKernel": "5.11"}}]""").syscalls()).isEmpty();
        assertThat(translate("""
                [{"names": ["ptrace"], "action": "SCMP_ACT_ALLOW", "includes": {"minKernel": "4.19"}}]""").syscalls()).hasSize(1);
        assertThat(translate("""
                [{"names": ["ptrace"], "action": "SCMP_ACT_ALLOW", "excludes": {"minKernel": "5.4"}}]""").syscalls()).isEmpty();
        assertThat(translate("""
                [{"names": ["ptrace"], "action": "SCMP_ACT_ALLOW", "excludes": {"minKernel": "6.1"}}]""").syscalls()).hasSize(1);
    }

    @Test
    void singleNameFormIsAccepted() {
        assertThat(only(translate("""
                [{"name": "read", "action": "SCMP_ACT_ALLOW"}]""")).names()).containsExactly("read");
    }

    @Test
    void explicitArchitecturesAreKept() {
        var spec = DockerProfile.toOci("""
                {"defaultAction": "SCMP_ACT_ALLOW", "architectures": ["SCMP_ARCH_X86_64"], "flags": ["SECCOMP_FILTER_FLAG_LOG"]}""",
                Set.of(), Arch.X86_64, "6.1");

        assertThat(spec.architectures()).containsExactly("SCMP_ARCH_X86_64");
        assertThat(spec.flags()).containsExactly("SECCOMP_FILTER_FLAG_LOG");
        assertThat(spec.syscalls()).isEmpty();
    }

    @Test
    void errorsNameTheField() {
        assertThatThrownBy(() -> translate("""
                [{"name": "read", "names": ["write"], "action": "SCMP_ACT_ALLOW"}]"""))
                .isInstanceOf(BerthException.class)
                .hasMessage("seccomp profile field syscalls[0] sets both name and names; use one");
        assertThatThrownBy(() -> translate("""
                [{"names": ["read"], "action": "SCMP_ACT_ALLOW", "args": [{"index": 0, "value": -1, "op": "SCMP_CMP_EQ"}]}]"""))
                .hasMessage("seccomp profile field syscalls[0].args[0].value must be an unsigned 64-bit integer");
        assertThatThrownBy(() -> translate("""
                [{"names": "read", "action": "SCMP_ACT_ALLOW"}]"""))
                .hasMessage("seccomp profile field syscalls[0].names must be an array of strings");
        assertThatThrownBy(() -> translate("""
                [{"names": ["ptrace"], "action": "SCMP_ACT_ALLOW", "includes": {"minKernel": "new"}}]"""))
                .hasMessage("seccomp profile syscalls[0].includes.minKernel \"new\" is not a kernel version like 5.10");
        assertThatThrownBy(() -> DockerProfile.toOci("""
                {"defaultAction": "SCMP_ACT_ALLOW", "architectures": ["SCMP_ARCH_X86_64"], "archMap": [{"architecture": "SCMP_ARCH_X86_64"}]}""",
                Set.of(), Arch.X86_64, "6.1"))
                .hasMessage("seccomp profile sets both architectures and archMap; use one");
        assertThatThrownBy(() -> DockerProfile.toOci("{\"defaultAction\": ", Set.of(), Arch.X86_64, "6.1"))
                .isInstanceOfSatisfying(BerthException.class, e -> assertThat(e.kind()).isEqualTo(BerthException.Kind.INVALID_ARGUMENT))
                .hasMessageStartingWith("seccomp profile is not valid JSON: ");
        assertThatThrownBy(() -> DockerProfile.toOci("[]", Set.of(), Arch.X86_64, "6.1"))
                .hasMessage("seccomp profile must be a JSON object");
    }
}
