package dev.berth.oci.runtime;

import static dev.berth.oci.Fixtures.read;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.oci.BerthException;
import dev.berth.oci.json.Json;
import dev.berth.oci.runtime.json.SpecJson;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Each case starts from runc's default config and changes one thing (crun's test style). */
class SpecValidatorTest {

    @ParameterizedTest
    @ValueSource(strings = {"runc/spec.json", "runc/spec-rootless.json", "spec/full-config.json"})
    void acceptsValidConfigs(String fixture) {
        Spec spec = SpecJson.parse(read(fixture));

        assertThatCode(() -> {
            SpecValidator.validate(spec);
            SpecValidator.requireProcess(spec);
        }).doesNotThrowAnyException();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            linux.namespaces[1]  | {"type": "network", "path": "/proc/1/ns/net"}
            linux.namespaces[1]  | {"type": "time"}
            process.rlimits      | [{"type": "RLIMIT_CORE", "soft": 0, "hard": 18446744073709551615}, {"type": "RLIMIT_NOFILE", "soft": 1024, "hard": 1024}]
            linux.seccomp        | {"defaultAction": "SCMP_ACT_ERRNO", "defaultErrnoRet": 1, "architectures": ["SCMP_ARCH_AARCH64", "SCMP_ARCH_ARM"], "syscalls": [{"names": ["read"], "action": "SCMP_ACT_ALLOW", "args": [{"index": 5, "value": 1, "op": "SCMP_CMP_NE"}]}]}
            process              | null
            """)
    void acceptsOneChange(String path, String json) {
        Spec spec = changed(path, json);

        assertThatCode(() -> SpecValidator.validate(spec)).doesNotThrowAnyException();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            ociVersion                        | ""                | ociVersion: required
            root                              | null              | root.path: required
            root.path                         | ""                | root.path: required
            process.args                      | []                | process.args: must hold at least one entry
            process.cwd                       | "tmp"             | process.cwd: must be an absolute path, got "tmp"
            process.cwd                       | ""                | process.cwd: required
            mounts[2].destination             | "dev/pts"         | mounts[2].destination: must be an absolute path, got "dev/pts"
            linux.namespaces[1].type          | "net"             | linux.namespaces[1].type: unknown namespace type "net"
            linux.namespaces[1].type          | "pid"             | linux.namespaces[1].type: duplicate namespace type "pid"
            linux.namespaces[1].type          | ""                | linux.namespaces[1].type: required
            linux.namespaces[1].path          | "proc/1/ns/net"   | linux.namespaces[1].path: must be an absolute path, got "proc/1/ns/net"
            linux.uidMappings                 | [{"containerID": 0, "hostID": 1000, "size": 1}] | linux.uidMappings: requires a user namespace in linux.namespaces
            linux.gidMappings                 | [{"containerID": 0, "hostID": 1000, "size": 1}] | linux.gidMappings: requires a user namespace in linux.namespaces
            process.rlimits[0].type           | "RLIMIT_FOO"      | process.rlimits[0].type: unknown rlimit "RLIMIT_FOO"
            process.rlimits[0].type           | ""                | process.rlimits[0].type: required
            process.rlimits                   | [{"type": "RLIMIT_NOFILE", "soft": 1, "hard": 1}, {"type": "RLIMIT_NOFILE", "soft": 2, "hard": 2}] | process.rlimits[1].type: duplicate rlimit "RLIMIT_NOFILE"
            process.rlimits[0].soft           | 2048              | process.rlimits[0]: soft limit 2048 exceeds hard limit 1024
            process.rlimits[0].soft           | 18446744073709551615 | process.rlimits[0]: soft limit 18446744073709551615 exceeds hard limit 1024
            process.capabilities.bounding[1]  | "CAP_FOO"         | process.capabilities.bounding[1]: unknown capability "CAP_FOO"
            process.capabilities.ambient[0]   | "KILL"            | process.capabilities.ambient[0]: unknown capability "KILL"
            process.capabilities.inheritable  | ["CAP_SYS_ADMIN", "cap_chown"] | process.capabilities.inheritable[1]: unknown capability "cap_chown"
            linux.devices                     | [{"path": "/dev/x", "type": "x"}] | linux.devices[0].type: must be one of c, b, u, p, got "x"
            linux.devices                     | [{"path": "/dev/x"}]              | linux.devices[0].type: must be one of c, b, u, p, got nothing
            linux.devices                     | [{"path": "dev/x", "type": "c"}]  | linux.devices[0].path: must be an absolute path, got "dev/x"
            linux.namespaces                  | [{"type": "pid"}, {"type": "mount"}] | hostname: requires a uts namespace in linux.namespaces
            linux                             | null              | hostname: requires a uts namespace in linux.namespaces
            hooks                             | {"poststop": [{"path": "cleanup"}]} | hooks.poststop[0].path: must be an absolute path, got "cleanup"
            hooks                             | {"createRuntime": [{"path": "/bin/x", "timeout": 0}]} | hooks.createRuntime[0].timeout: must be greater than zero, got 0
            linux.seccomp                     | {}                | linux.seccomp.defaultAction: required
            linux.seccomp                     | {"defaultAction": "SCMP_ACT_DENY"} | linux.seccomp.defaultAction: unknown action "SCMP_ACT_DENY"
            linux.seccomp                     | {"defaultAction": "SCMP_ACT_NOTIFY", "listenerPath": "/run/a.sock"} | linux.seccomp.defaultAction: SCMP_ACT_NOTIFY cannot be the default action
            linux.seccomp                     | {"defaultAction": "SCMP_ACT_ALLOW", "defaultErrnoRet": 1} | linux.seccomp.defaultErrnoRet: only allowed with SCMP_ACT_ERRNO or SCMP_ACT_TRACE, not SCMP_ACT_ALLOW
            linux.seccomp                     | {"defaultAction": "SCMP_ACT_ALLOW", "architectures": ["SCMP_ARCH_X86_64", "x86_64"]} | linux.seccomp.architectures[1]: unknown architecture "x86_64"
            linux.seccomp                     | {"defaultAction": "SCMP_ACT_ALLOW", "flags": ["SECCOMP_FILTER_FLAG_NOPE"]} | linux.seccomp.flags[0]: unknown flag "SECCOMP_FILTER_FLAG_NOPE"
            linux.seccomp                     | {"defaultAction": "SCMP_ACT_ALLOW", "listenerMetadata": "x"} | linux.seccomp.listenerMetadata: must not be set without linux.seccomp.listenerPath
            linux.seccomp                     | {"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": [], "action": "SCMP_ACT_ERRNO"}]} | linux.seccomp.syscalls[0].names: must hold at least one entry
            linux.seccomp                     | {"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["read"], "action": "SCMP_ACT_EPERM"}]} | linux.seccomp.syscalls[0].action: unknown action "SCMP_ACT_EPERM"
            linux.seccomp                     | {"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["read"]}]} | linux.seccomp.syscalls[0].action: required
            linux.seccomp                     | {"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["read"], "action": "SCMP_ACT_NOTIFY"}]} | linux.seccomp.listenerPath: required when linux.seccomp.syscalls[0] uses SCMP_ACT_NOTIFY
            linux.seccomp                     | {"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["read"], "action": "SCMP_ACT_KILL", "errnoRet": 1}]} | linux.seccomp.syscalls[0].errnoRet: only allowed with SCMP_ACT_ERRNO or SCMP_ACT_TRACE, not SCMP_ACT_KILL
            linux.seccomp                     | {"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["read"], "action": "SCMP_ACT_ERRNO", "args": [{"index": 0, "value": 1, "op": "SCMP_CMP_EQUAL"}]}]} | linux.seccomp.syscalls[0].args[0].op: unknown operator "SCMP_CMP_EQUAL"
            linux.seccomp                     | {"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["read"], "action": "SCMP_ACT_ERRNO", "args": [{"index": 6, "value": 1, "op": "SCMP_CMP_EQ"}]}]} | linux.seccomp.syscalls[0].args[0].index: must be 0 to 5, got 6
            linux.seccomp                     | {"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["read"], "action": "SCMP_ACT_ERRNO", "args": [{"index": 4294967295, "value": 1, "op": "SCMP_CMP_EQ"}]}]} | linux.seccomp.syscalls[0].args[0].index: must be 0 to 5, got 4294967295
            linux.seccomp                     | {"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["read"], "action": "SCMP_ACT_ERRNO", "args": [{"index": 1, "value": 1}]}]} | linux.seccomp.syscalls[0].args[0].op: required
            """)
    void refusesOneChangeNamingTheField(String path, String json, String message) {
        Spec spec = changed(path, json);

        assertThatThrownBy(() -> SpecValidator.validate(spec))
                .isInstanceOfSatisfying(BerthException.class, e -> org.assertj.core.api.Assertions.assertThat(e.kind())
                        .isEqualTo(BerthException.Kind.INVALID_ARGUMENT))
                .hasMessage("config.json: " + message);
    }

    @Test
    void createNeedsAProcess() {
        Spec spec = changed("process", "null");

        assertThatThrownBy(() -> SpecValidator.requireProcess(spec))
                .isInstanceOf(BerthException.class)
                .hasMessage("config.json: process: required");
    }

    /** runc's default config with the value at {@code path} replaced by {@code json} (null removes it). */
    static Spec changed(String path, String json) {
        Object tree = Json.parse(read("runc/spec.json"));
        Object value = Json.parse(json);
        String[] steps = path.split("\\.");
        Object at = tree;
        for (int i = 0; i < steps.length; i++) {
            String step = steps[i];
            int bracket = step.indexOf('[');
            String key = bracket < 0 ? step : step.substring(0, bracket);
            Integer index = bracket < 0 ? null : Integer.valueOf(step.substring(bracket + 1, step.length() - 1));
            @SuppressWarnings("unchecked")
            Map<String, Object> object = (Map<String, Object>) at;
            boolean last = i == steps.length - 1;
            if (last && index == null) {
                if (value == null) {
                    object.remove(key);
                } else {
                    object.put(key, value);
                }
            } else if (last) {
                @SuppressWarnings("unchecked")
                List<Object> list = (List<Object>) object.get(key);
                list.set(index, value);
            } else {
                at = index == null ? object.get(key) : ((List<?>) object.get(key)).get(index);
            }
        }
        return SpecJson.parse(Json.write(tree));
    }
}
