package dev.berth.image.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.berth.image.archive.ImageRegistry;
import dev.berth.image.archive.ImageTransfer;
import dev.berth.image.archive.testing.MapRegistry;
import dev.berth.image.archive.testing.MemorySnapshotter;
import dev.berth.image.archive.testing.Tars;
import dev.berth.image.content.FileContentStore;
import dev.berth.oci.image.Digest;
import dev.berth.oci.image.ImageConfig;
import dev.berth.oci.image.ImageJson;
import dev.berth.oci.image.Reference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageBootstrapTest {
    @TempDir
    Path root;

    @Test
    void busyboxImageWithConfigHistoryAndTags() throws Exception {
        assumeTrue(Files.isExecutable(BusyboxRootfs.HOST_BUSYBOX), "needs /bin/busybox (apt-get install busybox-static)");
        FileContentStore content = FileContentStore.open(root);
        MapRegistry registry = new MapRegistry();
        ImageBootstrap bootstrap = new ImageBootstrap(root, new ImageTransfer(root, content, new MemorySnapshotter(), registry));
        List<String> progress = new ArrayList<>();
        Digest id = bootstrap.busybox(List.of(), progress::add);

        assertThat(registry.tags).containsExactly(Map.entry(Reference.parse("busybox:latest"), id));
        ImageConfig config = ImageJson.parseConfig(content.read(id));
        assertThat(config.os()).isEqualTo("linux");
        assertThat(config.architecture()).isEqualTo("amd64");
        assertThat(config.config().env()).containsExactly(ImageBootstrap.PATH);
        assertThat(config.config().cmd()).containsExactly("sh");
        assertThat(config.history()).singleElement().satisfies(h -> assertThat(h.createdBy()).startsWith("berth image bootstrap busybox (BusyBox v"));
        assertThat(config.diffIds()).hasSize(1);
        ImageRegistry.Layer layer = registry.images.get(id).layers().getFirst();
        assertThat(layer.blob().digest()).isEqualTo(config.diffIds().getFirst());
        Map<String, byte[]> files = Tars.read(content.read(layer.blob().digest()));
        assertThat(files.keySet()).anyMatch(n -> n.endsWith("bin/busybox"));
        assertThat(new String(files.get(files.keySet().stream().filter(n -> n.endsWith("etc/passwd")).findFirst().orElseThrow()),
                StandardCharsets.UTF_8)).startsWith("root:x:0:0:");
        assertThat(progress).isNotEmpty();
        // nothing of the work is left in the data root's temp dir
        try (var left = Files.list(root.resolve("tmp"))) {
            assertThat(left.toList()).isEmpty();
        }

        // the same again under other names: the same layer, another config (its created time differs)
        Digest again = bootstrap.busybox(List.of(Reference.parse("localhost:5000/bb:1"), Reference.parse("bb:2")), s -> { });
        assertThat(registry.tagsOf(again)).extracting(Reference::familiar).containsExactly("localhost:5000/bb:1", "bb:2");
        assertThat(ImageJson.parseConfig(content.read(again)).diffIds()).isEqualTo(config.diffIds());
    }
}
