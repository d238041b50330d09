package dev.berth.image.archive;

import dev.berth.image.content.ContentStore;
import dev.berth.image.layer.Compression;
import dev.berth.oci.BerthException;
import dev.berth.oci.image.Descriptor;
import dev.berth.oci.image.Digest;
import dev.berth.oci.image.ImageConfig;
import dev.berth.oci.image.ImageIndex;
import dev.berth.oci.image.ImageJson;
import dev.berth.oci.image.ImageManifest;
import dev.berth.oci.image.MediaTypes;
import dev.berth.oci.image.Reference;
import dev.berth.oci.json.Json;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Writes images as an archive, streaming blobs from the content store (sendfile when the output
 * is a file or socket channel): never re-tars a layer.
 *
 * <p>{@link ImageTransfer.Format#DOCKER} writes what Docker 25+ writes, which is at once an OCI
 * image layout and a docker-archive: {@code oci-layout}, {@code index.json} with the image names
 * as annotations, {@code blobs/sha256/…}, plus {@code manifest.json} and {@code repositories}
 * whose paths point into {@code blobs/}. Docker 20.10 reads only {@code manifest.json} and
 * follows those paths, so both old and new dockers load it. Layers are uncompressed there, as
 * every docker-archive reader expects: a layer stored compressed (from an OCI load) is
 * decompressed once into a temp file of the data root while saving.
 * {@link ImageTransfer.Format#OCI} writes the OCI layout alone, with blobs as stored.
 *
 * <p>Small documents come first (manifest.json, index.json, then each image's manifest and
 * config before its layers), so that a streaming reader, berth's own load included, knows where
 * every layer goes when it arrives.
 */
final class ArchiveSave {
    static final byte[] OCI_LAYOUT_JSON = "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes(StandardCharsets.UTF_8);

    /** One image to write: its id (the config digest), layers bottom first, and the tags to write for it. */
    record Item(Digest id, List<Layer> layers, List<Reference> tags) {
        Item {
            layers = List.copyOf(layers);
            tags = List.copyOf(tags);
        }
    }

    /** A layer: its diff id and the blob the content store holds for it. */
    record Layer(Digest diffId, Descriptor blob) {
    }

    private final ContentStore content;
    private final Path tempDir;

    /** {@code tempDir} is where compressed layers are decompressed for a docker-archive (inside the data root). */
    ArchiveSave(ContentStore content, Path tempDir) {
        this.content = content;
        this.tempDir = tempDir;
    }

    void write(List<Item> items, TarWriter tar, ImageTransfer.Format format) throws IOException {
        boolean docker = format == ImageTransfer.Format.DOCKER;
        Map<Digest, Path> decompressed = new HashMap<>();
        try {
            List<ImageDocs> docs = new ArrayList<>();
            for (Item item : items) {
                docs.add(documents(item, docker, decompressed));
            }
            tar.directory("blobs");
            tar.directory("blobs/sha256");
            tar.file(LoadPlanner.OCI_LAYOUT, OCI_LAYOUT_JSON);
            if (docker) {
                tar.file(ArchiveManifest.FILE, ArchiveManifest.write(docs.stream().map(ImageDocs::archiveManifest).toList()));
                byte[] repositories = repositories(docs);
                if (repositories != null) {
                    tar.file("repositories", repositories);
                }
            }
            tar.file(LoadPlanner.INDEX, index(docs));
            Set<Digest> written = new HashSet<>();
            for (ImageDocs d : docs) {
                if (written.add(d.manifestDigest())) {
                    tar.file(ArchivePaths.blobPath(d.manifestDigest()), d.manifestBytes());
                }
                if (written.add(d.item().id())) {
                    writeBlob(tar, d.item().id(), null);
                }
                for (Descriptor layer : d.manifest().layers()) {
                    if (written.add(layer.digest())) {
                        writeBlob(tar, layer.digest(), decompressed.get(layer.digest()));
                    }
                }
            }
            tar.finish();
        } finally {
            for (Path p : decompressed.values()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** Everything written for one image but its blobs. */
    private record ImageDocs(Item item, ImageConfig config, ImageManifest manifest, byte[] manifestBytes, Digest manifestDigest,
            ArchiveManifest archiveManifest) {
    }

    private ImageDocs documents(Item item, boolean docker, Map<Digest, Path> decompressed) throws IOException {
        byte[] configBytes = content.read(item.id());
        ImageConfig config = ImageJson.parseConfig(configBytes);
        List<Descriptor> layers = new ArrayList<>();
        for (Layer layer : item.layers()) {
            Descriptor blob = layer.blob();
            if (!content.contains(blob.digest())) {
                // found before the first byte is written, not halfway through the archive
                throw BerthException.notFound("blob " + blob.digest() + " of image " + item.id() + " not found");
            }
            if (docker && !blob.digest().equals(layer.diffId())) {
                Path plain = decompressed.get(layer.diffId());
                if (plain == null) {
                    plain = decompress(blob.digest(), layer.diffId());
                    decompressed.put(layer.diffId(), plain);
                }
                blob = Descriptor.of(MediaTypes.OCI_LAYER, layer.diffId(), Files.size(plain));
            } else if (docker) {
                blob = Descriptor.of(MediaTypes.OCI_LAYER, blob.digest(), blob.size());
            }
            layers.add(blob);
        }
        ImageManifest manifest = ImageManifest.oci(Descriptor.of(MediaTypes.OCI_CONFIG, item.id(), configBytes.length), layers);
        byte[] manifestBytes = ImageJson.write(manifest);
        List<String> repoTags = item.tags().stream().map(Reference::familiar).toList();
        ArchiveManifest archive = new ArchiveManifest(ArchivePaths.blobPath(item.id()), repoTags,
                layers.stream().map(l -> ArchivePaths.blobPath(l.digest())).toList(), null, null);
        return new ImageDocs(item, config, manifest, manifestBytes, Digest.sha256(manifestBytes), archive);
    }

    /** The legacy {@code repositories} file: repository → tag → the top layer's id, as Docker 25+ writes it. */
    private static byte[] repositories(List<ImageDocs> docs) {
        Map<String, Map<String, String>> repos = new TreeMap<>();
        for (ImageDocs d : docs) {
            if (d.item().layers().isEmpty()) {
                continue;
            }
            String top = d.item().layers().getLast().diffId().hex();
            for (Reference tag : d.item().tags()) {
                repos.computeIfAbsent(tag.familiarName(), k -> new TreeMap<>()).put(tag.tag().orElseThrow(), top);
            }
        }
        return repos.isEmpty() ? null : (Json.write(repos) + "\n").getBytes(StandardCharsets.UTF_8);
    }

    /** {@code index.json}: one descriptor per tag (named by annotations), one without names for an untagged image. */
    private static byte[] index(List<ImageDocs> docs) {
        List<Descriptor> manifests = new ArrayList<>();
        for (ImageDocs d : docs) {
            Descriptor base = Descriptor.of(MediaTypes.OCI_MANIFEST, d.manifestDigest(), d.manifestBytes().length)
                    .withPlatform(d.config().platform());
            if (d.item().tags().isEmpty()) {
                manifests.add(base);
            }
            for (Reference tag : d.item().tags()) {
                Map<String, String> annotations = new LinkedHashMap<>();
                annotations.put(ImageIndex.IMAGE_NAME, tag.toString());
                annotations.put(ImageIndex.REF_NAME, tag.tag().orElseThrow());
                manifests.add(base.withAnnotations(annotations));
            }
        }
        return ImageJson.write(ImageIndex.oci(manifests));
    }

    private void writeBlob(TarWriter tar, Digest digest, Path decompressedOrNull) throws IOException {
        Path file = decompressedOrNull != null ? decompressedOrNull : content.path(digest);
        tar.file(ArchivePaths.blobPath(digest), file, Files.size(file));
    }

    /** The uncompressed tar of a compressed layer blob, in a temp file; checked against its diff id on the way. */
    private Path decompress(Digest blob, Digest diffId) throws IOException {
        Files.createDirectories(tempDir);
        Path out = Files.createTempFile(tempDir, "layer-", ".tar");
        var hasher = Digest.newHasher(diffId.algorithm());
        try (BufferedInputStream raw = new BufferedInputStream(content.open(blob), 1 << 16);
                InputStream in = Compression.detect(raw).decompress(raw);
                OutputStream file = Files.newOutputStream(out)) {
            byte[] buffer = new byte[1 << 20];
            for (int n; (n = in.read(buffer)) >= 0; ) {
                hasher.update(buffer, 0, n);
                file.write(buffer, 0, n);
            }
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(out);
            throw e;
        }
        Digest actual = Digest.from(diffId.algorithm(), hasher);
        if (!actual.equals(diffId)) {
            Files.deleteIfExists(out);
            throw BerthException.internal("layer blob " + blob + " decompresses to " + actual + ", not its diff id " + diffId);
        }
        return out;
    }
}
