package dev.berth.image.layer;

import dev.berth.oci.BerthException;
import dev.berth.oci.image.Digest;
import dev.berth.runtime.sys.Errno;
import dev.berth.runtime.sys.LinuxSyscalls;
import dev.berth.runtime.sys.Syscalls;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Packs a directory into a deterministic, uncompressed layer tar: names sorted, directories
 * before their content, numeric owners (no user names), mtimes in whole seconds, xattrs,
 * hard links found by inode, and overlayfs whiteouts (char 0:0, trusted.overlay.opaque=y)
 * written back as OCI whiteouts. The same directory always gives the same bytes, hence the same
 * diff id. Sockets are skipped, as docker does.
 */
public final class LayerPacker {
    private static final int COPY_BUFFER = 1 << 20;
    private static final String ATTRS = "unix:mode,uid,gid,ino,dev,rdev,nlink,size,lastModifiedTime";

    private final Syscalls sys;

    public LayerPacker() {
        this(new LinuxSyscalls());
    }

    public LayerPacker(Syscalls sys) {
        this.sys = sys;
    }

    /** Writes the tar to {@code out} (flushed, not closed) and returns its diff id. */
    public Digest pack(Path dir, OutputStream out) {
        MessageDigest sha256 = Digest.newHasher("sha256");
        TarWriter tar = new TarWriter(out, sha256);
        Walk walk = new Walk(tar, new byte[COPY_BUFFER]);
        try {
            walk.children(dir, "");
            tar.finish();
        } catch (IOException e) {
            throw BerthException.internal("packing " + dir + ": " + e.getMessage(), e);
        }
        return Digest.from("sha256", sha256);
    }

    private final class Walk {
        private final TarWriter tar;
        private final byte[] buffer;
        /** dev:ino of files with more than one link → the name they were first written under. */
        private final Map<String, String> firstNames = new HashMap<>();

        Walk(TarWriter tar, byte[] buffer) {
            this.tar = tar;
            this.buffer = buffer;
        }

        void children(Path dir, String prefix) throws IOException {
            List<Path> sorted = new ArrayList<>();
            try (Stream<Path> s = Files.list(dir)) {
                s.forEach(sorted::add);
            }
            sorted.sort((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString()));
            for (Path p : sorted) {
                entry(p, prefix + p.getFileName());
            }
        }

        private void entry(Path p, String name) throws IOException {
            Map<String, Object> a = Files.readAttributes(p, ATTRS, LinkOption.NOFOLLOW_LINKS);
            int mode = (int) a.get("mode");
            int type = mode & 0170000;
            int perm = mode & 07777;
            long uid = ((Number) a.get("uid")).longValue() & 0xffffffffL;
            long gid = ((Number) a.get("gid")).longValue() & 0xffffffffL;
            long mtime = ((FileTime) a.get("lastModifiedTime")).toInstant().getEpochSecond();
            long rdev = (long) a.get("rdev");
            switch (type) {
                case 0040000 -> {
                    byte[] opaque = sys.lgetxattr(p, Whiteouts.OPAQUE_XATTR);
                    tar.write(new TarWriter.Header(name + "/", (byte) '5', perm, uid, gid, 0, mtime, "", 0, 0,
                            xattrs(p)));
                    if (opaque != null && opaque.length == 1 && opaque[0] == 'y') {
                        tar.write(new TarWriter.Header(name + "/" + Whiteouts.OPAQUE, (byte) '0', 0, 0, 0, 0, mtime,
                                "", 0, 0, Map.of()));
                    }
                    children(p, name + "/");
                }
                case 0100000 -> {
                    long size = (long) a.get("size");
                    int nlink = (int) a.get("nlink");
                    if (nlink > 1) {
                        String key = a.get("dev") + ":" + a.get("ino");
                        String first = firstNames.putIfAbsent(key, name);
                        if (first != null) {
                            tar.write(new TarWriter.Header(name, (byte) '1', perm, uid, gid, 0, mtime, first, 0, 0,
                                    Map.of()));
                            return;
                        }
                    }
                    tar.write(new TarWriter.Header(name, (byte) '0', perm, uid, gid, size, mtime, "", 0, 0,
                            xattrs(p)));
                    copy(p, name, size);
                }
                case 0120000 -> tar.write(new TarWriter.Header(name, (byte) '2', perm, uid, gid, 0, mtime,
                        Files.readSymbolicLink(p).toString(), 0, 0, xattrs(p)));
                case 0020000 -> {
                    if (rdev == 0) { // an overlayfs whiteout
                        String base = name.substring(name.lastIndexOf('/') + 1);
                        String parent = name.substring(0, name.length() - base.length());
                        tar.write(new TarWriter.Header(parent + Whiteouts.PREFIX + base, (byte) '0', 0, 0, 0, 0, mtime,
                                "", 0, 0, Map.of()));
                    } else {
                        tar.write(new TarWriter.Header(name, (byte) '3', perm, uid, gid, 0, mtime, "",
                                Syscalls.major(rdev), Syscalls.minor(rdev), xattrs(p)));
                    }
                }
                case 0060000 -> tar.write(new TarWriter.Header(name, (byte) '4', perm, uid, gid, 0, mtime, "",
                        Syscalls.major(rdev), Syscalls.minor(rdev), xattrs(p)));
                case 0010000 -> tar.write(new TarWriter.Header(name, (byte) '6', perm, uid, gid, 0, mtime, "", 0, 0,
                        xattrs(p)));
                default -> {
                    // sockets belong to a running process, not to an image
                }
            }
        }

        private void copy(Path p, String name, long size) throws IOException {
            long left = size;
            try (InputStream in = Files.newInputStream(p, LinkOption.NOFOLLOW_LINKS)) {
                while (left > 0) {
                    int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
                    if (n < 0) {
                        throw BerthException.precondition("file " + name + " shrank while it was packed");
                    }
                    tar.content(buffer, 0, n);
                    left -= n;
                }
            }
            tar.pad(size);
        }

        private Map<String, byte[]> xattrs(Path p) {
            List<String> names;
            try {
                names = sys.llistxattr(p);
            } catch (Errno e) {
                return Map.of();
            }
            if (names.isEmpty()) {
                return Map.of();
            }
            Map<String, byte[]> out = new TreeMap<>();
            for (String n : names) {
                if (n.startsWith(Whiteouts.OVERLAY_XATTR_PREFIX)) {
                    continue; // overlay bookkeeping; opaque dirs become .wh..wh..opq entries
                }
                byte[] v = sys.lgetxattr(p, n);
                if (v != null) {
                    out.put(PaxXattrs.PREFIX + n, v);
                }
            }
            return out;
        }
    }
}
