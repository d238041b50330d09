package dev.berth.registry.it;

import dev.berth.oci.image.Digest;
import dev.berth.oci.image.MediaTypes;
import dev.berth.oci.json.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * A small image made here, as an OCI image layout (oci-layout, index.json, blobs/): gzip layers
 * of random files, a config whose diff_ids match them, so docker can load and run-check it.
 */
final class OciLayouts {
    private OciLayouts() {}

    record Layout(Path dir, String tag, Digest manifest, List<Digest> blobs) {}

    static Layout write(Path dir, String tag, int... layerSizes) throws IOException {
        Files.createDirectories(dir.resolve("blobs/sha256"));
        Files.writeString(dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        List<Object> layers = new ArrayList<>();
        List<Object> diffIds = new ArrayList<>();
        List<Object> history = new ArrayList<>();
        List<Digest> blobs = new ArrayList<>();
        for (int i = 0; i < layerSizes.length; i++) {
            byte[] tar = tar("file-" + i + ".bin", layerSizes[i]);
            byte[] gz = gzip(tar);
            Digest d = blob(dir, gz);
            blobs.add(d);
            diffIds.add(Digest.sha256(tar).toString());
            layers.add(descriptor(MediaTypes.OCI_LAYER_GZIP, d, gz.length));
            history.add(Map.of("created", "2026-11-26T00:00:00Z", "created_by", "layer " + i));
        }
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("architecture", "amd64");
        config.put("os", "linux");
        config.put("created", "2026-11-26T00:00:00Z");
        config.put("config", Map.of("Cmd", List.of("/file-0.bin")));
        config.put("rootfs", Map.of("type", "layers", "diff_ids", diffIds));
        config.put("history", history);
        byte[] configBytes = Json.write(config).getBytes(StandardCharsets.UTF_8);
        Digest configDigest = blob(dir, configBytes);
        blobs.add(configDigest);
        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("schemaVersion", 2L);
        manifest.put("mediaType", MediaTypes.OCI_MANIFEST);
        manifest.put("config", descriptor(MediaTypes.OCI_CONFIG, configDigest, configBytes.length));
        manifest.put("layers", layers);
        byte[] manifestBytes = Json.write(manifest).getBytes(StandardCharsets.UTF_8);
        Digest manifestDigest = blob(dir, manifestBytes);
        Map<String, Object> entry = new LinkedHashMap<>(descriptor(MediaTypes.OCI_MANIFEST, manifestDigest, manifestBytes.length));
        entry.put("annotations", Map.of("org.opencontainers.image.ref.name", tag));
        Files.writeString(dir.resolve("index.json"), Json.write(Map.of("schemaVersion", 2L, "manifests", List.of(entry))));
        return new Layout(dir, tag, manifestDigest, blobs);
    }

    private static Map<String, Object> descriptor(String mediaType, Digest digest, long size) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("mediaType", mediaType);
        d.put("digest", digest.toString());
        d.put("size", size);
        return d;
    }

    private static Digest blob(Path dir, byte[] content) throws IOException {
        Digest d = Digest.sha256(content);
        Files.write(dir.resolve("blobs/sha256/" + d.hex()), content);
        return d;
    }

    private static byte[] tar(String name, int size) throws IOException {
        byte[] data = new byte[size];
        ThreadLocalRandom.current().nextBytes(data);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
            TarArchiveEntry e = new TarArchiveEntry(name);
            e.setSize(size);
            e.setMode(0755);
            tar.putArchiveEntry(e);
            tar.write(data);
            tar.closeArchiveEntry();
        }
        return out.toByteArray();
    }

    private static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        }
        return out.toByteArray();
    }
}
