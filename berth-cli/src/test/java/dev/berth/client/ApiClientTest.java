package dev.berth.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.client.FakeDaemon.Reply;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApiClientTest {
    @TempDir
    Path dir;

    private ApiClient client(Path socket, String fixedVersion) {
        return ApiClient.create(DaemonHost.parse("unix://" + socket, false), null, fixedVersion);
    }

    @Test
    void negotiatesDownToTheDaemonsVersionLikeTheDockerCli() throws Exception {
        Path socket = dir.resolve("d.sock");
        try (FakeDaemon daemon = FakeDaemon.unix(socket).apiVersion("1.41");
                ApiClient client = client(socket, null)) {
            daemon.on("GET /v1.41/images/json", Reply.json(200, "[]"));
            assertThat(client.getJson("/images/json", null)).isEqualTo(List.of());
            List<FakeDaemon.Seen> seen = daemon.seen();
            assertThat(seen.getFirst().method()).isEqualTo("HEAD");
            assertThat(seen.getFirst().path()).isEqualTo("/_ping");
            assertThat(seen.get(1).path()).isEqualTo("/v1.41/images/json");
            assertThat(seen.get(1).headers().get("User-Agent")).startsWith("Berth-Client/");
        }
    }

    @Test
    void aNewerDaemonIsSpokenToAtTheClientsVersion() throws Exception {
        Path socket = dir.resolve("d.sock");
        try (FakeDaemon daemon = FakeDaemon.unix(socket).apiVersion("1.50"); ApiClient client = client(socket, null)) {
            assertThat(client.apiVersion()).isEqualTo("1.47");
        }
    }

    @Test
    void dockerApiVersionSkipsThePing() throws Exception {
        Path socket = dir.resolve("d.sock");
        try (FakeDaemon daemon = FakeDaemon.unix(socket); ApiClient client = client(socket, "1.43")) {
            daemon.on("GET /v1.43/info", Reply.json(200, "{\"ID\":\"x\"}"));
            assertThat(client.getJson("/info", null)).isEqualTo(Map.of("ID", "x"));
            assertThat(daemon.seen()).extracting(FakeDaemon.Seen::path).containsExactly("/v1.43/info");
        }
    }

    @Test
    void errorBodiesBecomeDaemonErrorsWithTheDaemonsMessage() throws Exception {
        Path socket = dir.resolve("d.sock");
        try (FakeDaemon daemon = FakeDaemon.unix(socket); ApiClient client = client(socket, null)) {
            daemon.on("DELETE /v1.47/images/nope", Reply.error(404, "No such image: nope:latest"));
            daemon.on("GET /v1.47/text", new Reply(500, "text/plain", "  boom\n".getBytes(StandardCharsets.UTF_8)));
            daemon.on("GET /v1.47/empty", new Reply(400, null, new byte[0]));
            assertThatThrownBy(() -> client.deleteJson("/images/nope", null))
                    .isInstanceOfSatisfying(DaemonException.class, e -> {
                        assertThat(e.status()).isEqualTo(404);
                        assertThat(e.describe()).isEqualTo("Error response from daemon: No such image: nope:latest");
                    });
            assertThatThrownBy(() -> client.getJson("/text", null)).hasMessage("boom");
            assertThatThrownBy(() -> client.getJson("/empty", null))
                    .hasMessageStartingWith("request returned Bad Request for API route and version");
        }
    }

    @Test
    void streamsARequestBodyAndAResponseBody() throws Exception {
        Path socket = dir.resolve("d.sock");
        byte[] tar = new byte[300_000];
        for (int i = 0; i < tar.length; i++) {
            tar[i] = (byte) i;
        }
        try (FakeDaemon daemon = FakeDaemon.unix(socket); ApiClient client = client(socket, null)) {
            daemon.on("POST /v1.47/images/load", s -> Reply.json(200,
                    "{\"stream\":\"got " + s.body().length + "\\n\"}"));
            try (ApiResponse response = client.send("POST", "/images/load", Query.of().flag("quiet", true),
                    "application/x-tar", null, new ByteArrayInputStream(tar))) {
                assertThat(response.text()).isEqualTo("{\"stream\":\"got 300000\\n\"}\n");
                assertThat(response.header("Content-Type")).isEqualTo("application/json");
            }
            FakeDaemon.Seen load = daemon.last();
            assertThat(load.query()).isEqualTo("quiet=1");
            assertThat(load.headers().get("Content-Type")).isEqualTo("application/x-tar");
            assertThat(load.body()).isEqualTo(tar);
        }
    }

    @Test
    void anAbsentDaemonIsReportedAsDockerDoes() {
        Path socket = dir.resolve("none.sock");
        try (ApiClient client = client(socket, null)) {
            assertThatThrownBy(() -> client.getJson("/info", null)).isInstanceOf(ConnectException.class)
                    .hasMessage("Cannot connect to the berth daemon at unix://" + socket + ". Is the berth daemon running?");
        }
    }
}
