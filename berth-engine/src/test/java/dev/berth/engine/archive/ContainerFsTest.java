package dev.berth.engine.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.oci.BerthException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Scoped resolution with host-added mounts, names cleaned for extraction, Go's FileMode bits. */
class ContainerFsTest {
    @TempDir
    Path tmp;

    @Test
    void symlinksResolveInsideTheRootAndThroughMounts() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("root"));
        Path vol = Files.createDirectories(tmp.resolve("vol"));
        Files.createDirectories(root.resolve("etc"));
        Files.writeString(root.resolve("etc/passwd"), "root:x:0:0::/root:/bin/sh\n");
        Files.createSymbolicLink(root.resolve("up"), Path.of("../../../.."));
        Files.createSymbolicLink(root.resolve("abs"), Path.of("/etc"));
        Files.createSymbolicLink(root.resolve("tovol"), Path.of("/data/sub"));
        Files.createDirectories(vol.resolve("sub"));
        Files.createSymbolicLink(vol.resolve("back"), Path.of("/etc/passwd"));
        ContainerFs fs = new ContainerFs(root, List.of(new ContainerFs.Mount("/data", vol, false)));

        // ".." and absolute links stop at the container's root, never the host's
        assertThat(fs.resolve("/up/etc/passwd", true).host()).isEqualTo(root.resolve("etc/passwd"));
        assertThat(fs.resolve("/abs/passwd", true)).isEqualTo(new ContainerFs.Resolved("/etc/passwd", root.resolve("etc/passwd")));
        // a mount is entered by its container path, and its own links resolve in the container
        assertThat(fs.resolve("/tovol", true).host()).isEqualTo(vol.resolve("sub"));
        assertThat(fs.resolve("/data/back", true).path()).isEqualTo("/etc/passwd");
        // the last component is left as it is unless asked
        assertThat(fs.resolve("/abs", false)).isEqualTo(new ContainerFs.Resolved("/abs", root.resolve("abs")));
        assertThat(fs.resolve("/abs/.", true).path()).isEqualTo("/etc");
        assertThat(fs.mountOf("/data/x/y")).map(ContainerFs.Mount::source).contains(vol);
        assertThat(fs.isMountPoint("/data")).isTrue();

        Files.createSymbolicLink(root.resolve("loop"), Path.of("/loop"));
        assertThatThrownBy(() -> fs.resolve("/loop/x", true)).hasMessageContaining("too many levels of symbolic links");
    }

    @Test
    void mkdirsCreatesInScopeAndRefusesAFileOnTheWay() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("root"));
        Files.createSymbolicLink(root.resolve("out"), Path.of("/"));
        Files.writeString(root.resolve("file"), "x");
        ContainerFs fs = new ContainerFs(root, List.of());
        assertThat(fs.mkdirs("/out/a/b").host()).isEqualTo(root.resolve("a/b"));
        assertThat(root.resolve("a/b")).isDirectory();
        assertThatThrownBy(() -> fs.mkdirs("/file/x")).isInstanceOf(BerthException.class)
                .hasMessageContaining("/file is not a directory");
    }

    @Test
    void entryNamesThatClimbOutAreRefusedInDockersWords() {
        assertThat(ArchiveExtractor.inside("/abs/x", "/dest")).isEqualTo("abs/x");
        assertThat(ArchiveExtractor.inside("./a/../b/", "/dest")).isEqualTo("b");
        assertThat(ArchiveExtractor.inside(".", "/dest")).isEmpty();
        assertThatThrownBy(() -> ArchiveExtractor.inside("../x", "/dest"))
                .hasMessage("\"../x\" is outside of \"/dest\"");
        assertThatThrownBy(() -> ArchiveExtractor.inside("a/../../x", "/dest")).hasMessageContaining("is outside of");
        assertThatThrownBy(() -> ArchiveExtractor.inside("a\0b", "/dest")).hasMessageContaining("NUL");
        assertThat(ContainerFs.clean("a/./b/../c/")).isEqualTo("/a/c");
    }

    @Test
    void goFileModeBits() {
        assertThat(PathStat.goFileMode(0100644)).isEqualTo(0644);
        assertThat(PathStat.goFileMode(0040755)).isEqualTo(PathStat.MODE_DIR | 0755);
        assertThat(PathStat.goFileMode(0120777)).isEqualTo(PathStat.MODE_SYMLINK | 0777);
        assertThat(PathStat.goFileMode(0020666)).isEqualTo(PathStat.MODE_DEVICE | PathStat.MODE_CHAR_DEVICE | 0666);
        assertThat(PathStat.goFileMode(0041777)).isEqualTo(PathStat.MODE_DIR | PathStat.MODE_STICKY | 0777);
        assertThat(PathStat.goFileMode(0104755)).isEqualTo(PathStat.MODE_SETUID | 0755);
        // 2147484141 is what docker sends for a 0755 directory
        assertThat(PathStat.goFileMode(0040755)).isEqualTo(2147484141L);
    }
}
