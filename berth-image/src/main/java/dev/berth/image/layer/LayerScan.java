package dev.berth.image.layer;

import static dev.berth.image.layer.EntryNames.quote;

import dev.berth.oci.BerthException;
import dev.berth.oci.image.Digest;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Reads a layer tar (gzip, zstd or none) without writing anything: its diff id, the size its
 * unpacked files will take (counted as {@link LayerUnpacker} counts them), and the checks that
 * need no file system: a tar that is whole, names without ".." or NUL, supported entry types.
 * {@code docker load} runs this while the layer streams into the content store, so that the
 * unpack itself can happen later, off the load's path. What only the unpack can see (a name
 * that passes through a symlink of the layer, a hard link to a missing entry) fails then.
 */
public final class LayerScan {
    private static final int BUFFER = 1 << 20;

    private LayerScan() {
    }

    /**
     * What a scan found.
     *
     * @param compression how the stream was compressed
     * @param diffId      sha256 of the uncompressed tar; null when not computed (a plain tar whose
     *                    blob digest, computed elsewhere, is already its diff id)
     * @param size        bytes of regular file contents and symlink targets, as {@link UnpackResult#size}
     */
    public record Result(Compression compression, Digest diffId, long size) {
    }

    /**
     * Scans the stream to its end (not closed). With {@code hashPlain} false, an uncompressed tar
     * is not hashed (the caller hashes the same bytes as a blob).
     *
     * @throws BerthException INVALID_ARGUMENT naming the first bad entry, or "invalid layer tar: …"
     */
    public static Result scan(InputStream possiblyCompressed, boolean hashPlain) {
        BufferedInputStream buffered = new BufferedInputStream(possiblyCompressed, Compression.BUFFER);
        Compression compression = Compression.detect(buffered);
        boolean hash = hashPlain || compression != Compression.NONE;
        MessageDigest sha256 = hash ? Digest.newHasher("sha256") : new NoDigest();
        byte[] buffer = new byte[BUFFER];
        long size = 0;
        try {
            TarInput raw = new TarInput(compression.decompress(buffered), sha256);
            TarArchiveInputStream tar = new TarArchiveInputStream(raw);
            for (TarArchiveEntry entry; (entry = tar.getNextEntry()) != null; ) {
                size += check(tar, entry, buffer);
                while (tar.read(buffer, 0, buffer.length) >= 0) {
                    // what an entry type without content still carries
                }
            }
            raw.drain(buffer);
        } catch (IOException | UncheckedIOException e) {
            throw BerthException.invalid("invalid layer tar: " + message(e));
        }
        return new Result(compression, hash ? Digest.from("sha256", sha256) : null, size);
    }

    /** Checks one entry; returns what it adds to the unpacked size (its content is read for that). */
    private static long check(TarArchiveInputStream tar, TarArchiveEntry entry, byte[] buffer) throws IOException {
        String name = entry.getName();
        String clean = EntryNames.clean(name);
        String base = EntryNames.baseName(clean);
        if (base.startsWith(Whiteouts.PREFIX)) {
            return 0;
        }
        if (entry.isSymbolicLink()) {
            return entry.getLinkName().getBytes(StandardCharsets.UTF_8).length;
        }
        if (entry.isLink()) {
            EntryNames.clean(entry.getLinkName()); // a ".." target is refused, as the unpack refuses it
            return 0;
        }
        if (entry.isDirectory() || entry.isCharacterDevice() || entry.isBlockDevice() || entry.isFIFO()) {
            return 0;
        }
        if (!LayerUnpacker.isRegular(entry.getLinkFlag())) {
            throw BerthException.invalid("layer entry " + quote(name) + " has unsupported type '"
                    + (char) entry.getLinkFlag() + "'");
        }
        if (clean.isEmpty()) {
            throw BerthException.invalid("layer entry " + quote(name) + " replaces the layer root");
        }
        long read = 0;
        for (int n; (n = tar.read(buffer, 0, buffer.length)) > 0; ) {
            read += n;
        }
        return read;
    }

    private static String message(Exception e) {
        String m = e.getMessage();
        return m == null ? e.getClass().getSimpleName() : m.substring(0, 1).toLowerCase() + m.substring(1);
    }

    /** Stands in for sha256 when the caller hashes the same bytes anyway. */
    private static final class NoDigest extends MessageDigest {
        NoDigest() {
            super("none");
        }

        @Override
        protected void engineUpdate(byte input) {
        }

        @Override
        protected void engineUpdate(byte[] input, int offset, int len) {
        }

        @Override
        protected byte[] engineDigest() {
            return new byte[0];
        }

        @Override
        protected void engineReset() {
        }
    }
}
