package dev.berth.registry.store;

import dev.berth.image.io.AtomicFiles;
import dev.berth.oci.BerthException;
import dev.berth.oci.image.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.UUID;

/**
 * The registry's shared, content-addressed blob files: {@code blobs/<alg>/<hex>}, shared by every
 * repository (layers, configs and manifest bytes alike). A file appears under its name only
 * complete and verified, by rename from a temp file in {@code ingest/} or an upload's data file
 * (same file system), and is never written again.
 */
final class BlobFiles {
    static final List<String> ALGORITHMS = List.of("sha256", "sha512");
    private static final int BUFFER = 256 * 1024;

    private final Path blobs;
    private final Path ingest;

    BlobFiles(Path root) {
        this.blobs = root.resolve("blobs");
        this.ingest = root.resolve("ingest");
        for (String alg : ALGORITHMS) {
            AtomicFiles.createDirectories(blobs.resolve(alg));
        }
        AtomicFiles.createDirectories(ingest);
    }

    Path path(Digest d) {
        return blobs.resolve(d.algorithm()).resolve(d.hex());
    }

    boolean exists(Digest d) {
        return Files.isRegularFile(path(d));
    }

    /** The blob's length, empty when there is no such file. */
    Optional<Long> size(Digest d) {
        try {
            return Optional.of(Files.size(path(d)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw BerthException.internal("blob " + d + ": " + e.getMessage(), e);
        }
    }

    byte[] read(Digest d) throws NoSuchFileException {
        try {
            return Files.readAllBytes(path(d));
        } catch (NoSuchFileException e) {
            throw e;
        } catch (IOException e) {
            throw BerthException.internal("blob " + d + ": " + e.getMessage(), e);
        }
    }

    /** Stores bytes whose digest the caller computed; idempotent. */
    void write(Digest d, byte[] content) {
        if (exists(d)) {
            return;
        }
        Path temp = ingest.resolve(UUID.randomUUID() + ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ByteBuffer buf = ByteBuffer.wrap(content);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            adopt(temp, d);
        } catch (IOException e) {
            throw BerthException.internal("blob " + d + ": write " + temp + ": " + e.getMessage(), e);
        } finally {
            AtomicFiles.deleteQuietly(temp);
        }
    }

    /**
     * Moves an already verified and fsynced file into place as blob {@code d}. When the blob
     * exists already (another writer of the same content won) the file is dropped instead.
     */
    void adopt(Path verified, Digest d) {
        if (exists(d)) {
            AtomicFiles.deleteQuietly(verified);
            return;
        }
        AtomicFiles.rename(verified, path(d));
    }

    boolean delete(Digest d) {
        return AtomicFiles.delete(path(d));
    }

    /** Every blob file, by digest (names that are not a digest, e.g. stray files, are skipped). */
    TreeSet<Digest> list() {
        TreeSet<Digest> out = new TreeSet<>();
        for (String alg : ALGORITHMS) {
            try (DirectoryStream<Path> dir = Files.newDirectoryStream(blobs.resolve(alg))) {
                for (Path p : dir) {
                    String text = alg + ":" + p.getFileName();
                    if (Digest.isDigest(text)) {
                        out.add(Digest.parse(text));
                    }
                }
            } catch (IOException e) {
                throw BerthException.internal("list " + blobs.resolve(alg) + ": " + e.getMessage(), e);
            }
        }
        return out;
    }

    /** Removes every temp file in {@code ingest/}: at open, none of them belongs to a live writer. */
    void sweepIngest() {
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(ingest)) {
            for (Path p : dir) {
                AtomicFiles.deleteQuietly(p);
            }
        } catch (IOException e) {
            throw BerthException.internal("sweep " + ingest + ": " + e.getMessage(), e);
        }
    }

    /** The digest of a file's whole content in {@code algorithm}. */
    static Digest hash(Path file, String algorithm) {
        MessageDigest h = Digest.newHasher(algorithm);
        byte[] buf = new byte[BUFFER];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buf)) > 0; ) {
                h.update(buf, 0, n);
            }
        } catch (IOException e) {
            throw BerthException.internal("hash " + file + ": " + e.getMessage(), e);
        }
        return Digest.from(algorithm, h);
    }
}
