package dev.berth.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The hijack client against a raw scripted daemon: the upgrade request, both directions, half-close, errors. */
class HijackClientTest {
    @TempDir
    Path dir;

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void upgradesAndDemultiplexesTheContainersOutput() throws Exception {
        Path socket = dir.resolve("d.sock");
        try (RawDaemon daemon = RawDaemon.unix(socket);
                ApiClient client = ApiClient.create(DaemonHost.parse("unix://" + socket, false), null, null)) {
            daemon.on("POST /containers/c1/attach", (r, in, out) -> {
                RawDaemon.upgrade(out);
                out.write(StdCopy.frame(1, bytes("out\n")));
                out.write(StdCopy.frame(2, bytes("err\n")));
                out.write(StdCopy.frame(1, bytes("more\n")));
                return false;
            });
            ByteArrayOutputStream stdout = new ByteArrayOutputStream();
            ByteArrayOutputStream stderr = new ByteArrayOutputStream();
            try (HijackedStream stream = client.hijack("/containers/c1/attach",
                    Query.of().add("stream", "1").add("stdout", "1").add("stderr", "1"), null, null)) {
                assertThat(stream.contentType()).isEqualTo("application/vnd.docker.raw-stream");
                StdCopy.demultiplex(stream.input(), stdout, stderr);
            }
            assertThat(stdout.toString(StandardCharsets.UTF_8)).isEqualTo("out\nmore\n");
            assertThat(stderr.toString(StandardCharsets.UTF_8)).isEqualTo("err\n");
            RawDaemon.Request request = daemon.seen().getLast();
            assertThat(request.query()).isEqualTo("stderr=1&stdout=1&stream=1");
            assertThat(request.headers()).containsEntry("connection", "Upgrade").containsEntry("upgrade", "tcp")
                    .containsEntry("host", "api.moby.localhost").containsEntry("content-length", "0");
        }
    }

    @Test
    void stdinGoesUpAndTheHalfCloseIsSeenWhileOutputStillComesDown() throws Exception {
        Path socket = dir.resolve("d.sock");
        try (RawDaemon daemon = RawDaemon.unix(socket);
                ApiClient client = ApiClient.create(DaemonHost.parse("unix://" + socket, false), null, null)) {
            daemon.on("POST /exec/e1/start", (r, in, out) -> {
                RawDaemon.upgrade(out);
                byte[] all = in.readAllBytes(); // until the client's half-close
                out.write(StdCopy.frame(1, ("got " + new String(all, StandardCharsets.UTF_8) + " after "
                        + r.bodyText()).getBytes(StandardCharsets.UTF_8)));
                return false;
            });
            try (HijackedStream stream = client.hijack("/exec/e1/start", null, "application/json",
                    bytes("{\"Detach\":false,\"Tty\":false}"))) {
                stream.output().write(bytes("typed"));
                stream.closeWrite();
                ByteArrayOutputStream stdout = new ByteArrayOutputStream();
                StdCopy.demultiplex(stream.input(), stdout, new ByteArrayOutputStream());
                assertThat(stdout.toString(StandardCharsets.UTF_8)).isEqualTo("got typed after {\"Detach\":false,\"Tty\":false}");
            }
            assertThat(daemon.seen().getLast().headers()).containsEntry("content-type", "application/json");
        }
    }

    @Test
    void anErrorAnswerIsTheDaemonsMessage() throws Exception {
        Path socket = dir.resolve("d.sock");
        try (RawDaemon daemon = RawDaemon.unix(socket);
                ApiClient client = ApiClient.create(DaemonHost.parse("unix://" + socket, false), null, null)) {
            daemon.json("POST /containers/nope/attach", 404, "{\"message\":\"No such container: nope\"}");
            assertThatThrownBy(() -> client.hijack("/containers/nope/attach", null, null, null))
                    .isInstanceOfSatisfying(DaemonException.class, e -> {
                        assertThat(e.status()).isEqualTo(404);
                        assertThat(e.describe()).isEqualTo("Error response from daemon: No such container: nope");
                    });
        }
    }

    @Test
    void anOldDaemonsPlain200IsAStreamToo() throws Exception {
        Path socket = dir.resolve("d.sock");
        try (RawDaemon daemon = RawDaemon.unix(socket);
                ApiClient client = ApiClient.create(DaemonHost.parse("unix://" + socket, false), null, "1.40")) {
            daemon.on("POST /containers/c/attach", (r, in, out) -> {
                out.write(bytes("HTTP/1.1 200 OK\r\nContent-Type: application/vnd.docker.raw-stream\r\n\r\nraw tty bytes"));
                return false;
            });
            try (HijackedStream stream = client.hijack("/containers/c/attach", null, null, null)) {
                assertThat(new String(stream.input().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("raw tty bytes");
            }
        }
    }

    @Test
    void plainTcpToo() throws Exception {
        try (RawDaemon daemon = RawDaemon.tcp()) {
            daemon.on("POST /containers/c/attach", (r, in, out) -> {
                RawDaemon.upgrade(out);
                out.write(StdCopy.frame(1, ("host " + r.headers().get("host") + " " + new String(in.readAllBytes(),
                        StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8)));
                return false;
            });
            try (ApiClient client = ApiClient.create(DaemonHost.parse("tcp://127.0.0.1:" + daemon.port(), false), null, null);
                    HijackedStream stream = client.hijack("/containers/c/attach", null, null, null)) {
                stream.output().write(bytes("in"));
                stream.closeWrite();
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                StdCopy.demultiplex(stream.input(), out, out);
                assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("host 127.0.0.1:" + daemon.port() + " in");
            }
        }
    }

    @Test
    void noDaemonIsAConnectError() {
        try (ApiClient client = ApiClient.create(DaemonHost.parse("unix://" + dir.resolve("none.sock"), false), null,
                "1.47")) {
            assertThatThrownBy(() -> client.hijack("/containers/c/attach", null, null, null))
                    .isInstanceOf(ConnectException.class).hasMessageContaining("Is the berth daemon running?");
        }
    }
}
