package dev.berth.image.archive;

import static dev.berth.image.archive.testing.Tars.resource;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.berth.image.content.ContentStore;
import dev.berth.image.snapshot.ContainerMount;
import dev.berth.image.snapshot.OverlaySnapshotter;
import dev.berth.image.store.Image;
import dev.berth.image.store.ImageService;
import dev.berth.oci.BerthException;
import dev.berth.oci.image.Digest;
import dev.berth.oci.image.Reference;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FileOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Load, save and import on the real stack: content store, overlay snapshotter (real unpack, as
 * root, owners and devices included) and image service. Skips without root.
 */
class ArchiveOnOverlayTest {
    @TempDir
    Path root;

    @BeforeEach
    void needsRoot() throws Exception {
        assumeTrue(!Boolean.getBoolean("berth.skipPrivileged"), "privileged tests disabled with -Dberth.skipPrivileged=true");
        assumeTrue(new String(Files.readAllBytes(Path.of("/proc/self/status"))).contains("\nUid:\t0\t"),
                "needs root to unpack layers with their owners (run as root, as CI does)");
    }

    record Stack(ImageService service, OverlaySnapshotter snapshots, ImageTransfer transfer) {
        ContentStore content() {
            return service.content();
        }
    }

    private Stack open(Path dataRoot) {
        OverlaySnapshotter snapshots = new OverlaySnapshotter(dataRoot);
        ImageService service = ImageService.open(dataRoot, snapshots);
        return new Stack(service, snapshots, new ImageTransfer(dataRoot, service.content(), snapshots, ImageRegistry.of(service)));
    }

    /** What is left in a temp dir (none when the dir was never made). */
    private static List<Path> leftovers(Path dir) throws java.io.IOException {
        if (!Files.exists(dir)) {
            return List.of();
        }
        try (var left = Files.list(dir)) {
            return left.toList();
        }
    }

    @Test
    void loadSaveLoadKeepsIdsTagsAndFiles() throws Exception {
        Stack a = open(root.resolve("a"));
        a.transfer().load(new ByteArrayInputStream(resource("docker20-multi.tar")));
        Image derived = a.service().inspect("derived:v2");
        assertThat(derived.id()).isEqualTo(ImageTransferTest.DERIVED);
        assertThat(derived.familiarRepoTags()).containsExactly("derived:latest", "derived:v2");
        // the top layer of derived replaced /etc/hello; the base layer is shared with base:1
        Path top = a.snapshots().layer(derived.topChainId().orElseThrow()).dir();
        assertThat(Files.readString(top.resolve("etc/hello"))).isEqualTo("bye\n");
        assertThat(a.service().inspect("base:1").layers().getFirst().chainId()).isEqualTo(derived.layers().getFirst().chainId());
        assertThat(a.snapshots().layers()).hasSize(3);
        assertThat(leftovers(root.resolve("a/tmp"))).as("a load stages nothing in tmp").isEmpty();

        Path saved = root.resolve("saved.tar");
        try (FileOutputStream out = new FileOutputStream(saved.toFile())) {
            a.transfer().save(List.of("derived", "base:1"), out, ImageTransfer.Format.DOCKER);
        }
        Stack b = open(root.resolve("b"));
        List<String> messages;
        try (var in = Files.newInputStream(saved)) {
            messages = b.transfer().load(in);
        }
        assertThat(messages).containsExactlyInAnyOrder("Loaded image: base:1", "Loaded image: derived:latest", "Loaded image: derived:v2");
        assertThat(b.service().inspect("derived:latest").id()).isEqualTo(ImageTransferTest.DERIVED);
        assertThat(b.service().history("derived:latest")).hasSize(5);

        // a restarted service finds it all again
        Stack again = open(root.resolve("b"));
        assertThat(again.service().inspect("base:1").id()).isEqualTo(ImageTransferTest.BASE);
    }

    @Test
    void loadRecordsLayersForLaterAndTheFirstContainerUnpacksThem() throws Exception {
        Stack s = open(root.resolve("a"));
        s.transfer().load(new ByteArrayInputStream(resource("docker20-multi.tar")));
        Image derived = s.service().inspect("derived:v2");
        Digest top = derived.topChainId().orElseThrow();
        assertThat(s.snapshots().hasLayer(top)).isTrue();
        assertThat(s.snapshots().isUnpacked(top)).as("the load does not unpack").isFalse();

        ContainerMount m = s.snapshots().prepare("c1", top); // what the engine's create calls
        assertThat(Files.readString(m.lowerDirs().getFirst().resolve("etc/hello"))).isEqualTo("bye\n");
        // the size the load recorded from its scan is what the unpack wrote
        long unpacked = 0;
        for (Image.Layer l : derived.layers()) {
            assertThat(s.snapshots().layer(l.chainId()).size()).isEqualTo(l.size());
            unpacked += s.snapshots().layer(l.chainId()).size();
        }
        assertThat(derived.size()).isEqualTo(unpacked);
        s.snapshots().remove("c1");
    }

    @Test
    void imagesRemovedBeforeTheirLayersAreUnpackedLeaveNothing() throws Exception {
        Stack s = open(root.resolve("a"));
        s.transfer().load(new ByteArrayInputStream(resource("docker20-multi.tar")));
        assertThat(s.snapshots().layers()).hasSize(3);
        s.service().remove(s.service().inspect("derived:v2").id().toString(), true, false);
        s.service().remove("base:1", true, false);
        assertThat(s.service().list(Map.of())).isEmpty();
        assertThat(s.snapshots().layers()).isEmpty();
        assertThat(s.content().list()).isEmpty();
        try (var left = Files.list(root.resolve("a/snapshots"))) {
            assertThat(left.map(p -> p.getFileName().toString())).containsExactly("containers");
        }
    }

    @Test
    void aRestartAfterACrashRecordsLayersThatWereNeverUnpackedAgain() throws Exception {
        Stack s = open(root.resolve("a"));
        s.transfer().load(new ByteArrayInputStream(resource("docker20-multi.tar")));
        // the daemon dies before or during the unpack: images and blobs are on disk, and at most
        // the half-made tmp- directory of the unpack that was under way
        Files.createDirectories(root.resolve("a/snapshots/tmp-killed/fs/etc"));
        Files.writeString(root.resolve("a/snapshots/tmp-killed/fs/etc/hel"), "by");
        Stack again = open(root.resolve("a"));
        assertThat(root.resolve("a/snapshots/tmp-killed")).doesNotExist();
        Digest top = again.service().inspect("derived:v2").topChainId().orElseThrow();
        assertThat(again.snapshots().layers()).hasSize(3);
        assertThat(again.snapshots().isUnpacked(top)).isFalse();
        ContainerMount m = again.snapshots().prepare("c1", top);
        assertThat(Files.readString(m.lowerDirs().getFirst().resolve("etc/hello"))).isEqualTo("bye\n");
        again.snapshots().remove("c1");
    }

    @Test
    void concurrentLoadsOfTheSameArchiveShareTheirLayers() throws Exception {
        Stack s = open(root.resolve("a"));
        byte[] archive = resource("docker20-multi.tar");
        try (var pool = java.util.concurrent.Executors.newFixedThreadPool(4)) {
            List<java.util.concurrent.Future<List<String>>> loads = new java.util.ArrayList<>();
            for (int i = 0; i < 4; i++) {
                loads.add(pool.submit(() -> s.transfer().load(new ByteArrayInputStream(archive))));
            }
            for (var f : loads) {
                assertThat(f.get()).contains("Loaded image: derived:v2");
            }
        }
        assertThat(s.service().list(Map.of())).hasSize(2);
        assertThat(s.snapshots().layers()).hasSize(3);
        assertThat(leftovers(root.resolve("a/tmp"))).isEmpty();
    }

    @Test
    void aRefusedLoadLeavesOnlyWhatPruneCollects() {
        Stack s = open(root.resolve("a"));
        Map<String, byte[]> files = dev.berth.image.archive.testing.Tars.read(resource("docker20-multi.tar"));
        String manifest = new String(files.get("manifest.json"));
        Map<String, Object> entries = new java.util.LinkedHashMap<>(files);
        entries.entrySet().removeIf(e -> e.getKey().startsWith("98c98a74"));
        // base:1 is fine; derived names its layers in the wrong order, so its config's diff ids do not match
        entries.put("manifest.json", manifest.replace(
                "\"98c98a74a1abadd335b9bfc382ba97ccf9d12de633d88e7a5aca2ed9d8d8faa6/layer.tar\",\"649f0fdec45b2056b3be07402b66697362aec4713f22b1bb0713b5b81f7ceb59/layer.tar\"",
                "\"649f0fdec45b2056b3be07402b66697362aec4713f22b1bb0713b5b81f7ceb59/layer.tar\",\"a0769b131919cf6004fe384dc8eadefaee19d0d5acef85cd6a0435aa2b2629c7/layer.tar\""));
        byte[] archive = dev.berth.image.archive.testing.Tars.tar(entries);
        assertThatThrownBy(() -> s.transfer().load(new ByteArrayInputStream(archive))).isInstanceOf(BerthException.class)
                .hasMessageContaining("diff id mismatch")
                .extracting(e -> ((BerthException) e).kind()).isEqualTo(BerthException.Kind.INVALID_ARGUMENT);
        assertThat(s.service().list(Map.of())).isEmpty();
        assertThat(s.service().find("base:1")).isEmpty();
        // what the failed load stored is garbage that the orphan sweep removes
        s.service().sweepOrphans();
        assertThat(s.snapshots().layers()).isEmpty();
        assertThat(s.content().list()).isEmpty();
    }

    @Test
    void hostileLayerUnpackedAheadIsRefusedAndStagingIsCleaned() throws Exception {
        Stack s = open(root.resolve("a"));
        byte[] evil = dev.berth.image.archive.testing.Tars.layer("../escape", "x");
        byte[] unused = dev.berth.image.archive.testing.Tars.layer("fine", "y");
        byte[] config = ImageTransferTest.config(dev.berth.oci.image.Digest.sha256(evil));
        Map<String, Object> entries = new java.util.LinkedHashMap<>();
        entries.put("e/layer.tar", evil);
        entries.put("u/layer.tar", unused);
        entries.put("c.json", config);
        entries.put("manifest.json", "[{\"Config\":\"c.json\",\"RepoTags\":[\"evil:1\"],\"Layers\":[\"e/layer.tar\"]}]");
        assertThatThrownBy(() -> s.transfer().load(new ByteArrayInputStream(dev.berth.image.archive.testing.Tars.tar(entries))))
                .isInstanceOf(BerthException.class).hasMessageContaining("e/layer.tar").hasMessageContaining("..")
                .extracting(e -> ((BerthException) e).kind()).isEqualTo(BerthException.Kind.INVALID_ARGUMENT);
        assertThat(root.resolve("escape")).doesNotExist();
        assertThat(root.resolve("a/escape")).doesNotExist();
        assertThat(leftovers(root.resolve("a/tmp"))).isEmpty();
        assertThat(s.service().list(Map.of())).isEmpty();
    }

    @Test
    void importAndSaveAsOci() throws Exception {
        Stack s = open(root.resolve("a"));
        byte[] rootfs = dev.berth.image.archive.testing.Tars.layer("bin/hello", "#!/bin/sh\necho hi\n");
        var id = s.transfer().importRootfs(new ByteArrayInputStream(rootfs), Reference.parse("imp:1"), List.of("CMD [\"/bin/hello\"]"), "msg");
        assertThat(s.service().inspect("imp:1").id()).isEqualTo(id);
        assertThat(s.service().inspect("imp:1").config().comment()).isEqualTo("msg");
        ByteArrayOutputStream oci = new ByteArrayOutputStream();
        s.transfer().save(List.of("imp:1"), oci, ImageTransfer.Format.OCI);
        Stack b = open(root.resolve("b"));
        assertThat(b.transfer().load(new ByteArrayInputStream(oci.toByteArray()))).containsExactly("Loaded image: imp:1");
        assertThat(Files.readString(b.snapshots().layer(b.service().inspect("imp:1").topChainId().orElseThrow()).dir().resolve("bin/hello")))
                .startsWith("#!/bin/sh");
    }
}
