package dev.berth.image.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.image.archive.testing.MemorySnapshotter;
import dev.berth.image.content.FileContentStore;
import dev.berth.image.registry.client.RegistryClient;
import dev.berth.image.store.ImageService;
import dev.berth.image.store.ImageStore;
import dev.berth.oci.image.Digest;
import dev.berth.oci.image.MediaTypes;
import dev.berth.oci.image.Platform;
import dev.berth.oci.image.Reference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code <data-root>/distribution} keeps records only of layers the images have. */
class BlobOriginsPruneTest {
    @TempDir
    Path dataRoot;
    private FakeRegistry fake;
    private FileContentStore content;
    private ImageService images;
    private Path records;

    @BeforeEach
    void start() throws Exception {
        fake = new FakeRegistry();
        content = FileContentStore.open(dataRoot);
        images = new ImageService(ImageStore.open(dataRoot, content), content, new MemorySnapshotter());
        records = content.root().resolveSibling("distribution");
    }

    @AfterEach
    void stop() {
        fake.close();
    }

    private Distribution distribution() {
        return new RegistryDistribution(images, new RegistryClient(RegistryPullTest.OPTIONS, Clock.systemUTC(),
                Duration.ofMillis(300)), RegistryDistribution.DEFAULT_CONCURRENT_DOWNLOADS);
    }

    private Path recordOf(Digest diffId) {
        return records.resolve(diffId.algorithm()).resolve(diffId.hex() + ".json");
    }

    @Test
    void aLayersRecordGoesWithItsLastImage() {
        TestImage x = TestImage.create(50, 1, 10_000, Platform.host(), false);
        TestImage y = TestImage.create(51, 1, 10_000, Platform.host(), false);
        TestImage a = TestImage.of(x.layers(), x.diffIds(), Platform.host(), false);
        TestImage b = TestImage.of(List.of(x.layers().getFirst(), y.layers().getFirst()),
                List.of(x.diffIds().getFirst(), y.diffIds().getFirst()), Platform.host(), false);
        fake.put(a, "1");
        fake.put(b, "2");
        Distribution d = distribution();
        d.pull(Reference.parse(fake.domain() + "/o/a:1"), Platform.host(), RegistryCredentials.anonymous(), ProgressSink.NONE);
        d.pull(Reference.parse(fake.domain() + "/o/b:2"), Platform.host(), RegistryCredentials.anonymous(), ProgressSink.NONE);
        Digest xLayer = x.diffIds().getFirst();
        Digest yLayer = y.diffIds().getFirst();
        assertThat(recordOf(xLayer)).exists();
        assertThat(recordOf(yLayer)).exists();

        images.remove(fake.domain() + "/o/b:2", false, false);
        assertThat(recordOf(yLayer)).as("y had b only").doesNotExist();
        assertThat(recordOf(xLayer)).as("a still has x").exists();

        images.prune(true, java.util.Map.of());
        assertThat(recordOf(xLayer)).doesNotExist();
    }

    @Test
    void recordsOfLayersNoImageHasAreSweptWhenOpened() throws Exception {
        TestImage kept = TestImage.create(52, 1, 10_000, Platform.host(), false);
        fake.put(kept, "1");
        distribution().pull(Reference.parse(fake.domain() + "/o/kept:1"), Platform.host(), RegistryCredentials.anonymous(),
                ProgressSink.NONE);
        Digest stale = Digest.sha256("a layer removed by an older berthd".getBytes());
        BlobOrigins.open(records).add(stale, new BlobOrigins.Origin(Digest.sha256("gz".getBytes()), MediaTypes.DOCKER_LAYER, 2,
                "127.0.0.1:5000/old"));
        Files.writeString(records.resolve("sha256").resolve("not-a-record.txt"), "left alone");
        assertThat(recordOf(stale)).exists();

        distribution(); // as berthd's start does

        assertThat(recordOf(stale)).doesNotExist();
        assertThat(recordOf(kept.diffIds().getFirst())).exists();
        assertThat(records.resolve("sha256").resolve("not-a-record.txt")).exists();
    }
}
