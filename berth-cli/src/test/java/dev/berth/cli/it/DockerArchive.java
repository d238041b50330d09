package dev.berth.cli.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Writes small docker-archive tarballs (the {@code docker save} layout: manifest.json, a config
 * per image, layer.tar per layer) with chosen creation dates and history, so that listings
 * compared between two clients do not depend on when the test ran. The tar tool packs them.
 */
final class DockerArchive {
    private final Path work;
    private final List<String> manifest = new ArrayList<>();
    private int next;

    DockerArchive(Path work) throws IOException {
        this.work = Files.createDirectories(work);
    }

    /** A layer holding the given files (path → content); returns "dir/layer.tar" and its diff id. */
    String[] layer(Map<String, String> files) throws IOException, InterruptedException {
        Path root = Files.createDirectories(work.resolve("src-" + next++));
        for (Map.Entry<String, String> f : files.entrySet()) {
            Path file = root.resolve(f.getKey());
            Files.createDirectories(file.getParent());
            Files.writeString(file, f.getValue());
        }
        String dir = "layer" + next;
        Path layerTar = Files.createDirectories(work.resolve("out").resolve(dir)).resolve("layer.tar");
        tar(root, layerTar, ".");
        return new String[] {dir + "/layer.tar", "sha256:" + sha256(Files.readAllBytes(layerTar))};
    }

    /** A layer of a directory tree made by the caller (binaries, symlinks); returns "dir/layer.tar" and its diff id. */
    String[] layerOf(Path root) throws IOException, InterruptedException {
        String dir = "layer" + next++;
        Path layerTar = Files.createDirectories(work.resolve("out").resolve(dir)).resolve("layer.tar");
        tar(root, layerTar, ".");
        return new String[] {dir + "/layer.tar", "sha256:" + sha256(Files.readAllBytes(layerTar))};
    }

    /** An image: its config JSON (already holding the diff ids) and the layers; returns the image id. */
    String image(String config, List<String> layerPaths, List<String> repoTags) throws IOException {
        byte[] bytes = config.getBytes(StandardCharsets.UTF_8);
        String hex = sha256(bytes);
        Files.createDirectories(work.resolve("out"));
        Files.write(work.resolve("out").resolve(hex + ".json"), bytes);
        StringBuilder entry = new StringBuilder("{\"Config\":\"" + hex + ".json\",\"RepoTags\":");
        entry.append(repoTags == null ? "null" : "[" + String.join(",", repoTags.stream().map(t -> "\"" + t + "\"").toList()) + "]");
        entry.append(",\"Layers\":[").append(String.join(",", layerPaths.stream().map(l -> "\"" + l + "\"").toList())).append("]}");
        manifest.add(entry.toString());
        return "sha256:" + hex;
    }

    /** Packs everything added so far into one archive. */
    Path pack(String name) throws IOException, InterruptedException {
        Files.writeString(work.resolve("out/manifest.json"), "[" + String.join(",", manifest) + "]");
        Path archive = work.resolve(name);
        tar(work.resolve("out"), archive, ".");
        return archive;
    }

    private static void tar(Path dir, Path out, String what) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("tar", "--sort=name", "--mtime=@0", "--owner=0", "--group=0", "--numeric-owner",
                "-C", dir.toString(), "-cf", out.toString(), what).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IOException("tar failed: " + output);
        }
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
