package dev.berth.image.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.image.archive.testing.Tars;
import dev.berth.image.layer.LayerUnpacker;
import dev.berth.image.layer.UnpackResult;
import dev.berth.oci.BerthException;
import dev.berth.oci.image.ChainId;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link OverlaySnapshotter#adoptLayer}: a layer unpacked ahead (by an archive load) becomes a snapshot by rename. */
class OverlayAdoptLayerTest {
    @TempDir
    Path root;

    private UnpackResult unpackAhead(Path dir, String... files) {
        return unpackAhead(dir, Tars.layer(files));
    }

    private UnpackResult unpackAhead(Path dir, byte[] layer) {
        return new LayerUnpacker().unpack(new ByteArrayInputStream(layer), dir);
    }

    @Test
    void adoptsByRenameAndSurvivesAReopen() throws Exception {
        OverlaySnapshotter s = new OverlaySnapshotter(root);
        assertThat(s.canAdoptLayers()).isTrue();
        Path ahead = root.resolve("tmp/load-x/0");
        UnpackResult base = unpackAhead(ahead, "etc/hello", "hi\n");
        LayerSnapshot l = s.adoptLayer(base.diffId(), null, base, ahead);
        assertThat(ahead).doesNotExist();
        assertThat(Files.readString(l.dir().resolve("etc/hello"))).isEqualTo("hi\n");
        assertThat(l.diffId()).isEqualTo(base.diffId());

        Path ahead2 = root.resolve("tmp/load-x/1");
        UnpackResult top = unpackAhead(ahead2, "etc/bye", "bye\n");
        var chain = ChainId.of(base.diffId(), top.diffId());
        s.adoptLayer(chain, base.diffId(), top, ahead2);
        assertThat(new OverlaySnapshotter(root).lowerDirs(chain)).hasSize(2);
    }

    @Test
    void refusesAWrongChainOrAMissingParentAndLeavesAnExistingOne() throws Exception {
        OverlaySnapshotter s = new OverlaySnapshotter(root);
        Path ahead = root.resolve("tmp/a");
        byte[] layer = Tars.layer("a", "1");
        UnpackResult r = unpackAhead(ahead, layer);
        assertThatThrownBy(() -> s.adoptLayer(ChainId.of(r.diffId(), r.diffId()), null, r, ahead))
                .isInstanceOf(BerthException.class).hasMessageStartingWith("layer chain id mismatch");
        assertThatThrownBy(() -> s.adoptLayer(ChainId.of(r.diffId(), r.diffId()), r.diffId(), r, ahead))
                .isInstanceOf(BerthException.class).extracting(e -> ((BerthException) e).kind())
                .isEqualTo(BerthException.Kind.FAILED_PRECONDITION);
        assertThat(ahead).isDirectory();
        LayerSnapshot first = s.adoptLayer(r.diffId(), null, r, ahead);
        Path again = root.resolve("tmp/b");
        UnpackResult same = unpackAhead(again, layer);
        assertThat(s.adoptLayer(same.diffId(), null, same, again)).isEqualTo(first);
        assertThat(again).as("left to the caller").isDirectory();
    }
}
