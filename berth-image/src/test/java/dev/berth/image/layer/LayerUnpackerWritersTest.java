package dev.berth.image.layer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.oci.BerthException;
import dev.berth.oci.image.Digest;
import dev.berth.runtime.sys.Errno;
import dev.berth.runtime.sys.LinuxSyscalls;
import dev.berth.runtime.sys.Syscalls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Small files are created on writer threads (PendingWrites): order and errors as if written in turn. */
class LayerUnpackerWritersTest {
    @TempDir
    Path tmp;

    @Test
    void manyFilesArriveWithExactSizeAndDiffId() throws IOException {
        TestTar t = new TestTar();
        long bytes = 0;
        for (int i = 0; i < 600; i++) {
            byte[] content = HostileLayerTest.randomBytes(i * 37);
            t.file("d" + i % 7 + "/f" + i, content, 0640, i % 3, i % 5);
            bytes += content.length;
        }
        byte[] big = HostileLayerTest.randomBytes((1 << 20) + 1); // written by the reader itself
        t.file("d0/big", big, 0644, 0, 0);
        byte[] tar = t.bytes();
        UnpackResult r = new LayerUnpacker().unpack(new ByteArrayInputStream(tar), tmp.resolve("t"));
        assertThat(r.diffId()).isEqualTo(Digest.sha256(tar));
        assertThat(r.size()).isEqualTo(bytes + big.length);
        assertThat(Files.readAllBytes(tmp.resolve("t/d0/big"))).isEqualTo(big);
        assertThat(Files.readAllBytes(tmp.resolve("t/d3/f500"))).isEqualTo(HostileLayerTest.randomBytes(500 * 37));
        assertThat(LayerUnpackerTest.mode(tmp.resolve("t/d3/f500"))).isEqualTo(0640);
        try (Stream<Path> s = Files.walk(tmp.resolve("t"))) {
            assertThat(s.filter(Files::isRegularFile).count()).isEqualTo(601);
        }
    }

    @Test
    void laterEntriesWaitForPendingWritesOfTheirPath() throws IOException {
        TestTar t = new TestTar();
        for (int round = 0; round < 20; round++) {
            t.file("p/f" + round, "first " + round).file("q/x" + round, "x");
            t.symlink("p/f" + round, "elsewhere"); // replaces a file maybe still being written
            t.file("s" + round, "old").file("s" + round, "new " + round); // same path twice
            t.file("h" + round, "linked " + round).hardlink("h" + round + ".link", "h" + round);
            t.file("n" + round, "file").dir("n" + round, 0755).file("n" + round + "/in", "inside");
        }
        t.file("q", "q is a file now"); // replaces a directory whose files may be pending
        new LayerUnpacker().unpack(new ByteArrayInputStream(t.bytes()), tmp.resolve("t"));
        Path root = tmp.resolve("t");
        for (int round = 0; round < 20; round++) {
            assertThat(Files.readSymbolicLink(root.resolve("p/f" + round)).toString()).isEqualTo("elsewhere");
            assertThat(Files.readString(root.resolve("s" + round))).isEqualTo("new " + round);
            assertThat(Files.readString(root.resolve("h" + round + ".link"))).isEqualTo("linked " + round);
            assertThat(Files.getAttribute(root.resolve("h" + round + ".link"), "unix:nlink")).isEqualTo(2);
            assertThat(Files.readString(root.resolve("n" + round + "/in"))).isEqualTo("inside");
        }
        assertThat(Files.readString(root.resolve("q"))).isEqualTo("q is a file now");
    }

    @Test
    void aFileUsedAsAParentIsRefusedEvenWhileBeingWritten() {
        byte[] tar = new TestTar().file("a", "file").file("a/b", "under a file").bytes();
        assertThatThrownBy(() -> new LayerUnpacker().unpack(new ByteArrayInputStream(tar), tmp.resolve("t")))
                .isInstanceOf(BerthException.class)
                .hasMessageContaining("needs \"a\" to be a directory, but it is a file")
                .extracting(e -> ((BerthException) e).kind()).isEqualTo(BerthException.Kind.INVALID_ARGUMENT);
    }

    @Test
    void aWriterFailureFailsTheUnpackNamingTheEntry() {
        Syscalls real = new LinuxSyscalls();
        Syscalls failing = (Syscalls) Proxy.newProxyInstance(Syscalls.class.getClassLoader(),
                new Class<?>[] {Syscalls.class}, (proxy, method, args) -> {
                    if (method.getName().equals("lutimens") && ((Path) args[0]).endsWith("bad")) {
                        throw new Errno("utimensat " + args[0], Errno.EPERM);
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        TestTar t = new TestTar();
        for (int i = 0; i < 200; i++) {
            t.file("d/f" + i, "x");
        }
        byte[] tar = t.file("d/bad", "y").file("d/after", "z").bytes();
        Path target = tmp.resolve("t");
        assertThatThrownBy(() -> new LayerUnpacker(failing).unpack(new ByteArrayInputStream(tar), target))
                .isInstanceOf(BerthException.class)
                .hasMessageContaining("unpacking layer entry \"d/bad\"")
                .extracting(e -> ((BerthException) e).kind()).isEqualTo(BerthException.Kind.INTERNAL);
        // nothing is still writing once unpack returned: the partial layer can be removed at once
        assertThat(Files.exists(target.resolve("d/f0"), LinkOption.NOFOLLOW_LINKS)).isTrue();
    }
}
