package dev.berth.image.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.image.content.FileContentStore;
import dev.berth.oci.BerthException;
import dev.berth.oci.image.Reference;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Many threads on one service: every recorded image stays whole, and the disk agrees with memory. */
class ImageServiceConcurrencyTest {
    @TempDir
    Path dataRoot;

    @Test
    void concurrentAddTagRemoveAndPruneKeepTheStoreWhole() throws Exception {
        FileContentStore content = FileContentStore.open(dataRoot);
        FakeSnapshotter snapshotter = new FakeSnapshotter();
        ImageService service = new ImageService(ImageStore.open(dataRoot, content), content, snapshotter);
        TestImages images = new TestImages(content, snapshotter, service);
        int threads = 6;
        int rounds = 24;
        AtomicInteger failedAdds = new AtomicInteger();
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int me = t;
                done.add(pool.submit(() -> {
                    go.await();
                    for (int i = 0; i < rounds; i++) {
                        String tag = "app" + (i % 4) + ":" + me % 2;
                        int round = i;
                        try {
                            // all threads share the "base" layer; each round adds and drops one of its own
                            images.add(Instant.ofEpochSecond(1_700_000_000L + i), Map.of(), List.of(tag), "base", "t" + me + "-" + (i % 5));
                        } catch (BerthException e) {
                            if (e.kind() != BerthException.Kind.FAILED_PRECONDITION) {
                                throw e;
                            }
                            failedAdds.incrementAndGet(); // a concurrent delete took a layer: the importer would unpack again
                        }
                        switch (i % 4) {
                            case 0 -> ignoreMissing(() -> service.tag(tag, Reference.parse("alias" + me + ":" + round)));
                            case 1 -> ignoreMissing(() -> service.remove(tag, true, false));
                            case 2 -> service.prune(me % 2 == 0, Map.of());
                            default -> service.list(Map.of("reference", List.of("app*")));
                        }
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }

        List<Image> all = service.list(Map.of());
        for (Image image : all) {
            assertThat(content.contains(image.id())).isTrue();
            for (Image.Layer l : image.layers()) {
                assertThat(snapshotter.hasLayer(l.chainId())).as("layer of a recorded image").isTrue();
                assertThat(content.contains(l.blob().orElseThrow().digest())).as("blob of a recorded image").isTrue();
            }
        }
        ImageService reopened = new ImageService(ImageStore.open(dataRoot, content), content, snapshotter);
        assertThat(reopened.list(Map.of())).containsExactlyInAnyOrderElementsOf(all);
        assertThat(failedAdds.get()).isLessThan(threads * rounds);
    }

    @Test
    void addsUnderALeaseNeverLoseTheirLayersToConcurrentRemovals() throws Exception {
        FileContentStore content = FileContentStore.open(dataRoot);
        FakeSnapshotter snapshotter = new FakeSnapshotter();
        ImageService service = new ImageService(ImageStore.open(dataRoot, content), content, snapshotter);
        TestImages images = new TestImages(content, snapshotter, service);
        int threads = 6;
        int rounds = 24;
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int me = t;
                done.add(pool.submit(() -> {
                    go.await();
                    for (int i = 0; i < rounds; i++) {
                        String tag = "app" + (i % 4) + ":" + me % 2;
                        Instant created = Instant.ofEpochSecond(1_700_000_000L + i);
                        String[] layers = {"base", "t" + me + "-" + (i % 5)};
                        List<dev.berth.oci.image.Digest> diffIds = java.util.Arrays.stream(layers)
                                .map(l -> dev.berth.oci.image.Digest.sha256(l.getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                                .toList();
                        // as a pull: protect, then find or write the layers, then record; the add never fails
                        try (ImageLease lease = service.lease()) {
                            lease.protect(dev.berth.oci.image.Digest.sha256(TestImages.config(created, Map.of(), layers)), diffIds,
                                    diffIds);
                            images.add(created, Map.of(), List.of(tag), layers);
                        }
                        switch (i % 3) {
                            case 0 -> ignoreMissing(() -> service.remove(tag, true, false));
                            case 1 -> service.prune(me % 2 == 0, Map.of());
                            default -> service.list(Map.of());
                        }
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        for (Image image : service.list(Map.of())) {
            for (Image.Layer l : image.layers()) {
                assertThat(snapshotter.hasLayer(l.chainId())).isTrue();
                assertThat(content.contains(l.blob().orElseThrow().digest())).isTrue();
            }
        }
        // nothing deferred is forgotten: once every image goes, every layer and blob goes
        service.prune(true, Map.of());
        assertThat(service.list(Map.of())).isEmpty();
        assertThat(snapshotter.layers()).isEmpty();
        assertThat(content.list()).isEmpty();
    }

    private static void ignoreMissing(Runnable r) {
        try {
            r.run();
        } catch (BerthException e) {
            if (e.kind() != BerthException.Kind.NOT_FOUND && e.kind() != BerthException.Kind.CONFLICT) {
                throw e;
            }
        }
    }
}
