package dev.berth.registry.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/** A one-layer docker-archive (as {@code docker save} writes it) with random content, for docker load and skopeo. */
final class TinyImage {
    private TinyImage() {
    }

    static Path dockerArchive(Path work, String repoTag) throws Exception {
        Path dir = Files.createDirectories(work.resolve("image-" + System.nanoTime()));
        Path rootfs = Files.createDirectories(dir.resolve("rootfs/etc"));
        byte[] random = new byte[64 * 1024];
        new java.security.SecureRandom().nextBytes(random);
        Files.write(rootfs.resolve("random.bin"), random);
        Files.writeString(rootfs.resolve("hello"), "hello from " + repoTag + "\n");
        Path out = Files.createDirectories(dir.resolve("out/layer"));
        tar(dir.resolve("rootfs"), out.resolve("layer.tar"));
        String diffId = "sha256:" + sha256(Files.readAllBytes(out.resolve("layer.tar")));
        String config = """
                {"architecture":"amd64","os":"linux","created":"2026-01-01T00:00:00Z","config":{"Cmd":["/hello"]},\
                "rootfs":{"type":"layers","diff_ids":["%s"]},"history":[{"created":"2026-01-01T00:00:00Z"}]}"""
                .formatted(diffId);
        String configName = sha256(config.getBytes()) + ".json";
        Files.writeString(dir.resolve("out").resolve(configName), config);
        Files.writeString(dir.resolve("out/manifest.json"),
                "[{\"Config\":\"" + configName + "\",\"RepoTags\":[\"" + repoTag + "\"],\"Layers\":[\"layer/layer.tar\"]}]");
        Path archive = work.resolve(repoTag.replaceAll("[^a-z0-9]", "_") + ".tar");
        tar(dir.resolve("out"), archive);
        Tools.deleteTree(dir);
        return archive;
    }

    private static void tar(Path dir, Path out) throws IOException, InterruptedException {
        Tools.Run r = Tools.run(dir, Map.of(), List.of("tar", "--sort=name", "--mtime=@0", "--owner=0", "--group=0", "--numeric-owner",
                "-C", dir.toString(), "-cf", out.toString(), "."));
        if (r.status() != 0) {
            throw new IOException("tar failed: " + r.all());
        }
    }

    static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
