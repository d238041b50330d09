package dev.berth.oci.runtime.json;

import static dev.berth.oci.Fixtures.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.berth.oci.json.Json;
import dev.berth.oci.json.JsonObject;
import dev.berth.oci.runtime.SpecValidator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FeaturesJsonTest {
    private final JsonObject ours = JsonObject.root("ours", Json.parse(FeaturesJson.write()));
    private final JsonObject runc = JsonObject.root("runc", Json.parse(read("runc/features.json")));

    @Test
    void isLaidOutAsRuncFeaturesWithFourSpaces() {
        String text = FeaturesJson.write();

        assertThat(text).startsWith("{\n    \"ociVersionMin\": \"1.0.0\",\n    \"ociVersionMax\": \"1.2.0\",\n    \"hooks\": [\n        \"prestart\",");
        @SuppressWarnings("unchecked")
        Map<String, Object> top = (Map<String, Object>) Json.parse(text);
        assertThat(top.keySet()).containsExactly("ociVersionMin", "ociVersionMax", "hooks", "mountOptions", "linux", "annotations");
    }

    @Test
    void recognizesWhatRuncRecognizes() {
        assertThat(ours.strings("hooks")).isEqualTo(runc.strings("hooks"));
        assertThat(ours.strings("mountOptions")).isEqualTo(runc.strings("mountOptions"));
        JsonObject linux = ours.object("linux").orElseThrow();
        JsonObject runcLinux = runc.object("linux").orElseThrow();
        assertThat(linux.strings("namespaces")).isEqualTo(runcLinux.strings("namespaces"));
        assertThat(linux.strings("capabilities")).isEqualTo(runcLinux.strings("capabilities"));
        JsonObject seccomp = linux.object("seccomp").orElseThrow();
        JsonObject runcSeccomp = runcLinux.object("seccomp").orElseThrow();
        assertThat(seccomp.strings("actions")).isEqualTo(runcSeccomp.strings("actions"));
        assertThat(seccomp.strings("operators")).isEqualTo(runcSeccomp.strings("operators"));
        assertThat(runcSeccomp.strings("archs")).containsAll(seccomp.strings("archs"));
        assertThat(seccomp.strings("archs")).containsExactly("SCMP_ARCH_AARCH64", "SCMP_ARCH_X32", "SCMP_ARCH_X86", "SCMP_ARCH_X86_64");
    }

    @Test
    void saysWhatBerthDoesNotDo() {
        JsonObject linux = ours.object("linux").orElseThrow();
        JsonObject cgroup = linux.object("cgroup").orElseThrow();

        assertThat(cgroup.bool("v1")).contains(true);
        assertThat(cgroup.bool("v2")).contains(true);
        assertThat(cgroup.bool("systemd")).contains(false);
        assertThat(linux.object("apparmor").orElseThrow().bool("enabled")).contains(false);
        assertThat(linux.object("selinux").orElseThrow().bool("enabled")).contains(false);
        assertThat(ours.stringMap("annotations")).containsKey("dev.berth.version");
    }

    @Test
    void everyAdvertisedNameIsAcceptedByTheValidator() {
        JsonObject linux = ours.object("linux").orElseThrow();
        JsonObject seccomp = linux.object("seccomp").orElseThrow();
        List<String> caps = linux.strings("capabilities");
        StringBuilder syscalls = new StringBuilder();
        for (String action : seccomp.strings("actions")) {
            for (String op : seccomp.strings("operators")) {
                syscalls.append(syscalls.isEmpty() ? "" : ",").append("""
                        {"names": ["read"], "action": "%s", "args": [{"index": 0, "value": 1, "op": "%s"}]}""".formatted(action, op));
            }
        }
        StringBuilder namespaces = new StringBuilder();
        for (String type : linux.strings("namespaces")) {
            namespaces.append(namespaces.isEmpty() ? "" : ",").append("{\"type\": \"" + type + "\"}");
        }
        String config = """
                {"ociVersion": "1.2.0", "root": {"path": "rootfs"},
                 "process": {"cwd": "/", "args": ["sh"], "capabilities": {"bounding": %s}},
                 "linux": {"namespaces": [%s], "uidMappings": [{"containerID": 0, "hostID": 0, "size": 1}],
                   "seccomp": {"defaultAction": "SCMP_ACT_ALLOW", "listenerPath": "/run/l.sock",
                     "architectures": %s, "flags": %s, "syscalls": [%s]}}}""".formatted(
                Json.write(caps), namespaces, Json.write(seccomp.strings("archs")),
                Json.write(seccomp.strings("knownFlags")), syscalls);

        assertThatCode(() -> SpecValidator.validate(SpecJson.parse(config))).doesNotThrowAnyException();
    }
}
