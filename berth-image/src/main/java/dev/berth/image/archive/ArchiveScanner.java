package dev.berth.image.archive;

import com.github.luben.zstd.ZstdInputStream;
import dev.berth.image.io.CountingInputStream;
import dev.berth.oci.BerthException;
import dev.berth.oci.image.Digest;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * Reads an image archive once, front to back, as it arrives (a docker-archive or an OCI image
 * layout, plain or gzip/zstd/bzip2-compressed as {@code docker load} accepts). Small files
 * (manifests, configs, indexes) are kept in memory; layers and other large files are handed to a
 * {@link LargeEntrySink} while they stream past, which stores them (and may unpack them) without
 * a second read. Links between entries (docker 20.10 writes {@code <id>/layer.tar} as a symlink to
 * another layer's) are recorded and resolved by name afterwards.
 */
final class ArchiveScanner {
    /** Files up to this size that are not named like a layer stay in memory. */
    static final int SMALL_FILE = 1 << 20;
    /** All in-memory files together; more than this is not an image archive but an attack on memory. */
    static final long MEMORY_LIMIT = 64L << 20;

    /** Takes a large entry as it streams past; must read {@code data} to its end. */
    interface LargeEntrySink {
        StoredEntry store(String path, InputStream data, long size, Optional<Digest> promised, Scanned soFar) throws IOException;
    }

    /** What a sink made of one large entry: the blob in the content store, and whatever it staged. */
    record StoredEntry(Digest blob, long size, Object staged) {
    }

    /** The result of a scan: small files by name, large entries by name, and links. */
    static final class Scanned {
        private final Map<String, byte[]> small = new HashMap<>();
        private final Map<String, StoredEntry> large = new HashMap<>();
        private final Map<String, String> links = new HashMap<>();
        private long memory;

        /** The name a path finally leads to once links are followed. */
        String resolve(String path) {
            String at = ArchivePaths.clean(path);
            for (int hops = 0; hops < 32; hops++) {
                String next = links.get(at);
                if (next == null) {
                    return at;
                }
                at = next;
            }
            throw BerthException.invalid("invalid archive: too many levels of links at \"" + path + "\"");
        }

        Optional<byte[]> small(String path) {
            return Optional.ofNullable(small.get(resolve(path)));
        }

        Optional<StoredEntry> large(String path) {
            return Optional.ofNullable(large.get(resolve(path)));
        }

        boolean contains(String path) {
            String at = resolve(path);
            return small.containsKey(at) || large.containsKey(at);
        }

        /** How many small files have arrived, to tell whether a plan is worth another try. */
        int smallCount() {
            return small.size();
        }
    }

    private ArchiveScanner() {
    }

    static Scanned scan(InputStream raw, LargeEntrySink sink) {
        Scanned scanned = new Scanned();
        try (CountingInputStream counted = new CountingInputStream(decompress(raw));
                TarArchiveInputStream tar = new TarArchiveInputStream(counted)) {
            TarArchiveEntry entry;
            boolean any = false;
            while ((entry = nextEntry(tar, any)) != null) {
                any = true;
                String path = ArchivePaths.clean(entry.getName());
                if (entry.isSymbolicLink()) {
                    scanned.links.put(path, ArchivePaths.symlinkTarget(path, entry.getLinkName()));
                } else if (entry.isLink()) {
                    scanned.links.put(path, ArchivePaths.clean(entry.getLinkName()));
                } else if (entry.isFile()) {
                    scanned.links.remove(path);
                    long size = entry.getSize();
                    if (size <= SMALL_FILE && !path.endsWith("layer.tar")) {
                        byte[] content = readFully(tar, (int) size, path);
                        scanned.memory += size;
                        if (scanned.memory > MEMORY_LIMIT) {
                            throw BerthException.invalid("invalid archive: more than " + (MEMORY_LIMIT >> 20)
                                    + " MiB of small files (manifests and configs)");
                        }
                        scanned.small.put(path, content);
                        scanned.large.remove(path);
                    } else {
                        StoredEntry stored = sink.store(path, tar, size, ArchivePaths.blobDigest(path), scanned);
                        scanned.large.put(path, stored);
                        scanned.small.remove(path);
                    }
                }
                // directories, devices and fifos carry nothing an image load reads
            }
            if (!any) {
                throw BerthException.invalid("invalid archive: empty, or not a tar archive");
            }
            // the reader takes a short last header for the end; a tar is whole 512-byte records
            if (counted.count() % 512 != 0) {
                throw BerthException.invalid("invalid archive: unexpected end of archive (truncated)");
            }
        } catch (IOException e) {
            throw BerthException.invalid("invalid archive: " + describe(e));
        }
        return scanned;
    }

    private static TarArchiveEntry nextEntry(TarArchiveInputStream tar, boolean any) throws IOException {
        try {
            return tar.getNextEntry();
        } catch (IllegalArgumentException e) {
            // commons-compress reports some malformed header fields this way
            throw new IOException(any ? "malformed tar header: " + e.getMessage() : "not a tar archive", e);
        } catch (IOException e) {
            throw new IOException(any ? e.getMessage() : "not a tar archive (" + e.getMessage() + ")", e);
        }
    }

    private static byte[] readFully(InputStream in, int size, String path) throws IOException {
        byte[] content = in.readNBytes(size);
        if (content.length != size) {
            throw new IOException("unexpected end of archive in \"" + path + "\"");
        }
        return content;
    }

    private static String describe(IOException e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (message.toLowerCase(java.util.Locale.ROOT).contains("truncated")) {
            return "unexpected end of archive (truncated)";
        }
        return message.isEmpty() ? message : Character.toLowerCase(message.charAt(0)) + message.substring(1);
    }

    /** The archive stream with docker load's compressions (gzip, zstd, bzip2) taken off. */
    static InputStream decompress(InputStream raw) throws IOException {
        BufferedInputStream in = new BufferedInputStream(raw, 1 << 20);
        in.mark(8);
        byte[] magic = in.readNBytes(6);
        in.reset();
        if (magic.length >= 2 && (magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b) {
            return new BufferedInputStream(GzipCompressorInputStream.builder().setInputStream(in).setDecompressConcatenated(true).get(), 1 << 16);
        }
        if (magic.length >= 4 && (magic[0] & 0xff) == 0x28 && (magic[1] & 0xff) == 0xb5 && (magic[2] & 0xff) == 0x2f
                && (magic[3] & 0xff) == 0xfd) {
            return new BufferedInputStream(new ZstdInputStream(in), 1 << 16);
        }
        if (magic.length >= 3 && magic[0] == 'B' && magic[1] == 'Z' && magic[2] == 'h') {
            return new BufferedInputStream(new BZip2CompressorInputStream(in, true), 1 << 16);
        }
        if (magic.length >= 6 && (magic[0] & 0xff) == 0xfd && magic[1] == '7' && magic[2] == 'z' && magic[3] == 'X'
                && magic[4] == 'Z' && magic[5] == 0) {
            throw BerthException.unsupported("xz-compressed archives are not supported; decompress with xz -d first");
        }
        return in;
    }
}
