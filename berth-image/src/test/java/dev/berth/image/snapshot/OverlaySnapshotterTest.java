package dev.berth.image.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.berth.runtime.sys.LinuxSyscalls;
import dev.berth.runtime.sys.Syscalls;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;

class OverlaySnapshotterTest extends SnapshotterContract {
    @Override
    Snapshotter open(Path dataRoot) {
        return new OverlaySnapshotter(dataRoot);
    }

    @Override
    void assertNoLeftovers() throws IOException {
        try (Stream<Path> s = Files.list(dataRoot.resolve("snapshots"))) {
            assertThat(s.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("tmp-"));
        }
    }

    @Test
    void layersLiveInNumberedDirectoriesWithTheirRecord() throws IOException {
        Snapshotter s = open(dataRoot);
        LayerSnapshot l = add(s, null, layer("a", "1"));
        assertThat(l.dir()).isEqualTo(dataRoot.resolve("snapshots/1/fs"));
        String json = Files.readString(dataRoot.resolve("snapshots/1/layer.json"));
        assertThat(json).contains("\"chainId\": \"" + l.chainId() + "\"", "\"diffId\": \"" + l.diffId() + "\"",
                "\"size\": 1");
    }

    @Test
    void startupRemovesHalfDoneWork() throws IOException {
        Path snapshots = dataRoot.resolve("snapshots");
        Files.createDirectories(snapshots.resolve("tmp-1234/fs/etc"));
        Files.writeString(snapshots.resolve("tmp-1234/fs/etc/x"), "half");
        Files.createDirectories(snapshots.resolve("7/fs")); // renamed but never recorded: not a layer
        Files.createDirectories(snapshots.resolve("containers/tmp-c-1/upper"));
        Snapshotter s = open(dataRoot);
        assertThat(s.layers()).isEmpty();
        try (Stream<Path> list = Files.list(snapshots)) {
            assertThat(list.map(p -> p.getFileName().toString())).containsExactly("containers");
        }
        assertThat(Files.list(snapshots.resolve("containers")).count()).isZero();
        // numbering continues past what was seen
        assertThat(add(s, null, layer("a", "1")).dir()).isEqualTo(snapshots.resolve("8/fs"));
    }

    /** Mounts the real thing: a whiteout and an opaque dir in the top layer hide the base's files. */
    @Test
    void overlayOfTwoLayersShowsTheMergedView() throws Exception {
        assumeTrue(isRoot(), "needs root: mount(2) of overlayfs");
        assumeTrue(Files.readString(Path.of("/proc/filesystems")).contains("overlay"), "needs overlayfs in the kernel");
        Snapshotter s = open(dataRoot);
        LayerSnapshot base = add(s, null, tar(
                "etc/motd", "hello",
                "etc/keep", "kept",
                "var/cache/old1", "o1",
                "var/cache/old2", "o2"));
        LayerSnapshot top = add(s, base.chainId(), tar(
                "etc/.wh.motd", "",
                "var/cache/.wh..wh..opq", "",
                "var/cache/new", "n",
                "usr/bin/tool", "t"));
        ContainerMount m = s.prepare("merged", top.chainId());
        Path merged = Files.createDirectories(dataRoot.resolve("merged"));
        Syscalls sys = new LinuxSyscalls();
        sys.mount("overlay", merged, "overlay", 0, m.overlayOptions());
        try {
            assertThat(Files.exists(merged.resolve("etc/motd"))).isFalse();
            assertThat(Files.readString(merged.resolve("etc/keep"))).isEqualTo("kept");
            try (Stream<Path> cache = Files.list(merged.resolve("var/cache"))) {
                assertThat(cache.map(p -> p.getFileName().toString())).containsExactly("new");
            }
            assertThat(Files.readString(merged.resolve("usr/bin/tool"))).isEqualTo("t");
            Files.writeString(merged.resolve("etc/written"), "w");
            assertThat(Files.readString(m.upperDir().resolve("etc/written"))).isEqualTo("w");
        } finally {
            sys.umount(merged, 0);
        }
        s.remove("merged");
    }

    private static boolean isRoot() throws IOException {
        return Files.readAllLines(Path.of("/proc/self/status")).stream()
                .anyMatch(l -> l.startsWith("Uid:") && l.split("\\s+")[2].equals("0"));
    }

    private static byte[] tar(String... namesAndContents) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
            for (int i = 0; i < namesAndContents.length; i += 2) {
                byte[] content = namesAndContents[i + 1].getBytes(StandardCharsets.UTF_8);
                TarArchiveEntry e = new TarArchiveEntry(namesAndContents[i]);
                e.setSize(content.length);
                tar.putArchiveEntry(e);
                tar.write(content);
                tar.closeArchiveEntry();
            }
        }
        return bytes.toByteArray();
    }
}
