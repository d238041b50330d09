package dev.berth.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.cli.TestCli;
import dev.berth.client.RawDaemon;
import dev.berth.client.StdCopy;
import dev.berth.oci.json.Json;
import dev.berth.oci.json.JsonObject;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** docker run's conversation, statuses and messages against a raw scripted daemon. */
class RunCommandTest {
    @TempDir
    Path dir;

    private RawDaemon daemon;

    @BeforeEach
    void start() throws Exception {
        daemon = RawDaemon.unix(dir.resolve("d.sock"));
    }

    @AfterEach
    void stop() throws Exception {
        daemon.close();
    }

    private TestCli cli() {
        return new TestCli().env("DOCKER_HOST", "unix://" + dir.resolve("d.sock"));
    }

    /** A container that prints, then exits with {@code status} once its output is sent. */
    private void container(String id, int status, String removedOrNextExit) {
        CountDownLatch exited = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(1);
        daemon.json("POST /containers/create", 201, "{\"Id\":\"" + id + "\",\"Warnings\":[\"careful\"]}");
        daemon.on("POST /containers/" + id + "/attach", (r, in, out) -> {
            RawDaemon.upgrade(out);
            try {
                started.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            out.write(StdCopy.frame(1, "hi\n".getBytes()));
            out.write(StdCopy.frame(2, "oops\n".getBytes()));
            out.flush();
            exited.countDown();
            return false;
        });
        daemon.on("POST /containers/" + id + "/wait", (r, in, out) -> {
            assertThat(r.query()).isEqualTo("condition=" + removedOrNextExit);
            byte[] body = ("{\"Error\":null,\"StatusCode\":" + status + "}\n").getBytes();
            // the head at once, the body at the exit, as dockerd does
            out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + body.length
                    + "\r\n\r\n").getBytes());
            out.flush();
            try {
                exited.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            out.write(body);
            out.flush();
            return true;
        });
        daemon.on("POST /containers/" + id + "/start", (r, in, out) -> {
            RawDaemon.respond(out, 204, null, new byte[0]);
            started.countDown();
            return true;
        });
    }

    private JsonObject createBody() {
        RawDaemon.Request create = daemon.seen().stream().filter(r -> r.path().equals("/containers/create")).findFirst()
                .orElseThrow();
        return JsonObject.root("create", Json.parse(create.bodyText()));
    }

    @Test
    void runAttachesThenWaitsThenStartsAndExitsWithTheContainersStatus() {
        container("c1", 3, "removed");
        TestCli.Result r = cli().run("run", "--rm", "--name", "web", "busybox", "sh", "-c", "echo hi");
        assertThat(r.status()).as(r.err()).isEqualTo(3);
        assertThat(r.out()).isEqualTo("hi\n");
        assertThat(r.err()).isEqualTo("WARNING: careful\noops\n");
        assertThat(daemon.conversation()).containsExactly("POST /containers/create", "POST /containers/c1/attach",
                "POST /containers/c1/wait", "POST /containers/c1/start");
        assertThat(daemon.seen().stream().filter(s -> s.path().equals("/containers/create")).findFirst().orElseThrow()
                .query()).isEqualTo("name=web");
        assertThat(daemon.seen().stream().filter(s -> s.path().endsWith("/attach")).findFirst().orElseThrow().query())
                .isEqualTo("stderr=1&stdout=1&stream=1");
        JsonObject body = createBody();
        assertThat(body.strings("Cmd")).containsExactly("sh", "-c", "echo hi");
        assertThat(body.bool("AttachStdout")).contains(true);
        assertThat(body.bool("AttachStdin")).contains(false);
        assertThat(body.object("HostConfig").orElseThrow().bool("AutoRemove")).contains(true);
        assertThat(body.object("HostConfig").orElseThrow().string("NetworkMode")).contains("default");
    }

    @Test
    void containerRunIsTheSameCommand() {
        container("c2", 0, "next-exit");
        TestCli.Result r = cli().run("container", "run", "busybox");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("hi\n");
        assertThat(createBody().strings("Cmd")).isEmpty();
    }

    @Test
    void detachedRunStartsAndPrintsTheId() {
        daemon.json("POST /containers/create", 201, "{\"Id\":\"abc123\",\"Warnings\":[]}");
        daemon.json("POST /containers/abc123/start", 204, "");
        TestCli.Result r = cli().run("run", "-d", "-e", "A=1", "-e", "FROM_CLI", "busybox", "top", "-b");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("abc123\n");
        assertThat(daemon.conversation()).containsExactly("POST /containers/create", "POST /containers/abc123/start");
        JsonObject body = createBody();
        assertThat(body.bool("AttachStdout")).contains(false);
        assertThat(body.strings("Env")).containsExactly("A=1");
    }

    @Test
    void startFailuresAre127ForNotFound126ForNotExecutableElse125() {
        for (String[] c : List.of(
                new String[] {"exec: \\\"nope\\\": executable file not found in $PATH: unknown", "127"},
                new String[] {"exec: \\\"/etc/passwd\\\": permission denied: unknown", "126"},
                new String[] {"cgroup: invalid argument", "125"})) {
            daemon.json("POST /containers/create", 201, "{\"Id\":\"c9\",\"Warnings\":null}");
            daemon.on("POST /containers/c9/attach", (r, in, out) -> {
                RawDaemon.upgrade(out);
                in.readAllBytes();
                return false;
            });
            daemon.json("POST /containers/c9/wait", 200, "{\"StatusCode\":" + c[1] + "}");
            daemon.json("POST /containers/c9/start", 400, "{\"message\":\"failed to create task: " + c[0] + "\"}");
            TestCli.Result r = cli().run("run", "busybox", "nope");
            assertThat(r.status()).as(r.err()).isEqualTo(Integer.parseInt(c[1]));
            assertThat(r.err()).isEqualTo("berth: Error response from daemon: failed to create task: "
                    + c[0].replace("\\\"", "\"") + "\n\nRun 'berth run --help' for more information\n");
        }
    }

    @Test
    void aMissingImageSaysDockersWordsThenTheDaemonsPullError() {
        daemon.json("POST /containers/create", 404, "{\"message\":\"No such image: busybox:latest\"}");
        daemon.json("POST /images/create", 404, "{\"message\":\"pull access denied for busybox\"}");
        TestCli.Result r = cli().run("run", "busybox");
        assertThat(r.status()).isEqualTo(125);
        assertThat(r.err()).isEqualTo("Unable to find image 'busybox:latest' locally\n"
                + "berth: Error response from daemon: pull access denied for busybox\n\n"
                + "Run 'berth run --help' for more information\n");
        RawDaemon.Request pull = daemon.seen().getLast();
        assertThat(pull.query()).isEqualTo("fromImage=busybox&tag=latest");
    }

    @Test
    void aNameInUseIs125FromRunAnd1FromCreate() {
        daemon.json("POST /containers/create", 409, "{\"message\":\"Conflict. The container name \\\"/web\\\" is already in use\"}");
        TestCli.Result run = cli().run("run", "--name", "web", "busybox");
        assertThat(run.status()).isEqualTo(125);
        assertThat(run.err()).startsWith("berth: Error response from daemon: Conflict.");
        TestCli.Result create = cli().run("create", "--name", "web", "busybox");
        assertThat(create.status()).isEqualTo(1);
        assertThat(create.err()).isEqualTo("Error response from daemon: Conflict. The container name \"/web\" is already in use\n");
    }

    @Test
    void interactiveStdinIsSentAndHalfClosed() {
        daemon.json("POST /containers/create", 201, "{\"Id\":\"ci\"}");
        CountDownLatch exited = new CountDownLatch(1);
        daemon.on("POST /containers/ci/attach", (r, in, out) -> {
            RawDaemon.upgrade(out);
            byte[] all = in.readAllBytes();
            out.write(StdCopy.frame(1, all));
            out.flush();
            exited.countDown();
            return false;
        });
        daemon.on("POST /containers/ci/wait", (r, in, out) -> {
            out.write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 17\r\n\r\n".getBytes());
            out.flush();
            try {
                exited.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            out.write("{\"StatusCode\":0}\n".getBytes());
            return true;
        });
        daemon.json("POST /containers/ci/start", 204, "");
        TestCli.Result r = cli().stdin("line one\nline two\n".getBytes()).run("run", "-i", "busybox", "cat");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("line one\nline two\n");
        JsonObject body = createBody();
        assertThat(body.bool("AttachStdin")).contains(true);
        assertThat(body.bool("OpenStdin")).contains(true);
        assertThat(body.bool("StdinOnce")).contains(true);
        assertThat(daemon.seen().stream().filter(s -> s.path().endsWith("/attach")).findFirst().orElseThrow().query())
                .isEqualTo("stderr=1&stdin=1&stdout=1&stream=1");
    }

    @Test
    void ttyWithStdinNeedsATerminal() {
        TestCli.Result r = cli().run("run", "-it", "busybox");
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("the input device is not a TTY\n");
        assertThat(daemon.conversation()).isEmpty();
    }

    @Test
    void execCreatesStartsHijackedAndExitsWithTheExecsCode() {
        daemon.json("GET /containers/web/json", 200, "{\"Id\":\"c1\",\"Config\":{\"Tty\":false}}");
        daemon.json("POST /containers/web/exec", 201, "{\"Id\":\"e1\"}");
        daemon.on("POST /exec/e1/start", (r, in, out) -> {
            RawDaemon.upgrade(out);
            out.write(StdCopy.frame(1, "x\n".getBytes()));
            return false;
        });
        daemon.json("GET /exec/e1/json", 200, "{\"ExitCode\":5,\"Running\":false}");
        TestCli.Result r = cli().run("exec", "-u", "1:1", "-w", "/tmp", "-e", "K=V", "web", "sh", "-c", "echo x");
        assertThat(r.status()).as(r.err()).isEqualTo(5);
        assertThat(r.out()).isEqualTo("x\n");
        assertThat(daemon.conversation()).containsExactly("GET /containers/web/json", "POST /containers/web/exec",
                "POST /exec/e1/start", "GET /exec/e1/json");
        JsonObject exec = JsonObject.root("exec", Json.parse(daemon.seen().stream()
                .filter(s -> s.path().equals("/containers/web/exec")).findFirst().orElseThrow().bodyText()));
        assertThat(exec.strings("Cmd")).containsExactly("sh", "-c", "echo x");
        assertThat(exec.string("User")).contains("1:1");
        assertThat(exec.string("WorkingDir")).contains("/tmp");
        assertThat(exec.strings("Env")).containsExactly("K=V");
        assertThat(exec.bool("AttachStdin")).contains(false);
        String start = daemon.seen().stream().filter(s -> s.path().equals("/exec/e1/start")).findFirst().orElseThrow()
                .bodyText();
        assertThat(start).isEqualTo("{\"Detach\":false,\"Tty\":false}");
    }

    @Test
    void execOnAMissingContainerIsTheDaemonsError() {
        daemon.json("GET /containers/nope/json", 404, "{\"message\":\"No such container: nope\"}");
        TestCli.Result r = cli().run("exec", "nope", "true");
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("Error response from daemon: No such container: nope\n");
    }

    @Test
    void logsDemultiplexesAndSendsDockersQuery() {
        daemon.json("GET /containers/web/json", 200, "{\"Id\":\"c1\",\"Config\":{\"Tty\":false}}");
        daemon.on("GET /containers/c1/logs", (r, in, out) -> {
            OutputStream o = out;
            byte[] body = new java.io.ByteArrayOutputStream() {
                {
                    writeBytes(StdCopy.frame(1, "one\n".getBytes()));
                    writeBytes(StdCopy.frame(2, "two\n".getBytes()));
                }
            }.toByteArray();
            RawDaemon.respond(o, 200, null, body);
            return true;
        });
        TestCli.Result r = cli().run("logs", "-t", "-n", "2", "--since", "1h", "--until", "2026-11-26T09:00:00Z", "web");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("one\n");
        assertThat(r.err()).isEqualTo("two\n");
        long since = TestCli.NOW.getEpochSecond() - 3600;
        assertThat(daemon.seen().getLast().query()).isEqualTo("since=" + since + "&stderr=1&stdout=1&tail=2&timestamps=1"
                + "&until=1795683600.000000000");
    }

    @Test
    void logsWithABadSinceSaysWhy() {
        daemon.json("GET /containers/web/json", 200, "{\"Id\":\"c1\",\"Config\":{\"Tty\":false}}");
        TestCli.Result r = cli().run("logs", "--since", "x", "web");
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("invalid value for \"since\": failed to parse value as time or duration: \"x\"\n");
    }

    @Test
    void waitPrintsEachStatusAndReportsTheMissing() {
        daemon.json("POST /containers/a/wait", 200, "{\"StatusCode\":0}");
        daemon.json("POST /containers/nope/wait", 404, "{\"message\":\"No such container: nope\"}");
        daemon.json("POST /containers/b/wait", 200, "{\"StatusCode\":137}");
        TestCli.Result r = cli().run("wait", "a", "nope", "b");
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.out()).isEqualTo("0\n137\n");
        assertThat(r.err()).isEqualTo("Error response from daemon: No such container: nope\n");
    }

    @Test
    void startPrintsNamesAndSumsUpFailures() {
        daemon.json("POST /containers/a/start", 204, "");
        daemon.json("POST /containers/nope/start", 404, "{\"message\":\"No such container: nope\"}");
        TestCli.Result r = cli().run("start", "a", "nope");
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.out()).isEqualTo("a\n");
        assertThat(r.err()).isEqualTo("Error response from daemon: No such container: nope\n"
                + "Error: failed to start containers: nope\n");
    }

    @Test
    void attachRefusesAStoppedContainer() {
        daemon.json("GET /containers/web/json", 200,
                "{\"Id\":\"c1\",\"State\":{\"Running\":false},\"Config\":{\"Tty\":false}}");
        TestCli.Result r = cli().run("attach", "web");
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("You cannot attach to a stopped container, start it first\n");
    }

    @Test
    void startAttachedStreamsAndExitsWithTheStatus() {
        daemon.json("GET /containers/web/json", 200,
                "{\"Id\":\"c1\",\"State\":{\"Running\":false},\"Config\":{\"Tty\":false,\"OpenStdin\":false},"
                        + "\"HostConfig\":{\"AutoRemove\":false}}");
        container("c1", 4, "next-exit");
        TestCli.Result r = cli().run("start", "-a", "web");
        assertThat(r.status()).as(r.err()).isEqualTo(4);
        assertThat(r.out()).isEqualTo("hi\n");
        assertThat(daemon.conversation()).containsExactly("GET /containers/web/json", "POST /containers/c1/attach",
                "POST /containers/c1/wait", "POST /containers/c1/start");
        assertThat(new String(daemon.seen().getLast().body(), StandardCharsets.UTF_8)).isEmpty();
    }
}
