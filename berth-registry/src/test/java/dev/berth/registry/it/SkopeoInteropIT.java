package dev.berth.registry.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.oci.image.Digest;
import dev.berth.oci.image.MediaTypes;
import dev.berth.oci.json.Json;
import dev.berth.oci.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * skopeo (Debian's, containers/image underneath) copies images into {@code berth registry serve}
 * and back out: an OCI layout kept byte for byte, a docker-archive pushed as Docker schema 2,
 * tags listed, a manifest deleted. Digests must come back identical.
 */
class SkopeoInteropIT {
    @TempDir
    Path work;
    RegistryProcess registry;

    @BeforeEach
    void start() throws Exception {
        Assumptions.assumeTrue(Tools.onPath("skopeo"), "skopeo is not installed (scripts/install-deps.sh installs it)");
        registry = RegistryProcess.start(work);
    }

    @AfterEach
    void stop() throws Exception {
        if (registry != null) {
            registry.close();
        }
    }

    private Tools.Run skopeo(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("skopeo", "--insecure-policy"));
        command.addAll(List.of(args));
        return Tools.run(work, Map.of(), command);
    }

    private Tools.Run ok(String... args) throws Exception {
        Tools.Run r = skopeo(args);
        assertThat(r.status()).as(String.join(" ", args) + "\n" + r.all()).isZero();
        return r;
    }

    @Test
    void anOciLayoutGoesInAndComesBackByteForByte() throws Exception {
        OciLayouts.Layout source = OciLayouts.write(work.resolve("src"), "1.0", 300_000, 5_000_000);
        String ref = "docker://" + registry.address() + "/skopeo/oci:1.0";
        ok("copy", "--preserve-digests", "--dest-tls-verify=false", "oci:" + source.dir() + ":1.0", ref);

        byte[] raw = ok("inspect", "--raw", "--tls-verify=false", ref).out().getBytes(StandardCharsets.UTF_8);
        assertThat(Digest.sha256(raw)).isEqualTo(source.manifest());

        Path back = work.resolve("back");
        ok("copy", "--preserve-digests", "--src-tls-verify=false", ref, "oci:" + back + ":1.0");
        JsonObject index = JsonObject.root("index.json", Json.parse(Files.readString(back.resolve("index.json"))));
        assertThat(index.objectList("manifests").getFirst().string("digest")).hasValue(source.manifest().toString());
        for (Digest blob : source.blobs()) {
            assertThat(Files.readAllBytes(back.resolve("blobs/sha256/" + blob.hex())))
                    .isEqualTo(Files.readAllBytes(source.dir().resolve("blobs/sha256/" + blob.hex())));
        }

        assertThat(ok("list-tags", "--tls-verify=false", "docker://" + registry.address() + "/skopeo/oci").out()).contains("\"1.0\"");
        ok("delete", "--tls-verify=false", ref);
        assertThat(skopeo("inspect", "--raw", "--tls-verify=false", ref).status()).isNotZero();
    }

    @Test
    void aDockerArchiveGoesInAsDockerSchema2AndComesBackVerified() throws Exception {
        OciLayouts.Layout source = OciLayouts.write(work.resolve("src"), "2", 100_000, 2_000_000);
        Path archive = work.resolve("image.tar");
        ok("copy", "oci:" + source.dir() + ":2", "docker-archive:" + archive + ":skopeo/archive:2");
        String ref = "docker://" + registry.address() + "/skopeo/archive:2";
        ok("copy", "--dest-tls-verify=false", "docker-archive:" + archive, ref);

        byte[] raw = ok("inspect", "--raw", "--tls-verify=false", ref).out().getBytes(StandardCharsets.UTF_8);
        JsonObject manifest = JsonObject.root("manifest", Json.parse(new String(raw, StandardCharsets.UTF_8)));
        assertThat(manifest.string("mediaType")).hasValue(MediaTypes.DOCKER_MANIFEST);

        // dir: keeps every blob under its digest; each must hash to its name
        Path dir = work.resolve("dir");
        ok("copy", "--src-tls-verify=false", ref, "dir:" + dir);
        assertThat(Digest.sha256(Files.readAllBytes(dir.resolve("manifest.json")))).isEqualTo(Digest.sha256(raw));
        int blobs = 0;
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.toList()) {
                String name = f.getFileName().toString();
                if (name.matches("[0-9a-f]{64}")) {
                    assertThat(Digest.sha256(Files.readAllBytes(f)).hex()).isEqualTo(name);
                    blobs++;
                }
            }
        }
        assertThat(blobs).isEqualTo(3); // two layers and the config
    }

    @Test
    void aSecondRepositoryGetsTheBlobsMountedOrSkipped() throws Exception {
        OciLayouts.Layout source = OciLayouts.write(work.resolve("src"), "1", 200_000);
        ok("copy", "--preserve-digests", "--dest-tls-verify=false", "oci:" + source.dir() + ":1",
                "docker://" + registry.address() + "/skopeo/first:1");
        ok("copy", "--preserve-digests", "--src-tls-verify=false", "--dest-tls-verify=false",
                "docker://" + registry.address() + "/skopeo/first:1", "docker://" + registry.address() + "/skopeo/second:1");
        byte[] raw = ok("inspect", "--raw", "--tls-verify=false", "docker://" + registry.address() + "/skopeo/second:1")
                .out().getBytes(StandardCharsets.UTF_8);
        assertThat(Digest.sha256(raw)).isEqualTo(source.manifest());
    }
}
