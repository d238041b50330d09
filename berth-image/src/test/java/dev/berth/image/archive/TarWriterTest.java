package dev.berth.image.archive;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FileOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TarWriterTest {
    @TempDir
    Path tmp;

    @Test
    void entriesReadBackWithAnotherTarReader() throws Exception {
        Path blob = tmp.resolve("blob");
        byte[] big = new byte[700_001];
        new java.util.Random(1).nextBytes(big);
        Files.write(blob, big);
        String longName = "blobs/sha256/" + "a".repeat(120);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarWriter tar = new TarWriter(bytes, 0)) {
            tar.directory("blobs");
            tar.file("manifest.json", "[]".getBytes(StandardCharsets.UTF_8));
            tar.file(longName, blob, big.length);
            tar.file("s", new ByteArrayInputStream(new byte[] {1, 2, 3}), 3);
        }
        assertThat(bytes.size() % 512).isZero();
        List<String> names = new ArrayList<>();
        try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            TarArchiveEntry e;
            while ((e = in.getNextEntry()) != null) {
                names.add(e.getName());
                if (e.getName().equals(longName)) {
                    assertThat(in.readAllBytes()).isEqualTo(big);
                }
                if (e.getName().equals("manifest.json")) {
                    assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("[]");
                    assertThat(e.getModTime().getTime()).isZero();
                }
            }
        }
        assertThat(names).containsExactly("blobs/", "manifest.json", longName, "s");
    }

    @Test
    void zeroCopyIntoAFileMakesTheSameBytes() throws Exception {
        Path blob = tmp.resolve("blob");
        Files.write(blob, new byte[1234]);
        ByteArrayOutputStream viaHeap = new ByteArrayOutputStream();
        try (TarWriter tar = new TarWriter(viaHeap, 0)) {
            tar.file("a", "x".getBytes(StandardCharsets.UTF_8));
            tar.file("b", blob, 1234);
        }
        Path out = tmp.resolve("out.tar");
        try (FileOutputStream file = new FileOutputStream(out.toFile()); TarWriter tar = new TarWriter(file, 0)) {
            tar.file("a", "x".getBytes(StandardCharsets.UTF_8));
            tar.file("b", blob, 1234);
        }
        assertThat(Files.readAllBytes(out)).isEqualTo(viaHeap.toByteArray());
        // GNU tar agrees the archive is well formed
        Process p = new ProcessBuilder("tar", "-tvf", out.toString()).redirectErrorStream(true).start();
        String listing = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(listing).isZero();
        assertThat(listing).contains(" a\n").contains(" b\n");
    }
}
