package dev.berth.image.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.image.layer.LayerUnpacker;
import dev.berth.oci.BerthException;
import dev.berth.oci.image.ChainId;
import dev.berth.oci.image.Digest;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Layers recorded with {@link Snapshotter#addLayerLater}: unpacked in the background or by their first user. */
class OverlayPendingLayerTest {
    @TempDir
    Path dataRoot;

    private OverlaySnapshotter background;
    private final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void stopWorker() {
        release.countDown();
        if (background != null) {
            background.close();
        }
    }

    private static final byte[] BASE = SnapshotterContract.layer("etc/motd", "hello", "bin/tool", "t");
    private static final byte[] TOP = SnapshotterContract.layer("etc/motd", "bye");
    private static final Digest BASE_CHAIN = ChainId.of(null, Digest.sha256(BASE));
    private static final Digest TOP_CHAIN = ChainId.of(BASE_CHAIN, Digest.sha256(TOP));

    /** Opens count how often the layer was read; with {@code gate}, reading blocks after the first 512 bytes until released. */
    private Snapshotter.LayerSource source(byte[] tar, AtomicInteger opens, CountDownLatch reading, boolean gate) {
        return () -> {
            opens.incrementAndGet();
            InputStream in = new ByteArrayInputStream(tar);
            if (!gate) {
                return in;
            }
            return new FilterInputStream(in) {
                private int seen;

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    if (seen >= 512) {
                        reading.countDown();
                        awaitRelease();
                    }
                    int n = super.read(b, off, Math.min(len, 512));
                    seen += Math.max(n, 0);
                    return n;
                }
            };
        };
    }

    private void awaitRelease() throws IOException {
        try {
            if (!release.await(60, TimeUnit.SECONDS)) {
                throw new IOException("test never released the layer");
            }
        } catch (InterruptedException e) {
            throw new IOException(e);
        }
    }

    private static long tmpDirs(Path dataRoot) throws IOException {
        try (Stream<Path> s = Files.list(dataRoot.resolve("snapshots"))) {
            return s.filter(p -> p.getFileName().toString().startsWith("tmp-")).count();
        }
    }

    @Test
    void aPendingLayerCountsAsPresentAndItsFirstUserUnpacksIt() throws IOException {
        OverlaySnapshotter s = new OverlaySnapshotter(dataRoot);
        AtomicInteger opens = new AtomicInteger();
        s.addLayerLater(BASE_CHAIN, null, Digest.sha256(BASE), 6, source(BASE, opens, null, false));
        s.addLayerLater(TOP_CHAIN, BASE_CHAIN, Digest.sha256(TOP), 3, source(TOP, opens, null, false));

        assertThat(s.hasLayer(TOP_CHAIN)).isTrue();
        assertThat(s.isUnpacked(TOP_CHAIN)).isFalse();
        assertThat(s.layers()).containsExactlyInAnyOrder(BASE_CHAIN, TOP_CHAIN);
        assertThat(s.parentOf(TOP_CHAIN)).isEqualTo(BASE_CHAIN);
        assertThat(s.sizeOf(TOP_CHAIN)).isEqualTo(3);
        assertThat(opens).hasValue(0);

        ContainerMount m = s.prepare("c1", TOP_CHAIN);
        assertThat(s.isUnpacked(BASE_CHAIN)).isTrue();
        assertThat(s.isUnpacked(TOP_CHAIN)).isTrue();
        assertThat(m.lowerDirs()).hasSize(2);
        assertThat(Files.readString(m.lowerDirs().get(0).resolve("etc/motd"))).isEqualTo("bye");
        assertThat(Files.readString(m.lowerDirs().get(1).resolve("bin/tool"))).isEqualTo("t");
        assertThat(s.layer(TOP_CHAIN).size()).isEqualTo(3);
        assertThat(opens).hasValue(2);
        assertThat(tmpDirs(dataRoot)).isZero();
        // committed like any layer: a new snapshotter finds both
        assertThat(new OverlaySnapshotter(dataRoot).layers()).containsExactlyInAnyOrder(BASE_CHAIN, TOP_CHAIN);
    }

    @Test
    void prepareWaitsForTheBackgroundUnpackAndNeverSeesAHalfLayer() throws Exception {
        background = new OverlaySnapshotter(dataRoot, new LayerUnpacker(), true);
        AtomicInteger opens = new AtomicInteger();
        CountDownLatch reading = new CountDownLatch(1);
        background.addLayerLater(BASE_CHAIN, null, Digest.sha256(BASE), 6, source(BASE, opens, reading, true));
        assertThat(reading.await(60, TimeUnit.SECONDS)).as("the worker started on the layer").isTrue();

        CompletableFuture<ContainerMount> prepared = CompletableFuture.supplyAsync(() -> background.prepare("c1", BASE_CHAIN));
        assertThat(background.isUnpacked(BASE_CHAIN)).isFalse();
        assertThat(background.containerKeys()).isEmpty();
        release.countDown();
        ContainerMount m = prepared.get(60, TimeUnit.SECONDS);
        assertThat(Files.readString(m.lowerDirs().getFirst().resolve("etc/motd"))).isEqualTo("hello");
        assertThat(opens).as("one unpack, shared by the worker and the waiter").hasValue(1);
        assertThat(tmpDirs(dataRoot)).isZero();
    }

    @Test
    void theWorkerUnpacksWithoutBeingAsked() throws Exception {
        background = new OverlaySnapshotter(dataRoot, new LayerUnpacker(), true);
        AtomicInteger opens = new AtomicInteger();
        background.addLayerLater(BASE_CHAIN, null, Digest.sha256(BASE), 6, source(BASE, opens, null, false));
        background.addLayerLater(TOP_CHAIN, BASE_CHAIN, Digest.sha256(TOP), 3, source(TOP, opens, null, false));
        // layer() waits for whatever the worker is doing, or unpacks itself: either way the same result
        assertThat(Files.readString(background.layer(TOP_CHAIN).dir().resolve("etc/motd"))).isEqualTo("bye");
        assertThat(background.lowerDirs(TOP_CHAIN)).hasSize(2);
        assertThat(opens).hasValue(2);
    }

    @Test
    void removingAPendingLayerForgetsItWithoutUnpacking() throws IOException {
        OverlaySnapshotter s = new OverlaySnapshotter(dataRoot);
        AtomicInteger opens = new AtomicInteger();
        s.addLayerLater(BASE_CHAIN, null, Digest.sha256(BASE), 6, source(BASE, opens, null, false));
        s.addLayerLater(TOP_CHAIN, BASE_CHAIN, Digest.sha256(TOP), 3, source(TOP, opens, null, false));
        assertThatThrownBy(() -> s.removeLayer(BASE_CHAIN)).isInstanceOf(BerthException.class)
                .hasMessageContaining("is the parent of layer " + TOP_CHAIN);
        s.removeLayer(TOP_CHAIN);
        s.removeLayer(BASE_CHAIN);
        assertThat(s.layers()).isEmpty();
        assertThat(opens).hasValue(0);
        assertThatThrownBy(() -> s.layer(BASE_CHAIN)).isInstanceOf(BerthException.class)
                .extracting(e -> ((BerthException) e).kind()).isEqualTo(BerthException.Kind.NOT_FOUND);
    }

    @Test
    void removingALayerWhileItUnpacksAbandonsTheUnpack() throws Exception {
        background = new OverlaySnapshotter(dataRoot, new LayerUnpacker(), true);
        CountDownLatch reading = new CountDownLatch(1);
        background.addLayerLater(BASE_CHAIN, null, Digest.sha256(BASE), 6, source(BASE, new AtomicInteger(), reading, true));
        assertThat(reading.await(60, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<ContainerMount> waiter = CompletableFuture.supplyAsync(() -> background.prepare("c1", BASE_CHAIN));

        background.removeLayer(BASE_CHAIN);
        assertThat(background.hasLayer(BASE_CHAIN)).isFalse();
        release.countDown();
        assertThatThrownBy(() -> waiter.get(60, TimeUnit.SECONDS)).hasCauseInstanceOf(BerthException.class)
                .cause().extracting(e -> ((BerthException) e).kind()).isEqualTo(BerthException.Kind.NOT_FOUND);
        background.close(); // waits for the worker, which removes its half-made directory
        assertThat(tmpDirs(dataRoot)).isZero();
        assertThat(new OverlaySnapshotter(dataRoot).layers()).isEmpty();
    }

    @Test
    void closingStopsTheWorkersUnpackAndALaterUserStillGetsTheLayer() throws Exception {
        background = new OverlaySnapshotter(dataRoot, new LayerUnpacker(), true);
        CountDownLatch reading = new CountDownLatch(1);
        AtomicInteger opens = new AtomicInteger();
        Snapshotter.LayerSource gated = source(BASE, new AtomicInteger(), reading, true);
        Snapshotter.LayerSource firstGated = () -> opens.incrementAndGet() == 1 ? gated.open() : new ByteArrayInputStream(BASE);
        background.addLayerLater(BASE_CHAIN, null, Digest.sha256(BASE), 6, firstGated);
        assertThat(reading.await(60, TimeUnit.SECONDS)).isTrue();

        CompletableFuture<Void> closed = CompletableFuture.runAsync(background::close);
        while (!background.closing()) {
            Thread.sleep(1);
        }
        release.countDown(); // the frozen read goes on, and the next one finds the unpack abandoned
        closed.get(60, TimeUnit.SECONDS);
        assertThat(background.hasLayer(BASE_CHAIN)).isTrue();
        assertThat(background.isUnpacked(BASE_CHAIN)).isFalse();
        assertThat(Files.readString(background.layer(BASE_CHAIN).dir().resolve("etc/motd"))).isEqualTo("hello");
        assertThat(opens).hasValue(2);
        assertThat(tmpDirs(dataRoot)).isZero();
    }

    @Test
    void aFailedUnpackLeavesTheLayerPendingForTheNextUser() throws IOException {
        OverlaySnapshotter s = new OverlaySnapshotter(dataRoot);
        AtomicInteger opens = new AtomicInteger();
        Snapshotter.LayerSource flaky = () -> opens.incrementAndGet() == 1
                ? new ByteArrayInputStream(BASE, 0, 700) : new ByteArrayInputStream(BASE);
        s.addLayerLater(BASE_CHAIN, null, Digest.sha256(BASE), 6, flaky);
        assertThatThrownBy(() -> s.layer(BASE_CHAIN)).isInstanceOf(BerthException.class)
                .hasMessageContaining("unpacking layer " + Digest.sha256(BASE));
        assertThat(s.hasLayer(BASE_CHAIN)).isTrue();
        assertThat(tmpDirs(dataRoot)).isZero();
        assertThat(Files.readString(s.layer(BASE_CHAIN).dir().resolve("etc/motd"))).isEqualTo("hello");
    }

    @Test
    void aCrashMidUnpackLeavesNoLayerAndNoTrace() throws Exception {
        background = new OverlaySnapshotter(dataRoot, new LayerUnpacker(), true);
        CountDownLatch reading = new CountDownLatch(1);
        background.addLayerLater(BASE_CHAIN, null, Digest.sha256(BASE), 6, source(BASE, new AtomicInteger(), reading, true));
        assertThat(reading.await(60, TimeUnit.SECONDS)).isTrue();
        assertThat(tmpDirs(dataRoot)).as("the unpack is under way in a tmp- directory").isOne();

        // what is on disk now is what a kill would leave: a new snapshotter sees no layer and sweeps the work
        OverlaySnapshotter afterCrash = new OverlaySnapshotter(dataRoot);
        assertThat(afterCrash.layers()).isEmpty();
        assertThat(tmpDirs(dataRoot)).isZero();
    }
}
