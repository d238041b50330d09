package dev.berth.daemon.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.berth.daemon.Daemon;
import dev.berth.daemon.testing.RawHttp;
import dev.berth.daemon.testing.TestDaemons;
import dev.berth.oci.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * An in-process berthd on /tmp with a bootstrapped busybox image, for container route tests;
 * {@link #close} stops it and checks that nothing is left (mounts under its roots, cgroups of
 * its containers, child processes), then removes the tree.
 */
final class ContainerDaemon implements AutoCloseable {
    final Path dir;
    final Daemon daemon;
    final Path socket;
    private final List<Path> cgroupParents = new ArrayList<>();

    private ContainerDaemon(Path dir, Daemon daemon) {
        this.dir = dir;
        this.daemon = daemon;
        this.socket = TestDaemons.socket(dir);
    }

    /** Skips unless root with overlayfs, /bin/busybox and the built berth-init. */
    static void assumePrivileged() {
        assumeTrue(!Boolean.getBoolean("berth.skipPrivileged"), "privileged tests disabled");
        assumeTrue("root".equals(System.getProperty("user.name")), "containers need root");
        assumeTrue(Files.isExecutable(Path.of("/bin/busybox")), "needs /bin/busybox");
        assumeTrue(Files.isExecutable(helper()), "needs berth-init built at " + helper());
    }

    static Path helper() {
        String repo = System.getProperty("berth.repo");
        Path base = repo == null ? Path.of("").toAbsolutePath().getParent() : Path.of(repo);
        return base.resolve("berth-runtime/target/berth-init");
    }

    static ContainerDaemon start() throws IOException {
        System.setProperty("berth.init", helper().toString());
        Path dir = Path.of("/tmp/berth-routes-test-" + UUID.randomUUID().toString().substring(0, 8));
        Files.createDirectories(dir);
        List<Path> parents = new ArrayList<>();
        try (var controllers = Files.list(Path.of("/sys/fs/cgroup"))) {
            for (Path ctl : controllers.toList()) {
                if (Files.isDirectory(ctl) && !Files.exists(ctl.resolve("berth"))) {
                    parents.add(ctl.resolve("berth"));
                }
            }
        }
        ContainerDaemon d = new ContainerDaemon(dir, TestDaemons.start(dir));
        d.cgroupParents.addAll(parents);
        RawHttp.Response r = d.call("POST", "/berth/images/bootstrap?name=busybox", null);
        assertThat(r.text()).contains("Loaded image: busybox:latest");
        return d;
    }

    RawHttp.Response call(String method, String path, String json) throws IOException {
        return RawHttp.call(socket, method, path, json == null ? null : "application/json",
                json == null ? null : json.getBytes(StandardCharsets.UTF_8));
    }

    Object json(String method, String path, String json) throws IOException {
        RawHttp.Response r = call(method, path, json);
        assertThat(r.status()).as(method + " " + path + ": " + r.text()).isBetween(200, 299);
        return Json.parse(r.text());
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> object(String method, String path, String json) throws IOException {
        return (Map<String, Object>) json(method, path, json);
    }

    /** Creates a busybox container running {@code cmd} (a JSON array) and returns its id. */
    String create(String name, String cmd) throws IOException {
        return (String) object("POST", "/containers/create" + (name == null ? "" : "?name=" + name),
                "{\"Image\":\"busybox\",\"Cmd\":" + cmd + "}").get("Id");
    }

    String run(String name, String cmd) throws IOException {
        String id = create(name, cmd);
        assertThat(call("POST", "/containers/" + id + "/start", null).status()).isEqualTo(204);
        return id;
    }

    @Override
    public void close() throws Exception {
        List<String> ids = daemon.engine().list(true).stream().map(c -> c.id()).toList();
        daemon.close();
        try {
            List<String> mounts = new ArrayList<>();
            for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
                String point = line.split(" ")[4];
                if (point.startsWith(dir.toString())) {
                    mounts.add(point);
                }
            }
            assertThat(mounts).as("mounts left under " + dir).isEmpty();
            List<Path> cgroups = new ArrayList<>();
            try (var controllers = Files.list(Path.of("/sys/fs/cgroup"))) {
                for (Path ctl : controllers.toList()) {
                    for (String id : ids) {
                        if (Files.exists(ctl.resolve("berth").resolve(id))) {
                            cgroups.add(ctl.resolve("berth").resolve(id));
                        }
                    }
                }
            }
            assertThat(cgroups).as("cgroups left").isEmpty();
            long deadline = System.nanoTime() + 5_000_000_000L;
            List<ProcessHandle> children = ProcessHandle.current().children().toList();
            while (!children.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(20);
                children = ProcessHandle.current().children().toList();
            }
            assertThat(children).as("child processes left").extracting(p -> p.pid() + " " + p.info().commandLine().orElse("?"))
                    .isEmpty();
        } finally {
            for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo")).reversed()) {
                String point = line.split(" ")[4];
                if (point.startsWith(dir.toString())) {
                    new ProcessBuilder("umount", "-l", point).inheritIO().start().onExit().join();
                }
            }
            for (Path parent : cgroupParents) {
                try {
                    Files.deleteIfExists(parent);
                } catch (IOException stillInUse) {
                    // another test's containers: theirs
                }
            }
            dev.berth.image.io.FileTrees.deleteQuietly(dir);
        }
    }
}
