package dev.berth.engine.archive;

import dev.berth.oci.BerthException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Map;

/**
 * docker's {@code container.PathStat}, what {@code HEAD /containers/{id}/archive} returns (base64
 * JSON in the {@code X-Docker-Container-Path-Stat} header): the entry's base name, size, mode as
 * Go's {@code os.FileMode} (permission bits plus Go's type bits, not the kernel's S_IF*),
 * modification time, and for a symlink its target resolved in the container (absolute).
 */
public record PathStat(String name, long size, long mode, Instant mtime, String linkTarget) {
    // Go's os.FileMode type bits
    public static final long MODE_DIR = 1L << 31;
    public static final long MODE_SYMLINK = 1L << 27;
    public static final long MODE_DEVICE = 1L << 26;
    public static final long MODE_NAMED_PIPE = 1L << 25;
    public static final long MODE_SOCKET = 1L << 24;
    public static final long MODE_SETUID = 1L << 23;
    public static final long MODE_SETGID = 1L << 22;
    public static final long MODE_CHAR_DEVICE = 1L << 21;
    public static final long MODE_STICKY = 1L << 20;

    public boolean isDirectory() {
        return (mode & MODE_DIR) != 0;
    }

    public boolean isSymlink() {
        return (mode & MODE_SYMLINK) != 0;
    }

    /** lstat of a host path; the name and link target are the caller's (container terms). */
    public static PathStat of(Path host, String name, String linkTarget) {
        try {
            Map<String, Object> a = Files.readAttributes(host, "unix:mode,size,lastModifiedTime", LinkOption.NOFOLLOW_LINKS);
            int unixMode = (int) a.get("mode");
            return new PathStat(name, (long) a.get("size"), goFileMode(unixMode),
                    ((FileTime) a.get("lastModifiedTime")).toInstant(), linkTarget);
        } catch (IOException e) {
            throw BerthException.internal("lstat " + host + ": " + e.getMessage(), e);
        }
    }

    /** The kernel's st_mode as Go's os.FileMode (what Go's os.Lstat gives docker). */
    public static long goFileMode(int unixMode) {
        long m = unixMode & 0777;
        m |= switch (unixMode & 0170000) {
            case 0040000 -> MODE_DIR;
            case 0120000 -> MODE_SYMLINK;
            case 0060000 -> MODE_DEVICE;
            case 0020000 -> MODE_DEVICE | MODE_CHAR_DEVICE;
            case 0010000 -> MODE_NAMED_PIPE;
            case 0140000 -> MODE_SOCKET;
            default -> 0L;
        };
        if ((unixMode & 04000) != 0) {
            m |= MODE_SETUID;
        }
        if ((unixMode & 02000) != 0) {
            m |= MODE_SETGID;
        }
        if ((unixMode & 01000) != 0) {
            m |= MODE_STICKY;
        }
        return m;
    }
}
