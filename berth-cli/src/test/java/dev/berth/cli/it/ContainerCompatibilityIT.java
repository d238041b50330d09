package dev.berth.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.cli.it.ReferenceDaemon.Run;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * bin/berth's container and volume commands against the docker CLI's, on the same daemon (see
 * {@link ReferenceDaemon}): same stdout, stderr and status, with the durations that tick between
 * the two runs ("5 seconds ago", "Up 3 seconds") normalized. The image is the host's static
 * busybox in one layer with a fixed date; every container and volume made here is removed after.
 */
class ContainerCompatibilityIT {
    private static final String IMAGE = "berth-it-bb:1";
    private static final List<String> CONTAINERS = List.of("cit-web", "cit-fresh", "cit-done", "cit-paused", "cit-a1",
            "cit-a2", "cit-b1", "cit-b2");
    private static final List<String> VOLUMES = List.of("cit-v1", "cit-v2", "cit-v3", "cit-v4", "cit-v5");
    private static ReferenceDaemon daemon;

    @BeforeAll
    static void seed() throws Exception {
        daemon = ReferenceDaemon.start("berth-cit-");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(Path.of("/bin/busybox")),
                "no static /bin/busybox to make a runnable image of");
        Path root = Files.createDirectories(daemon.work.resolve("rootfs/bin"));
        Files.copy(Path.of("/bin/busybox"), root.resolve("busybox"));
        for (String tool : List.of("sh", "sleep", "echo", "ls", "cat", "find", "rm", "mkdir", "ps", "ln", "top")) {
            Files.createSymbolicLink(root.resolve(tool), Path.of("busybox"));
        }
        Files.createDirectories(daemon.work.resolve("rootfs/tmp"));
        Files.createDirectories(daemon.work.resolve("rootfs/etc"));
        DockerArchive a = new DockerArchive(daemon.work.resolve("archive"));
        String[] layer = a.layerOf(daemon.work.resolve("rootfs"));
        a.image("""
                {"architecture":"amd64","os":"linux","created":"2021-01-01T00:00:00Z",\
                "config":{"Env":["PATH=/bin"],"Cmd":["sh"]},"rootfs":{"type":"layers","diff_ids":["%s"]},\
                "history":[{"created":"2021-01-01T00:00:00Z","created_by":"busybox"}]}""".formatted(layer[1]),
                List.of(layer[0]), List.of(IMAGE));
        must(daemon.docker("load", "-i", a.pack("bb.tar").toString()));
        cleanUp();
        must(daemon.docker("run", "-d", "--name", "cit-web", "-l", "tier=front", IMAGE, "sleep", "600"));
        must(daemon.docker("create", "--name", "cit-fresh", "-l", "a=b", IMAGE, "echo",
                "a very long command line that gets truncated"));
        // detached and waited for: a daemon without the attach stream (berthd before it has one) can do this too
        must(daemon.docker("run", "-d", "--name", "cit-done", IMAGE, "sh", "-c", "echo hi > /tmp/x; rm -rf /etc; exit 3"));
        Run done = daemon.docker("wait", "cit-done");
        assertThat(done.out()).as(done.all()).isEqualTo("3\n");
        must(daemon.docker("run", "-d", "--name", "cit-paused", IMAGE, "sleep", "600"));
        must(daemon.docker("pause", "cit-paused"));
        must(daemon.docker("volume", "create", "--label", "x=y", "cit-v1"));
        must(daemon.docker("volume", "create", "cit-v2"));
    }

    private static void must(Run r) {
        assertThat(r.status()).as(r.all()).isZero();
    }

    @AfterAll
    static void stop() throws Exception {
        if (daemon != null) {
            try {
                cleanUp();
                daemon.docker("rmi", "-f", IMAGE);
            } finally {
                daemon.close();
            }
        }
    }

    private static void cleanUp() throws IOException, InterruptedException {
        daemon.docker("unpause", "cit-paused");
        List<String> rm = new ArrayList<>(List.of("rm", "-f", "-v"));
        rm.addAll(CONTAINERS);
        daemon.docker(rm.toArray(String[]::new));
        List<String> volumes = new ArrayList<>(List.of("volume", "rm", "-f"));
        volumes.addAll(VOLUMES);
        daemon.docker(volumes.toArray(String[]::new));
    }

    /**
     * Durations tick between the two runs ("5 seconds ago", "Up 3 seconds", "About a minute"), and
     * with their width the table's columns: both become one token, runs of spaces one space.
     */
    private static String normalize(String s) {
        if (!s.matches("(?s).*(Less than a second|About a minute|About an hour|\\d+ (seconds?|minutes?|hours?)).*")) {
            return s;
        }
        return s.replaceAll("(Less than a second|About a minute|About an hour|\\d+ (seconds?|minutes?|hours?))", "T")
                .replaceAll(" {2,}", " ");
    }

    private static void same(String... args) throws Exception {
        Run expected = daemon.docker(args);
        Run actual = daemon.berth(args);
        assertThat(normalize(actual.all())).as("berth %s", String.join(" ", args))
                .isEqualTo(normalize(expected.all().replace("docker", "berth")));
    }

    /** Like {@link #same} with the lines in any order: dockerd lists a container's changes in a Go map's order. */
    private static void sameLines(String... args) throws Exception {
        Run expected = daemon.docker(args);
        Run actual = daemon.berth(args);
        assertThat(sorted(actual)).as("berth %s", String.join(" ", args)).isEqualTo(sorted(expected));
    }

    private static String sorted(Run r) {
        List<String> lines = new ArrayList<>(List.of(r.out().split("\n", -1)));
        lines.sort(null);
        return "status " + r.status() + "\n" + String.join("\n", lines) + "\n--- stderr\n" + r.err().replace("docker", "berth");
    }

    @Test
    void psListings() throws Exception {
        same("ps", "--filter", "name=cit-");
        same("ps", "-a", "--filter", "name=cit-");
        same("ps", "-a", "-s", "--filter", "name=cit-");
        same("ps", "-a", "--no-trunc", "--filter", "name=cit-");
        same("ps", "-a", "-q", "--filter", "name=cit-");
        same("ps", "-a", "--filter", "status=exited", "--filter", "name=cit-");
        same("ps", "-a", "--filter", "label=a=b");
        same("ps", "-a", "--format", "json", "--filter", "name=cit-");
        same("ps", "-a", "--format", "table {{.Names}}\\t{{.Label \"tier\"}}\\t{{.Labels}}\\t{{.State}}\\t{{.Size}}",
                "--filter", "name=cit-");
        same("container", "ls", "-a", "--format", "raw", "--filter", "name=cit-fresh");
        same("ps", "--format", "{{.Nope}}");
        same("ps", "--format", "{{.Foo");
        same("ps", "-f", "bogus");
        same("ps", "-n", "x");
    }

    @Test
    void inspectFindsContainersImagesAndVolumes() throws Exception {
        same("inspect", "cit-web");
        same("container", "inspect", "cit-done", "cit-fresh");
        same("container", "inspect", "-s", "-f", "{{.Name}} {{.SizeRw}} {{.SizeRootFs}}", "cit-done");
        same("inspect", "-f", "{{.Name}}", "cit-v1", "cit-web", IMAGE);
        same("inspect", "nope");
        same("inspect", "--type", "volume", "nope");
        same("inspect", "--type", "container", "cit-v1");
        same("inspect", "--type", "bogus", "x");
        same("container", "inspect", "cit-web", "nope");
        same("volume", "inspect", "cit-v1", "nope");
        same("volume", "inspect", "-f", "{{.Name}} {{.Driver}} {{json .Labels}}", "cit-v1");
    }

    @Test
    void readOnlyCommands() throws Exception {
        sameLines("diff", "cit-done");
        same("diff", "cit-fresh");
        same("top", "cit-web");
        same("top", "cit-web", "-o", "pid,args");
        same("top", "cit-done");
        same("stats", "--no-stream", "--format", "{{.Name}} {{.Container}} {{.ID}} {{.PIDs}} {{.NetIO}}", "cit-web",
                "cit-done");
        same("stats", "--no-stream", "--format", "{{.Name}}", "cit-web", "nope");
        same("volume", "ls", "--filter", "name=cit-");
        same("volume", "ls", "-q", "--filter", "name=cit-");
        same("volume", "ls", "--format", "json", "--filter", "name=cit-");
        same("volume", "ls", "--filter", "label=x");
        same("volume", "ls", "--format", "table {{.Name}}\\t{{.Labels}}\\t{{.Scope}}\\t{{.Label \"x\"}}", "--filter",
                "name=cit-");
    }

    @Test
    void failuresReadAsDockers() throws Exception {
        for (String verb : List.of("stop", "kill", "rm", "restart", "pause", "unpause", "port")) {
            if (!verb.equals("port")) {
                same(verb, "nope", "nope2");
            }
        }
        same("unpause", "cit-web");
        same("pause", "cit-paused");
        same("rename", "nope", "x");
        same("rename", "cit-web", "cit-done");
        same("update", "--memory", "64x", "cit-web");
        same("update", "--cpus", "abc", "cit-web");
        same("update", "cit-web");
        same("update", "--restart", "bogus", "cit-web");
        same("stop", "-t", "x", "cit-web");
        same("rm", "cit-web");
        same("diff", "nope");
        same("top", "nope");
        same("export", "nope");
        same("commit", "nope");
        same("commit", "cit-done", "Bad:x");
        same("volume", "rm", "nope");
        same("volume", "create", "-d", "nope", "x");
        same("container", "prune", "--filter", "bogus");
        same("stop");
        same("rename", "a");
    }

    @Test
    void changesApplyAndPrintAsDockers() throws Exception {
        must(daemon.docker("run", "-d", "--name", "cit-a1", IMAGE, "sleep", "600"));
        must(daemon.docker("run", "-d", "--name", "cit-b1", IMAGE, "sleep", "600"));
        Run docker = daemon.docker("update", "--memory", "64m", "--memory-swap", "128m", "--cpu-shares", "512",
                "--pids-limit", "50", "--restart", "on-failure:3", "cit-a1", "nope");
        Run berth = daemon.berth("update", "--memory", "64m", "--memory-swap", "128m", "--cpu-shares", "512",
                "--pids-limit", "50", "--restart", "on-failure:3", "cit-b1", "nope");
        assertThat(berth.all()).isEqualTo(docker.all().replace("cit-a1", "cit-b1"));
        String settings = "{{.HostConfig.Memory}} {{.HostConfig.MemorySwap}} {{.HostConfig.CpuShares}} "
                + "{{.HostConfig.PidsLimit}} {{json .HostConfig.RestartPolicy}}";
        assertThat(daemon.docker("inspect", "-f", settings, "cit-b1").out())
                .isEqualTo(daemon.docker("inspect", "-f", settings, "cit-a1").out());
        for (String[] step : List.of(new String[] {"pause"}, new String[] {"unpause"}, new String[] {"restart", "-t", "1"},
                new String[] {"kill", "-s", "KILL"}, new String[] {"rename"}, new String[] {"rm", "-v"})) {
            List<String> d = new ArrayList<>(List.of(step));
            List<String> b = new ArrayList<>(List.of(step));
            if (step[0].equals("rename")) {
                d.addAll(List.of("cit-a1", "cit-a2"));
                b.addAll(List.of("cit-b1", "cit-b2"));
            } else {
                String suffix = step[0].equals("rm") ? "2" : "1";
                d.add("cit-a" + suffix);
                b.add("cit-b" + suffix);
            }
            Run dr = daemon.docker(d.toArray(String[]::new));
            Run br = daemon.berth(b.toArray(String[]::new));
            assertThat(br.all()).as("berth %s", b).isEqualTo(dr.all().replace("cit-a", "cit-b"));
        }
        // a daemon may refuse the options (berthd's volumes are plain directories): then both CLIs say so alike
        Run ours = daemon.berth("volume", "create", "--label", "k=v", "-o", "type=tmpfs", "-o", "device=tmpfs", "cit-v4");
        Run theirs = daemon.docker("volume", "create", "--label", "k=v", "-o", "type=tmpfs", "-o", "device=tmpfs", "cit-v5");
        assertThat(ours.all()).isEqualTo(theirs.all().replace("cit-v5", "cit-v4"));
        if (ours.status() == 0) {
            assertThat(daemon.docker("volume", "inspect", "-f", "{{json .Labels}} {{json .Options}}", "cit-v4").out())
                    .isEqualTo("{\"k\":\"v\"} {\"device\":\"tmpfs\",\"type\":\"tmpfs\"}\n");
        }
        must(daemon.berth("volume", "create", "--label", "k=v", "cit-v3"));
        assertThat(daemon.docker("volume", "inspect", "-f", "{{json .Labels}}", "cit-v3").out()).isEqualTo("{\"k\":\"v\"}\n");
        Run rm = daemon.berth("volume", "rm", "cit-v3", "nope");
        assertThat(rm.out()).isEqualTo("cit-v3\n");
        assertThat(rm.status()).isEqualTo(1);
        Run commit = daemon.berth("commit", "-m", "from berth", "-c", "ENV A=b", "cit-done", "cit-snap:1");
        assertThat(commit.out()).as(commit.all()).matches("sha256:[0-9a-f]{64}\n");
        assertThat(daemon.docker("image", "inspect", "-f", "{{.Comment}} {{json .Config.Env}}", "cit-snap:1").out())
                .isEqualTo("from berth [\"PATH=/bin\",\"A=b\"]\n");
        must(daemon.docker("rmi", "cit-snap:1"));
    }

    @Test
    void exportWritesTheSameTar() throws Exception {
        Path ours = daemon.work.resolve("ours.tar");
        Path theirs = daemon.work.resolve("theirs.tar");
        must(daemon.berth("export", "-o", ours.toString(), "cit-done"));
        must(daemon.docker("export", "-o", theirs.toString(), "cit-done"));
        assertThat(tarList(ours)).isEqualTo(tarList(theirs));
        same("export", "-o", "/nonexistent/x.tar", "cit-done");
        same("export", "-o", daemon.work.toString(), "cit-done");
    }

    private static String tarList(Path tar) throws Exception {
        Process p = new ProcessBuilder("tar", "-tvf", tar.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor();
        return out;
    }

    @Test
    void cpFollowsDockersRulesBothWays() throws Exception {
        String[][] cases = {
            {"cp", "src", "C:/c/"}, {"cp", "src", "C:/c/new"}, {"cp", "src", "C:/c/existing_dir"},
            {"cp", "src/.", "C:/c/existing_dir"}, {"cp", "src", "C:/c/existing_file"},
            {"cp", "src/a.txt", "C:/c/existing_file"}, {"cp", "src/a.txt", "C:/c/new.txt"},
            {"cp", "src/a.txt", "C:/c/dirlink"}, {"cp", "-L", "srclink", "C:/c/fresh"},
            {"cp", "C:/c/src", "."}, {"cp", "C:/c/src", "new"}, {"cp", "C:/c/src", "existing_dir"},
            {"cp", "C:/c/src/.", "existing_dir"}, {"cp", "C:/c/src", "existing_file"},
            {"cp", "C:/c/src/a.txt", "existing_file"}, {"cp", "C:/c/src/a.txt", "nodir/"},
            {"cp", "-L", "C:/c/srclink", "fresh"}, {"cp", "C:/nope", "x"}, {"cp", "x", "C:/tmp"},
        };
        for (String[] c : cases) {
            Run dr = copyRun(c, "cit-a1", false);
            String dockerTree = trees("cit-a1");
            Run br = copyRun(c, "cit-b1", true);
            String berthTree = trees("cit-b1");
            String label = String.join(" ", c);
            assertThat(br.status()).as(label + "\n" + br.all() + dr.all()).isEqualTo(dr.status());
            assertThat(berthTree).as(label).isEqualTo(dockerTree);
        }
    }

    /** A fresh local tree and container tree, then one cp (C: stands for the container). */
    private static Run copyRun(String[] args, String container, boolean berth) throws Exception {
        daemon.docker("rm", "-f", container);
        must(daemon.docker("run", "-d", "--name", container, IMAGE, "sh", "-c", "mkdir -p /c/src/sub /c/existing_dir; "
                + "echo hello > /c/src/a.txt; echo x > /c/src/sub/b; ln -s a.txt /c/src/link; ln -s src /c/srclink; "
                + "echo old > /c/existing_file; ln -s /c/existing_dir /c/dirlink; exec sleep 600"));
        Path local = daemon.work.resolve("cp-" + container);
        try (Stream<Path> walk = Files.exists(local) ? Files.walk(local) : Stream.empty()) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        Files.createDirectories(local.resolve("src/sub"));
        Files.createDirectories(local.resolve("existing_dir"));
        Files.writeString(local.resolve("src/a.txt"), "hello\n");
        Files.writeString(local.resolve("src/sub/b"), "x\n");
        Files.createSymbolicLink(local.resolve("src/link"), Path.of("a.txt"));
        Files.createSymbolicLink(local.resolve("srclink"), Path.of("src"));
        Files.writeString(local.resolve("existing_file"), "old\n");
        // the container's setup runs in the background: wait until it is there
        for (int i = 0; i < 100 && daemon.docker("exec", container, "ls", "/c/dirlink").status() != 0; i++) {
            Thread.sleep(100);
        }
        String[] real = new String[args.length];
        for (int i = 0; i < args.length; i++) {
            real[i] = args[i].startsWith("C:") ? container + ":" + args[i].substring(2) : args[i];
        }
        return berth ? daemon.berthIn(local, real) : daemon.dockerIn(local, real);
    }

    private static String trees(String container) throws Exception {
        Path local = daemon.work.resolve("cp-" + container);
        StringBuilder b = new StringBuilder();
        try (Stream<Path> walk = Files.walk(local)) {
            for (Path p : walk.sorted().toList()) {
                String rel = local.relativize(p).toString();
                if (Files.isSymbolicLink(p)) {
                    b.append(rel).append(" -> ").append(Files.readSymbolicLink(p)).append('\n');
                } else if (Files.isRegularFile(p)) {
                    b.append(rel).append(' ').append(Files.readString(p).strip()).append('\n');
                } else {
                    b.append(rel).append("/\n");
                }
            }
        }
        b.append(daemon.docker("exec", container, "sh", "-c",
                "cd /c && find . | sort | while read f; do if [ -L \"$f\" ]; then echo \"$f -> $(readlink $f)\"; "
                        + "elif [ -f \"$f\" ]; then echo \"$f $(cat $f)\"; else echo \"$f/\"; fi; done").out());
        return b.toString();
    }
}
