package dev.berth.image.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.oci.BerthException;
import dev.berth.oci.image.ChainId;
import dev.berth.oci.image.Digest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every {@link Snapshotter} must do (containerd's snapshot test suite is the model): each
 * implementation's test extends this and says how to open one on a data root.
 */
abstract class SnapshotterContract {
    @TempDir
    Path dataRoot;

    abstract Snapshotter open(Path dataRoot);

    static byte[] layer(String... namesAndContents) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
            for (int i = 0; i < namesAndContents.length; i += 2) {
                byte[] content = namesAndContents[i + 1].getBytes(StandardCharsets.UTF_8);
                TarArchiveEntry e = new TarArchiveEntry(namesAndContents[i], true);
                e.setSize(content.length);
                tar.putArchiveEntry(e);
                tar.write(content);
                tar.closeArchiveEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static LayerSnapshot add(Snapshotter s, Digest parent, byte[] tar) {
        Digest chain = ChainId.of(parent, Digest.sha256(tar));
        return s.addLayer(chain, parent, Digest.sha256(tar), new ByteArrayInputStream(tar));
    }

    @Test
    void addedLayerCanBeFoundAndHoldsItsFiles() throws IOException {
        Snapshotter s = open(dataRoot);
        byte[] tar = layer("etc/hostname", "box");
        LayerSnapshot l = add(s, null, tar);
        assertThat(l.diffId()).isEqualTo(Digest.sha256(tar));
        assertThat(l.chainId()).isEqualTo(l.diffId());
        assertThat(l.parentChainId()).isNull();
        assertThat(l.size()).isEqualTo(3);
        assertThat(Files.readString(l.dir().resolve("etc/hostname"))).isEqualTo("box");
        assertThat(s.hasLayer(l.chainId())).isTrue();
        assertThat(s.layer(l.chainId())).isEqualTo(l);
        assertThat(s.layers()).containsExactly(l.chainId());
    }

    @Test
    void addingAnExistingLayerReturnsItAndStillReadsTheStream() {
        Snapshotter s = open(dataRoot);
        byte[] tar = layer("a", "1");
        LayerSnapshot first = add(s, null, tar);
        ByteArrayInputStream again = new ByteArrayInputStream(tar);
        assertThat(s.addLayer(first.chainId(), null, null, again)).isEqualTo(first);
        assertThat(again.available()).isZero();
    }

    @Test
    void stacksListLowerDirsTopFirst() {
        Snapshotter s = open(dataRoot);
        LayerSnapshot base = add(s, null, layer("a", "1"));
        LayerSnapshot mid = add(s, base.chainId(), layer("b", "2"));
        LayerSnapshot top = add(s, mid.chainId(), layer("c", "3"));
        assertThat(top.chainId()).isEqualTo(ChainId.top(List.of(base.diffId(), mid.diffId(), top.diffId())));
        assertThat(s.lowerDirs(top.chainId())).containsExactly(top.dir(), mid.dir(), base.dir());
        assertThat(s.lowerDirs(base.chainId())).containsExactly(base.dir());
    }

    @Test
    void diffIdMismatchIsInvalidAndLeavesNothing() throws IOException {
        Snapshotter s = open(dataRoot);
        byte[] tar = layer("a", "1");
        Digest wrong = Digest.sha256("other".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> s.addLayer(wrong, null, wrong, new ByteArrayInputStream(tar)))
                .isInstanceOf(BerthException.class)
                .hasMessageContaining("layer diff id mismatch: want " + wrong + ", got " + Digest.sha256(tar))
                .extracting(e -> ((BerthException) e).kind()).isEqualTo(BerthException.Kind.INVALID_ARGUMENT);
        assertThat(s.layers()).isEmpty();
        assertThat(s.hasLayer(wrong)).isFalse();
        assertNoLeftovers();
    }

    @Test
    void chainIdThatDoesNotMatchTheContentIsInvalid() {
        Snapshotter s = open(dataRoot);
        byte[] tar = layer("a", "1");
        Digest wrong = Digest.sha256("other".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> s.addLayer(wrong, null, null, new ByteArrayInputStream(tar)))
                .hasMessageContaining("layer chain id mismatch");
        assertThat(s.layers()).isEmpty();
    }

    @Test
    void hostileLayerIsInvalidAndLeavesNothing() throws IOException {
        Snapshotter s = open(dataRoot);
        byte[] tar = layer("../../../escape", "x");
        Digest d = Digest.sha256(tar);
        assertThatThrownBy(() -> s.addLayer(d, null, d, new ByteArrayInputStream(tar)))
                .hasMessageContaining("escapes the layer root");
        assertThat(s.layers()).isEmpty();
        assertNoLeftovers();
    }

    @Test
    void missingParentIsAFailedPrecondition() {
        Snapshotter s = open(dataRoot);
        Digest parent = Digest.sha256("nope".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> add(s, parent, layer("a", "1")))
                .hasMessageContaining("parent layer " + parent)
                .extracting(e -> ((BerthException) e).kind()).isEqualTo(BerthException.Kind.FAILED_PRECONDITION);
    }

    @Test
    void unknownLayerIsNotFound() {
        Snapshotter s = open(dataRoot);
        Digest d = Digest.sha256("nope".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> s.layer(d)).hasMessage("layer " + d + " not found")
                .extracting(e -> ((BerthException) e).kind()).isEqualTo(BerthException.Kind.NOT_FOUND);
        assertThatThrownBy(() -> s.lowerDirs(d)).isInstanceOf(BerthException.class);
        assertThatThrownBy(() -> s.removeLayer(d)).isInstanceOf(BerthException.class);
    }

    @Test
    void parentsCannotBeRemovedBeforeTheirChildren() {
        Snapshotter s = open(dataRoot);
        LayerSnapshot base = add(s, null, layer("a", "1"));
        LayerSnapshot top = add(s, base.chainId(), layer("b", "2"));
        assertThatThrownBy(() -> s.removeLayer(base.chainId()))
                .hasMessageContaining("is the parent of layer " + top.chainId())
                .extracting(e -> ((BerthException) e).kind()).isEqualTo(BerthException.Kind.FAILED_PRECONDITION);
        s.removeLayer(top.chainId());
        s.removeLayer(base.chainId());
        assertThat(s.layers()).isEmpty();
        assertThat(Files.exists(base.dir())).isFalse();
    }

    @Test
    void concurrentAddersOfOneLayerGetOneSnapshot() throws Exception {
        Snapshotter s = open(dataRoot);
        byte[] tar = layer("big", "x".repeat(1 << 20), "small", "y");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<LayerSnapshot>> results = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                results.add(pool.submit(() -> add(s, null, tar)));
            }
            LayerSnapshot first = results.getFirst().get();
            for (Future<LayerSnapshot> f : results) {
                assertThat(f.get()).isEqualTo(first);
            }
        } finally {
            pool.shutdown();
        }
        assertThat(s.layers()).hasSize(1);
        assertNoLeftovers();
    }

    @Test
    void layersSurviveAReopen() {
        Snapshotter s = open(dataRoot);
        LayerSnapshot base = add(s, null, layer("a", "1"));
        LayerSnapshot top = add(s, base.chainId(), layer("b", "2"));
        Snapshotter again = open(dataRoot);
        assertThat(again.layers()).containsExactlyInAnyOrder(base.chainId(), top.chainId());
        assertThat(again.layer(top.chainId())).isEqualTo(top);
        assertThat(again.lowerDirs(top.chainId())).containsExactly(top.dir(), base.dir());
    }

    @Test
    void containerSnapshotsSitOnALayerAndHoldIt() throws IOException {
        Snapshotter s = open(dataRoot);
        LayerSnapshot base = add(s, null, layer("a", "1"));
        ContainerMount m = s.prepare("c1", base.chainId());
        assertThat(m.lowerDirs()).containsExactly(base.dir());
        assertThat(Files.isDirectory(m.upperDir())).isTrue();
        assertThat(Files.isDirectory(m.workDir())).isTrue();
        assertThatThrownBy(() -> s.prepare("c1", base.chainId()))
                .extracting(e -> ((BerthException) e).kind()).isEqualTo(BerthException.Kind.CONFLICT);
        assertThatThrownBy(() -> s.removeLayer(base.chainId())).hasMessageContaining("in use by container snapshot \"c1\"");
        assertThat(open(dataRoot).prepare("c2", null).lowerDirs()).hasSize(1);
        assertThatThrownBy(() -> s.prepare("../x", null))
                .extracting(e -> ((BerthException) e).kind()).isEqualTo(BerthException.Kind.INVALID_ARGUMENT);
        s.remove("c1");
        s.remove("c1"); // absent is fine
        assertThat(Files.exists(m.upperDir())).isFalse();
        s.removeLayer(base.chainId());
    }

    /** After failures and removals, no temporary directory is left in the data root. */
    abstract void assertNoLeftovers() throws IOException;
}
