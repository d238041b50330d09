package dev.berth.image.archive;

import static dev.berth.image.archive.testing.Tars.layer;
import static dev.berth.image.archive.testing.Tars.resource;
import static dev.berth.image.archive.testing.Tars.tar;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.image.archive.testing.MapRegistry;
import dev.berth.image.archive.testing.MemorySnapshotter;
import dev.berth.image.archive.testing.Tars;
import dev.berth.image.content.FileContentStore;
import dev.berth.oci.BerthException;
import dev.berth.oci.image.ChainId;
import dev.berth.oci.image.Digest;
import dev.berth.oci.image.ImageIndex;
import dev.berth.oci.image.ImageJson;
import dev.berth.oci.image.ImageManifest;
import dev.berth.oci.image.Platform;
import dev.berth.oci.image.Reference;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Load, save and import against a real content store, with a snapshotter and image store that need no root. */
class ImageTransferTest {
    static final Digest BASE = Digest.parse("sha256:90dccc014d579437001bd7ac1b5fc1aecd4ddea0b2e8bdac69fd507c882779c4");
    static final Digest DERIVED = Digest.parse("sha256:533b48203934e9dc8dc9f9d072e2666601168a234b0b9ccb1bb93429b65ccfed");

    @TempDir
    Path root;
    FileContentStore content;
    MemorySnapshotter snapshots;
    MapRegistry registry;
    ImageTransfer transfer;

    @BeforeEach
    void open() {
        fresh(root.resolve("a"));
    }

    private void fresh(Path dataRoot) {
        content = FileContentStore.open(dataRoot);
        snapshots = new MemorySnapshotter();
        registry = new MapRegistry();
        transfer = new ImageTransfer(dataRoot, content, snapshots, registry, Platform.of("linux", "amd64"),
                Clock.fixed(Instant.parse("2026-01-02T03:04:05Z"), ZoneOffset.UTC));
    }

    private List<String> load(byte[] archive) {
        return transfer.load(new ByteArrayInputStream(archive));
    }

    private byte[] save(ImageTransfer.Format format, String... names) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        transfer.save(List.of(names), out, format);
        return out.toByteArray();
    }

    @Test
    void loadsDocker20SaveWithSeveralImagesAndTags() {
        List<String> messages = load(resource("docker20-multi.tar"));
        assertThat(messages).containsExactly("Loaded image: base:1", "Loaded image: derived:latest", "Loaded image: derived:v2");
        assertThat(registry.images.keySet()).containsExactly(BASE, DERIVED);
        assertThat(registry.tags).containsEntry(Reference.parse("base:1"), BASE).containsEntry(Reference.parse("derived:v2"), DERIVED);
        ImageRegistry.Stored derived = registry.images.get(DERIVED);
        assertThat(derived.layers()).hasSize(3);
        assertThat(derived.layers().getFirst().chainId()).isEqualTo(derived.layers().getFirst().diffId());
        assertThat(derived.layers().get(2).chainId()).isEqualTo(ChainId.top(derived.layers().stream().map(ImageRegistry.Layer::diffId).toList()));
        // the shared base layer is unpacked once; every blob is in the content store under its diff id
        assertThat(snapshots.layers()).hasSize(3);
        for (ImageRegistry.Layer l : derived.layers()) {
            assertThat(l.blob().digest()).isEqualTo(l.diffId());
            assertThat(content.contains(l.diffId())).isTrue();
        }
        assertThat(content.contains(BASE)).isTrue();
    }

    @Test
    void untaggedImageLoadsById() {
        assertThat(load(resource("docker20-untagged.tar"))).containsExactly("Loaded image ID: " + BASE);
        assertThat(registry.tags).isEmpty();
    }

    @Test
    void loadingAgainIsIdempotentAndAMovedTagIsReported() {
        load(resource("docker20-multi.tar"));
        assertThat(load(resource("docker20-multi.tar"))).containsExactly("Loaded image: base:1", "Loaded image: derived:latest", "Loaded image: derived:v2");
        // an archive that gives derived:v2 to the base image moves the tag, as docker says
        byte[] archive = retag(resource("docker20-untagged.tar"), List.of("derived:v2"));
        assertThat(load(archive)).containsExactly(
                "The image derived:v2 already exists, renaming the old one with ID " + DERIVED + " to empty string",
                "Loaded image: derived:v2");
        assertThat(registry.tags.get(Reference.parse("derived:v2"))).isEqualTo(BASE);
    }

    @Test
    void dockerSaveRoundTripsToTheSameIdsAndTags() {
        load(resource("docker20-multi.tar"));
        byte[] saved = save(ImageTransfer.Format.DOCKER, "base:1", "derived");
        Map<String, byte[]> files = Tars.read(saved);
        assertThat(files).containsKeys("oci-layout", "index.json", "manifest.json", "repositories", "blobs/sha256/" + BASE.hex());
        List<ArchiveManifest> manifests = ArchiveManifest.parse(files.get("manifest.json"));
        assertThat(manifests).extracting(ArchiveManifest::config).containsExactly("blobs/sha256/" + BASE.hex(), "blobs/sha256/" + DERIVED.hex());
        assertThat(manifests.get(1).repoTags()).containsExactly("derived:latest", "derived:v2");
        // small documents precede the layers, so a streaming reader knows each layer's place
        List<String> order = List.copyOf(files.keySet());
        assertThat(order.indexOf("manifest.json")).isLessThan(order.indexOf(manifests.get(0).layers().getFirst()));
        ImageIndex index = ImageJson.parseIndex(files.get("index.json"));
        assertThat(index.manifests()).hasSize(3);
        assertThat(index.manifests().getFirst().annotations())
                .containsEntry(ImageIndex.IMAGE_NAME, "docker.io/library/base:1").containsEntry(ImageIndex.REF_NAME, "1");
        ImageManifest m = ImageJson.parseManifest(files.get("blobs/sha256/" + index.manifests().get(1).digest().hex()));
        assertThat(m.config().digest()).isEqualTo(DERIVED);
        assertThat(new String(files.get("repositories"), StandardCharsets.UTF_8)).contains("\"derived\":{\"latest\":");
        // the same images save to the same bytes
        assertThat(save(ImageTransfer.Format.DOCKER, "base:1", "derived")).isEqualTo(saved);

        fresh(root.resolve("b"));
        assertThat(load(saved)).containsExactly("Loaded image: base:1", "Loaded image: derived:latest", "Loaded image: derived:v2");
        assertThat(registry.images.keySet()).containsExactly(BASE, DERIVED);
        // berth's own order lets the load unpack every layer while it streams past
        assertThat(snapshots.added).hasSize(3);
    }

    @Test
    void ociLayoutRoundTrip() {
        load(resource("docker20-multi.tar"));
        byte[] saved = save(ImageTransfer.Format.OCI, "derived:v2", BASE.toString());
        Map<String, byte[]> files = Tars.read(saved);
        assertThat(files).containsKeys("oci-layout", "index.json").doesNotContainKeys("manifest.json", "repositories");
        fresh(root.resolve("b"));
        assertThat(load(saved)).containsExactly("Loaded image: derived:v2", "Loaded image ID: " + BASE);
        assertThat(registry.images.keySet()).containsExactlyInAnyOrder(BASE, DERIVED);
    }

    @Test
    void saveByBareNameTakesEveryTagOfTheRepository() {
        load(resource("docker20-multi.tar"));
        List<ArchiveSave.Item> items = transfer.select(List.of("derived", "base:1", "base:1"));
        assertThat(items).extracting(ArchiveSave.Item::id).containsExactly(DERIVED, BASE);
        assertThat(items.getFirst().tags()).extracting(Reference::familiar).containsExactly("derived:latest", "derived:v2");
        assertThatThrownBy(() -> transfer.select(List.of("nosuch:1"))).isInstanceOf(BerthException.class)
                .hasMessage("No such image: nosuch:1");
    }

    @Test
    void docker25LayoutWithBlobsFirstAndManifestJsonLast() {
        byte[] l1 = layer("etc/hello", "hello\n");
        byte[] l2 = layer("etc/bye", "bye\n");
        Digest d1 = Digest.sha256(l1);
        Digest d2 = Digest.sha256(l2);
        byte[] config = config(d1, d2);
        Digest id = Digest.sha256(config);
        byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"config\":"
                + desc("application/vnd.oci.image.config.v1+json", config) + ",\"layers\":["
                + desc("application/vnd.oci.image.layer.v1.tar", l1) + "," + desc("application/vnd.oci.image.layer.v1.tar", l2) + "]}")
                .getBytes(StandardCharsets.UTF_8);
        byte[] index = ("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":[{"
                + "\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"" + Digest.sha256(manifest) + "\",\"size\":"
                + manifest.length + ",\"annotations\":{\"io.containerd.image.name\":\"docker.io/library/two:layers\","
                + "\"org.opencontainers.image.ref.name\":\"layers\"}}]}").getBytes(StandardCharsets.UTF_8);
        Map<String, Object> entries = new LinkedHashMap<>();
        entries.put("blobs/sha256/" + d2.hex(), l2);
        entries.put("blobs/sha256/" + Digest.sha256(manifest).hex(), manifest);
        entries.put("blobs/sha256/" + d1.hex(), l1);
        entries.put("blobs/sha256/" + id.hex(), config);
        entries.put("index.json", index);
        entries.put("manifest.json", "[{\"Config\":\"blobs/sha256/" + id.hex() + "\",\"RepoTags\":[\"two:layers\"],\"Layers\":[\"blobs/sha256/"
                + d1.hex() + "\",\"blobs/sha256/" + d2.hex() + "\"]}]\n");
        entries.put("oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}");
        entries.put("repositories", "{\"two\":{\"layers\":\"" + d2.hex() + "\"}}\n");
        byte[] archive = tar(entries);
        assertThat(load(archive)).containsExactly("Loaded image: two:layers");
        assertThat(registry.images.get(id).layers()).extracting(ImageRegistry.Layer::diffId).containsExactly(d1, d2);

        // the same without manifest.json is a plain OCI layout, named by its annotations
        fresh(root.resolve("b"));
        entries.remove("manifest.json");
        entries.remove("repositories");
        assertThat(load(tar(entries))).containsExactly("Loaded image: two:layers");
    }

    @Test
    void ociLayoutWithGzipLayersIsSavedUncompressedAsADockerArchive() throws Exception {
        byte[] plain = layer("etc/hello", "hello\n");
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (java.util.zip.GZIPOutputStream out = new java.util.zip.GZIPOutputStream(gz)) {
            out.write(plain);
        }
        byte[] compressed = gz.toByteArray();
        Digest diffId = Digest.sha256(plain);
        byte[] config = config(diffId);
        Digest id = Digest.sha256(config);
        byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"config\":"
                + desc("application/vnd.oci.image.config.v1+json", config) + ",\"layers\":["
                + desc("application/vnd.oci.image.layer.v1.tar+gzip", compressed) + "]}").getBytes(StandardCharsets.UTF_8);
        byte[] index = ("{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\""
                + Digest.sha256(manifest) + "\",\"size\":" + manifest.length
                + ",\"annotations\":{\"org.opencontainers.image.ref.name\":\"localhost:5000/zipped:1\"}}]}").getBytes(StandardCharsets.UTF_8);
        Map<String, Object> entries = new LinkedHashMap<>();
        entries.put("oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}");
        entries.put("index.json", index);
        entries.put("blobs/sha256/" + Digest.sha256(manifest).hex(), manifest);
        entries.put("blobs/sha256/" + id.hex(), config);
        entries.put("blobs/sha256/" + Digest.sha256(compressed).hex(), compressed);
        assertThat(load(tar(entries))).containsExactly("Loaded image: localhost:5000/zipped:1");
        ImageRegistry.Layer stored = registry.images.get(id).layers().getFirst();
        assertThat(stored.blob().digest()).isEqualTo(Digest.sha256(compressed));
        assertThat(stored.blob().mediaType()).isEqualTo("application/vnd.oci.image.layer.v1.tar+gzip");

        // OCI out keeps the compressed blob; docker-archive out carries the plain tar under its diff id
        assertThat(Tars.read(save(ImageTransfer.Format.OCI, "localhost:5000/zipped:1"))).containsKey("blobs/sha256/" + Digest.sha256(compressed).hex());
        byte[] docker = save(ImageTransfer.Format.DOCKER, "localhost:5000/zipped:1");
        Map<String, byte[]> files = Tars.read(docker);
        assertThat(files.get("blobs/sha256/" + diffId.hex())).isEqualTo(plain);
        assertThat(files).doesNotContainKey("blobs/sha256/" + Digest.sha256(compressed).hex());
        assertThat(java.nio.file.Files.list(root.resolve("a/tmp")).toList()).isEmpty();
        fresh(root.resolve("b"));
        assertThat(load(docker)).containsExactly("Loaded image: localhost:5000/zipped:1");
        assertThat(registry.images).containsKey(id);
    }

    @Test
    void importRootfsWithChanges() {
        byte[] rootfs = layer("bin/hello", "#!/bin/sh\necho hi\n");
        Digest id = transfer.importRootfs(new ByteArrayInputStream(rootfs), Reference.parse("imported"),
                List.of("CMD [\"/bin/hello\"]", "ENV A=1"), "");
        assertThat(registry.tags).containsEntry(Reference.parse("imported:latest"), id);
        var config = ImageJson.parseConfig(content.read(id));
        assertThat(config.config().cmd()).containsExactly("/bin/hello");
        assertThat(config.config().env()).containsExactly("A=1");
        assertThat(config.comment()).isEqualTo("Imported from -");
        assertThat(config.history()).singleElement().satisfies(h -> assertThat(h.comment()).isEqualTo("Imported from -"));
        assertThat(config.diffIds()).containsExactly(Digest.sha256(rootfs));
        assertThat(config.created()).isEqualTo("2026-01-02T03:04:05Z");
        assertThat(config.architecture()).isEqualTo("amd64");
        assertThatThrownBy(() -> transfer.importRootfs(new ByteArrayInputStream(rootfs), null, List.of("RUN x"), null))
                .hasMessage("run is not a valid change command");

        // zstd in, stored plain: the blob digest is the diff id; no tag, a message
        byte[] zstd = com.github.luben.zstd.Zstd.compress(rootfs);
        Digest second = transfer.importRootfs(new ByteArrayInputStream(zstd), null, List.of(), "from zstd");
        assertThat(registry.images.get(second).layers().getFirst().blob().digest()).isEqualTo(Digest.sha256(rootfs));
        assertThat(ImageJson.parseConfig(content.read(second)).comment()).isEqualTo("from zstd");
        assertThat(registry.tagsOf(second)).isEmpty();
        assertThatThrownBy(() -> transfer.importRootfs(new ByteArrayInputStream(new byte[0]), null, List.of(), null))
                .isInstanceOf(BerthException.class).hasMessageStartingWith("invalid rootfs");
    }

    @Test
    void startingSweepsWhatADeadDaemonLeftInTmp() throws Exception {
        Path dataRoot = root.resolve("c");
        java.nio.file.Files.createDirectories(dataRoot.resolve("tmp/load-1234/0/etc"));
        java.nio.file.Files.writeString(dataRoot.resolve("tmp/load-1234/0/etc/x"), "x");
        java.nio.file.Files.writeString(dataRoot.resolve("tmp/layer-99.tar"), "x");
        java.nio.file.Files.writeString(dataRoot.resolve("tmp/someone-elses"), "x");
        new ImageTransfer(dataRoot, FileContentStore.open(dataRoot), new MemorySnapshotter(), new MapRegistry());
        try (var left = java.nio.file.Files.list(dataRoot.resolve("tmp"))) {
            assertThat(left.map(p -> p.getFileName().toString()).toList()).containsExactly("someone-elses");
        }
    }

    // ---- bad input: INVALID_ARGUMENT, nothing registered ----

    @Test
    void notATarTruncatedOrEmpty() {
        assertRefused("not a tar at all, only words".repeat(40).getBytes(StandardCharsets.UTF_8), "invalid archive: not a tar archive");
        byte[] whole = resource("docker20-multi.tar");
        assertRefused(java.util.Arrays.copyOf(whole, whole.length / 2), "invalid archive: unexpected end of archive");
    }

    @Test
    void missingManifest() {
        assertRefused(tar(Map.of("repositories", "{}")),
                "invalid archive: no manifest.json (docker-archive) and no index.json (OCI image layout)");
    }

    @Test
    void configDiffIdsThatDoNotMatchTheLayers() {
        byte[] l1 = layer("a", "1");
        byte[] other = layer("b", "2");
        byte[] config = config(Digest.sha256(other));
        Map<String, Object> entries = new LinkedHashMap<>();
        entries.put("c.json", config);
        entries.put("x/layer.tar", l1);
        entries.put("manifest.json", "[{\"Config\":\"c.json\",\"RepoTags\":[\"bad:1\"],\"Layers\":[\"x/layer.tar\"]}]");
        assertRefused(tar(entries), "invalid layer \"x/layer.tar\": diff id mismatch");
        assertThat(content.contains(Digest.sha256(config))).isFalse();

        entries.put("manifest.json", "[{\"Config\":\"c.json\",\"RepoTags\":[\"bad:1\"],\"Layers\":[\"x/layer.tar\",\"x/layer.tar\"]}]");
        assertRefused(tar(entries), "invalid manifest, layers length mismatch");
    }

    @Test
    void aBlobWhoseNameIsNotItsDigest() {
        byte[] l1 = layer("a", "1");
        Digest wrong = Digest.sha256("something else".getBytes(StandardCharsets.UTF_8));
        byte[] config = config(Digest.sha256(l1));
        Map<String, Object> entries = new LinkedHashMap<>();
        entries.put("blobs/sha256/" + Digest.sha256(config).hex(), config);
        entries.put("blobs/sha256/" + wrong.hex(), l1);
        entries.put("manifest.json", "[{\"Config\":\"blobs/sha256/" + Digest.sha256(config).hex() + "\",\"Layers\":[\"blobs/sha256/" + wrong.hex() + "\"]}]");
        assertRefused(tar(entries), "digest mismatch: want " + wrong);
    }

    @Test
    void aConfigUnderABlobNameThatIsNotItsDigest() {
        byte[] l1 = layer("a", "1");
        byte[] config = config(Digest.sha256(l1));
        Digest wrong = Digest.sha256("other".getBytes(StandardCharsets.UTF_8));
        Map<String, Object> entries = new LinkedHashMap<>();
        entries.put("blobs/sha256/" + wrong.hex(), config);
        entries.put("blobs/sha256/" + Digest.sha256(l1).hex(), l1);
        entries.put("manifest.json", "[{\"Config\":\"blobs/sha256/" + wrong.hex() + "\",\"Layers\":[\"blobs/sha256/" + Digest.sha256(l1).hex() + "\"]}]");
        assertRefused(tar(entries), "digest mismatch: want " + wrong + ", got " + Digest.sha256(config));
    }

    @Test
    void aConfigLargerThanTheInMemoryLimitIsReadFromTheContentStore() {
        byte[] l1 = layer("a", "1");
        String label = "x".repeat(ArchiveScanner.SMALL_FILE + 10);
        byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{\"Labels\":{\"big\":\"" + label
                + "\"}},\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"" + Digest.sha256(l1) + "\"]}}").getBytes(StandardCharsets.UTF_8);
        Map<String, Object> entries = new LinkedHashMap<>();
        entries.put("big.json", config);
        entries.put("l/layer.tar", l1);
        entries.put("manifest.json", "[{\"Config\":\"big.json\",\"RepoTags\":[\"big:1\"],\"Layers\":[\"l/layer.tar\"]}]");
        assertThat(load(tar(entries))).containsExactly("Loaded image: big:1");
        assertThat(registry.images).containsKey(Digest.sha256(config));
    }

    @Test
    void hostilePathsAndBadNames() {
        assertRefused(tar(Map.of("../../etc/passwd", "x")), "invalid archive: entry \"../../etc/passwd\" points outside the archive");
        byte[] untagged = resource("docker20-untagged.tar");
        assertRefused(retag(untagged, List.of("Upper:1")), "invalid reference format: repository name (library/Upper) must be lowercase");
        assertRefused(retag(untagged, List.of("noTag")), "invalid reference format: repository name (library/noTag) must be lowercase");
        assertRefused(retag(untagged, List.of("notag")), "invalid tag \"notag\"");
    }

    @Test
    void oneBadImageKeepsTheGoodOnesOut() {
        // the first image is fine, the second names a layer the archive lacks
        Map<String, byte[]> files = Tars.read(resource("docker20-multi.tar"));
        String manifest = new String(files.get("manifest.json"), StandardCharsets.UTF_8);
        Map<String, Object> entries = new LinkedHashMap<>(files);
        entries.put("manifest.json", manifest.replace("8ecba1c03f3b9e70b9e03ee2216600cec16b42d97beb3e7aaee641e23a2ad223/layer.tar", "missing/layer.tar"));
        entries.entrySet().removeIf(e -> e.getKey().startsWith("98c98a74"));
        entries.put("98c98a74a1abadd335b9bfc382ba97ccf9d12de633d88e7a5aca2ed9d8d8faa6/layer.tar",
                new Tars.Link("../a0769b131919cf6004fe384dc8eadefaee19d0d5acef85cd6a0435aa2b2629c7/layer.tar"));
        assertRefused(tar(entries), "invalid archive: layer \"missing/layer.tar\" is not in the archive");
    }

    private void assertRefused(byte[] archive, String messageStart) {
        assertThatThrownBy(() -> load(archive)).isInstanceOf(BerthException.class).hasMessageStartingWith(messageStart)
                .extracting(e -> ((BerthException) e).kind()).isEqualTo(BerthException.Kind.INVALID_ARGUMENT);
        assertThat(registry.images).isEmpty();
        assertThat(registry.tags).isEmpty();
    }

    /** The archive with its (single) manifest entry's RepoTags replaced. */
    static byte[] retag(byte[] archive, List<String> tags) {
        Map<String, byte[]> files = Tars.read(archive);
        List<ArchiveManifest> manifests = ArchiveManifest.parse(files.get("manifest.json"));
        ArchiveManifest m = manifests.getFirst();
        Map<String, Object> entries = new LinkedHashMap<>(files);
        entries.put("manifest.json", ArchiveManifest.write(List.of(new ArchiveManifest(m.config(), tags, m.layers(), null, null))));
        return tar(entries);
    }

    static byte[] config(Digest... diffIds) {
        StringBuilder ids = new StringBuilder();
        for (Digest d : diffIds) {
            ids.append(ids.isEmpty() ? "" : ",").append('"').append(d).append('"');
        }
        return ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{\"Cmd\":[\"sh\"]},\"rootfs\":{\"type\":\"layers\",\"diff_ids\":["
                + ids + "]}}").getBytes(StandardCharsets.UTF_8);
    }

    static String desc(String mediaType, byte[] blob) {
        return "{\"mediaType\":\"" + mediaType + "\",\"digest\":\"" + Digest.sha256(blob) + "\",\"size\":" + blob.length + "}";
    }
}
