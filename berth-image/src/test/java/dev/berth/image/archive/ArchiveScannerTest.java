package dev.berth.image.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.image.archive.ArchiveScanner.Scanned;
import dev.berth.image.archive.ArchiveScanner.StoredEntry;
import dev.berth.oci.BerthException;
import dev.berth.oci.image.Digest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;

class ArchiveScannerTest {
    /** Hashes large entries instead of storing them. */
    private final List<String> largeSeen = new ArrayList<>();
    private final ArchiveScanner.LargeEntrySink hashing = (path, data, size, promised, soFar) -> {
        largeSeen.add(path);
        byte[] all = data.readAllBytes();
        return new StoredEntry(Digest.sha256(all), all.length, null);
    };

    static byte[] fixture(String name) throws Exception {
        try (InputStream in = ArchiveScannerTest.class.getResourceAsStream("/archives/" + name)) {
            return in.readAllBytes();
        }
    }

    @Test
    void docker20SaveWithASymlinkedLayer() throws Exception {
        Scanned s = ArchiveScanner.scan(new ByteArrayInputStream(fixture("docker20-multi.tar")), hashing);
        List<ArchiveManifest> manifests = ArchiveManifest.parse(s.small("manifest.json").orElseThrow());
        assertThat(manifests).hasSize(2);
        assertThat(manifests.get(1).repoTags()).containsExactly("derived:latest", "derived:v2");
        // derived's first layer is a symlink to base's layer.tar, which comes later in the archive
        String linked = manifests.get(1).layers().getFirst();
        assertThat(s.resolve(linked)).isEqualTo(manifests.get(0).layers().getFirst());
        assertThat(s.large(linked).orElseThrow().blob())
                .isEqualTo(Digest.parse("sha256:8093dc9373d43f34da8152e8025416eef59ae08872dcd7694ade1111879e445b"));
        assertThat(largeSeen).hasSize(3).allMatch(p -> p.endsWith("/layer.tar"));
    }

    @Test
    void compressedArchivesAsDockerLoadAcceptsThem() throws Exception {
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(fixture("docker20-untagged.tar"));
        }
        Scanned s = ArchiveScanner.scan(new ByteArrayInputStream(gz.toByteArray()), hashing);
        assertThat(ArchiveManifest.parse(s.small("manifest.json").orElseThrow()).getFirst().repoTags()).isEmpty();
    }

    @Test
    void hostileNamesAreRefusedNamingTheEntry() throws Exception {
        assertBad(tar(file("../evil", "x")), "invalid archive: entry \"../evil\" points outside the archive");
        assertBad(tar(file("/etc/evil", "x")), "invalid archive: entry \"/etc/evil\" has an absolute path");
        assertBad(tar(symlink("a/layer.tar", "../../../etc/shadow")),
                "invalid archive: link \"a/layer.tar\" points outside the archive (../../../etc/shadow)");
    }

    @Test
    void notATarTruncatedOrEmpty() throws Exception {
        assertBad("this is not a tar archive, just some text that goes on".repeat(20).getBytes(StandardCharsets.UTF_8),
                "invalid archive: not a tar archive");
        assertBad(new byte[0], "invalid archive: empty, or not a tar archive");
        byte[] whole = fixture("docker20-multi.tar");
        assertBad(Arrays.copyOf(whole, 3000), "invalid archive: unexpected end of archive");
        assertBad(Arrays.copyOf(whole, 1000), "invalid archive: unexpected end of archive");
        assertBad(Arrays.copyOf(whole, whole.length - 5000), "invalid archive: unexpected end of archive");
    }

    @Test
    void symlinkLoopsEnd() throws Exception {
        Scanned s = ArchiveScanner.scan(new ByteArrayInputStream(tar(symlink("a", "b"), symlink("b", "a"))), hashing);
        assertThatThrownBy(() -> s.resolve("a")).isInstanceOf(BerthException.class).hasMessageContaining("too many levels of links");
    }

    private void assertBad(byte[] archive, String messageStart) {
        assertThatThrownBy(() -> ArchiveScanner.scan(new ByteArrayInputStream(archive), hashing))
                .isInstanceOf(BerthException.class).hasMessageStartingWith(messageStart)
                .extracting(e -> ((BerthException) e).kind()).isEqualTo(BerthException.Kind.INVALID_ARGUMENT);
    }

    record Item(TarArchiveEntry entry, byte[] content) {
    }

    static Item file(String name, String content) {
        TarArchiveEntry e = new TarArchiveEntry(name, true);
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        e.setSize(bytes.length);
        return new Item(e, bytes);
    }

    static Item symlink(String name, String target) {
        TarArchiveEntry e = new TarArchiveEntry(name, TarArchiveEntry.LF_SYMLINK, true);
        e.setLinkName(target);
        return new Item(e, new byte[0]);
    }

    /** A tar written without commons-compress's own name checks (preserveAbsolutePath), so hostile names stay as given. */
    static byte[] tar(Item... items) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream out = new TarArchiveOutputStream(bytes)) {
            out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (Item item : items) {
                out.putArchiveEntry(item.entry());
                out.write(item.content());
                out.closeArchiveEntry();
            }
        }
        return bytes.toByteArray();
    }
}
