package dev.berth.daemon.container;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.daemon.Daemon;
import dev.berth.daemon.testing.RawHttp;
import dev.berth.daemon.testing.TestDaemons;
import dev.berth.engine.CreateRequest;
import dev.berth.engine.archive.PathStat;
import dev.berth.engine.container.ContainerConfig;
import dev.berth.engine.container.HostConfig;
import dev.berth.oci.json.Json;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HEAD, GET and PUT /containers/{id}/archive over a socket, on a created (never started) busybox container. */
class ArchiveRoutesTest {
    @TempDir
    Path dir;

    @SuppressWarnings("unchecked")
    private static Map<String, Object> stat(RawHttp.Response r) {
        String header = r.headers().entrySet().stream()
                .filter(e -> e.getKey().equalsIgnoreCase(ArchiveRoutes.STAT_HEADER)).map(Map.Entry::getValue)
                .findFirst().orElseThrow();
        return (Map<String, Object>) Json.parse(new String(Base64.getDecoder().decode(header), StandardCharsets.UTF_8));
    }

    @Test
    void theStatHeaderIsDockersPathStat() {
        String h = ArchiveRoutes.header(new PathStat("tmp", 4096, PathStat.MODE_DIR | PathStat.MODE_STICKY | 0777,
                Instant.parse("2026-11-26T11:13:24.741858382Z"), ""));
        assertThat(new String(Base64.getDecoder().decode(h), StandardCharsets.UTF_8)).isEqualTo(
                "{\"name\":\"tmp\",\"size\":4096,\"mode\":2148532735,\"mtime\":\"2026-11-26T11:13:24.741858382Z\",\"linkTarget\":\"\"}");
    }

    @Test
    void copyInAndOutOverTheApi() throws Exception {
        Assumptions.assumeTrue(System.getProperty("user.name").equals("root"), "overlay mounts need root");
        try (Daemon daemon = TestDaemons.start(dir)) {
            Path s = TestDaemons.socket(dir);
            assertThat(RawHttp.call(s, "POST", "/berth/images/bootstrap?name=busybox").status()).isEqualTo(200);
            daemon.engine().create(CreateRequest.of(ContainerConfig.of("busybox", List.of("true")), HostConfig.DEFAULT).named("web"));

            RawHttp.Response head = RawHttp.call(s, "HEAD", "/v1.47/containers/web/archive?path=/etc/passwd");
            assertThat(head.status()).isEqualTo(200);
            assertThat(stat(head)).containsEntry("name", "passwd").containsEntry("mode", 420L).containsEntry("linkTarget", "");

            RawHttp.Response get = RawHttp.call(s, "GET", "/containers/web/archive?path=/etc/passwd");
            assertThat(get.status()).isEqualTo(200);
            assertThat(stat(get)).containsEntry("name", "passwd");
            try (TarArchiveInputStream tar = new TarArchiveInputStream(new ByteArrayInputStream(get.body()))) {
                assertThat(tar.getNextEntry().getName()).isEqualTo("passwd");
                assertThat(new String(tar.readAllBytes(), StandardCharsets.UTF_8)).startsWith("root:");
            }

            ByteArrayOutputStream upload = new ByteArrayOutputStream();
            try (TarArchiveOutputStream tar = new TarArchiveOutputStream(upload)) {
                TarArchiveEntry e = new TarArchiveEntry("hello.txt");
                e.setSize(3);
                tar.putArchiveEntry(e);
                tar.write("hi\n".getBytes(StandardCharsets.UTF_8));
                tar.closeArchiveEntry();
            }
            RawHttp.Response put = RawHttp.call(s, "PUT", "/v1.47/containers/web/archive?path=/tmp&noOverwriteDirNonDir=true",
                    "application/x-tar", upload.toByteArray());
            assertThat(put.status()).isEqualTo(200);
            assertThat(stat(RawHttp.call(s, "HEAD", "/containers/web/archive?path=/tmp/hello.txt"))).containsEntry("size", 3L);

            RawHttp.Response missing = RawHttp.call(s, "GET", "/containers/web/archive?path=/nope");
            assertThat(missing.status()).isEqualTo(404);
            assertThat(missing.text()).contains("Could not find the file /nope in container web");
            RawHttp.Response notDir = RawHttp.call(s, "PUT", "/containers/web/archive?path=/etc/passwd", "application/x-tar",
                    upload.toByteArray());
            assertThat(notDir.status()).isEqualTo(400);
            assertThat(notDir.text()).contains("extraction point is not a directory");
            RawHttp.Response hostile = RawHttp.call(s, "PUT", "/containers/web/archive?path=/tmp", "application/x-tar",
                    escapingTar());
            assertThat(hostile.status()).isEqualTo(400);
            assertThat(hostile.text()).contains("is outside of");
            assertThat(RawHttp.call(s, "GET", "/containers/web/archive").status()).isEqualTo(400);
            assertThat(RawHttp.call(s, "HEAD", "/containers/nope/archive?path=/").status()).isEqualTo(404);
            daemon.engine().remove("web", true);
        }
    }

    private static byte[] escapingTar() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
            TarArchiveEntry e = new TarArchiveEntry("../../escape", true);
            e.setSize(0);
            tar.putArchiveEntry(e);
            tar.closeArchiveEntry();
        }
        return bytes.toByteArray();
    }
}
