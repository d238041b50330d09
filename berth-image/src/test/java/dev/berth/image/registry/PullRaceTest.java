package dev.berth.image.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.image.archive.testing.MemorySnapshotter;
import dev.berth.image.content.ContentStore;
import dev.berth.image.content.FileContentStore;
import dev.berth.image.content.Ingest;
import dev.berth.image.registry.client.RegistryClient;
import dev.berth.image.store.Image;
import dev.berth.image.store.ImageService;
import dev.berth.image.store.ImageStore;
import dev.berth.oci.BerthException;
import dev.berth.oci.image.ChainId;
import dev.berth.oci.image.Digest;
import dev.berth.oci.image.Platform;
import dev.berth.oci.image.Reference;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A pull racing an {@code rmi} or {@code image prune -a} of another image that shares its
 * content. The order is forced, not hoped for: the fake registry holds the pull's last layer at a
 * gate while the test removes the other image, then lets it go.
 */
class PullRaceTest {
    @TempDir
    Path dataRoot;
    private FakeRegistry fake;
    private HookedContent content;
    private MemorySnapshotter snapshots;
    private ImageService images;
    private Distribution distribution;
    private final ExecutorService background = Executors.newVirtualThreadPerTaskExecutor();

    @BeforeEach
    void start() throws Exception {
        fake = new FakeRegistry();
        content = new HookedContent(FileContentStore.open(dataRoot));
        snapshots = new MemorySnapshotter();
        images = new ImageService(ImageStore.open(dataRoot, content), content, snapshots);
        distribution = new RegistryDistribution(images, new RegistryClient(RegistryPullTest.OPTIONS, Clock.systemUTC(),
                Duration.ofMillis(300)), RegistryDistribution.DEFAULT_CONCURRENT_DOWNLOADS);
    }

    @AfterEach
    void stop() {
        fake.close();
        background.shutdownNow();
    }

    private Reference ref(String rest) {
        return Reference.parse(fake.domain() + "/" + rest);
    }

    private PullResult pull(String rest) {
        return distribution.pull(ref(rest), Platform.host(), RegistryCredentials.anonymous(), ProgressSink.NONE);
    }

    private static TestImage stack(TestImage... parts) {
        List<byte[]> layers = new java.util.ArrayList<>();
        List<Digest> diffIds = new java.util.ArrayList<>();
        for (TestImage p : parts) {
            layers.addAll(p.layers());
            diffIds.addAll(p.diffIds());
        }
        return TestImage.of(layers, diffIds, Platform.host(), false);
    }

    /** Every layer of every recorded image has its snapshot, and every blob it names is stored. */
    private void assertStoreWhole() {
        for (Image image : images.list(Map.of())) {
            assertThat(content.contains(image.id())).as("config of " + image.id()).isTrue();
            for (Image.Layer l : image.layers()) {
                assertThat(snapshots.hasLayer(l.chainId())).as("snapshot of " + l.diffId()).isTrue();
                l.blob().ifPresent(b -> assertThat(content.contains(b.digest())).as("blob " + b.digest()).isTrue());
            }
        }
    }

    @Test
    void anRmiDuringAPullKeepsTheLayerThePullFoundPresent() throws Exception {
        TestImage x = TestImage.create(40, 1, 20_000, Platform.host(), false);
        TestImage y = TestImage.create(41, 1, 20_000, Platform.host(), false);
        TestImage a = stack(x);
        TestImage b = stack(x, y);
        fake.put(a, "1");
        pull("race/a:1");
        fake.put(b, "1");
        FakeRegistry.Gate held = fake.gate(Digest.sha256(y.layers().getFirst()));

        Future<PullResult> pulling = background.submit(() -> pull("race/b:1"));
        held.awaitArrival(); // x was found present ("Already exists"), y is on its way
        images.remove(ref("race/a:1").toString(), false, false);
        images.prune(true, Map.of());
        Digest xBlob = Digest.sha256(x.layers().getFirst());
        Digest xChain = x.diffIds().getFirst();
        assertThat(snapshots.hasLayer(xChain)).as("the pull's layer outlives the rmi").isTrue();
        assertThat(content.contains(xBlob)).isTrue();
        held.release();

        assertThat(pulling.get(30, TimeUnit.SECONDS).imageId()).isEqualTo(b.id());
        assertThat(images.find(a.id().toString())).isEmpty();
        assertThat(images.inspect(ref("race/b:1").toString()).layers()).hasSize(2);
        assertStoreWhole();

        // and nothing is left behind once b goes too
        images.remove(ref("race/b:1").toString(), false, false);
        assertThat(snapshots.layers()).isEmpty();
        assertThat(content.list()).isEmpty();
    }

    @Test
    void whatAnRmiDeferredForAFailedPullIsDeletedWhenThePullEnds() throws Exception {
        TestImage x = TestImage.create(42, 1, 20_000, Platform.host(), false);
        TestImage y = TestImage.create(43, 1, 20_000, Platform.host(), false);
        fake.put(stack(x), "1");
        pull("race/a:1");
        fake.put(stack(x, y), "1");
        Digest yBlob = Digest.sha256(y.layers().getFirst());
        fake.corrupt.add(yBlob);
        FakeRegistry.Gate held = fake.gate(yBlob);

        Future<PullResult> pulling = background.submit(() -> pull("race/b:1"));
        held.awaitArrival();
        images.remove(ref("race/a:1").toString(), false, false);
        assertThat(snapshots.hasLayer(x.diffIds().getFirst())).isTrue();
        held.release();

        assertThatThrownBy(() -> pulling.get(30, TimeUnit.SECONDS)).hasCauseInstanceOf(BerthException.class)
                .hasMessageContaining("filesystem layer verification failed for digest " + yBlob);
        assertThat(images.list(Map.of())).isEmpty();
        assertThat(snapshots.layers()).as("x, deferred by the rmi, is deleted when the pull's lease ends").isEmpty();
        assertThat(content.list()).isEmpty();
    }

    @Test
    void aPruneDuringAPullKeepsABlobThePullReusesUnderAnotherParent() throws Exception {
        TestImage x = TestImage.create(44, 1, 20_000, Platform.host(), false);
        TestImage y = TestImage.create(45, 1, 20_000, Platform.host(), false);
        fake.put(stack(x), "1");
        pull("race/a:1");
        // b = y then x: x's blob is stored already, but not x's snapshot on top of y
        TestImage b = stack(y, x);
        fake.put(b, "1");
        Digest xBlob = Digest.sha256(x.layers().getFirst());
        CountDownLatch xScanned = content.onClose(xBlob);
        FakeRegistry.Gate held = fake.gate(Digest.sha256(y.layers().getFirst()));

        Future<PullResult> pulling = background.submit(() -> pull("race/b:1"));
        held.awaitArrival();
        assertThat(xScanned.await(30, TimeUnit.SECONDS)).as("the pull read x from the content store").isTrue();
        images.remove(ref("race/a:1").toString(), false, false);
        images.prune(true, Map.of());
        assertThat(content.contains(xBlob)).as("the blob the pull will record x from").isTrue();
        held.release();

        assertThat(pulling.get(30, TimeUnit.SECONDS).imageId()).isEqualTo(b.id());
        assertStoreWhole();
        Image pulled = images.inspect(b.id().toString());
        assertThat(pulled.layers().get(1).chainId()).isEqualTo(ChainId.all(b.diffIds()).get(1));
        assertThat(pulled.layers().get(1).blob().orElseThrow().digest()).isEqualTo(xBlob);
        assertThat(snapshots.layers()).doesNotContain(x.diffIds().getFirst()); // a's own layer went with a

        images.remove(b.id().toString(), false, false);
        assertThat(snapshots.layers()).isEmpty();
        assertThat(content.list()).isEmpty();
    }

    /** The real content store, telling the test when a blob's reader is done with it. */
    private static final class HookedContent implements ContentStore {
        private final ContentStore store;
        private final Map<Digest, CountDownLatch> closed = new java.util.concurrent.ConcurrentHashMap<>();

        HookedContent(ContentStore store) {
            this.store = store;
        }

        CountDownLatch onClose(Digest blob) {
            CountDownLatch l = new CountDownLatch(1);
            closed.put(blob, l);
            return l;
        }

        @Override
        public InputStream open(Digest d) {
            CountDownLatch l = closed.get(d);
            InputStream in = store.open(d);
            if (l == null) {
                return in;
            }
            return new FilterInputStream(in) {
                @Override
                public void close() throws IOException {
                    super.close();
                    l.countDown();
                }
            };
        }

        @Override
        public boolean contains(Digest d) {
            return store.contains(d);
        }

        @Override
        public long size(Digest d) {
            return store.size(d);
        }

        @Override
        public byte[] read(Digest d) {
            return store.read(d);
        }

        @Override
        public Path path(Digest d) {
            return store.path(d);
        }

        @Override
        public Digest put(byte[] bytes) {
            return store.put(bytes);
        }

        @Override
        public Ingest ingest() {
            return store.ingest();
        }

        @Override
        public void delete(Digest d) {
            store.delete(d);
        }

        @Override
        public Set<Digest> list() {
            return store.list();
        }
    }
}
