package dev.berth.runtime.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.runtime.api.CreateOptions;
import dev.berth.runtime.testing.TestBundle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Configs as podman and dockerd write them, and what their containers expect to find: the
 * parts of those configs that berth's own default spec does not exercise.
 */
class EngineConfigTest extends RuntimeTest {
    @Override
    String idPrefix() {
        return "eng";
    }

    private static boolean pureCgroupV2() {
        return Files.exists(Path.of("/sys/fs/cgroup/cgroup.controllers"));
    }

    /**
     * podman --memory 64m --pids-limit 20 (no cgroup namespace on a v1 host): the container
     * reads its own limits under /sys/fs/cgroup, as with runc, and the tmpfs stays read-only.
     */
    @Test
    void cgroupMountShowsTheContainersOwnCgroupWithoutACgroupNamespace() {
        String script = pureCgroupV2()
                ? "cat /sys/fs/cgroup/memory.max > /out/mem; cat /sys/fs/cgroup/pids.max > /out/pids"
                : "cat /sys/fs/cgroup/memory/memory.limit_in_bytes > /out/mem; cat /sys/fs/cgroup/pids/pids.max > /out/pids;"
                        + " touch /sys/fs/cgroup/x 2> /out/touch; echo $? >> /out/touch";
        TestBundle b = TestBundle.create(tmp, "sh", "-c", script);
        b.edit(c -> b.linux().put("resources", new LinkedHashMap<>(Map.of(
                "devices", List.of(Map.of("allow", false, "access", "rwm")),
                "memory", Map.of("limit", 64L << 20),
                "pids", Map.of("limit", 20)))));
        assertThat(runtime.run(CreateOptions.of(id, b.dir()), false)).isZero();
        assertThat(b.read("mem").trim()).isEqualTo(Long.toString(64L << 20));
        assertThat(b.read("pids").trim()).isEqualTo("20");
        if (!pureCgroupV2()) {
            assertThat(b.read("touch")).containsIgnoringCase("read-only").endsWith("1\n");
        }
    }

    /**
     * dockerd's prestart hook is /proc/PID/exe with args[0] "libnetwork-setkey": the hook must
     * see its own args[0], not its path.
     */
    @Test
    void hookSeesItsOwnArgv0() {
        Path out = tmp.resolve("hook-out");
        TestBundle b = TestBundle.create(tmp, "true");
        b.edit(c -> c.put("hooks", new LinkedHashMap<>(Map.of("prestart", new ArrayList<>(List.of(Map.of(
                "path", "/bin/sh",
                "args", List.of("libnetwork-setkey", "-c", "echo $0 > " + out))))))));
        assertThat(runtime.run(CreateOptions.of(id, b.dir()), false)).isZero();
        assertThat(out).content().isEqualTo("libnetwork-setkey\n");
    }

    /**
     * podman run -u 65534 -w /private where /private is root's 0700 directory: runc enters the
     * cwd before it switches user, so the process starts there (and pwd works).
     */
    @Test
    void cwdOnlyRootCanEnterStillBecomesTheCwdOfAnotherUser() throws Exception {
        TestBundle b = TestBundle.create(tmp, "sh", "-c", "pwd > /out/pwd; id -u >> /out/pwd");
        Path priv = Files.createDirectory(b.rootfs().resolve("private"));
        Files.setPosixFilePermissions(priv, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        b.edit(c -> {
            b.process().put("cwd", "/private");
            b.process().put("user", new LinkedHashMap<>(Map.of("uid", 65534, "gid", 65534)));
        });
        assertThat(runtime.run(CreateOptions.of(id, b.dir()), false)).isZero();
        assertThat(b.read("pwd")).isEqualTo("/private\n65534\n");
    }

    /**
     * dockerd turns a create error into exit 127 or 126 by matching runc's lower-case
     * "no such file or directory" and "permission denied"; strerror's capitals made it 125.
     */
    @Test
    void execFailuresUseTheWordsEnginesMatch() {
        TestBundle b = TestBundle.create(tmp, "/etc/passwd");
        assertThatThrownBy(() -> runtime.run(CreateOptions.of(id, b.dir()), false))
                .hasMessageContaining("exec: \"/etc/passwd\": permission denied");
        b.args("/no/such/program");
        assertThatThrownBy(() -> runtime.run(CreateOptions.of(id + "-2", b.dir()), false))
                .hasMessageContaining("exec: \"/no/such/program\": stat /no/such/program: no such file or directory");
        b.args("no-such-program");
        assertThatThrownBy(() -> runtime.run(CreateOptions.of(id + "-3", b.dir()), false))
                .hasMessageContaining("exec: \"no-such-program\": executable file not found in $PATH");
    }

    /** The same words from `exec` into a running container (docker exec maps them too). */
    @Test
    void execIntoAContainerFailsWithTheWordsEnginesMatch() {
        TestBundle b = TestBundle.create(tmp, "sleep", "100");
        runtime.create(CreateOptions.of(id, b.dir()));
        runtime.start(id);
        b.args("/etc/passwd");
        dev.berth.oci.runtime.Process p = dev.berth.oci.runtime.json.SpecJson.parse(
                dev.berth.oci.json.Json.writePretty(b.config())).process();
        assertThatThrownBy(() -> runtime.exec(id, new dev.berth.runtime.api.ExecOptions(p, false,
                java.util.Optional.empty(), java.util.Optional.empty(), 0)))
                .hasMessageContaining("exec: \"/etc/passwd\": permission denied");
    }

    /**
     * podman run --uidmap 0:100000:65536: the init is root only inside its user namespace. It
     * must still make its mount points and device nodes (as the namespace's root, not as an
     * unmapped host root: EOVERFLOW) and open the exec fifo (as "other": mode 0622) after
     * create, as with runc.
     */
    @Test
    void userNamespaceMappedToAnUnprivilegedRangeCreatesAndStarts() throws Exception {
        TestBundle b = TestBundle.create(tmp, "sh", "-c",
                "cat /proc/self/uid_map > /out/map; id -u >> /out/map; touch /out/x && ls -n /out/x >> /out/map");
        Map<String, Object> range = Map.of("containerID", 0, "hostID", 100000, "size", 65536);
        b.edit(c -> {
            @SuppressWarnings("unchecked")
            List<Object> ns = (List<Object>) b.linux().get("namespaces");
            ns.add(Map.of("type", "user"));
            b.linux().put("uidMappings", List.of(range));
            b.linux().put("gidMappings", List.of(range));
        });
        // the mapped root owns the rootfs and may walk down to it, as podman arranges
        new ProcessBuilder("chown", "-R", "100000:100000", b.rootfs().toString()).inheritIO().start().waitFor();
        for (Path p = b.dir(); p != null && p.startsWith(tmp.getParent()); p = p.getParent()) {
            Files.setPosixFilePermissions(p, java.nio.file.attribute.PosixFilePermissions.fromString("rwx--x--x"));
        }
        runtime.create(CreateOptions.of(id, b.dir()));
        runtime.start(id);
        LifecycleTest.waitFor(() -> runtime.state(id).status() == dev.berth.oci.runtime.State.Status.STOPPED);
        assertThat(b.read("map")).matches("(?s)\\s*0\\s+100000\\s+65536\\s*\n0\n.* 0 +0 .*/out/x\n");
    }

    /**
     * dockerd passes the same --root (/run/docker/runtime-runc/moby) to every runc-compatible
     * runtime, so runc's containers sit next to berth's: list leaves them out, state says whose.
     */
    @Test
    void runcContainersInASharedRootAreNotOurs() throws Exception {
        Path runcDir = Files.createDirectories(tmp.resolve("root").resolve("from-runc"));
        Files.writeString(runcDir.resolve("state.json"), "{\"id\":\"from-runc\",\"init_process_pid\":1,"
                + "\"init_process_start\":1,\"created\":\"2026-01-01T00:00:00Z\",\"config\":{}}");
        TestBundle b = TestBundle.create(tmp, "sleep", "100");
        runtime.create(CreateOptions.of(id, b.dir()));
        assertThat(runtime.list()).extracting(s -> s.id()).containsExactly(id);
        assertThatThrownBy(() -> runtime.state("from-runc")).hasMessageContaining("not a berth-runtime container");
    }
}
