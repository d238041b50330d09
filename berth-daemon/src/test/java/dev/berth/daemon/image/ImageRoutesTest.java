package dev.berth.daemon.image;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.daemon.Daemon;
import dev.berth.daemon.testing.RawHttp;
import dev.berth.daemon.testing.Tarballs;
import dev.berth.daemon.testing.TestDaemons;
import dev.berth.oci.json.Json;
import java.io.ByteArrayInputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The image routes end to end over a socket, on a real image store (layers unpacked as root). */
class ImageRoutesTest {
    @TempDir
    Path dir;

    private static String q(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @SuppressWarnings("unchecked")
    private static <T> T json(RawHttp.Response r) {
        return (T) Json.parse(r.text());
    }

    @Test
    void theImageLifecycleOverTheApi() throws Exception {
        Assumptions.assumeTrue(System.getProperty("user.name").equals("root"), "layer unpack needs root (owners, devices)");
        try (Daemon daemon = TestDaemons.start(dir)) {
            Path s = TestDaemons.socket(dir);
            // import with changes and a message
            RawHttp.Response imported = RawHttp.call(s, "POST", "/v1.47/images/create?fromSrc=-&repo=localhost:5000/a/b&tag=one"
                    + "&message=" + q("made here") + "&changes=" + q("CMD [\"/bin/sh\"]") + "&changes=" + q("ENV A=1"),
                    "application/x-tar", Tarballs.rootfs("hi\n"));
            assertThat(imported.status()).isEqualTo(200);
            String id = (String) ((Map<String, Object>) Json.parse(imported.text().lines().findFirst().orElseThrow())).get("status");
            assertThat(id).startsWith("sha256:");

            // a name with a registry port and slashes resolves in the path
            Map<String, Object> inspect = json(RawHttp.call(s, "GET", "/v1.47/images/localhost:5000/a/b:one/json"));
            assertThat(inspect.get("Id")).isEqualTo(id);
            assertThat(inspect.get("Comment")).isEqualTo("made here");
            Map<String, Object> config = (Map<String, Object>) inspect.get("Config");
            assertThat(config.get("Cmd")).isEqualTo(List.of("/bin/sh"));
            assertThat(config.get("Env")).isEqualTo(List.of("A=1"));
            assertThat(config).containsKeys("Hostname", "AttachStdin", "Labels");

            RawHttp.Response missing = RawHttp.call(s, "GET", "/images/nope/json");
            assertThat(missing.status()).isEqualTo(404);
            assertThat(missing.text()).isEqualTo("{\"message\":\"No such image: nope:latest\"}\n");

            // tag, and the docker CLI's bad tags
            assertThat(RawHttp.call(s, "POST", "/images/localhost:5000/a/b:one/tag?repo=busybox&tag=x").status()).isEqualTo(201);
            assertThat(RawHttp.call(s, "POST", "/images/busybox:x/tag?repo=Upper").status()).isEqualTo(400);
            assertThat(RawHttp.call(s, "POST", "/images/busybox:x/tag?repo=ok&tag=-bad").status()).isEqualTo(400);

            List<Map<String, Object>> list = json(RawHttp.call(s, "GET", "/v1.47/images/json"));
            assertThat(list).hasSize(1);
            assertThat(list.getFirst().get("RepoTags")).isEqualTo(List.of("busybox:x", "localhost:5000/a/b:one"));
            assertThat(list.getFirst().get("SharedSize")).isEqualTo(-1L);
            assertThat(list.getFirst()).doesNotContainKey("VirtualSize");
            List<Map<String, Object>> old = json(RawHttp.call(s, "GET", "/v1.41/images/json?shared-size=1"));
            assertThat(old.getFirst()).containsKey("VirtualSize");
            assertThat(old.getFirst().get("SharedSize")).isEqualTo(0L);
            List<Map<String, Object>> filtered = json(RawHttp.call(s, "GET", "/images/json?filters=" + q("{\"reference\":[\"busybox\"]}")));
            assertThat(filtered.getFirst().get("RepoTags")).isEqualTo(List.of("busybox:x"));
            assertThat(RawHttp.call(s, "GET", "/images/json?filters=" + q("{\"colour\":[\"x\"]}")).status()).isEqualTo(400);

            List<Map<String, Object>> history = json(RawHttp.call(s, "GET", "/images/busybox:x/history"));
            assertThat(history).isNotEmpty();
            assertThat(history.getFirst().get("Id")).isEqualTo(id);

            // save both names, remove, load back
            RawHttp.Response saved = RawHttp.call(s, "GET", "/images/get?names=busybox:x&names=" + q("localhost:5000/a/b:one"));
            assertThat(saved.status()).isEqualTo(200);
            assertThat(saved.header("Content-Type")).isEqualTo("application/x-tar");
            assertThat(tarNames(saved.body())).contains("manifest.json");
            assertThat(RawHttp.call(s, "GET", "/images/nope/get").status()).isEqualTo(404);

            RawHttp.Response conflict = RawHttp.call(s, "DELETE", "/images/" + id.substring(7, 19));
            assertThat(conflict.status()).isEqualTo(409);
            assertThat(conflict.text()).contains("must be forced");
            List<Map<String, Object>> untag = json(RawHttp.call(s, "DELETE", "/images/busybox:x"));
            assertThat(untag).containsExactly(Map.of("Untagged", "busybox:x"));
            List<Map<String, Object>> deleted = json(RawHttp.call(s, "DELETE", "/images/localhost:5000/a/b:one"));
            assertThat(deleted).contains(Map.of("Deleted", id));

            RawHttp.Response loaded = RawHttp.call(s, "POST", "/images/load?quiet=1", "application/x-tar", saved.body());
            assertThat(loaded.status()).isEqualTo(200);
            assertThat(loaded.text()).contains("{\"stream\":\"Loaded image: busybox:x\\n\"}", "Loaded image: localhost:5000/a/b:one");
            assertThat(RawHttp.call(s, "POST", "/images/load", "application/x-tar", "not a tar".getBytes()).status()).isEqualTo(400);

            Map<String, Object> df = json(RawHttp.call(s, "GET", "/system/df"));
            assertThat((List<?>) df.get("Images")).hasSize(1);
            assertThat(df.get("Containers")).isEqualTo(List.of());
            // docker system prune's last request: no build cache, nothing freed (not a 404)
            Map<String, Object> buildPrune = json(RawHttp.call(s, "POST", "/build/prune"));
            assertThat(buildPrune.get("SpaceReclaimed")).isEqualTo(0L);
            assertThat(buildPrune).containsEntry("CachesDeleted", null);
            Map<String, Object> info = json(RawHttp.call(s, "GET", "/info"));
            assertThat(info.get("Images")).isEqualTo(1L);

            Map<String, Object> pruned = json(RawHttp.call(s, "POST", "/images/prune?filters=" + q("{\"dangling\":[\"false\"]}")));
            assertThat((List<Object>) pruned.get("ImagesDeleted")).contains(Map.of("Deleted", id));
            assertThat((List<?>) json(RawHttp.call(s, "GET", "/images/json"))).isEmpty();

            List<String> actions = new ArrayList<>();
            daemon.events().subscribe(e -> true, 0L).past().forEach(e -> actions.add(e.action()));
            assertThat(actions).containsSubsequence("tag", "import", "tag", "save", "untag", "untag", "delete", "load", "delete");
        }
    }

    @Test
    void bootstrapBusyboxStreamsProgressAndSavesAsOci() throws Exception {
        Assumptions.assumeTrue(System.getProperty("user.name").equals("root"), "layer unpack needs root");
        Assumptions.assumeTrue(java.nio.file.Files.isExecutable(Path.of("/bin/busybox")), "no host busybox-static");
        try (Daemon daemon = TestDaemons.start(dir)) {
            Path s = TestDaemons.socket(dir);
            RawHttp.Response made = RawHttp.call(s, "POST", "/v1.47/berth/images/bootstrap?name=busybox&tag=bb:1");
            assertThat(made.status()).isEqualTo(200);
            assertThat(made.text()).contains("{\"stream\":\"Loaded image: bb:1\\n\"}", "\"aux\":{\"ID\":\"sha256:");
            assertThat(RawHttp.call(s, "POST", "/berth/images/bootstrap?name=alpine").status()).isEqualTo(400);
            RawHttp.Response oci = RawHttp.call(s, "GET", "/images/get?names=bb:1&format=oci");
            assertThat(tarNames(oci.body())).contains("oci-layout", "index.json").doesNotContain("manifest.json");
            assertThat(RawHttp.call(s, "GET", "/images/get?names=bb:1&format=zip").status()).isEqualTo(400);
        }
    }

    static List<String> tarNames(byte[] tar) throws Exception {
        List<String> names = new ArrayList<>();
        try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(tar))) {
            for (TarArchiveEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                names.add(e.getName());
            }
        }
        return names;
    }
}
