package dev.berth.image.registry;

import dev.berth.oci.image.Descriptor;
import dev.berth.oci.image.Digest;
import dev.berth.oci.image.ImageConfig;
import dev.berth.oci.image.ImageJson;
import dev.berth.oci.image.ImageManifest;
import dev.berth.oci.image.MediaTypes;
import dev.berth.oci.image.Platform;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPOutputStream;

/**
 * A small image made in memory for registry tests: gzip layers of random file contents, a
 * config naming their diff ids, and a Docker schema 2 (or OCI) manifest over them.
 */
public record TestImage(byte[] config, List<byte[]> layers, List<Digest> diffIds, byte[] manifest, String manifestType) {
    public static TestImage create(long seed, int layerCount, int bytesPerLayer, Platform platform, boolean oci) {
        Random random = new Random(seed);
        List<byte[]> layers = new ArrayList<>();
        List<Digest> diffIds = new ArrayList<>();
        for (int i = 0; i < layerCount; i++) {
            byte[] data = new byte[bytesPerLayer];
            random.nextBytes(data);
            byte[] tar = tar("file-" + seed + "-" + i, data);
            diffIds.add(Digest.sha256(tar));
            layers.add(gzip(tar));
        }
        return of(layers, diffIds, platform, oci);
    }

    /** An image of these gzip layers (with their diff ids), e.g. layers taken from other test images to share them. */
    public static TestImage of(List<byte[]> layers, List<Digest> diffIds, Platform platform, boolean oci) {
        ImageConfig cfg = ImageConfig.of(platform, Instant.parse("2026-01-01T00:00:00Z"), ImageConfig.Config.EMPTY, diffIds,
                List.of());
        byte[] config = ImageJson.write(cfg);
        List<Descriptor> layerDescs = new ArrayList<>();
        for (byte[] l : layers) {
            layerDescs.add(Descriptor.of(oci ? MediaTypes.OCI_LAYER_GZIP : MediaTypes.DOCKER_LAYER, l));
        }
        ImageManifest m = oci ? ImageManifest.oci(Descriptor.of(MediaTypes.OCI_CONFIG, config), layerDescs)
                : ImageManifest.docker(Descriptor.of(MediaTypes.DOCKER_CONFIG, config), layerDescs);
        return new TestImage(config, layers, diffIds, ImageJson.write(m), oci ? MediaTypes.OCI_MANIFEST : MediaTypes.DOCKER_MANIFEST);
    }

    public Digest id() {
        return Digest.sha256(config);
    }

    public Digest manifestDigest() {
        return Digest.sha256(manifest);
    }

    public Descriptor manifestDescriptor(Platform platform) {
        return Descriptor.of(manifestType, manifest).withPlatform(platform);
    }

    /** A one-file tar with a fixed mtime: the same content gives the same diff id. */
    static byte[] tar(String name, byte[] content) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (org.apache.commons.compress.archivers.tar.TarArchiveOutputStream out =
                new org.apache.commons.compress.archivers.tar.TarArchiveOutputStream(bytes)) {
            org.apache.commons.compress.archivers.tar.TarArchiveEntry entry =
                    new org.apache.commons.compress.archivers.tar.TarArchiveEntry(name);
            entry.setSize(content.length);
            entry.setMode(0644);
            entry.setModTime(0);
            out.putArchiveEntry(entry);
            out.write(content);
            out.closeArchiveEntry();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static byte[] gzip(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
