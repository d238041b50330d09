package dev.berth.image.layer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.github.luben.zstd.ZstdOutputStream;
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
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LayerUnpackerTest {
    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;
    private final Syscalls sys = new LinuxSyscalls();

    @TempDir
    Path tmp;

    @Test
    void filesAndDirectoriesWithDiffIdOfTheUncompressedTar() throws IOException {
        byte[] tar = new TestTar().dir("etc", 0755).file("etc/hostname", "box\n").file("usr/bin/tool", "#!/bin/sh\n")
                .bytes();
        UnpackResult r = unpack(tar);
        assertThat(r.diffId()).isEqualTo(Digest.sha256(tar));
        assertThat(r.size()).isEqualTo(4 + 10);
        assertThat(Files.readString(tmp.resolve("t/etc/hostname"))).isEqualTo("box\n");
        assertThat(Files.readString(tmp.resolve("t/usr/bin/tool"))).isEqualTo("#!/bin/sh\n");
        assertThat(mode(tmp.resolve("t/usr"))).isEqualTo(0755); // implicit parent
    }

    @Test
    void diffIdIsTheSameForGzipZstdAndPlain() throws IOException {
        byte[] tar = new TestTar().file("a", HostileLayerTest.randomBytes(300_000), 0644, 0, 0).bytes();
        Digest plain = unpack(tar, "plain").diffId();
        Digest gz = unpack(HostileLayerTest.gzip(tar), "gz").diffId();
        ByteArrayOutputStream z = new ByteArrayOutputStream();
        try (ZstdOutputStream out = new ZstdOutputStream(z)) {
            out.write(tar);
        }
        Digest zst = unpack(z.toByteArray(), "zst").diffId();
        assertThat(plain).isEqualTo(Digest.sha256(tar)).isEqualTo(gz).isEqualTo(zst);
        assertThat(Files.readAllBytes(tmp.resolve("zst/a"))).isEqualTo(Files.readAllBytes(tmp.resolve("plain/a")));
    }

    @Test
    void diffIdEqualsSha256sumOfTheTarFile() throws Exception {
        byte[] tar = new TestTar().file("x", "y").bytes();
        Path file = tmp.resolve("layer.tar");
        Files.write(file, tar);
        Process p = new ProcessBuilder("sha256sum", file.toString()).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        assertThat(p.waitFor()).isZero();
        assertThat(unpack(tar).diffId().hex()).isEqualTo(out.substring(0, 64));
    }

    @Test
    void ownersModesAndTimes() throws IOException {
        assumeTrue(ProcessCreds.isRoot(), "needs root: chown to other users");
        Instant dirTime = Instant.parse("2020-05-06T07:08:09Z");
        byte[] tar = new TestTar()
                .dir("tmp", 01777, 0, 0, dirTime)
                .dir("srv", 02775, 33, 33, dirTime)
                .file("usr/bin/su", "su".getBytes(StandardCharsets.UTF_8), 04755, 0, 0)
                .file("home/u/f", "f".getBytes(StandardCharsets.UTF_8), 0600, 1000, 2000)
                .file("srv/inherits", "i".getBytes(StandardCharsets.UTF_8), 0640, 0, 0)
                .file("tmp/later", "content created after the dir entry")
                .bytes();
        unpack(tar);
        Path t = tmp.resolve("t");
        assertThat(mode(t.resolve("tmp"))).isEqualTo(01777);
        assertThat(mode(t.resolve("srv"))).isEqualTo(02775);
        assertThat(mode(t.resolve("usr/bin/su"))).isEqualTo(04755);
        assertThat(mode(t.resolve("home/u/f"))).isEqualTo(0600);
        assertThat(Files.getAttribute(t.resolve("home/u/f"), "unix:uid")).isEqualTo(1000);
        assertThat(Files.getAttribute(t.resolve("home/u/f"), "unix:gid")).isEqualTo(2000);
        assertThat(Files.getAttribute(t.resolve("srv"), "unix:gid")).isEqualTo(33);
        // the tar says 0:0; the setgid parent must not leak its group into the file
        assertThat(Files.getAttribute(t.resolve("srv/inherits"), "unix:gid")).isEqualTo(0);
        assertThat(Files.getLastModifiedTime(t.resolve("home/u/f"))).isEqualTo(FileTime.from(TestTar.MTIME));
        // directory times are set after their content was written
        assertThat(Files.getLastModifiedTime(t.resolve("tmp"))).isEqualTo(FileTime.from(dirTime));
    }

    @Test
    void symlinksKeepTargetOwnerAndTime() throws IOException {
        assumeTrue(ProcessCreds.isRoot(), "needs root: lchown");
        unpack(new TestTar().symlink("bin", "usr/bin//", 5, 6).symlink("abs", "/etc/passwd").bytes());
        Path link = tmp.resolve("t/bin");
        assertThat(Files.isSymbolicLink(link)).isTrue();
        assertThat(Files.readSymbolicLink(link).toString()).isEqualTo("usr/bin//"); // byte for byte
        assertThat(Files.getAttribute(link, "unix:uid", NOFOLLOW)).isEqualTo(5);
        assertThat(Files.getAttribute(link, "unix:gid", NOFOLLOW)).isEqualTo(6);
        assertThat(Files.getLastModifiedTime(link, NOFOLLOW)).isEqualTo(FileTime.from(TestTar.MTIME));
        assertThat(Files.readSymbolicLink(tmp.resolve("t/abs")).toString()).isEqualTo("/etc/passwd");
    }

    @Test
    void hardlinksShareTheInode() throws IOException {
        UnpackResult r = unpack(new TestTar().file("bin/busybox", "BB").hardlink("bin/sh", "bin/busybox")
                .hardlink("sbin/init", "./bin/busybox").bytes());
        Path t = tmp.resolve("t");
        Object ino = Files.getAttribute(t.resolve("bin/busybox"), "unix:ino");
        assertThat(Files.getAttribute(t.resolve("bin/sh"), "unix:ino")).isEqualTo(ino);
        assertThat(Files.getAttribute(t.resolve("sbin/init"), "unix:ino")).isEqualTo(ino);
        assertThat(r.size()).isEqualTo(2); // counted once
    }

    @Test
    void devicesAndFifos() throws IOException {
        assumeTrue(ProcessCreds.isRoot(), "needs root: mknod of devices");
        unpack(new TestTar().device("dev/null", TarConstants.LF_CHR, 1, 3, 0666)
                .device("dev/loop0", TarConstants.LF_BLK, 7, 0, 0660)
                .device("dev/big", TarConstants.LF_CHR, 300, 70000, 0600)
                .device("run/fifo", TarConstants.LF_FIFO, 0, 0, 0620).bytes());
        Path t = tmp.resolve("t");
        long rdev = (long) Files.getAttribute(t.resolve("dev/null"), "unix:rdev");
        assertThat(Syscalls.major(rdev)).isEqualTo(1);
        assertThat(Syscalls.minor(rdev)).isEqualTo(3);
        assertThat(mode(t.resolve("dev/null"))).isEqualTo(0666);
        long big = (long) Files.getAttribute(t.resolve("dev/big"), "unix:rdev");
        assertThat(Syscalls.major(big)).isEqualTo(300);
        assertThat(Syscalls.minor(big)).isEqualTo(70000);
        assertThat(typeBits(t.resolve("dev/loop0"))).isEqualTo(Syscalls.S_IFBLK);
        assertThat(typeBits(t.resolve("run/fifo"))).isEqualTo(Syscalls.S_IFIFO);
        assertThat(mode(t.resolve("run/fifo"))).isEqualTo(0620);
    }

    @Test
    void binaryXattrsSurviveAndOverlayXattrsFromTheTarAreDropped() throws IOException {
        assumeTrue(ProcessCreds.isRoot(), "needs root: security.* and trusted.* xattrs");
        // cap_setuid (7) and cap_net_bind_service (10): bytes >= 0x80 that are not UTF-8
        byte[] capability = {1, 0, 0, 2, (byte) 0x80, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
        Map<String, byte[]> pax = new LinkedHashMap<>();
        pax.put("SCHILY.xattr.security.capability", capability);
        pax.put("SCHILY.xattr.user.note", "héllo".getBytes(StandardCharsets.UTF_8));
        pax.put("SCHILY.xattr.trusted.overlay.redirect", "/elsewhere".getBytes(StandardCharsets.UTF_8));
        unpack(new TestTar().file("x", "before").rawPax(pax).file("usr/bin/ping", "ping").file("y", "after").bytes());
        Path ping = tmp.resolve("t/usr/bin/ping");
        assertThat(sys.lgetxattr(ping, "security.capability")).isEqualTo(capability);
        assertThat(sys.lgetxattr(ping, "user.note")).isEqualTo("héllo".getBytes(StandardCharsets.UTF_8));
        assertThat(sys.lgetxattr(ping, "trusted.overlay.redirect")).isNull();
        assertThat(sys.llistxattr(tmp.resolve("t/y"))).doesNotContain("security.capability");
    }

    /** GNU tar is a real producer of SCHILY.xattr records with binary values. */
    @Test
    void capabilitiesFromAGnuTarArchiveSurvive() throws Exception {
        assumeTrue(ProcessCreds.isRoot(), "needs root: setcap");
        assumeTrue(Files.isExecutable(Path.of("/usr/sbin/setcap")), "needs setcap (libcap2-bin)");
        Path src = Files.createDirectories(tmp.resolve("src/bin"));
        Files.writeString(src.resolve("ping"), "ping");
        run("/usr/sbin/setcap", "cap_setuid,cap_net_raw,cap_net_bind_service+ep", src.resolve("ping").toString());
        byte[] want = sys.lgetxattr(src.resolve("ping"), "security.capability");
        Path tarFile = tmp.resolve("gnu.tar");
        run("tar", "--xattrs", "--xattrs-include=*", "--format=posix", "-cf", tarFile.toString(), "-C",
                tmp.resolve("src").toString(), "bin");
        new LayerUnpacker().unpack(Files.newInputStream(tarFile), tmp.resolve("t"));
        assertThat(sys.lgetxattr(tmp.resolve("t/bin/ping"), "security.capability")).isEqualTo(want);
    }

    private static void run(String... argv) throws Exception {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(String.join(" ", argv) + ": " + out).isZero();
    }

    @Test
    void paxLongNamesAndLinks() throws IOException {
        String longDir = "d".repeat(120) + "/" + "e".repeat(120);
        String longName = longDir + "/" + "f".repeat(150);
        String longTarget = "../".repeat(2) + "t".repeat(200);
        unpack(new TestTar().file(longName, "long").symlink(longDir + "/l", longTarget)
                .hardlink("short", longName).bytes());
        Path t = tmp.resolve("t");
        assertThat(Files.readString(t.resolve(longName))).isEqualTo("long");
        assertThat(Files.readSymbolicLink(t.resolve(longDir + "/l")).toString()).isEqualTo(longTarget);
        assertThat(Files.readString(t.resolve("short"))).isEqualTo("long");
    }

    @Test
    void whiteoutsBecomeOverlayWhiteouts() throws IOException {
        assumeTrue(ProcessCreds.isRoot(), "needs root: mknod 0:0 and trusted.* xattrs");
        unpack(new TestTar().dir("etc", 0755).file("etc/.wh.motd", "").dir("var/cache", 0755)
                .file("var/cache/.wh..wh..opq", "").file("var/cache/kept", "k")
                .file("gone/.wh..wh.plnk", "").bytes());
        Path t = tmp.resolve("t");
        Path motd = t.resolve("etc/motd");
        assertThat(typeBits(motd)).isEqualTo(Syscalls.S_IFCHR);
        assertThat((long) Files.getAttribute(motd, "unix:rdev")).isZero();
        assertThat(Files.exists(t.resolve("etc/.wh.motd"), NOFOLLOW)).isFalse();
        assertThat(sys.lgetxattr(t.resolve("var/cache"), "trusted.overlay.opaque")).isEqualTo(new byte[] {'y'});
        assertThat(Files.exists(t.resolve("var/cache/.wh..wh..opq"), NOFOLLOW)).isFalse();
        assertThat(Files.readString(t.resolve("var/cache/kept"))).isEqualTo("k");
        assertThat(Files.exists(t.resolve("gone/.wh..wh.plnk"), NOFOLLOW)).isFalse();
    }

    @Test
    void laterEntriesReplaceEarlierOnes() throws IOException {
        unpack(new TestTar().file("a", "file").dir("a", 0755).file("a/b", "inside")
                .dir("c", 0755).file("c/x", "x").file("c", "now a file")
                .file("same", "one").file("same", "two").bytes());
        Path t = tmp.resolve("t");
        assertThat(Files.readString(t.resolve("a/b"))).isEqualTo("inside");
        assertThat(Files.readString(t.resolve("c"))).isEqualTo("now a file");
        assertThat(Files.readString(t.resolve("same"))).isEqualTo("two");
    }

    @Test
    void unicodeNamesArriveIntact() throws IOException {
        unpack(new TestTar().file("usr/share/locale/fr/été.txt", "chaud").symlink("ünï", "été").bytes());
        assertThat(Files.readString(tmp.resolve("t/usr/share/locale/fr/été.txt"))).isEqualTo("chaud");
        assertThat(Files.readSymbolicLink(tmp.resolve("t/ünï")).toString()).isEqualTo("été");
    }

    @Test
    void rootEntryIsAllowed() throws IOException {
        unpack(new TestTar().dir("./", 0755).file("./etc/x", "x").bytes());
        assertThat(Files.readString(tmp.resolve("t/etc/x"))).isEqualTo("x");
    }

    @Test
    void targetMustBeEmpty() throws IOException {
        Files.createDirectories(tmp.resolve("t"));
        Files.writeString(tmp.resolve("t/already"), "");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> unpack(new TestTar().file("x", "y").bytes()))
                .hasMessageContaining("is not empty");
    }

    private UnpackResult unpack(byte[] layer) {
        return unpack(layer, "t");
    }

    private UnpackResult unpack(byte[] layer, String dir) {
        return new LayerUnpacker().unpack(new ByteArrayInputStream(layer), tmp.resolve(dir));
    }

    static int mode(Path p) throws IOException {
        return (int) Files.getAttribute(p, "unix:mode", NOFOLLOW) & 07777;
    }

    static int typeBits(Path p) throws IOException {
        return (int) Files.getAttribute(p, "unix:mode", NOFOLLOW) & 0170000;
    }
}
