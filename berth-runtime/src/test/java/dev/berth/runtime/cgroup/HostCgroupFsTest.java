package dev.berth.runtime.cgroup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The host seam on plain files: idempotent mkdir/rmdir and errors that name the file. */
class HostCgroupFsTest {
    @TempDir
    Path tmp;

    private final CgroupFs fs = CgroupFs.host();

    @Test
    void mkdirAndRmdirSayWhetherTheyDidAnything() {
        Path dir = tmp.resolve("c1");
        assertThat(fs.mkdir(dir)).isTrue();
        assertThat(fs.mkdir(dir)).isFalse();
        assertThat(fs.childDirs(tmp)).containsExactly(dir);
        assertThat(fs.rmdir(dir)).isTrue();
        assertThat(fs.rmdir(dir)).isFalse();
        assertThat(fs.childDirs(dir)).isEmpty();
    }

    @Test
    void anInodeNamesOneDirectoryAndNothingOnceItIsGone() {
        Path dir = tmp.resolve("c1");
        fs.mkdir(dir);
        assertThat(fs.inode(dir)).isPresent().isEqualTo(fs.inode(dir));
        assertThat(fs.inode(dir)).isNotEqualTo(fs.inode(tmp));
        fs.rmdir(dir);
        assertThat(fs.inode(dir)).isEmpty();
    }

    @Test
    void writesReplaceTheContent() throws Exception {
        Path file = tmp.resolve("pids.max");
        Files.writeString(file, "max\n");
        fs.write(file, "20");
        assertThat(fs.read(file)).isEqualTo("20");
    }

    @Test
    void errorsNameTheFileAndTheReason() throws Exception {
        Path missing = tmp.resolve("memory.max");
        assertThatThrownBy(() -> fs.write(missing, "1"))
                .hasMessage("cannot write \"1\" to " + missing + ": no such file or directory");
        Files.createDirectories(tmp.resolve("busy/child"));
        assertThatThrownBy(() -> fs.rmdir(tmp.resolve("busy")))
                .hasMessage("cannot remove cgroup " + tmp.resolve("busy") + ": directory not empty");
        assertThatThrownBy(() -> fs.read(missing)).hasMessageStartingWith("cannot read " + missing);
    }
}
