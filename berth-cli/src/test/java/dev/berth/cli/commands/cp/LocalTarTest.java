package dev.berth.cli.commands.cp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalTarTest {
    @TempDir
    Path dir;

    private Path tree() throws IOException {
        Path src = Files.createDirectories(dir.resolve("src/sub"));
        Files.writeString(src.getParent().resolve("a.txt"), "hello\n");
        Files.setPosixFilePermissions(src.getParent().resolve("a.txt"), PosixFilePermissions.fromString("rwxr-x---"));
        Files.writeString(src.resolve("b"), "x\n");
        Files.createSymbolicLink(src.getParent().resolve("link"), Path.of("a.txt"));
        Files.createLink(src.getParent().resolve("hard"), src.getParent().resolve("a.txt"));
        return src.getParent();
    }

    private static byte[] tar(Path dir, String base, String rebase) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        LocalTar.write(dir, base, rebase, out);
        return out.toByteArray();
    }

    private static List<String> names(byte[] tar) throws IOException {
        List<String> names = new ArrayList<>();
        try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(tar))) {
            TarArchiveEntry e;
            while ((e = in.getNextEntry()) != null) {
                names.add(e.getName() + (e.isSymbolicLink() ? " -> " + e.getLinkName() : e.isLink() ? " => " + e.getLinkName() : ""));
            }
        }
        return names;
    }

    @Test
    void entriesAreNamedFromTheBaseInLexicalOrderWithLinks() throws IOException {
        tree();
        assertThat(names(tar(dir, "src", ""))).containsExactly("src/", "src/a.txt", "src/hard => src/a.txt",
                "src/link -> a.txt", "src/sub/", "src/sub/b");
        assertThat(names(tar(dir, "src", "renamed"))).startsWith("renamed/", "renamed/a.txt");
        assertThat(names(tar(dir.resolve("src"), ".", ""))).startsWith("./", "./a.txt");
    }

    @Test
    void aRoundTripKeepsContentModesAndLinks() throws IOException {
        tree();
        Path dest = Files.createDirectories(dir.resolve("dest"));
        LocalUntar.extract(new ByteArrayInputStream(tar(dir, "src", "")), dest, n -> CopyPaths.rebase(n, "src", "copy"));
        Path copy = dest.resolve("copy");
        assertThat(Files.readString(copy.resolve("a.txt"))).isEqualTo("hello\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(copy.resolve("a.txt")))).isEqualTo("rwxr-x---");
        assertThat(Files.readSymbolicLink(copy.resolve("link"))).isEqualTo(Path.of("a.txt"));
        assertThat(Files.isSameFile(copy.resolve("hard"), copy.resolve("a.txt"))).isTrue();
        assertThat(Files.readString(copy.resolve("sub/b"))).isEqualTo("x\n");
        // directories keep the archive's time although their files were written after them (to the second: tar's unit)
        assertThat(Files.getLastModifiedTime(copy.resolve("sub")).toInstant().getEpochSecond())
                .isEqualTo(Files.getLastModifiedTime(dir.resolve("src/sub")).toInstant().getEpochSecond());
    }

    @Test
    void nothingLandsOutsideTheDestination() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
            TarArchiveEntry evil = new TarArchiveEntry("../../escaped");
            byte[] body = "x".getBytes(StandardCharsets.UTF_8);
            evil.setSize(body.length);
            tar.putArchiveEntry(evil);
            tar.write(body);
            tar.closeArchiveEntry();
        }
        Path dest = Files.createDirectories(dir.resolve("dest"));
        assertThatThrownBy(() -> LocalUntar.extract(new ByteArrayInputStream(out.toByteArray()), dest, n -> n))
                .hasMessageContaining("is outside of");
        assertThat(dir.resolve("escaped")).doesNotExist();
    }

    @Test
    void aDirectoryIsNeverReplacedByAFileNorAFileByADirectory() throws IOException {
        tree();
        Path dest = Files.createDirectories(dir.resolve("dest"));
        Files.createDirectories(dest.resolve("a.txt"));
        byte[] file = tar(dir.resolve("src"), "a.txt", "");
        assertThatThrownBy(() -> LocalUntar.extract(new ByteArrayInputStream(file), dest, n -> n))
                .hasMessageStartingWith("cannot overwrite directory");
        Files.writeString(dest.resolve("sub"), "a file");
        byte[] directory = tar(dir.resolve("src"), "sub", "");
        assertThatThrownBy(() -> LocalUntar.extract(new ByteArrayInputStream(directory), dest, n -> n))
                .hasMessageStartingWith("cannot overwrite non-directory");
    }
}
