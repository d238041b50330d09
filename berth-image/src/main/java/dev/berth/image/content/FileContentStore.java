package dev.berth.image.content;

import dev.berth.image.io.AtomicFiles;
import dev.berth.oci.BerthException;
import dev.berth.oci.image.Digest;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The content store on disk: {@code <data-root>/content/blobs/<alg>/<hex>}, temp files under
 * {@code <data-root>/content/ingest/}. A blob is written to a temp file, fsynced, verified,
 * renamed into place (atomic, same file system), and the directory fsynced: no partial or
 * unverified blob is ever visible under its name. Ingests a crash left behind are removed at
 * {@link #open}.
 */
public final class FileContentStore implements ContentStore {
    private static final List<String> ALGORITHMS = List.of("sha256", "sha512");
    private static final int BUFFER = 128 * 1024;
    /** Temp files of ingests alive in this JVM: a second open of the same root must not sweep them. */
    private static final Set<Path> LIVE_INGESTS = ConcurrentHashMap.newKeySet();

    private final Path root;
    private final Path blobs;
    private final Path ingestDir;

    private FileContentStore(Path root) {
        this.root = root;
        this.blobs = root.resolve("blobs");
        this.ingestDir = root.resolve("ingest");
    }

    /** Opens (creating) the store under {@code <dataRoot>/content} and sweeps stale ingests. */
    public static FileContentStore open(Path dataRoot) {
        FileContentStore store = new FileContentStore(dataRoot.toAbsolutePath().resolve("content"));
        for (String alg : ALGORITHMS) {
            AtomicFiles.createDirectories(store.blobs.resolve(alg));
        }
        AtomicFiles.createDirectories(store.ingestDir);
        store.sweepStaleIngests();
        return store;
    }

    /** The store's directory, {@code <data-root>/content}. */
    public Path root() {
        return root;
    }

    private void sweepStaleIngests() {
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(ingestDir)) {
            for (Path p : dir) {
                if (!LIVE_INGESTS.contains(p)) {
                    AtomicFiles.deleteQuietly(p);
                }
            }
        } catch (IOException e) {
            throw BerthException.internal("content store: sweep " + ingestDir + ": " + e.getMessage(), e);
        }
    }

    private Path blobPath(Digest d) {
        return blobs.resolve(d.algorithm()).resolve(d.hex());
    }

    private static BerthException notFound(Digest d) {
        return BerthException.notFound("blob " + d + " not found");
    }

    @Override
    public boolean contains(Digest d) {
        return Files.isRegularFile(blobPath(d));
    }

    @Override
    public long size(Digest d) {
        try {
            return Files.size(blobPath(d));
        } catch (NoSuchFileException e) {
            throw notFound(d);
        } catch (IOException e) {
            throw BerthException.internal("blob " + d + ": " + e.getMessage(), e);
        }
    }

    @Override
    public InputStream open(Digest d) {
        try {
            return Files.newInputStream(blobPath(d));
        } catch (NoSuchFileException e) {
            throw notFound(d);
        } catch (IOException e) {
            throw BerthException.internal("blob " + d + ": " + e.getMessage(), e);
        }
    }

    @Override
    public byte[] read(Digest d) {
        try {
            return Files.readAllBytes(blobPath(d));
        } catch (NoSuchFileException e) {
            throw notFound(d);
        } catch (IOException e) {
            throw BerthException.internal("blob " + d + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Path path(Digest d) {
        Path p = blobPath(d);
        if (!Files.isRegularFile(p)) {
            throw notFound(d);
        }
        return p;
    }

    @Override
    public Digest put(byte[] content) {
        Digest d = Digest.sha256(content);
        if (contains(d)) {
            return d;
        }
        try (Ingest in = ingest()) {
            in.stream().write(content);
            return in.commit(d);
        } catch (IOException e) {
            throw BerthException.internal("blob " + d + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Ingest ingest() {
        return new FileIngest(ingestDir.resolve(UUID.randomUUID() + ".tmp"));
    }

    @Override
    public void delete(Digest d) {
        AtomicFiles.delete(blobPath(d));
    }

    @Override
    public Set<Digest> list() {
        Set<Digest> out = new TreeSet<>();
        for (String alg : ALGORITHMS) {
            try (DirectoryStream<Path> dir = Files.newDirectoryStream(blobs.resolve(alg))) {
                for (Path p : dir) {
                    String hex = p.getFileName().toString();
                    if (Digest.isDigest(alg + ":" + hex)) {
                        out.add(new Digest(alg, hex));
                    }
                }
            } catch (NoSuchFileException e) {
                // nothing of this algorithm yet
            } catch (IOException e) {
                throw BerthException.internal("content store: list " + blobs.resolve(alg) + ": " + e.getMessage(), e);
            }
        }
        return out;
    }

    /** One temp file being written; see {@link Ingest}. */
    private final class FileIngest implements Ingest {
        private final Path temp;
        private final FileChannel channel;
        private final MessageDigest sha256 = Digest.newHasher("sha256");
        private final OutputStream file;
        private final OutputStream out;
        private long written;
        private boolean done;

        FileIngest(Path temp) {
            this.temp = temp;
            LIVE_INGESTS.add(temp);
            try {
                this.channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            } catch (IOException e) {
                LIVE_INGESTS.remove(temp);
                throw BerthException.internal("content store: create " + temp + ": " + e.getMessage(), e);
            }
            OutputStream file = new BufferedOutputStream(Channels.newOutputStream(channel), BUFFER);
            this.out = new OutputStream() {
                @Override
                public void write(int b) throws IOException {
                    ensureOpen();
                    file.write(b);
                    sha256.update((byte) b);
                    written++;
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    ensureOpen();
                    file.write(b, off, len);
                    sha256.update(b, off, len);
                    written += len;
                }

                @Override
                public void flush() throws IOException {
                    file.flush();
                }

                @Override
                public void close() {
                    // the ingest owns the file: closing the stream alone neither commits nor aborts
                }
            };
            this.file = file;
        }

        private void ensureOpen() throws IOException {
            if (done) {
                throw new IOException("ingest already committed or aborted");
            }
        }

        @Override
        public OutputStream stream() {
            return out;
        }

        @Override
        public long written() {
            return written;
        }

        @Override
        public synchronized Digest commit(Digest expectedOrNull) {
            if (done) {
                throw BerthException.precondition("ingest already committed or aborted");
            }
            done = true;
            try {
                file.flush();
                channel.force(true);
                channel.close();
                Digest got = Digest.from("sha256", sha256);
                if (expectedOrNull != null && !expectedOrNull.algorithm().equals("sha256")) {
                    got = rehash(expectedOrNull.algorithm());
                }
                if (expectedOrNull != null && !expectedOrNull.equals(got)) {
                    throw BerthException.invalid("digest mismatch: want " + expectedOrNull + ", got " + got);
                }
                Path target = blobPath(got);
                if (Files.isRegularFile(target)) {
                    // a concurrent writer of the same content won; theirs is identical
                    Files.deleteIfExists(temp);
                } else {
                    AtomicFiles.rename(temp, target);
                }
                return got;
            } catch (IOException e) {
                throw BerthException.internal("content store: commit " + temp + ": " + e.getMessage(), e);
            } finally {
                AtomicFiles.deleteQuietly(temp);
                LIVE_INGESTS.remove(temp);
            }
        }

        private Digest rehash(String algorithm) throws IOException {
            MessageDigest h = Digest.newHasher(algorithm);
            byte[] buf = new byte[BUFFER];
            try (InputStream in = Files.newInputStream(temp)) {
                for (int n; (n = in.read(buf)) > 0; ) {
                    h.update(buf, 0, n);
                }
            }
            return Digest.from(algorithm, h);
        }

        @Override
        public synchronized void close() {
            if (done) {
                return;
            }
            done = true;
            try {
                channel.close();
            } catch (IOException ignored) {
                // the file is deleted next anyway
            }
            AtomicFiles.deleteQuietly(temp);
            LIVE_INGESTS.remove(temp);
        }
    }
}
