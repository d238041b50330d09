package dev.berth.daemon.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.daemon.testing.RawHttp;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * bin/berthd driven by the real docker CLIs (28.x first on PATH, 20.10 at /usr/bin/docker) for
 * containers and volumes, as a user would: docker run -d, ps, inspect, the lifecycle verbs, top,
 * stats, diff, export, commit, rm, prune, volumes; then SIGTERM and nothing left behind.
 */
class ContainerCliIT {
    private Path dir;
    private Path berthd;
    private Process daemon;

    record Result(int code, String out, String err) {}

    @BeforeEach
    void startDaemon() throws Exception {
        berthd = Path.of(System.getProperty("berth.repo", "."), "bin", "berthd").toAbsolutePath();
        Assumptions.assumeTrue(Files.isExecutable(berthd), "bin/berthd not found at " + berthd);
        Assumptions.assumeTrue(System.getProperty("user.name").equals("root"), "containers need root");
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/local/bin/docker")) || Files.isExecutable(Path.of("/usr/bin/docker")),
                "no docker CLI");
        dir = Path.of("/tmp/berth-container-it-" + UUID.randomUUID().toString().substring(0, 8));
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("none.json"), "{}");
        daemon = new ProcessBuilder(berthd.toString(), "--data-root", dir.resolve("data").toString(),
                "--exec-root", dir.resolve("exec").toString(), "-H", "unix://" + socket(), "--bridge=none",
                "--config-file", dir.resolve("none.json").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("berthd.log").toFile()).start();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!Files.exists(socket())) {
            assertThat(daemon.isAlive()).as("berthd exited: " + Files.readString(dir.resolve("berthd.log"))).isTrue();
            assertThat(System.nanoTime()).as("berthd did not listen").isLessThan(deadline);
            Thread.sleep(50);
        }
        RawHttp.Response boot = RawHttp.call(socket(), "POST", "/berth/images/bootstrap?name=busybox");
        assertThat(boot.text()).contains("Loaded image: busybox:latest");
    }

    @AfterEach
    void stopDaemon() throws Exception {
        if (daemon != null && daemon.isAlive()) {
            daemon.destroy();
            if (!daemon.waitFor(60, TimeUnit.SECONDS)) {
                daemon.destroyForcibly();
            }
        }
        if (dir != null) {
            for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo")).reversed()) {
                String point = line.split(" ")[4];
                if (point.startsWith(dir.toString())) {
                    new ProcessBuilder("umount", "-l", point).inheritIO().start().onExit().join();
                }
            }
            dev.berth.image.io.FileTrees.deleteQuietly(dir);
        }
    }

    private Path socket() {
        return dir.resolve("berth.sock");
    }

    private Result docker(String... args) throws Exception {
        return cli(Files.isExecutable(Path.of("/usr/local/bin/docker")) ? "/usr/local/bin/docker" : "docker", args);
    }

    private Result docker2010(String... args) throws Exception {
        return cli("/usr/bin/docker", args);
    }

    private Result cli(String docker, String... args) throws Exception {
        List<String> argv = new ArrayList<>(List.of(docker, "-H", "unix://" + socket()));
        argv.addAll(List.of(args));
        Process p = new ProcessBuilder(argv).start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as(String.join(" ", argv)).isTrue();
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
    }

    private String ok(String... args) throws Exception {
        Result r = docker(args);
        assertThat(r.code()).as("docker " + String.join(" ", args) + "\n" + r.err()).isZero();
        return r.out();
    }

    @Test
    void theDockerCliManagesContainersAndVolumesOnBerthd() throws Exception {
        String id = ok("run", "-d", "--name", "web", "--label", "role=front", "busybox", "sleep", "1000").trim();
        assertThat(id).hasSize(64);
        List<String> ids = new ArrayList<>(List.of(id));

        Result again = docker("run", "-d", "--name", "web", "busybox", "sleep", "1000");
        assertThat(again.code()).isEqualTo(125);
        assertThat(again.err()).contains("Error response from daemon: Conflict. The container name \"/web\" is already in use by container \""
                + id + "\". You have to remove (or rename) that container to be able to reuse that name.");
        Result missing = docker("rm", "nope");
        assertThat(missing.code()).isEqualTo(1);
        assertThat(missing.err()).contains("Error response from daemon: No such container: nope");
        Result cannot = docker("run", "-d", "--name", "cannot", "busybox", "nope");
        assertThat(cannot.code()).isEqualTo(127);
        assertThat(cannot.err()).contains("executable file not found in $PATH");
        ids.add(ok("inspect", "-f", "{{.Id}}", "cannot").trim());

        assertThat(ok("ps")).contains("web", "\"sleep 1000\"", "Up ").doesNotContain("cannot");
        assertThat(ok("ps", "-a", "--format", "{{.Names}} {{.Status}}")).contains("web Up ", "cannot Created");
        assertThat(ok("ps", "-q").trim()).isEqualTo(id.substring(0, 12));
        assertThat(ok("ps", "-a", "-q", "--no-trunc", "--filter", "label=role=front").trim()).isEqualTo(id);
        assertThat(ok("ps", "-a", "--filter", "status=created", "--format", "{{.Names}}").trim()).isEqualTo("cannot");
        assertThat(ok("ps", "--format", "{{.ID}} {{.Image}} {{.Command}} {{.Networks}} {{.Label \"role\"}}").trim())
                .isEqualTo(id.substring(0, 12) + " busybox \"sleep 1000\" none front");
        assertThat(ok("inspect", "-f", "{{.Name}} {{.State.Status}} {{.State.Running}} {{.Config.Image}} {{.HostConfig.NetworkMode}}"
                + " {{.Driver}} {{.RestartCount}} {{json .Config.Cmd}}", "web").trim())
                .isEqualTo("/web running true busybox none overlay2 0 [\"sleep\",\"1000\"]");
        assertThat(docker2010("ps", "--format", "{{.Names}} {{.Command}}").out().trim()).isEqualTo("web \"sleep 1000\"");
        assertThat(docker2010("inspect", "-f", "{{.State.Pid}}", "web").out().trim()).matches("[1-9][0-9]*");
        if (Files.isExecutable(Path.of("/usr/bin/docker"))) {
            Result old = docker2010("run", "-d", "--name", "old", "busybox", "sleep", "1000");
            assertThat(old.code()).as(old.err()).isZero();
            ids.add(old.out().trim());
            assertThat(docker2010("stop", "-t", "0", "old").out().trim()).isEqualTo("old");
            Result twice = docker2010("run", "-d", "--name", "old", "busybox", "true");
            assertThat(twice.code()).isEqualTo(125);
            assertThat(twice.err()).contains("The container name \"/old\" is already in use");
            assertThat(docker2010("rm", "old").code()).isZero();
        }

        String top = ok("top", "web");
        assertThat(top).contains("UID", "PID", "PPID", "CMD", "sleep 1000");
        String stats = ok("stats", "--no-stream", "--format", "{{.Name}} {{.CPUPerc}} {{.MemUsage}} {{.PIDs}}", "web");
        assertThat(stats.trim()).matches("web \\d+\\.\\d\\d% [0-9.]+[KMG]?i?B / [0-9.]+[KMG]iB 1");

        ok("pause", "web");
        assertThat(ok("ps", "--format", "{{.Status}}")).contains("(Paused)");
        ok("unpause", "web");
        ok("update", "--memory", "64m", "--restart", "unless-stopped", "web");
        assertThat(ok("inspect", "-f", "{{.HostConfig.Memory}} {{.HostConfig.RestartPolicy.Name}}", "web").trim())
                .isEqualTo("67108864 unless-stopped");
        ok("update", "--restart", "no", "web");
        ok("rename", "web", "web2");
        assertThat(ok("ps", "--format", "{{.Names}}").trim()).isEqualTo("web2");
        ok("kill", "-s", "KILL", "web2");
        assertThat(ok("wait", "web2").trim()).isEqualTo("137"); // kill returns once the signal is sent, as dockerd's
        assertThat(ok("inspect", "-f", "{{.State.Status}} {{.State.ExitCode}}", "web2").trim()).isEqualTo("exited 137");
        Result killAgain = docker("kill", "web2");
        assertThat(killAgain.code()).isEqualTo(1);
        assertThat(killAgain.err()).contains("is not running");
        ok("start", "web2");
        ok("restart", "-t", "0", "web2");
        ok("stop", "-t", "0", "web2");
        assertThat(ok("ps", "-a", "--filter", "exited=137", "--format", "{{.Names}}").trim()).isEqualTo("web2");

        String maker = ok("run", "-d", "--name", "maker", "-v", "vol1:/data", "busybox", "sh", "-c",
                "echo hi > /made; echo kept > /data/f; rm /bin/true; sleep 1000").trim();
        ids.add(maker);
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        String diff = "";
        while (!diff.contains("A /made") && System.nanoTime() < deadline) {
            diff = ok("diff", "maker");
            Thread.sleep(100);
        }
        assertThat(diff).contains("A /made", "D /bin/true");
        Path exported = dir.resolve("maker.tar");
        ok("export", "-o", exported.toString(), "maker");
        assertThat(Files.size(exported)).isGreaterThan(1024);
        String image = ok("commit", "-c", "CMD [\"cat\",\"/made\"]", "-m", "made here", "maker", "made:1").trim();
        assertThat(image).startsWith("sha256:");
        assertThat(ok("image", "inspect", "-f", "{{json .Config.Cmd}} {{.Comment}}", "made:1").trim())
                .isEqualTo("[\"cat\",\"/made\"] made here");

        assertThat(ok("volume", "ls", "-q").trim()).isEqualTo("vol1");
        ok("volume", "create", "--label", "k=v", "vol2");
        assertThat(ok("volume", "ls", "--filter", "label=k=v", "--format", "{{.Name}} {{.Driver}}").trim()).isEqualTo("vol2 local");
        assertThat(ok("volume", "inspect", "-f", "{{.Mountpoint}}", "vol1").trim())
                .isEqualTo(dir.resolve("data/volumes/vol1/_data").toString());
        Result inUse = docker("volume", "rm", "vol1");
        assertThat(inUse.code()).isEqualTo(1);
        assertThat(inUse.err()).contains("remove vol1: volume is in use - [" + maker + "]");
        assertThat(ok("ps", "-a", "--filter", "volume=vol1", "--format", "{{.Names}} {{.Mounts}}").trim()).isEqualTo("maker vol1");
        assertThat(ok("system", "df")).contains("Containers      3", "Local Volumes   2");
        assertThat(ok("info", "--format", "{{.Containers}} {{.ContainersRunning}} {{.ContainersStopped}}").trim()).isEqualTo("3 1 2");

        ok("rm", "-f", "-v", "maker");
        assertThat(ok("volume", "rm", "vol2").trim()).isEqualTo("vol2");
        assertThat(ok("volume", "prune", "-f", "--all")).contains("vol1");
        assertThat(ok("volume", "ls", "-q")).isEmpty();
        assertThat(ok("container", "prune", "-f")).contains(ids.get(0), ids.get(1));
        assertThat(ok("ps", "-a", "-q")).isEmpty();
        ok("rmi", "made:1");

        daemon.destroy();
        assertThat(daemon.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(daemon.exitValue()).isZero();
        assertNothingLeft(ids);
    }

    /** No mounts under the roots and no cgroup of the test's containers (so none of their processes). */
    private void assertNothingLeft(List<String> ids) throws IOException {
        List<String> mounts = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
            String point = line.split(" ")[4];
            if (point.startsWith(dir.toString())) {
                mounts.add(point);
            }
        }
        assertThat(mounts).as("mounts left").isEmpty();
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
        List<String> processes = new ArrayList<>();
        try (var procs = Files.list(Path.of("/proc"))) {
            for (Path p : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                try {
                    String cgroup = Files.readString(p.resolve("cgroup"));
                    if (ids.stream().anyMatch(id -> cgroup.contains("/berth/" + id))) {
                        processes.add(p.getFileName() + " " + cgroup.lines().findFirst().orElse(""));
                    }
                } catch (IOException gone) {
                    // exited while listing
                }
            }
        }
        assertThat(processes).as("processes of the test's containers").isEmpty();
    }
}
