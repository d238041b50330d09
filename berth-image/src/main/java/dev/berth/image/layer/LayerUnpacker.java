package dev.berth.image.layer;

import static dev.berth.image.layer.EntryNames.quote;

import dev.berth.oci.BerthException;
import dev.berth.oci.image.Digest;
import dev.berth.runtime.sys.LinuxSyscalls;
import dev.berth.runtime.sys.Syscalls;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Unpacks a layer tar (gzip, zstd or none) into an empty directory, as an overlayfs lower dir
 * (image-spec layer.md): OCI whiteouts become overlayfs whiteouts (char device 0:0) and opaque
 * directories (trusted.overlay.opaque=y); regular files, directories, symlinks, hard links,
 * devices and fifos keep their numeric owners, modes (setuid, sticky), mtimes and xattrs.
 *
 * <p>Nothing is written outside the target (DESIGN decision 5): ".." components are refused,
 * absolute names are read relative to the target (as docker does), and an entry whose path
 * or whose hard-link target passes through a symlink is refused rather than followed. Errors
 * are INVALID_ARGUMENT naming the entry; on any error the target holds a partial layer that the
 * caller removes.
 */
public final class LayerUnpacker {
    private static final int COPY_BUFFER = 1 << 20;
    /** Files up to this size are read into memory and created on writer threads (PendingWrites). */
    private static final int HAND_OVER_MAX = 1 << 20;

    private final Syscalls sys;

    public LayerUnpacker() {
        this(new LinuxSyscalls());
    }

    public LayerUnpacker(Syscalls sys) {
        this.sys = sys;
    }

    /**
     * Unpacks into {@code emptyTarget} (created when missing; must be empty). The stream is read
     * to its end, and not closed.
     */
    public UnpackResult unpack(InputStream possiblyCompressed, Path emptyTarget) {
        prepare(emptyTarget);
        MessageDigest sha256 = Digest.newHasher("sha256");
        LayerTarget target = new LayerTarget(emptyTarget, sys);
        byte[] buffer = new byte[COPY_BUFFER];
        ReadAhead ahead = null;
        try {
            ahead = new ReadAhead(Compression.open(possiblyCompressed));
            TarInput raw = new TarInput(ahead, sha256);
            TarArchiveInputStream tar = new TarArchiveInputStream(raw);
            while (true) {
                raw.record();
                TarArchiveEntry entry = tar.getNextEntry();
                raw.stopRecording();
                if (entry == null) {
                    break;
                }
                try {
                    extract(tar, raw, entry, target, buffer);
                } catch (InvalidPathException e) {
                    // a name the JVM cannot map to bytes: run with a UTF-8 locale (sun.jnu.encoding)
                    throw BerthException.invalid("layer entry " + quote(entry.getName())
                            + " has a name this host cannot represent: " + e.getReason());
                }
                while (tar.read(buffer, 0, buffer.length) >= 0) {
                    // what an entry type without content still carries; recording starts after it
                }
            }
            raw.drain(buffer);
            target.finish();
        } catch (IOException | UncheckedIOException e) {
            throw BerthException.invalid("invalid layer tar: " + message(e));
        } finally {
            target.abandon(); // no writer outlives the unpack, whatever failed
            if (ahead != null) {
                ahead.close();
            }
        }
        return new UnpackResult(Digest.from("sha256", sha256), target.size());
    }

    private static void prepare(Path target) {
        try {
            Files.createDirectories(target);
            try (Stream<Path> s = Files.list(target)) {
                if (s.findAny().isPresent()) {
                    throw BerthException.precondition("unpack target " + target + " is not empty");
                }
            }
        } catch (IOException e) {
            throw BerthException.internal("unpack target " + target + ": " + e.getMessage(), e);
        }
    }

    private void extract(TarArchiveInputStream tar, TarInput raw, TarArchiveEntry entry, LayerTarget target,
                         byte[] buffer) throws IOException {
        String name = entry.getName();
        String clean = EntryNames.clean(name);
        String base = EntryNames.baseName(clean);
        EntryMeta meta = meta(entry, raw);
        if (base.startsWith(Whiteouts.PREFIX)) {
            if (base.equals(Whiteouts.OPAQUE)) {
                target.opaque(name, clean);
            } else if (!base.startsWith(Whiteouts.META_PREFIX)) {
                target.whiteout(name, clean, base.substring(Whiteouts.PREFIX.length()), meta);
            }
            return;
        }
        if (entry.isDirectory()) {
            target.directory(name, clean, meta);
        } else if (entry.isSymbolicLink()) {
            target.symlink(name, clean, entry.getLinkName(), meta);
        } else if (entry.isLink()) {
            target.hardlink(name, clean, entry.getLinkName());
        } else if (entry.isCharacterDevice()) {
            target.node(name, clean, Syscalls.S_IFCHR, entry.getDevMajor(), entry.getDevMinor(), meta);
        } else if (entry.isBlockDevice()) {
            target.node(name, clean, Syscalls.S_IFBLK, entry.getDevMajor(), entry.getDevMinor(), meta);
        } else if (entry.isFIFO()) {
            target.node(name, clean, Syscalls.S_IFIFO, 0, 0, meta);
        } else if (isRegular(entry.getLinkFlag())) {
            if (clean.isEmpty()) {
                throw BerthException.invalid("layer entry " + quote(name) + " replaces the layer root");
            }
            long size = entry.getSize();
            if (size <= HAND_OVER_MAX && !entry.isSparse() && target.canHandOver(clean)) {
                int cost = PendingWrites.cost((int) size);
                target.reserve(cost);
                byte[] data = new byte[(int) size];
                int n = tar.readNBytes(data, 0, data.length);
                target.writeFileLater(name, clean, data, n, cost, meta);
            } else {
                long written = copy(tar, target.openFile(name, clean), name, buffer);
                target.fileDone(name, clean, written, meta);
            }
        } else {
            throw BerthException.invalid("layer entry " + quote(name) + " has unsupported type '"
                    + (char) entry.getLinkFlag() + "'");
        }
    }

    private static long copy(TarArchiveInputStream tar, FileChannel out, String name, byte[] buffer)
            throws IOException {
        long written = 0;
        try (out) {
            int n;
            while ((n = tar.read(buffer, 0, buffer.length)) > 0) {
                ByteBuffer b = ByteBuffer.wrap(buffer, 0, n);
                try {
                    while (b.hasRemaining()) {
                        out.write(b);
                    }
                } catch (IOException e) {
                    throw BerthException.internal("unpacking layer entry " + quote(name) + ": " + e.getMessage(), e);
                }
                written += n;
            }
        }
        return written;
    }

    private static EntryMeta meta(TarArchiveEntry entry, TarInput raw) {
        Instant mtime = entry.getLastModifiedTime().toInstant();
        FileTime at = entry.getLastAccessTime();
        Instant atime = at == null ? mtime : at.toInstant();
        return new EntryMeta(entry.getMode() & 07777, (int) entry.getLongUserId(), (int) entry.getLongGroupId(),
                mtime.getEpochSecond(), mtime.getNano(), atime.getEpochSecond(), atime.getNano(), xattrs(entry, raw));
    }

    private static Map<String, byte[]> xattrs(TarArchiveEntry entry, TarInput raw) {
        Map<String, String> pax = entry.getExtraPaxHeaders();
        if (pax.isEmpty()) {
            return Map.of();
        }
        Map<String, byte[]> decoded = null;
        for (Map.Entry<String, String> h : pax.entrySet()) {
            if (h.getKey().startsWith(PaxXattrs.PREFIX)) {
                if (decoded == null) {
                    decoded = new HashMap<>();
                }
                decoded.put(h.getKey().substring(PaxXattrs.PREFIX.length()),
                        h.getValue().getBytes(StandardCharsets.UTF_8));
            }
        }
        if (decoded == null) {
            return Map.of();
        }
        // the raw bytes win: binary values do not survive commons-compress's UTF-8 decoding
        Map<String, byte[]> rawValues = PaxXattrs.parse(raw.recorded(), raw.recordingStart());
        for (Map.Entry<String, byte[]> r : rawValues.entrySet()) {
            if (decoded.containsKey(r.getKey())) {
                decoded.put(r.getKey(), r.getValue());
            }
        }
        return decoded;
    }

    /** '0', the pre-POSIX NUL, '7' (contiguous) and 'S' (GNU sparse, expanded by the reader). */
    static boolean isRegular(byte flag) {
        return flag == '0' || flag == 0 || flag == '7' || flag == 'S';
    }

    private static String message(Exception e) {
        String m = e.getMessage();
        return m == null ? e.getClass().getSimpleName() : m.substring(0, 1).toLowerCase() + m.substring(1);
    }
}
