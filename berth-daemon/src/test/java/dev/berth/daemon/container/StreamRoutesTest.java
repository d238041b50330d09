package dev.berth.daemon.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.berth.daemon.Daemon;
import dev.berth.daemon.testing.RawHttp;
import dev.berth.daemon.testing.TestDaemons;
import dev.berth.engine.ContainerEngine;
import dev.berth.engine.CreateRequest;
import dev.berth.engine.WaitCondition;
import dev.berth.engine.container.Container;
import dev.berth.engine.container.ContainerConfig;
import dev.berth.engine.container.HostConfig;
import dev.berth.oci.json.Json;
import dev.berth.oci.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The stream routes over HTTP against an in-process daemon whose containers are made through
 * its engine: attach (frames, stdin, a terminal, detach keys), logs, resize, exec, and the
 * errors docker gives for bad input. Needs root (real containers); checks for leaks at the end.
 */
class StreamRoutesTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static Path dir;
    private static Daemon daemon;
    private static ContainerEngine engine;
    private static Path socket;
    private static final List<String> made = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(!Boolean.getBoolean("berth.skipPrivileged"), "privileged tests disabled");
        assumeTrue(Files.readString(Path.of("/proc/self/status")).lines().anyMatch(l -> l.matches("Uid:\\s+0\\s.*")),
                "needs root: containers");
        assumeTrue(Files.isExecutable(Path.of("/bin/busybox")), "needs /bin/busybox for the test image");
        dir = Files.createDirectories(Path.of("/tmp/berth-streams-" + UUID.randomUUID().toString().substring(0, 8)));
        daemon = TestDaemons.start(dir);
        engine = daemon.engine();
        socket = TestDaemons.socket(dir);
        RawHttp.Response made = RawHttp.call(socket, "POST", "/berth/images/bootstrap?name=busybox");
        assertThat(made.status()).as(made.text()).isEqualTo(200);
    }

    @AfterAll
    static void stopAndCheckLeaks() throws Exception {
        if (daemon == null) {
            return;
        }
        try {
            for (Container c : engine.list(true)) {
                engine.remove(c.id(), true);
            }
            daemon.close();
            List<String> mounts = Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
                    .map(l -> l.split(" ")[4]).filter(p -> p.startsWith(dir.toString())).toList();
            assertThat(mounts).as("mounts left").isEmpty();
            List<Path> cgroups = new ArrayList<>();
            try (var controllers = Files.list(Path.of("/sys/fs/cgroup"))) {
                for (Path ctl : controllers.toList()) {
                    for (String id : StreamRoutesTest.made) {
                        if (Files.exists(ctl.resolve("berth").resolve(id))) {
                            cgroups.add(ctl.resolve("berth").resolve(id));
                        }
                    }
                }
            }
            assertThat(cgroups).as("cgroups left").isEmpty();
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (ProcessHandle.current().children().findAny().isPresent() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(ProcessHandle.current().children().map(p -> p.info().commandLine().orElse("?")).toList())
                    .as("child processes left").isEmpty();
        } finally {
            new ProcessBuilder("rm", "-rf", dir.toString()).inheritIO().start().waitFor();
        }
    }

    private static String create(List<String> cmd, boolean tty, boolean openStdin, boolean stdinOnce) {
        ContainerConfig config = new ContainerConfig("busybox:latest", Optional.of(cmd), Optional.empty(), List.of(), "", "",
                Map.of(), tty, openStdin, stdinOnce, openStdin, true, true, "", Optional.empty(), "", "", Optional.empty());
        String id = engine.create(CreateRequest.of(config, HostConfig.DEFAULT)).id();
        made.add(id);
        return id;
    }

    private static String run(String... cmd) {
        String id = create(List.of(cmd), false, false, false);
        engine.start(id);
        return id;
    }

    private static JsonObject json(RawHttp.Response r) {
        return JsonObject.root("response", Json.parse(r.text(), "response"));
    }

    private static RawHttp.Response post(String path, String body) throws IOException {
        return RawHttp.call(socket, "POST", path, "application/json", body.getBytes(StandardCharsets.UTF_8));
    }

    // ---- bad input ----

    @Test
    void unknownContainersAndExecsAre404() throws Exception {
        for (String[] call : new String[][] {{"POST", "/v1.47/containers/nope/attach?stream=1&stdout=1"},
            {"GET", "/v1.47/containers/nope/logs?stdout=1"}, {"POST", "/v1.47/containers/nope/resize?h=1&w=1"},
            {"GET", "/v1.47/containers/nope/attach/ws"}, {"POST", "/v1.47/exec/nope/resize?h=1&w=1"},
            {"GET", "/v1.47/exec/nope/json"}}) {
            RawHttp.Response r = RawHttp.call(socket, call[0], call[1]);
            assertThat(r.status()).as(call[1]).isEqualTo(404);
        }
        assertThat(RawHttp.call(socket, "GET", "/containers/nope/logs?stdout=1").text())
                .isEqualTo("{\"message\":\"No such container: nope\"}\n");
        assertThat(post("/exec/nope/start", "{}").text()).isEqualTo("{\"message\":\"No such exec instance: nope\"}\n");
        assertThat(post("/containers/nope/exec", "{\"Cmd\":[\"true\"]}").status()).isEqualTo(404);
    }

    @Test
    void badParametersAre400() throws Exception {
        String id = create(List.of("true"), false, false, false);
        RawHttp.Response noStream = RawHttp.call(socket, "GET", "/containers/" + id + "/logs");
        assertThat(noStream.status()).isEqualTo(400);
        assertThat(noStream.text()).contains("you must choose at least one stream");
        assertThat(RawHttp.call(socket, "GET", "/containers/" + id + "/logs?stdout=1&since=yesterday").status()).isEqualTo(400);
        RawHttp.Response resize = RawHttp.call(socket, "POST", "/containers/" + id + "/resize?h=abc&w=80");
        assertThat(resize.status()).isEqualTo(400);
        assertThat(resize.text()).contains("strconv.ParseUint: parsing \\\"abc\\\": invalid syntax");
        assertThat(RawHttp.call(socket, "POST", "/containers/" + id + "/resize?w=80").status()).isEqualTo(400);
        assertThat(RawHttp.call(socket, "POST", "/containers/" + id + "/resize?h=-1&w=80").status()).isEqualTo(400);
        RawHttp.Response keys = RawHttp.call(socket, "POST", "/containers/" + id + "/attach?stream=1&detachKeys=ctrl-%21");
        assertThat(keys.status()).isEqualTo(400);
        assertThat(keys.text()).contains("Invalid detach keys (ctrl-!) provided");
        assertThat(RawHttp.call(socket, "POST", "/containers/" + id + "/attach?stream=1").status())
                .as("an attach that does not ask to upgrade").isEqualTo(400);
        assertThat(post("/containers/" + id + "/exec", "{\"Cmd\":[]}").text()).contains("No exec command specified");
        assertThat(post("/containers/" + id + "/exec", "{\"Cmd\":").status()).isEqualTo(400);
        RawHttp.Response plain = RawHttp.call(socket, "POST", "/containers/" + id + "/exec", "text/plain",
                "{\"Cmd\":[\"true\"]}".getBytes(StandardCharsets.UTF_8));
        assertThat(plain.status()).isEqualTo(400);
        assertThat(plain.text()).contains("unsupported Content-Type header (text/plain): must be 'application/json'");
        // not running: resize and exec are conflicts, in docker's words
        RawHttp.Response notRunning = RawHttp.call(socket, "POST", "/containers/" + id + "/resize?h=10&w=80");
        assertThat(notRunning.status()).isEqualTo(409);
        RawHttp.Response exec = post("/containers/" + id + "/exec", "{\"Cmd\":[\"true\"]}");
        assertThat(exec.status()).isEqualTo(409);
        assertThat(exec.text()).isEqualTo("{\"message\":\"Container " + id + " is not running\"}\n");
    }

    @Test
    void execInAPausedContainerIsAConflict() throws Exception {
        String id = run("sleep", "100");
        engine.pause(id);
        try {
            RawHttp.Response r = post("/containers/" + id + "/exec", "{\"Cmd\":[\"true\"]}");
            assertThat(r.status()).isEqualTo(409);
            assertThat(r.text()).contains("is paused, unpause the container before exec");
            RawHttp.Response attach = RawHttp.call(socket, "POST", "/containers/" + id + "/attach?stream=1&stdout=1");
            assertThat(attach.status()).isEqualTo(409);
            assertThat(attach.text()).contains("container " + id + " is paused, unpause the container before attach\"");
        } finally {
            engine.unpause(id);
            engine.remove(id, true);
        }
    }

    // ---- attach ----

    @Test
    void attachBeforeStartGetsAllOutputAsFramesAndEndsWhenTheContainerExits() throws Exception {
        String id = create(List.of("sh", "-c", "echo out; echo err >&2; exit 3"), false, false, false);
        try (Hijacked a = Hijacked.open(socket, "/v1.47/containers/" + id + "/attach?stream=1&stdout=1&stderr=1", null)) {
            assertThat(a.response.header("Content-Type")).isEqualTo("application/vnd.docker.multiplexed-stream");
            a.closeInput(); // as docker run without -i does at once
            engine.start(id);
            Hijacked.Streams s = a.frames();
            assertThat(s.stdout()).isEqualTo("out\n");
            assertThat(s.stderr()).isEqualTo("err\n");
        }
        assertThat(engine.await(id, WaitCondition.NOT_RUNNING, WAIT).statusCode()).isEqualTo(3);
        // API 1.41 clients are told raw-stream, as dockerd 20.10 tells them (the payload is framed all the same)
        try (Hijacked old = Hijacked.open(socket, "/v1.41/containers/" + id + "/attach?stream=1&stdout=1&logs=1", null)) {
            assertThat(old.response.header("Content-Type")).isEqualTo("application/vnd.docker.raw-stream");
            engine.start(id);
            assertThat(old.frames().stdout()).as("the log replayed, then this run's output").isEqualTo("out\nout\n");
        }
    }

    @Test
    void stdinReachesTheContainerAndItsEndClosesAStdinOnceContainersStdin() throws Exception {
        String id = create(List.of("cat"), false, true, true);
        try (Hijacked a = Hijacked.open(socket, "/containers/" + id + "/attach?stream=1&stdin=1&stdout=1&stderr=1", null)) {
            a.send("data\n"); // before the start, as the CLI does: held until the container runs
            engine.start(id);
            a.send("more\n");
            a.closeInput();
            assertThat(a.frames().stdout()).isEqualTo("data\nmore\n");
        }
        assertThat(engine.await(id, WaitCondition.NOT_RUNNING, WAIT).statusCode()).isZero();
    }

    @Test
    void aTerminalIsRawShowsAPromptAndDetachKeysLeaveItRunning() throws Exception {
        String id = create(List.of("sh", "-c", "printf 'name? '; read x; echo hello $x; exec cat"), true, true, true);
        try (Hijacked a = Hijacked.open(socket, "/containers/" + id + "/attach?stream=1&stdin=1&stdout=1&stderr=1", null)) {
            assertThat(a.response.header("Content-Type")).isEqualTo("application/vnd.docker.raw-stream");
            engine.start(id);
            assertThat(a.rawUntil("name? ")).as("a prompt without a newline comes at once").endsWith("name? ");
            RawHttp.Response resize = RawHttp.call(socket, "POST", "/containers/" + id + "/resize?h=30&w=100");
            assertThat(resize.status()).isEqualTo(200);
            a.send("bob\n");
            assertThat(a.rawUntil("hello bob\r\n")).contains("hello bob\r\n");
            a.send(new byte[] {'x', 16, 17});
            // the stream ends after ctrl-p ctrl-q (whether the echo of x came first is the terminal's business)
            assertThat(a.rawRest()).as("the keys are not passed on").doesNotContain("\u0010", "^P");
        }
        assertThat(engine.inspect(id).state().running()).as("detaching leaves the container running").isTrue();
        try (var events = daemon.events().subscribe(e -> e.actorId().equals(id), 0L)) {
            assertThat(events.past()).extracting(e -> e.action()).contains("attach", "resize", "detach");
        }
        // a custom sequence, and a prefix of it that turns out not to be one is passed on
        try (Hijacked b = Hijacked.open(socket, "/containers/" + id + "/attach?stream=1&stdin=1&stdout=1&detachKeys=ctrl-a,z",
                null)) {
            b.send(new byte[] {'y', 1, 'y', '\n'});
            assertThat(b.rawUntil("y\u0001y")).contains("y");
            b.send(new byte[] {1, 'z'});
            b.rawRest();
        }
        assertThat(engine.inspect(id).state().running()).isTrue();
        engine.remove(id, true);
    }

    @Test
    void aResizeReachesTheTerminal() throws Exception {
        String id = create(List.of("sh", "-c", "read x; stty size"), true, true, false);
        try (Hijacked a = Hijacked.open(socket, "/containers/" + id + "/attach?stream=1&stdin=1&stdout=1", null)) {
            engine.start(id);
            assertThat(RawHttp.call(socket, "POST", "/containers/" + id + "/resize?h=33&w=111").status()).isEqualTo(200);
            a.send("\n");
            assertThat(a.rawUntil("33 111")).contains("33 111");
        }
        engine.await(id, WaitCondition.NOT_RUNNING, WAIT);
    }

    // ---- logs ----

    @Test
    void logsSelectStreamsTailSinceAndTimestamps() throws Exception {
        String id = run("sh", "-c", "echo one; echo two >&2; echo three");
        engine.await(id, WaitCondition.NOT_RUNNING, WAIT);
        RawHttp.Response all = RawHttp.call(socket, "GET", "/containers/" + id + "/logs?stdout=1&stderr=1");
        assertThat(all.status()).isEqualTo(200);
        assertThat(all.header("Content-Type")).isEqualTo("application/vnd.docker.multiplexed-stream");
        assertThat(demux(all.body())).isEqualTo(new Hijacked.Streams("one\nthree\n", "two\n"));
        assertThat(RawHttp.call(socket, "GET", "/v1.41/containers/" + id + "/logs?stdout=1").header("Content-Type"))
                .as("dockerd 1.41 sets none").isNull();
        assertThat(demux(RawHttp.call(socket, "GET", "/containers/" + id + "/logs?stdout=1&tail=1").body()).stdout())
                .isEqualTo("three\n");
        assertThat(demux(RawHttp.call(socket, "GET", "/containers/" + id + "/logs?stderr=1&tail=all").body()))
                .isEqualTo(new Hijacked.Streams("", "two\n"));
        assertThat(demux(RawHttp.call(socket, "GET", "/containers/" + id + "/logs?stdout=1&tail=0").body()).stdout()).isEmpty();
        long future = Instant.now().getEpochSecond() + 3600;
        assertThat(demux(RawHttp.call(socket, "GET", "/containers/" + id + "/logs?stdout=1&since=" + future + ".000000000")
                .body()).stdout()).isEmpty();
        assertThat(demux(RawHttp.call(socket, "GET", "/containers/" + id + "/logs?stdout=1&until=" + future).body()).stdout())
                .isEqualTo("one\nthree\n");
        String stamped = demux(RawHttp.call(socket, "GET", "/containers/" + id + "/logs?stdout=1&timestamps=1").body()).stdout();
        assertThat(stamped.lines().toList()).hasSize(2)
                .allMatch(l -> l.matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{9}Z (one|three)"));
    }

    @Test
    void followingEndsWhenTheContainerStopsAndATtysLogIsRaw() throws Exception {
        String id = create(List.of("sh", "-c", "echo first; read x; echo second"), false, true, false);
        engine.start(id);
        try (RawHttp http = new RawHttp(socket)) {
            http.send("GET", "/containers/" + id + "/logs?stdout=1&stderr=1&follow=1", Map.of(), null);
            RawHttp.Response head = http.readResponse(true);
            assertThat(head.status()).isEqualTo(200);
            StringBuilder got = new StringBuilder();
            while (!got.toString().contains("first")) {
                got.append(new String(http.nextChunk(), StandardCharsets.UTF_8));
            }
            try (var stdin = engine.stdin(id)) {
                stdin.write("go\n".getBytes(StandardCharsets.UTF_8));
            }
            for (byte[] chunk = http.nextChunk(); chunk != null; chunk = http.nextChunk()) {
                got.append(new String(chunk, StandardCharsets.UTF_8));
            }
            assertThat(got.toString()).contains("first\n", "second\n");
        }
        String tty = create(List.of("echo", "hi"), true, false, false);
        engine.start(tty);
        engine.await(tty, WaitCondition.NOT_RUNNING, WAIT);
        RawHttp.Response raw = RawHttp.call(socket, "GET", "/containers/" + tty + "/logs?stdout=1&follow=1");
        assertThat(raw.header("Content-Type")).isEqualTo("application/vnd.docker.raw-stream");
        assertThat(raw.text()).isEqualTo("hi\r\n");
    }

    @Test
    void aFollowerThatHangsUpIsReleased() throws Exception {
        String id = run("sleep", "100");
        try (RawHttp http = new RawHttp(socket)) {
            http.send("GET", "/containers/" + id + "/logs?stdout=1&follow=1", Map.of(), null);
            assertThat(http.readResponse(true).status()).isEqualTo(200);
        }
        // the follower's subscription goes with it: the count of the container's listeners is not public,
        // so this checks the daemon still serves and the container stops cleanly
        assertThat(RawHttp.call(socket, "GET", "/_ping").status()).isEqualTo(200);
        engine.remove(id, true);
    }

    // ---- exec ----

    @Test
    void execRunsWithEnvUserAndDirAndReportsItsExitCode() throws Exception {
        String id = run("sleep", "100");
        RawHttp.Response made = post("/containers/" + id + "/exec", """
                {"AttachStdout":true,"AttachStderr":true,"Env":["X=1"],"User":"nobody","WorkingDir":"/tmp",
                 "Cmd":["sh","-c","echo $X $(id -un) $PWD; echo e >&2; exit 5"]}""");
        assertThat(made.status()).as(made.text()).isEqualTo(201);
        String exec = json(made).string("Id").orElseThrow();
        assertThat(RawHttp.call(socket, "GET", "/containers/" + id + "/json").text()).contains("\"ExecIDs\":[\"" + exec + "\"]");
        try (Hijacked s = Hijacked.open(socket, "/exec/" + exec + "/start", "{\"Detach\":false,\"Tty\":false}")) {
            s.closeInput();
            assertThat(s.frames()).isEqualTo(new Hijacked.Streams("1 nobody /tmp\n", "e\n"));
        }
        // dockerd lists an exec in the container's ExecIDs until it ends, then writes null again
        String execIds = RawHttp.call(socket, "GET", "/containers/" + id + "/json").text();
        assertThat(execIds).contains("\"ExecIDs\":null");
        JsonObject inspect = json(RawHttp.call(socket, "GET", "/exec/" + exec + "/json"));
        assertThat(inspect.int64("ExitCode")).contains(5L);
        assertThat(inspect.bool("Running")).contains(false);
        assertThat(inspect.string("ContainerID")).contains(id);
        assertThat(inspect.object("ProcessConfig").orElseThrow().string("entrypoint")).contains("sh");
        assertThat(inspect.string("DetachKeys")).contains("EBE="); // ctrl-p ctrl-q, a Go []byte
        RawHttp.Response again = post("/exec/" + exec + "/start", "{\"Detach\":true}");
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.text()).contains("has already run");
        engine.remove(id, true);
    }

    @Test
    void execStdinDetachedAndATerminalWithAResize() throws Exception {
        String id = run("sleep", "100");
        String cat = json(post("/containers/" + id + "/exec",
                "{\"AttachStdin\":true,\"AttachStdout\":true,\"AttachStderr\":true,\"Cmd\":[\"cat\"]}")).string("Id").orElseThrow();
        try (Hijacked s = Hijacked.open(socket, "/exec/" + cat + "/start", "{}")) {
            s.send("ping\n");
            s.closeInput();
            assertThat(s.frames().stdout()).isEqualTo("ping\n");
        }
        String bg = json(post("/containers/" + id + "/exec", "{\"Cmd\":[\"sh\",\"-c\",\"echo bg > /tmp/bg\"]}"))
                .string("Id").orElseThrow();
        RawHttp.Response detached = post("/exec/" + bg + "/start", "{\"Detach\":true}");
        assertThat(detached.status()).isEqualTo(200);
        String tty = json(post("/containers/" + id + "/exec", "{\"AttachStdin\":true,\"AttachStdout\":true,\"Tty\":true,"
                + "\"ConsoleSize\":[20,70],\"Cmd\":[\"sh\",\"-c\",\"read x; stty size; read y; stty size; cat /tmp/bg\"]}"))
                .string("Id").orElseThrow();
        try (Hijacked s = Hijacked.open(socket, "/exec/" + tty + "/start", "{\"Tty\":true,\"ConsoleSize\":[20,70]}")) {
            assertThat(s.response.header("Content-Type")).isEqualTo("application/vnd.docker.raw-stream");
            // the console size is set just after the start (the engine has no way to set it before)
            s.send("\n");
            assertThat(s.rawUntil("20 70")).contains("20 70");
            assertThat(RawHttp.call(socket, "POST", "/exec/" + tty + "/resize?h=40&w=120").status()).isEqualTo(200);
            s.send("\n");
            assertThat(s.rawRest()).contains("40 120", "bg");
        }
        assertThat(json(RawHttp.call(socket, "GET", "/exec/" + tty + "/json")).int64("ExitCode")).contains(0L);
        RawHttp.Response missing = post("/containers/" + id + "/exec", "{\"AttachStdout\":true,\"Cmd\":[\"nope\"]}");
        String nope = json(missing).string("Id").orElseThrow();
        try (Hijacked s = Hijacked.open(socket, "/exec/" + nope + "/start", "{}")) {
            assertThat(s.frames().stdout()).isEqualTo("OCI runtime exec failed: exec failed: unable to start container process: "
                    + "exec: \"nope\": executable file not found in $PATH: unknown\r\n");
        }
        assertThat(json(RawHttp.call(socket, "GET", "/exec/" + nope + "/json")).int64("ExitCode")).as("dockerd's").contains(126L);
        String detachedNope = json(post("/containers/" + id + "/exec", "{\"Cmd\":[\"/etc/passwd\"]}")).string("Id").orElseThrow();
        RawHttp.Response refused = post("/exec/" + detachedNope + "/start", "{\"Detach\":true}");
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.text()).contains("OCI runtime exec failed", "permission denied: unknown");
        engine.remove(id, true);
    }

    private static Hijacked.Streams demux(byte[] body) {
        StringBuilder out = new StringBuilder();
        StringBuilder err = new StringBuilder();
        int i = 0;
        while (i + 8 <= body.length) {
            int len = (body[i + 4] & 0xff) << 24 | (body[i + 5] & 0xff) << 16 | (body[i + 6] & 0xff) << 8 | body[i + 7] & 0xff;
            String payload = new String(body, i + 8, len, StandardCharsets.UTF_8);
            (body[i] == 2 ? err : out).append(payload);
            i += 8 + len;
        }
        assertThat(i).as("whole frames").isEqualTo(body.length);
        return new Hijacked.Streams(out.toString(), err.toString());
    }
}
