package dev.berth.image.layer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.oci.BerthException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tarballs built to escape the layer root or break the reader. Each must fail with
 * INVALID_ARGUMENT naming the entry, and nothing may appear outside the target: the test
 * lays a sentinel directory next to it and checks it is untouched afterwards.
 */
class HostileLayerTest {
    @TempDir
    Path tmp;
    Path sentinel;
    Path target;

    @BeforeEach
    void layout() throws IOException {
        sentinel = Files.createDirectories(tmp.resolve("sentinel"));
        Files.writeString(sentinel.resolve("secret"), "keep out");
        target = tmp.resolve("a/b/layer"); // "../.." from the target still lands inside tmp
    }

    @Test
    void dotDotAtTheStartIsRefused() {
        assertEscapes(new TestTar().file("../x", "evil").bytes(), "\"../x\" escapes the layer root");
    }

    @Test
    void dotDotInTheMiddleIsRefused() {
        assertEscapes(new TestTar().file("a/../../x", "evil").bytes(), "\"a/../../x\" escapes the layer root");
    }

    @Test
    void dotDotThatStaysInsideIsRefusedToo() {
        assertEscapes(new TestTar().file("a/../x", "meh").bytes(), "\"a/../x\" escapes the layer root");
    }

    @Test
    void absoluteSymlinkParentIsNotFollowed() {
        byte[] tar = new TestTar().symlink("l", sentinel.toString()).file("l/passwd", "root::0:0::/:/bin/sh").bytes();
        assertEscapes(tar, "\"l/passwd\" escapes the layer root through symlink \"l\"");
    }

    @Test
    void etcSymlinkParentIsNotFollowed() {
        byte[] tar = new TestTar().symlink("l", "/etc").file("l/passwd", "root::0:0::/:/bin/sh").bytes();
        assertEscapes(tar, "\"l/passwd\" escapes the layer root through symlink \"l\"");
    }

    @Test
    void relativeSymlinkParentIsNotFollowed() {
        byte[] tar = new TestTar().symlink("l", "../..").file("l/x", "evil").bytes();
        assertEscapes(tar, "\"l/x\" escapes the layer root through symlink \"l\"");
    }

    @Test
    void symlinkDeeperInThePathIsNotFollowed() {
        byte[] tar = new TestTar().dir("d", 0755).symlink("d/l", "../../../..").dir("d/l/sub", 0755)
                .file("d/l/sub/x", "evil").bytes();
        assertEscapes(tar, "\"d/l/sub/\" escapes the layer root through symlink \"d/l\"");
    }

    @Test
    void directoryEntryThroughSymlinkIsRefused() {
        byte[] tar = new TestTar().symlink("l", sentinel.toString()).dir("l/newdir", 0755).bytes();
        assertEscapes(tar, "\"l/newdir/\" escapes the layer root through symlink \"l\"");
    }

    @Test
    void hardlinkOutsideIsRefused() {
        byte[] tar = new TestTar().hardlink("h", "../../etc/passwd").bytes();
        assertEscapes(tar, "\"h\" escapes the layer root: it links to \"../../etc/passwd\"");
    }

    @Test
    void hardlinkThroughSymlinkIsRefused() {
        byte[] tar = new TestTar().symlink("l", sentinel.toString()).hardlink("h", "l/secret").bytes();
        assertEscapes(tar, "\"h\" escapes the layer root: it links to \"l/secret\" through symlink \"l\"");
    }

    @Test
    void hardlinkToSomethingNotInTheLayerIsRefused() {
        byte[] tar = new TestTar().hardlink("h", "etc/passwd").bytes();
        assertEscapes(tar, "\"h\" links to \"etc/passwd\", which is not in the layer");
    }

    @Test
    void hardlinkToAbsoluteHostPathStaysInside() {
        // "/etc/passwd" means etc/passwd inside the layer, which this layer does not have
        byte[] tar = new TestTar().hardlink("h", "/etc/passwd").bytes();
        assertEscapes(tar, "\"h\" links to \"/etc/passwd\", which is not in the layer");
    }

    @Test
    void hardlinkToAnOutsideSymlinkLinksTheSymlinkItself() throws IOException {
        byte[] tar = new TestTar().symlink("l", sentinel.resolve("secret").toString()).hardlink("h", "l").bytes();
        new LayerUnpacker().unpack(new ByteArrayInputStream(tar), target);
        assertThat(Files.isSymbolicLink(target.resolve("h"))).isTrue();
        assertSentinelUntouched();
    }

    @Test
    void whiteoutOfDotDotIsRefused() {
        assertEscapes(new TestTar().file("d/.wh...", "").bytes(), "\"d/.wh...\" is a whiteout of nothing");
    }

    @Test
    void fileOverAnExistingSymlinkReplacesTheSymlink() throws IOException {
        byte[] tar = new TestTar().symlink("x", sentinel.resolve("secret").toString()).file("x", "mine").bytes();
        new LayerUnpacker().unpack(new ByteArrayInputStream(tar), target);
        assertThat(Files.isSymbolicLink(target.resolve("x"))).isFalse();
        assertThat(Files.readString(target.resolve("x"))).isEqualTo("mine");
        assertSentinelUntouched();
    }

    @Test
    void fileOverAHardlinkDoesNotWriteThroughToTheOriginal() throws IOException {
        byte[] tar = new TestTar().file("orig", "original").hardlink("h", "orig").file("h", "replaced").bytes();
        new LayerUnpacker().unpack(new ByteArrayInputStream(tar), target);
        assertThat(Files.readString(target.resolve("orig"))).isEqualTo("original");
        assertThat(Files.readString(target.resolve("h"))).isEqualTo("replaced");
    }

    @Test
    void afterAFailureTheSourceIsNoLongerRead() throws Exception {
        byte[] bad = new TestTar().file("../x", "evil").file("pad", randomBytes(3_000_000), 0644, 0, 0).bytes();
        java.util.concurrent.atomic.AtomicLong reads = new java.util.concurrent.atomic.AtomicLong();
        java.io.InputStream source = new java.io.FilterInputStream(new ByteArrayInputStream(bad)) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                reads.incrementAndGet();
                return super.read(b, off, Math.min(len, 4096));
            }
        };
        assertThatThrownBy(() -> new LayerUnpacker().unpack(source, target)).hasMessageContaining("escapes");
        long after = reads.get();
        Thread.sleep(200);
        assertThat(reads.get()).isEqualTo(after);
    }

    @Test
    void absoluteNamesLandInsideTheTarget() throws IOException {
        byte[] tar = new TestTar().file("/etc/hostname", "inside").file("//x/./y", "also").bytes();
        new LayerUnpacker().unpack(new ByteArrayInputStream(tar), target);
        assertThat(Files.readString(target.resolve("etc/hostname"))).isEqualTo("inside");
        assertThat(Files.readString(target.resolve("x/y"))).isEqualTo("also");
        assertSentinelUntouched();
    }

    @Test
    void truncatedTarIsInvalid() {
        byte[] tar = new TestTar().file("big", "x".repeat(100_000)).bytes();
        byte[] cut = Arrays.copyOf(tar, 50_000);
        assertInvalid(cut, "invalid layer tar");
    }

    @Test
    void gzipStreamCutShortIsInvalid() throws IOException {
        byte[] tar = new TestTar().file("big", randomBytes(200_000), 0644, 0, 0).bytes();
        byte[] gz = gzip(tar);
        assertInvalid(Arrays.copyOf(gz, gz.length - 20), "invalid layer tar");
        target = tmp.resolve("a/b/layer2");
        assertInvalid(Arrays.copyOf(gz, gz.length / 2), "invalid layer tar");
    }

    @Test
    void garbageIsInvalid() {
        assertInvalid(randomBytes(4096), "invalid layer tar");
        assertInvalid("this is not a tar, this is a sentence that goes on".repeat(20)
                .getBytes(StandardCharsets.US_ASCII), "invalid layer tar");
    }

    @Test
    void hugePaxHeaderIsRefusedBeforeItIsHeldInMemory() {
        byte[] big = new byte[3 << 20];
        Arrays.fill(big, (byte) 'a');
        byte[] tar = new TestTar().rawPax(java.util.Map.of("comment", big)).file("x", "y").bytes();
        assertInvalid(tar, "invalid layer tar: the headers of one entry exceed 1 MiB");
    }

    @Test
    void hugePaxPathIsRefused() {
        byte[] path = ("d/".repeat(700_000) + "x").getBytes(StandardCharsets.US_ASCII);
        byte[] tar = new TestTar().rawPax(java.util.Map.of("path", path)).file("x", "y").bytes();
        assertInvalid(tar, "exceed 1 MiB");
    }

    @Test
    void unsupportedEntryTypeIsRefused() {
        byte[] tar = new TestTar().device("weird", (byte) 'Z', 0, 0, 0644).bytes();
        assertInvalid(tar, "\"weird\" has unsupported type 'Z'");
    }

    private void assertEscapes(byte[] tar, String message) {
        assertInvalid(tar, message);
    }

    private void assertInvalid(byte[] tar, String message) {
        assertThatThrownBy(() -> new LayerUnpacker().unpack(new ByteArrayInputStream(tar), target))
                .isInstanceOf(BerthException.class)
                .hasMessageContaining(message)
                .extracting(e -> ((BerthException) e).kind()).isEqualTo(BerthException.Kind.INVALID_ARGUMENT);
        assertSentinelUntouched();
    }

    private void assertSentinelUntouched() {
        try {
            try (Stream<Path> s = Files.list(sentinel)) {
                assertThat(s.map(p -> p.getFileName().toString()).toList()).containsExactly("secret");
            }
            assertThat(Files.readString(sentinel.resolve("secret"))).isEqualTo("keep out");
            // outside the target, only the directories leading to it and the sentinel exist
            try (Stream<Path> s = Files.walk(tmp)) {
                List<String> outside = s.filter(p -> !p.startsWith(tmp.resolve("a/b/layer")) && !p.startsWith(tmp.resolve("a/b/layer2"))).map(p -> tmp.relativize(p).toString())
                        .sorted().toList();
                assertThat(outside).containsExactly("", "a", "a/b", "sentinel", "sentinel/secret");
            }
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        new Random(42).nextBytes(b);
        return b;
    }

    static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        }
        return out.toByteArray();
    }
}
