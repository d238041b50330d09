package dev.berth.image.layer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.berth.oci.image.Digest;
import dev.berth.runtime.sys.LinuxSyscalls;
import dev.berth.runtime.sys.Syscalls;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LayerPackerTest {
    private static final FileTime T = FileTime.from(Instant.parse("2023-03-04T05:06:07Z"));
    private final Syscalls sys = new LinuxSyscalls();

    @TempDir
    Path tmp;

    @Test
    void packIsDeterministicSortedAndItsDiffIdIsTheSha256OfTheBytes() throws IOException {
        Path src = Files.createDirectories(tmp.resolve("src"));
        Files.writeString(src.resolve("b"), "bee");
        Files.createDirectories(src.resolve("a/z"));
        Files.writeString(src.resolve("a/z/f"), "eff");
        Files.writeString(src.resolve("a/c"), "see");
        byte[] first = pack(src);
        byte[] second = pack(src);
        assertThat(first).isEqualTo(second);
        assertThat(new LayerPacker().pack(src, new ByteArrayOutputStream())).isEqualTo(Digest.sha256(first));
        assertThat(names(first)).containsExactly("a/", "a/c", "a/z/", "a/z/f", "b");
    }

    @Test
    void gnuTarReadsWhatWeWrite() throws Exception {
        Path src = Files.createDirectories(tmp.resolve("src"));
        String longName = "n".repeat(130) + "/" + "é".repeat(40);
        Files.createDirectories(src.resolve(longName).getParent());
        Files.writeString(src.resolve(longName), "long");
        Files.writeString(src.resolve("short"), "s");
        Path tarFile = tmp.resolve("l.tar");
        Files.write(tarFile, pack(src));
        Path out = Files.createDirectories(tmp.resolve("gnu"));
        Process p = new ProcessBuilder("tar", "-xf", tarFile.toString(), "-C", out.toString())
                .redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(log).isZero();
        assertThat(Files.readString(out.resolve(longName))).isEqualTo("long");
    }

    @Test
    void roundTripKeepsEverything() throws IOException {
        assumeTrue(ProcessCreds.isRoot(), "needs root: owners, devices, whiteouts, security.* xattrs");
        Path src = Files.createDirectories(tmp.resolve("src"));
        Path bin = Files.createDirectories(src.resolve("usr/bin"));
        Files.writeString(bin.resolve("busybox"), "BB");
        Files.createLink(bin.resolve("sh"), bin.resolve("busybox"));
        Files.writeString(bin.resolve("su"), "su");
        sys.chmod(bin.resolve("su"), 04755);
        Files.writeString(bin.resolve("ping"), "ping");
        byte[] cap = {1, 0, 0, 2, (byte) 0x80, 0x20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
        sys.lsetxattr(bin.resolve("ping"), "security.capability", cap);
        Path home = Files.createDirectories(src.resolve("home/user"));
        Files.writeString(home.resolve(".profile"), "export X=1\n");
        sys.lchown(home.resolve(".profile"), 1000, 1000);
        sys.lchown(home, 1000, 1000);
        Path tmpDir = Files.createDirectories(src.resolve("tmp"));
        sys.chmod(tmpDir, 01777);
        sys.symlink("usr/bin", src.resolve("bin"));
        sys.lchown(src.resolve("bin"), 7, 8);
        Path dev = Files.createDirectories(src.resolve("dev"));
        sys.mknod(dev.resolve("null"), Syscalls.S_IFCHR | 0666, Syscalls.makedev(1, 3));
        sys.chmod(dev.resolve("null"), 0666);
        sys.mknod(dev.resolve("fifo"), Syscalls.S_IFIFO | 0600, 0);
        sys.mknod(src.resolve("gone"), Syscalls.S_IFCHR, 0); // whiteout
        Path opaque = Files.createDirectories(src.resolve("var/cache"));
        sys.lsetxattr(opaque, "trusted.overlay.opaque", new byte[] {'y'});
        Files.writeString(opaque.resolve("kept"), "k");
        String longName = "x".repeat(150);
        Files.writeString(src.resolve(longName), "long");
        touchAll(src);

        byte[] tar = pack(src);
        assertThat(names(tar)).contains(".wh.gone", "var/cache/.wh..wh..opq").doesNotContain("gone");
        Path back = tmp.resolve("back");
        UnpackResult r = new LayerUnpacker().unpack(new ByteArrayInputStream(tar), back);
        assertThat(r.diffId()).isEqualTo(Digest.sha256(tar));
        assertThat(describe(back)).isEqualTo(describe(src));
        assertThat(pack(back)).isEqualTo(tar);
    }

    private byte[] pack(Path dir) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new LayerPacker().pack(dir, out);
        return out.toByteArray();
    }

    private static List<String> names(byte[] tar) throws IOException {
        List<String> names = new ArrayList<>();
        try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(tar))) {
            TarArchiveEntry e;
            while ((e = in.getNextEntry()) != null) {
                names.add(e.getName());
            }
        }
        return names;
    }

    private static void touchAll(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                new LinuxSyscalls().lutimens(p, T.toInstant().getEpochSecond(), 0, T.toInstant().getEpochSecond(), 0);
            }
        }
    }

    /** Everything a layer keeps about a tree, as comparable text. */
    private Map<String, String> describe(Path root) throws IOException {
        Map<String, String> out = new TreeMap<>();
        Map<String, String> inodes = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.filter(p -> !p.equals(root)).sorted().toList()) {
                Map<String, Object> a = Files.readAttributes(p, "unix:mode,uid,gid,rdev,ino,nlink,lastModifiedTime",
                        LinkOption.NOFOLLOW_LINKS);
                String rel = root.relativize(p).toString();
                StringBuilder d = new StringBuilder();
                d.append(Integer.toOctalString((int) a.get("mode"))).append(' ').append(a.get("uid")).append(':')
                        .append(a.get("gid")).append(" rdev=").append(a.get("rdev")).append(' ')
                        .append(a.get("lastModifiedTime"));
                if (Files.isSymbolicLink(p)) {
                    d.append(" -> ").append(Files.readSymbolicLink(p));
                } else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    d.append(" content=").append(Files.readString(p));
                    if ((int) a.get("nlink") > 1) {
                        String first = inodes.putIfAbsent(a.get("ino").toString(), rel);
                        d.append(" link=").append(first == null ? rel : first);
                    }
                }
                for (String x : sys.llistxattr(p).stream().sorted().toList()) {
                    d.append(' ').append(x).append('=').append(java.util.HexFormat.of().formatHex(sys.lgetxattr(p, x)));
                }
                out.put(rel, d.toString());
            }
        }
        return out;
    }
}
