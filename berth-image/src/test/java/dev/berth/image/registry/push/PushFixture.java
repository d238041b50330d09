package dev.berth.image.registry.push;

import dev.berth.image.archive.testing.DirSnapshotter;
import dev.berth.image.content.FileContentStore;
import dev.berth.image.layer.LayerPacker;
import dev.berth.image.registry.BlobOrigins;
import dev.berth.image.registry.ProgressSink;
import dev.berth.image.registry.RegistryCredentials;
import dev.berth.image.registry.RegistryOptions;
import dev.berth.image.registry.client.RegistryClient;
import dev.berth.image.store.Image;
import dev.berth.image.store.ImageService;
import dev.berth.image.store.ImageStore;
import dev.berth.oci.image.ChainId;
import dev.berth.oci.image.Descriptor;
import dev.berth.oci.image.Digest;
import dev.berth.oci.image.ImageConfig;
import dev.berth.oci.image.ImageJson;
import dev.berth.oci.image.MediaTypes;
import dev.berth.oci.image.Platform;
import dev.berth.oci.image.Reference;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.GZIPOutputStream;

/** A local image service on a temp directory (real content store, layers unpacked into plain dirs) and ways to make layers. */
final class PushFixture {
    final Path root;
    final FileContentStore content;
    final DirSnapshotter snapshots;
    final ImageService images;
    final BlobOrigins origins;
    private int dirs;

    PushFixture(Path root) throws IOException {
        this.root = root;
        this.content = FileContentStore.open(root);
        this.snapshots = new DirSnapshotter(Files.createDirectories(root.resolve("snapshots")));
        this.images = new ImageService(ImageStore.open(root, content), content, snapshots);
        this.origins = BlobOrigins.inMemory().followRemovals(images);
    }

    /** How a layer is kept locally. */
    enum Kept { GZIP_BLOB, ZSTD_BLOB, PLAIN_BLOB, NO_BLOB }

    /** A layer: its deterministic tar (LayerPacker) and how it is kept. */
    record Layer(byte[] tar, Digest diffId, Kept kept) {
    }

    /** A layer of text files (compresses well). */
    Layer textLayer(String name, Kept kept) throws IOException {
        Path dir = Files.createDirectories(root.resolve("src" + dirs++));
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 20000; i++) {
            text.append(name).append(" line ").append(i).append('\n');
        }
        Files.writeString(dir.resolve(name + ".txt"), text);
        return pack(dir, kept);
    }

    /** A layer of about {@code size} bytes of the host's /usr/bin files (compresses as real layers do), {@code name} varies the start. */
    Layer binariesLayer(String name, int size, Kept kept) throws IOException {
        Path dir = Files.createDirectories(root.resolve("src" + dirs++));
        List<Path> files;
        try (var list = Files.list(Path.of("/usr/bin"))) {
            files = list.filter(Files::isRegularFile).sorted().toList();
        }
        long total = 0;
        int start = Math.floorMod(name.hashCode(), files.size());
        for (int i = 0; i < files.size() && total < size; i++) {
            Path f = files.get((start + i) % files.size());
            Files.copy(f, dir.resolve(f.getFileName()));
            total += Files.size(f);
        }
        return pack(dir, kept);
    }

    /** A layer of {@code size} random bytes (does not compress). */
    Layer randomLayer(String name, int size, long seed, Kept kept) throws IOException {
        Path dir = Files.createDirectories(root.resolve("src" + dirs++));
        byte[] data = new byte[size];
        new Random(seed).nextBytes(data);
        Files.write(dir.resolve(name + ".bin"), data);
        return pack(dir, kept);
    }

    private Layer pack(Path dir, Kept kept) throws IOException {
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.toList()) {
                Files.setLastModifiedTime(p, FileTime.from(Instant.parse("2026-01-01T00:00:00Z")));
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Digest diffId = new LayerPacker().pack(dir, out);
        return new Layer(out.toByteArray(), diffId, kept);
    }

    /** Unpacks the layers as snapshots, stores their blobs as asked and adds the image with {@code tags}. */
    Image image(List<String> tags, Layer... layers) throws IOException {
        List<Digest> diffIds = new ArrayList<>();
        List<Descriptor> blobs = new ArrayList<>();
        boolean anyWithoutBlob = false;
        for (Layer l : layers) {
            diffIds.add(l.diffId());
            switch (l.kept()) {
                case PLAIN_BLOB -> blobs.add(Descriptor.of(MediaTypes.OCI_LAYER, content.put(l.tar()), l.tar().length));
                case GZIP_BLOB -> {
                    byte[] gz = gzip(l.tar());
                    blobs.add(Descriptor.of(MediaTypes.OCI_LAYER_GZIP, content.put(gz), gz.length));
                }
                case ZSTD_BLOB -> {
                    byte[] zst = com.github.luben.zstd.Zstd.compress(l.tar());
                    blobs.add(Descriptor.of(MediaTypes.OCI_LAYER_ZSTD, content.put(zst), zst.length));
                }
                case NO_BLOB -> anyWithoutBlob = true;
            }
        }
        List<Digest> chains = ChainId.all(diffIds);
        for (int i = 0; i < layers.length; i++) {
            if (!snapshots.hasLayer(chains.get(i))) {
                snapshots.addLayer(chains.get(i), i == 0 ? null : chains.get(i - 1), diffIds.get(i),
                        new ByteArrayInputStream(layers[i].tar()));
            }
        }
        byte[] config = ImageJson.write(ImageConfig.of(Platform.of("linux", "amd64"), Instant.parse("2026-01-01T00:00:00Z"),
                ImageConfig.Config.EMPTY.withCmd(List.of("sh")), diffIds, List.of()));
        List<Reference> refs = tags.stream().map(Reference::parse).toList();
        return images.add(config, anyWithoutBlob ? List.of() : blobs, refs);
    }

    static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        }
        return out.toByteArray();
    }

    /** A pusher through the registry client (anonymous; 127.0.0.1 is an insecure registry: http after https fails). */
    ImagePusher pusher() {
        return pusher(RegistryCredentials.anonymous());
    }

    ImagePusher pusher(RegistryCredentials credentials) {
        return pusher(credentials, ImagePusher.CONCURRENT_UPLOADS);
    }

    ImagePusher pusher(RegistryCredentials credentials, int concurrency) {
        RegistryClient client = new RegistryClient(RegistryOptions.defaults());
        return new ImagePusher(images, origins, (repo, mounts) -> new RegistryPushTransport(
                client.repository(repo, credentials, List.of(RegistryClient.PULL, RegistryClient.PUSH), mounts)),
                concurrency);
    }

    /** Records what a push reports, in order. */
    static final class Recorder implements ProgressSink {
        final List<ProgressSink.Progress> all = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void send(ProgressSink.Progress p) {
            all.add(p);
        }

        /** "id: status" lines without the Pushing counts, in order. */
        List<String> lines() {
            synchronized (all) {
                return all.stream().filter(p -> !p.status().equals("Pushing"))
                        .map(p -> p.id().isEmpty() ? p.status() : p.id() + ": " + p.status()).toList();
            }
        }

        List<String> statusesOf(Digest diffId) {
            synchronized (all) {
                return all.stream().filter(p -> p.id().equals(diffId.shortHex())).map(ProgressSink.Progress::status).distinct().toList();
            }
        }

        List<ProgressSink.Progress> pushing(Digest diffId) {
            synchronized (all) {
                return all.stream().filter(p -> p.id().equals(diffId.shortHex()) && p.status().equals("Pushing")).toList();
            }
        }
    }

    static Map<String, String> none() {
        return Map.of();
    }
}
