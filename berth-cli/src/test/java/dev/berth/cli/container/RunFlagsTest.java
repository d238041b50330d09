package dev.berth.cli.container;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.cli.TestCli;
import dev.berth.client.RawDaemon;
import dev.berth.oci.json.Json;
import dev.berth.oci.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** docker run's flags: what reaches the create body, and docker's words for bad values. */
class RunFlagsTest {
    @TempDir
    Path dir;

    private static final String USAGE = "\n\nUsage:  berth run [OPTIONS] IMAGE [COMMAND] [ARG...]\n\n"
            + "Run 'berth run --help' for more information\n";

    private static TestCli.Result run(String... args) {
        // no daemon: every case here fails before the first request
        return new TestCli().env("DOCKER_HOST", "unix:///nonexistent/berth.sock").run(args);
    }

    private static void flagError(String expected, String... args) {
        TestCli.Result r = run(args);
        assertThat(r.status()).as(String.join(" ", args)).isEqualTo(125);
        assertThat(r.err()).as(String.join(" ", args)).isEqualTo(expected + USAGE);
    }

    private static void runError(String expected, String... args) {
        TestCli.Result r = run(args);
        assertThat(r.status()).as(String.join(" ", args)).isEqualTo(125);
        assertThat(r.err()).as(String.join(" ", args))
                .isEqualTo("berth: " + expected + "\n\nRun 'berth run --help' for more information\n");
    }

    @Test
    void badValuesReadAsPflagsErrors() {
        flagError("invalid argument \"x\" for \"-m, --memory\" flag: invalid size: 'x'", "run", "-m", "x", "busybox");
        flagError("invalid argument \"64x\" for \"-m, --memory\" flag: invalid suffix: 'x'", "run", "-m", "64x", "busybox");
        flagError("invalid argument \"y\" for \"--memory-swap\" flag: invalid size: 'y'", "run", "--memory-swap", "y", "busybox");
        flagError("invalid argument \"x\" for \"--cpus\" flag: failed to parse x as a rational number", "run", "--cpus", "x", "busybox");
        flagError("invalid argument \"0.0000000001\" for \"--cpus\" flag: value is too precise", "run", "--cpus", "0.0000000001", "busybox");
        flagError("invalid argument \"z\" for \"-c, --cpu-shares\" flag: strconv.ParseInt: parsing \"z\": invalid syntax",
                "run", "--cpu-shares", "z", "busybox");
        flagError("invalid argument \"z\" for \"--pids-limit\" flag: strconv.ParseInt: parsing \"z\": invalid syntax",
                "run", "--pids-limit", "z", "busybox");
        flagError("invalid argument \"x\" for \"--stop-timeout\" flag: strconv.ParseInt: parsing \"x\": invalid syntax",
                "run", "--stop-timeout", "x", "busybox");
        flagError("invalid argument \"5\" for \"--health-interval\" flag: time: missing unit in duration \"5\"",
                "run", "--health-interval", "5", "busybox");
        flagError("invalid argument \"5x\" for \"--health-timeout\" flag: time: unknown unit \"x\" in duration \"5x\"",
                "run", "--health-timeout", "5x", "busybox");
        flagError("invalid argument \"nofile\" for \"--ulimit\" flag: invalid ulimit argument: nofile",
                "run", "--ulimit", "nofile", "busybox");
        flagError("invalid argument \"bogus=1\" for \"--ulimit\" flag: invalid ulimit type: bogus",
                "run", "--ulimit", "bogus=1", "busybox");
        flagError("invalid argument \"nofile=a\" for \"--ulimit\" flag: strconv.ParseInt: parsing \"a\": invalid syntax",
                "run", "--ulimit", "nofile=a", "busybox");
        flagError("invalid argument \"nofile=5:3\" for \"--ulimit\" flag: ulimit soft limit must be less than or equal to hard limit: 5 > 3",
                "run", "--ulimit", "nofile=5:3", "busybox");
        flagError("invalid argument \"zz\" for \"-a, --attach\" flag: valid streams are STDIN, STDOUT and STDERR",
                "run", "-a", "zz", "busybox");
        flagError("invalid argument \"type=bind\" for \"--mount\" flag: target is required", "run", "--mount", "type=bind", "busybox");
        flagError("invalid argument \"target=/x,bogus=1\" for \"--mount\" flag: unexpected key 'bogus' in 'bogus=1'",
                "run", "--mount", "target=/x,bogus=1", "busybox");
    }

    @Test
    void combinationsAndFilesReadAsDockerRunsErrors() throws Exception {
        runError("conflicting options: cannot specify both --restart and --rm", "run", "--rm", "--restart", "always", "busybox");
        runError("invalid restart policy format: maximum retry count must be an integer",
                "run", "--restart", "on-failure:x", "busybox");
        runError("--no-healthcheck conflicts with --health-* options", "run", "--no-healthcheck", "--health-cmd", "x", "busybox");
        runError("--health-interval cannot be negative", "run", "--health-interval", "-5s", "busybox");
        runError("Invalid --security-opt: \"bogus\"", "run", "--security-opt", "bogus", "busybox");
        runError("opening seccomp profile (/nope) failed: open /nope: no such file or directory",
                "run", "--security-opt", "seccomp=/nope", "busybox");
        runError("open /nope: no such file or directory", "run", "--env-file", "/nope", "busybox");
        runError("rel is not an absolute path", "run", "--device", "/dev/null:rel", "busybox");
        runError("bad mode specified: zz", "run", "--device", "/dev/null:/x:zz", "busybox");
        Path env = dir.resolve("env");
        Files.writeString(env, "BAD NAME=1\n");
        runError("variable 'BAD NAME' contains whitespaces", "run", "--env-file", env.toString(), "busybox");
        TestCli.Result both = run("run", "-d", "-a", "stdout", "busybox");
        assertThat(both.status()).isEqualTo(1);
        assertThat(both.err()).isEqualTo("conflicting options: cannot specify both --attach and --detach\n");
    }

    @Test
    void noDaemonIsADockerRunError() {
        runError("Cannot connect to the berth daemon at unix:///nonexistent/berth.sock. Is the berth daemon running?",
                "run", "-m", "64k", "busybox");
        TestCli.Result create = run("create", "busybox");
        assertThat(create.status()).isEqualTo(1);
        assertThat(create.err()).isEqualTo("Cannot connect to the berth daemon at unix:///nonexistent/berth.sock."
                + " Is the berth daemon running?\n");
    }

    @Test
    void usageErrorsNameTheCommandAsTyped() {
        TestCli.Result none = run("run");
        assertThat(none.status()).isEqualTo(1);
        assertThat(none.err()).isEqualTo("berth: 'berth run' requires at least 1 argument\n\n"
                + "Usage:  berth run [OPTIONS] IMAGE [COMMAND] [ARG...]\n\nSee 'berth run --help' for more information\n");
        TestCli.Result alias = run("container", "run", "-m", "x", "busybox");
        assertThat(alias.err()).isEqualTo("invalid argument \"x\" for \"-m, --memory\" flag: invalid size: 'x'\n\n"
                + "Usage:  berth container run [OPTIONS] IMAGE [COMMAND] [ARG...]\n\n"
                + "Run 'berth container run --help' for more information\n");
        TestCli.Result unknown = run("run", "--bogus", "busybox");
        assertThat(unknown.status()).isEqualTo(125);
        assertThat(unknown.err()).startsWith("unknown flag: --bogus\n");
    }

    @Test
    void everyFlagReachesTheCreateBody() throws Exception {
        Path seccomp = dir.resolve("seccomp.json");
        Files.writeString(seccomp, "{\n  \"defaultAction\": \"SCMP_ACT_ALLOW\",\n  \"names\": [ \"a b\" ]\n}\n");
        Path envFile = dir.resolve("env");
        Files.writeString(envFile, "# comment\n\n  A=1\nFROM_CLI\nUNSET\n");
        try (RawDaemon daemon = RawDaemon.unix(dir.resolve("d.sock"))) {
            daemon.json("POST /containers/create", 201, "{\"Id\":\"c1\"}");
            TestCli.Result r = new TestCli().env("DOCKER_HOST", "unix://" + dir.resolve("d.sock")).env("FROM_CLI", "yes")
                    .run("create", "--name", "many", "-e", "C=3", "--env-file", envFile.toString(), "-w", "/tmp",
                            "-u", "0:0", "--entrypoint", "/bin/sh", "-h", "hosty", "-l", "a=b", "-l", "c",
                            "--restart", "on-failure:3", "-v", "/tmp:/host:ro", "-v", "/anon",
                            "--mount", "type=tmpfs,target=/tm,tmpfs-size=1m,tmpfs-mode=1770",
                            "--mount", "type=bind,src=/srv,dst=/srv,readonly,bind-propagation=rslave",
                            "--mount", "type=volume,source=vol1,target=/v,volume-nocopy",
                            "--tmpfs", "/t2:size=1m", "--read-only", "-m", "64m", "--memory-swap", "-1", "--cpus", "1.5",
                            "-c", "512", "--cpuset-cpus", "0", "--pids-limit", "50", "--ulimit", "nofile=100:200",
                            "--cap-add", "SYS_ADMIN", "--cap-drop", "NET_RAW", "--privileged",
                            "--security-opt", "seccomp=" + seccomp, "--security-opt", "no-new-privileges",
                            "--device", "/dev/null:/dev/mynull:rw", "--device", "/dev/zero", "--init",
                            "--stop-signal", "SIGUSR1", "--stop-timeout", "5", "--health-cmd", "true",
                            "--health-interval", "5s", "--health-retries", "2", "--health-timeout", "1.5s",
                            "--health-start-period", "1m", "--network", "none", "--log-opt", "max-size=1m",
                            "-it", "busybox", "-c", "env");
            assertThat(r.status()).as(r.err()).isZero();
            assertThat(r.out()).isEqualTo("c1\n");
            assertThat(daemon.seen().getLast().query()).isEqualTo("name=many");
            JsonObject body = JsonObject.root("create", Json.parse(daemon.seen().getLast().bodyText()));
            assertThat(body.string("Image")).contains("busybox");
            assertThat(body.strings("Cmd")).containsExactly("-c", "env");
            assertThat(body.strings("Entrypoint")).containsExactly("/bin/sh");
            assertThat(body.strings("Env")).containsExactly("A=1", "FROM_CLI=yes", "C=3");
            assertThat(body.string("WorkingDir")).contains("/tmp");
            assertThat(body.string("User")).contains("0:0");
            assertThat(body.string("Hostname")).contains("hosty");
            assertThat(body.stringMap("Labels")).isEqualTo(Map.of("a", "b", "c", ""));
            assertThat(body.bool("Tty")).contains(true);
            assertThat(body.bool("OpenStdin")).contains(true);
            assertThat(body.object("Volumes").orElseThrow().has("/anon")).isTrue();
            assertThat(body.string("StopSignal")).contains("SIGUSR1");
            assertThat(body.int64("StopTimeout")).contains(5L);
            JsonObject health = body.object("Healthcheck").orElseThrow();
            assertThat(health.strings("Test")).containsExactly("CMD-SHELL", "true");
            assertThat(health.int64("Interval")).contains(5_000_000_000L);
            assertThat(health.int64("Timeout")).contains(1_500_000_000L);
            assertThat(health.int64("StartPeriod")).contains(60_000_000_000L);
            assertThat(health.int64("Retries")).contains(2L);

            JsonObject host = body.object("HostConfig").orElseThrow();
            assertThat(host.strings("Binds")).containsExactly("/tmp:/host:ro");
            assertThat(host.object("RestartPolicy").orElseThrow().string("Name")).contains("on-failure");
            assertThat(host.object("RestartPolicy").orElseThrow().int64("MaximumRetryCount")).contains(3L);
            assertThat(host.stringMap("Tmpfs")).isEqualTo(Map.of("/t2", "size=1m"));
            assertThat(host.bool("ReadonlyRootfs")).contains(true);
            assertThat(host.int64("Memory")).contains(64L << 20);
            assertThat(host.int64("MemorySwap")).contains(-1L);
            assertThat(host.int64("NanoCpus")).contains(1_500_000_000L);
            assertThat(host.int64("CpuShares")).contains(512L);
            assertThat(host.string("CpusetCpus")).contains("0");
            assertThat(host.int64("PidsLimit")).contains(50L);
            JsonObject ulimit = host.objectList("Ulimits").getFirst();
            assertThat(ulimit.string("Name")).contains("nofile");
            assertThat(ulimit.int64("Soft")).contains(100L);
            assertThat(ulimit.int64("Hard")).contains(200L);
            assertThat(host.strings("CapAdd")).containsExactly("SYS_ADMIN");
            assertThat(host.strings("CapDrop")).containsExactly("NET_RAW");
            assertThat(host.bool("Privileged")).contains(true);
            assertThat(host.strings("SecurityOpt")).containsExactly(
                    "seccomp={\"defaultAction\":\"SCMP_ACT_ALLOW\",\"names\":[\"a b\"]}", "no-new-privileges");
            List<JsonObject> devices = host.objectList("Devices");
            assertThat(devices.get(0).string("PathInContainer")).contains("/dev/mynull");
            assertThat(devices.get(0).string("CgroupPermissions")).contains("rw");
            assertThat(devices.get(1).string("PathInContainer")).contains("/dev/zero");
            assertThat(devices.get(1).string("CgroupPermissions")).contains("rwm");
            assertThat(host.bool("Init")).contains(true);
            assertThat(host.string("NetworkMode")).contains("none");
            assertThat(host.object("LogConfig").orElseThrow().stringMap("Config")).isEqualTo(Map.of("max-size", "1m"));
            List<JsonObject> mounts = host.objectList("Mounts");
            assertThat(mounts.get(0).string("Type")).contains("tmpfs");
            assertThat(mounts.get(0).object("TmpfsOptions").orElseThrow().int64("SizeBytes")).contains(1L << 20);
            assertThat(mounts.get(0).object("TmpfsOptions").orElseThrow().int64("Mode")).contains(01770L);
            assertThat(mounts.get(1).string("Source")).contains("/srv");
            assertThat(mounts.get(1).bool("ReadOnly")).contains(true);
            assertThat(mounts.get(1).object("BindOptions").orElseThrow().string("Propagation")).contains("rslave");
            assertThat(mounts.get(2).string("Type")).contains("volume");
            assertThat(mounts.get(2).object("VolumeOptions").orElseThrow().bool("NoCopy")).contains(true);
        }
    }

    @Test
    void booleanFlagsTakeAnOptionalValueAndDoNotEatTheImage() throws Exception {
        try (RawDaemon daemon = RawDaemon.unix(dir.resolve("d.sock"))) {
            daemon.json("POST /containers/create", 201, "{\"Id\":\"c1\"}");
            TestCli.Result r = new TestCli().env("DOCKER_HOST", "unix://" + dir.resolve("d.sock"))
                    .run("create", "--rm", "--read-only=false", "--init=false", "--privileged", "busybox", "--rm");
            assertThat(r.status()).as(r.err()).isZero();
            JsonObject body = JsonObject.root("create", Json.parse(daemon.seen().getLast().bodyText()));
            assertThat(body.string("Image")).contains("busybox");
            assertThat(body.strings("Cmd")).containsExactly("--rm");
            JsonObject host = body.object("HostConfig").orElseThrow();
            assertThat(host.bool("AutoRemove")).contains(true);
            assertThat(host.bool("ReadonlyRootfs")).contains(false);
            assertThat(host.bool("Init")).contains(false);
            assertThat(host.bool("Privileged")).contains(true);
        }
    }
}
