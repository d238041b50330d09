package dev.berth.image.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.berth.image.archive.ImageTransfer;
import dev.berth.image.archive.testing.MapRegistry;
import dev.berth.image.archive.testing.MemorySnapshotter;
import dev.berth.image.archive.testing.Tars;
import dev.berth.image.content.FileContentStore;
import dev.berth.oci.image.Digest;
import dev.berth.oci.image.ImageConfig;
import dev.berth.oci.image.ImageJson;
import dev.berth.oci.image.Reference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real debootstrap from the host's apt mirror (about a minute); root only, as debootstrap is. */
class DebianBootstrapIT {
    @TempDir
    Path root;

    @Test
    void debianBookwormMinbase() throws Exception {
        assumeTrue(new String(Files.readAllBytes(Path.of("/proc/self/status"))).contains("\nUid:\t0\t"), "debootstrap needs root");
        assumeTrue(Files.isExecutable(Path.of("/usr/sbin/debootstrap")), "needs debootstrap (scripts/install-deps.sh)");
        assumeTrue(AptMirror.find(Path.of("/etc/apt"), "bookworm").isPresent(), "needs an apt source for bookworm");
        FileContentStore content = FileContentStore.open(root);
        MapRegistry registry = new MapRegistry();
        ImageBootstrap bootstrap = new ImageBootstrap(root, new ImageTransfer(root, content, new MemorySnapshotter(), registry));
        Digest id = bootstrap.debian("bookworm", List.of(), line -> { });
        assertThat(registry.tagsOf(id)).extracting(Reference::familiar).containsExactly("debian:bookworm", "debian:latest");
        ImageConfig config = ImageJson.parseConfig(content.read(id));
        assertThat(config.config().cmd()).containsExactly("bash");
        assertThat(config.config().env()).containsExactly(ImageBootstrap.PATH);
        Map<String, byte[]> files = Tars.read(content.read(config.diffIds().getFirst()));
        assertThat(files.keySet()).anyMatch(n -> n.endsWith("usr/bin/bash")).anyMatch(n -> n.endsWith("etc/debian_version"))
                .noneMatch(n -> n.contains("var/cache/apt/archives/") && n.endsWith(".deb"))
                .noneMatch(n -> n.startsWith("dev/") || n.startsWith("./dev/") && n.length() > 6);
        try (var left = Files.list(root.resolve("tmp"))) {
            assertThat(left.toList()).isEmpty();
        }
    }
}
