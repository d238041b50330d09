package dev.berth.oci.runtime.json;

import static dev.berth.oci.Fixtures.read;
import static dev.berth.oci.Fixtures.tabIndented;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.oci.BerthException;
import dev.berth.oci.runtime.Resources;
import dev.berth.oci.runtime.Seccomp;
import dev.berth.oci.runtime.Spec;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class SpecJsonTest {

    @ParameterizedTest
    @ValueSource(strings = {"runc/spec.json", "runc/spec-rootless.json"})
    void reproducesRuncSpecOutputByteForByte(String fixture) {
        String golden = read(fixture);

        assertThat(SpecJson.write(SpecJson.parse(golden))).isEqualTo(golden);
    }

    @Test
    void writesEveryModelledFieldInSpecsGoOrderWithGoOmissions() {
        String canonical = tabIndented(read("spec/full-config.json"));

        assertThat(SpecJson.write(SpecJson.parse(canonical))).isEqualTo(canonical);
    }

    @ParameterizedTest
    @ValueSource(strings = {"runc/spec.json", "runc/spec-rootless.json", "spec/full-config.json"})
    void roundTripsToAnEqualSpec(String fixture) {
        Spec first = SpecJson.parse(read(fixture));

        assertThat(SpecJson.parse(SpecJson.write(first))).isEqualTo(first);
    }

    @Test
    void readsUnsigned64BitValuesIntoLongBits() {
        Spec spec = SpecJson.parse(read("spec/full-config.json"));

        var nofile = spec.process().rlimits().get(0);
        assertThat(nofile.hard()).isEqualTo(-1L); // RLIM_INFINITY
        assertThat(Long.toUnsignedString(nofile.hard())).isEqualTo("18446744073709551615");
        assertThat(spec.process().rlimits().get(1).hard()).isEqualTo(Long.MIN_VALUE);
        assertThat(spec.process().user().additionalGids()).containsExactly(5L, 4294967295L);
        Resources resources = spec.linux().resources();
        assertThat(resources.memory().swappiness()).isEqualTo(-1L);
        assertThat(resources.memory().swap()).isEqualTo(-1L);
        assertThat(resources.hugepageLimits().get(0).limit()).isEqualTo(Long.MIN_VALUE);
        assertThat(resources.blockIO().throttleWriteBpsDevice().get(0).rate()).isEqualTo(-1L);
        Seccomp.Arg masked = spec.linux().seccomp().syscalls().get(1).args().get(1);
        assertThat(masked.value()).isEqualTo(-1L);
        assertThat(masked.valueTwo()).isEqualTo(Long.MIN_VALUE);
        assertThat(spec.linux().devices().get(0).gid()).isEqualTo(4294967295L);
    }

    @Test
    void ignoresUnknownFields() {
        Spec spec = SpecJson.parse("""
                {"ociVersion": "1.3.0", "future": {"x": [1]},
                 "process": {"cwd": "/", "args": ["sh"], "scheduler": {"policy": "SCHED_OTHER"}},
                 "linux": {"netDevices": {"eth1": {}}, "namespaces": [{"type": "pid", "extra": true}]}}""");

        assertThat(spec.process().args()).containsExactly("sh");
        assertThat(spec.linux().namespaces()).hasSize(1);
    }

    @Test
    void readsNullAsAbsent() {
        Spec spec = SpecJson.parse("{\"ociVersion\": \"1.0.0\", \"process\": null, \"mounts\": null, \"hostname\": \"\"}");

        assertThat(spec.process()).isNull();
        assertThat(spec.mounts()).isEmpty();
        assertThat(spec.hostname()).isNull();
        assertThat(SpecJson.write(spec)).isEqualTo("{\n\t\"ociVersion\": \"1.0.0\"\n}");
    }

    @Test
    void aProcessWithoutUserRunsAsRootAndSaysSo() {
        Spec spec = SpecJson.parse("{\"ociVersion\": \"1.0.0\", \"process\": {\"cwd\": \"/\"}}");

        assertThat(spec.process().user().uid()).isZero();
        assertThat(SpecJson.write(spec)).contains("\"user\": {\n\t\t\t\"uid\": 0,\n\t\t\t\"gid\": 0\n\t\t}");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            {"linux": {"resources": {"memory": {"limit": "1g"}}}}          | linux.resources.memory.limit: expected a number, got string
            {"linux": {"resources": {"memory": {"limit": 9223372036854775808}}}} | linux.resources.memory.limit: expected a signed 64-bit integer, got 9223372036854775808
            {"process": {"args": ["sh", 1]}}                              | process.args[1]: expected a string, got number
            {"process": {"user": {"uid": -1}}}                            | process.user.uid: expected an unsigned 32-bit integer, got -1
            {"process": {"user": {"gid": 4294967296}}}                    | process.user.gid: expected an unsigned 32-bit integer, got 4294967296
            {"process": {"rlimits": [{"type": "RLIMIT_NOFILE", "hard": 18446744073709551616}]}} | process.rlimits[0].hard: expected an unsigned 64-bit integer, got 18446744073709551616
            {"process": {"rlimits": [{"type": "RLIMIT_NOFILE", "soft": -1}]}} | process.rlimits[0].soft: expected an unsigned 64-bit integer, got -1
            {"process": {"oomScoreAdj": 1.5}}                             | process.oomScoreAdj: expected an integer, got 1.5
            {"process": {"terminal": "yes"}}                              | process.terminal: expected a boolean, got string
            {"process": []}                                               | process: expected an object, got array
            {"mounts": {"destination": "/x"}}                             | mounts: expected an array, got object
            {"mounts": ["/x"]}                                            | mounts[0]: expected an object, got string
            {"annotations": {"a": 1}}                                     | annotations["a"]: expected a string, got number
            {"linux": {"sysctl": {"net.ipv4.ip_forward": true}}}          | linux.sysctl["net.ipv4.ip_forward"]: expected a string, got boolean
            {"linux": {"seccomp": {"syscalls": [{"names": ["read"], "args": [{"index": 0, "value": -2}]}]}}} | linux.seccomp.syscalls[0].args[0].value: expected an unsigned 64-bit integer, got -2
            {"linux": {"resources": {"blockIO": {"weight": 65536}}}}      | linux.resources.blockIO.weight: expected an unsigned 16-bit integer, got 65536
            [1, 2]                                                        | top level: expected an object, got array
            """)
    void wrongTypesNameTheirPath(String json, String message) {
        assertThatThrownBy(() -> SpecJson.parse(json))
                .isInstanceOfSatisfying(BerthException.class, e -> assertThat(e.kind()).isEqualTo(BerthException.Kind.INVALID_ARGUMENT))
                .hasMessage("config.json: " + message);
    }

    @Test
    void malformedJsonNamesTheDocument() {
        assertThatThrownBy(() -> SpecJson.parse("{\"ociVersion\": \"1.0.0\",}"))
                .isInstanceOf(BerthException.class)
                .hasMessageStartingWith("config.json: malformed JSON at line 1, column 24: ");
    }
}
