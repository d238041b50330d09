package dev.berth.engine.archive;

import dev.berth.oci.BerthException;
import dev.berth.runtime.sys.Syscalls;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * docker cp's download: a tar of one container path (a file, or a directory and all under it),
 * its entries named from {@code rebase} (docker names them after the path's base name as asked,
 * so {@code /etc/.} gives {@code ./…} and a symlink asked with a trailing slash keeps the link's
 * name). The walk goes by container paths, so volumes and binds under the directory are
 * included as docker includes them; symlinks are archived as links, never followed; sockets
 * are skipped. Owners are numeric, modes the permission bits, as Go's archive/tar writes them.
 */
public final class ArchiveWriter {
    private static final String ATTRS = "unix:mode,uid,gid,ino,dev,rdev,nlink,size,lastModifiedTime";

    private final ContainerFs fs;
    private final TarArchiveOutputStream tar;
    private final byte[] buffer = new byte[1 << 16];
    /** dev:ino of files with more than one link → the name they were first written under. */
    private final Map<String, String> firstNames = new HashMap<>();

    private ArchiveWriter(ContainerFs fs, OutputStream out) {
        this.fs = fs;
        // blocks of 512: no padding to commons-compress's default 10 KiB record after the two end
        // blocks, which Go's reader (the docker CLI) never reads: the daemon would then write into
        // a connection the client has closed (a broken pipe for every cp)
        this.tar = new TarArchiveOutputStream(out, 512);
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        tar.setAddPaxHeadersForNonAsciiNames(true);
    }

    /**
     * Writes the tar of {@code source} (a clean, resolved container path) to {@code out}: finished,
     * neither flushed nor closed (its owner's close sends the tail with the end of the response).
     */
    public static void write(ContainerFs fs, String source, String rebase, OutputStream out) {
        ArchiveWriter w = new ArchiveWriter(fs, out);
        try {
            w.entry(source, rebase);
            w.tar.finish();
        } catch (IOException e) {
            throw BerthException.internal("archive " + source + ": " + e.getMessage(), e);
        }
    }

    private void entry(String path, String name) throws IOException {
        Path host = fs.host(path);
        Map<String, Object> a = Files.readAttributes(host, ATTRS, LinkOption.NOFOLLOW_LINKS);
        int mode = (int) a.get("mode");
        long rdev = (long) a.get("rdev");
        TarArchiveEntry e;
        switch (mode & 0170000) {
            case 0040000 -> {
                e = new TarArchiveEntry(name.endsWith("/") ? name : name + "/", TarConstants.LF_DIR, true);
                write(e, a, 0);
                tar.closeArchiveEntry();
                List<String> children = new ArrayList<>();
                try (Stream<Path> s = Files.list(host)) {
                    s.forEach(p -> children.add(p.getFileName().toString()));
                }
                children.sort(null);
                String prefix = name.endsWith("/") ? name : name + "/";
                for (String child : children) {
                    entry(path.equals("/") ? "/" + child : path + "/" + child, prefix + child);
                }
                return;
            }
            case 0100000 -> {
                long size = (long) a.get("size");
                if ((int) a.get("nlink") > 1) {
                    String first = firstNames.putIfAbsent(a.get("dev") + ":" + a.get("ino"), name);
                    if (first != null) {
                        e = new TarArchiveEntry(name, TarConstants.LF_LINK, true);
                        e.setLinkName(first);
                        write(e, a, 0);
                        tar.closeArchiveEntry();
                        return;
                    }
                }
                e = new TarArchiveEntry(name, TarConstants.LF_NORMAL, true);
                write(e, a, size);
                copy(host, size, path);
                tar.closeArchiveEntry();
                return;
            }
            case 0120000 -> {
                e = new TarArchiveEntry(name, TarConstants.LF_SYMLINK, true);
                e.setLinkName(Files.readSymbolicLink(host).toString());
            }
            case 0020000 -> {
                e = new TarArchiveEntry(name, TarConstants.LF_CHR, true);
                e.setDevMajor(Syscalls.major(rdev));
                e.setDevMinor(Syscalls.minor(rdev));
            }
            case 0060000 -> {
                e = new TarArchiveEntry(name, TarConstants.LF_BLK, true);
                e.setDevMajor(Syscalls.major(rdev));
                e.setDevMinor(Syscalls.minor(rdev));
            }
            case 0010000 -> e = new TarArchiveEntry(name, TarConstants.LF_FIFO, true);
            default -> {
                return; // a socket belongs to a running process
            }
        }
        write(e, a, 0);
        tar.closeArchiveEntry();
    }

    private void write(TarArchiveEntry e, Map<String, Object> a, long size) throws IOException {
        e.setMode((int) a.get("mode") & 07777);
        e.setUserId(((Number) a.get("uid")).longValue() & 0xffffffffL);
        e.setGroupId(((Number) a.get("gid")).longValue() & 0xffffffffL);
        e.setModTime(FileTime.fromMillis(((FileTime) a.get("lastModifiedTime")).toInstant().getEpochSecond() * 1000));
        e.setSize(size);
        tar.putArchiveEntry(e);
    }

    private void copy(Path host, long size, String path) throws IOException {
        long left = size;
        try (InputStream in = Files.newInputStream(host, LinkOption.NOFOLLOW_LINKS)) {
            while (left > 0) {
                int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
                if (n < 0) {
                    throw BerthException.conflict("file " + path + " shrank while it was archived");
                }
                tar.write(buffer, 0, n);
                left -= n;
            }
        }
    }
}
