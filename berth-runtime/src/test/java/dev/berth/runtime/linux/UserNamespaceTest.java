package dev.berth.runtime.linux;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.runtime.testing.TestBundle;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** linux.uidMappings/gidMappings with a new user namespace: root inside is 100000 outside. */
class UserNamespaceTest {
    static final int HOST_ID = 100000;

    @TempDir
    Path tmp;
    Harness h;

    @BeforeEach
    void setUp() {
        h = Harness.open(tmp, "userns");
    }

    @AfterEach
    void tearDown() {
        if (h != null) {
            h.close();
        }
    }

    /** The default spec plus a user namespace, the rootfs owned by the mapped root as rootless setups do. */
    private TestBundle userNamespaceBundle(String script) throws IOException {
        TestBundle b = h.bundle("sh", "-c", script);
        b.edit(c -> {
            namespaces(b).add(new LinkedHashMap<>(Map.of("type", "user")));
            b.linux().put("uidMappings", mapping());
            b.linux().put("gidMappings", mapping());
        });
        // the mapped root must be able to walk to the bundle, as for runc
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        chownTree(b.rootfs(), HOST_ID);
        return b;
    }

    @SuppressWarnings("unchecked")
    static List<Object> namespaces(TestBundle b) {
        return (List<Object>) b.linux().get("namespaces");
    }

    private static List<Object> mapping() {
        return new ArrayList<>(List.of(new LinkedHashMap<>(Map.of("containerID", 0, "hostID", HOST_ID, "size", 65536))));
    }

    private static void chownTree(Path dir, int id) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.toList()) {
                Files.setAttribute(p, "unix:uid", id, LinkOption.NOFOLLOW_LINKS);
                Files.setAttribute(p, "unix:gid", id, LinkOption.NOFOLLOW_LINKS);
            }
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void rootInsideIsTheMappedIdOutside() throws Exception {
        TestBundle b = userNamespaceBundle("id -u > /out/uid; id -g > /out/gid; touch /tmp/made-inside");
        b.edit(c -> ((Map<String, Object>) c.get("root")).put("readonly", false));
        assertThat(h.run()).isZero();
        assertThat(b.read("uid").trim()).isEqualTo("0");
        assertThat(b.read("gid").trim()).isEqualTo("0");
        Path made = b.rootfs().resolve("tmp/made-inside");
        assertThat(Files.getAttribute(made, "unix:uid")).isEqualTo(HOST_ID);
        assertThat(Files.getAttribute(made, "unix:gid")).isEqualTo(HOST_ID);
    }

    @Test
    void devicesAreBoundFromTheHost() throws Exception {
        TestBundle b = userNamespaceBundle(
                "echo x > /dev/null && echo null-ok > /out/null; grep -c ' /dev/null ' /proc/self/mountinfo > /out/bound;"
                        + " head -c 4 /dev/zero | wc -c > /out/zero");
        assertThat(h.run()).isZero();
        assertThat(b.read("null").trim()).isEqualTo("null-ok");
        assertThat(b.read("bound").trim()).isEqualTo("1");
        assertThat(b.read("zero").trim()).isEqualTo("4");
    }

    @Test
    void procAndSysMount() throws Exception {
        TestBundle b = userNamespaceBundle(
                "grep -c . /proc/self/uid_map > /out/maps; cat /proc/self/uid_map > /out/uidmap; ls /sys/kernel > /out/sys");
        assertThat(h.run()).isZero();
        assertThat(b.read("uidmap").trim().split("\\s+")).containsExactly("0", "100000", "65536");
        assertThat(b.read("sys")).isNotBlank();
    }

    @Test
    void createThenStartWaitsOnTheFifo() throws Exception {
        TestBundle b = userNamespaceBundle("echo started > /out/started; sleep 60");
        h.create();
        assertThat(Files.exists(b.out().resolve("started"))).isFalse();
        h.runtime.start(h.id);
        Harness.waitFor(() -> Files.exists(b.out().resolve("started")));
        assertThat(h.status()).isEqualTo(dev.berth.oci.runtime.State.Status.RUNNING);
    }

    @Test
    void execJoinsTheUserNamespace() throws Exception {
        TestBundle b = userNamespaceBundle("sleep 60");
        h.runDetached();
        assertThat(h.exec("sh", "-c", "id -u > /out/uid; cat /proc/self/uid_map > /out/uidmap")).isZero();
        assertThat(b.read("uid").trim()).isEqualTo("0");
        assertThat(b.read("uidmap").trim().split("\\s+")).containsExactly("0", "100000", "65536");
        assertThat(Files.getAttribute(b.out().resolve("uid"), "unix:uid")).isEqualTo(HOST_ID);
    }

    @Test
    void theContainerSeesItsOwnCgroup() throws Exception {
        TestBundle b = userNamespaceBundle("ls /sys/fs/cgroup > /out/hierarchies; cat /sys/fs/cgroup/pids/pids.max > /out/max");
        b.edit(c -> {
            @SuppressWarnings("unchecked")
            Map<String, Object> res = (Map<String, Object>) b.linux().computeIfAbsent("resources", k -> new LinkedHashMap<>());
            res.put("pids", new LinkedHashMap<>(Map.of("limit", 42)));
        });
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(Path.of("/sys/fs/cgroup/pids")), "checks the v1 pids hierarchy");
        assertThat(h.run()).isZero();
        assertThat(b.read("max").trim()).isEqualTo("42");
    }

    @Test
    void aTerminalWorks() throws Exception {
        TestBundle b = userNamespaceBundle("tty; echo userns-done");
        b.edit(c -> b.process().put("terminal", true));
        try (var console = dev.berth.runtime.testing.ConsoleSocket.listen(tmp.resolve("console.sock"))) {
            h.remember(h.runtime.create(new dev.berth.runtime.api.CreateOptions(h.id, b.dir(), java.util.Optional.empty(),
                    java.util.Optional.of(console.path()), false, false, 0)));
            h.runtime.start(h.id);
            assertThat(console.readUntil("userns-done")).contains("/dev/pts/").contains("userns-done");
        }
    }

    @Test
    void hooksRunAndSeeTheState() throws Exception {
        TestBundle b = userNamespaceBundle("true");
        b.edit(c -> {
            Map<String, Object> hooks = new LinkedHashMap<>();
            for (String kind : List.of("createRuntime", "createContainer")) {
                hooks.put(kind, new ArrayList<>(List.of(new LinkedHashMap<>(Map.of("path", "/bin/sh",
                        "args", new ArrayList<>(List.of("sh", "-c", "cat > " + b.out() + "/" + kind + ".json")))))));
            }
            c.put("hooks", hooks);
        });
        assertThat(h.run()).isZero();
        assertThat(b.read("createRuntime.json")).contains(h.id);
        assertThat(b.read("createContainer.json")).contains(h.id);
    }
}
