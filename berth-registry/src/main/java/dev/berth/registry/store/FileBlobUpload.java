package dev.berth.registry.store;

import dev.berth.image.io.AtomicFiles;
import dev.berth.oci.BerthException;
import dev.berth.oci.image.Digest;
import dev.berth.oci.json.Json;
import dev.berth.oci.json.JsonObject;
import dev.berth.oci.json.JsonObjectBuilder;
import dev.berth.registry.ErrorCode;
import dev.berth.registry.RegistryException;
import dev.berth.registry.RepositoryName;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.Optional;
import java.util.UUID;

/**
 * An upload session on disk: {@code uploads/<id>/data} (the bytes received, in order) and
 * {@code uploads/<id>/state} (repository, the size acknowledged to the client, last activity).
 * The state is rewritten after each chunk's data is fsynced, so after a crash the data file is
 * cut back to a size the state recorded, and the client resumes from the Range it is told.
 *
 * <p>One object per live session (the store caches it), its methods serialized on it: two
 * PATCHes to one session cannot interleave. A SHA-256 is kept running over the bytes as they
 * arrive, so completing a sha256 upload does not read the file again; after a restart, a
 * failed chunk, or for a sha512 digest, the file is hashed at completion.
 */
final class FileBlobUpload implements BlobUpload {
    private static final int BUFFER = 256 * 1024;

    private final FileRegistryStore store;
    private final String id;
    private final RepositoryName repository;
    private final Path dir;
    private final long started;
    // volatile: status requests and lookups read them without waiting for a chunk in progress
    private volatile long size;
    private volatile long updated;
    private volatile boolean ended;
    private MessageDigest running;

    private FileBlobUpload(FileRegistryStore store, String id, RepositoryName repository, Path dir,
                           long started, long size, long updated, MessageDigest running) {
        this.store = store;
        this.id = id;
        this.repository = repository;
        this.dir = dir;
        this.started = started;
        this.size = size;
        this.updated = updated;
        this.running = running;
    }

    /**
     * Makes a new, empty session {@code uploadsRoot/<id>}. It is built under a temp name and
     * renamed, so no one (expiry, a restart) ever finds a session directory without its state.
     */
    static FileBlobUpload create(FileRegistryStore store, String id, RepositoryName repository, Path uploadsRoot) {
        Path building = uploadsRoot.resolve(".new-" + id);
        Path dir = uploadsRoot.resolve(id);
        long now = store.clock().millis();
        try {
            Files.createDirectory(building);
            Files.createFile(building.resolve("data"));
            FileBlobUpload draft = new FileBlobUpload(store, id, repository, building, now, 0, now, null);
            draft.writeState();
            // no fsync: a session lost in a power cut is BLOB_UPLOAD_UNKNOWN and the client starts over
            Files.move(building, dir, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            FileRegistryStore.deleteTree(building);
            throw BerthException.internal("upload " + id + ": create " + dir + ": " + e.getMessage(), e);
        }
        return new FileBlobUpload(store, id, repository, dir, now, 0, now, Digest.newHasher("sha256"));
    }

    /**
     * Reopens a session from its files, cutting the data back to the acknowledged size; empty
     * (and the directory removed) when the state is missing or unreadable: a crash during
     * {@link #create} left it, and no client was ever told its id.
     */
    static Optional<FileBlobUpload> load(FileRegistryStore store, String id, Path dir) {
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        try {
            JsonObject state = JsonObject.root("upload state",
                    Json.parse(Files.readString(dir.resolve("state"), StandardCharsets.UTF_8), "upload state"));
            RepositoryName repo = RepositoryName.of(state.string("repository").orElseThrow());
            long size = state.int64("size").orElseThrow();
            long started = state.int64("started").orElse(0L);
            long updated = state.int64("updated").orElse(started);
            try (var entries = Files.list(dir)) {
                entries.filter(AtomicFiles::isTemp).forEach(AtomicFiles::deleteQuietly); // a state write cut short
            }
            Path data = dir.resolve("data");
            try (FileChannel ch = FileChannel.open(data, StandardOpenOption.WRITE)) {
                if (ch.size() > size) {
                    ch.truncate(size);
                    ch.force(true);
                } else if (ch.size() < size) {
                    size = ch.size();
                }
            }
            return Optional.of(new FileBlobUpload(store, id, repo, dir, started, size, updated, null));
        } catch (IOException | RuntimeException e) {
            FileRegistryStore.deleteTree(dir);
            return Optional.empty();
        }
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public RepositoryName repository() {
        return repository;
    }

    @Override
    public long size() {
        return size;
    }

    /** When the session last received bytes (or started), in the store clock's millis. */
    long updated() {
        return updated;
    }

    boolean ended() {
        return ended;
    }

    @Override
    public synchronized long append(InputStream data, long offset, long length) {
        ensureOpen();
        if (offset >= 0 && offset != size) {
            throw new RegistryException(ErrorCode.RANGE_INVALID,
                    "upload " + id + " has " + size + " bytes: a chunk must start at " + size + ", not " + offset);
        }
        if (length < -1) {
            throw new RegistryException(ErrorCode.SIZE_INVALID, "invalid chunk length " + length);
        }
        long before = size;
        long received = 0;
        boolean keep = false;
        Path file = dir.resolve("data");
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.position(before);
            byte[] buf = new byte[BUFFER];
            // with a promised length, read one byte past it to notice a longer body
            long limit = length >= 0 ? length + 1 : Long.MAX_VALUE;
            while (received < limit) {
                int n;
                try {
                    n = data.read(buf, 0, (int) Math.min(buf.length, limit - received));
                } catch (IOException e) {
                    // the client went away mid-body: a streamed chunk keeps what arrived (any prefix
                    // of the blob is a valid upload to resume from); a promised length keeps nothing
                    if (length < 0 && received > 0) {
                        ch.truncate(before + received);
                        ch.force(false);
                        commitSize(before + received);
                    }
                    throw new RegistryException(ErrorCode.BLOB_UPLOAD_INVALID,
                            "upload " + id + ": reading the chunk failed after " + received + " bytes: " + e.getMessage());
                }
                if (n < 0) {
                    break;
                }
                if (length >= 0 && received + n > length) {
                    throw new RegistryException(ErrorCode.SIZE_INVALID, "chunk longer than its Content-Length " + length);
                }
                writeFully(ch, buf, n); // a write error (disk full) is the store's: the finally rolls back
                if (running != null) {
                    running.update(buf, 0, n);
                }
                received += n;
            }
            if (length >= 0 && received != length) {
                throw new RegistryException(ErrorCode.SIZE_INVALID,
                        "chunk of " + received + " bytes, its Content-Length says " + length);
            }
            ch.force(false);
            commitSize(before + received);
            keep = true;
            return size;
        } catch (IOException e) {
            throw BerthException.internal("upload " + id + ": write " + file + ": " + e.getMessage(), e);
        } finally {
            if (!keep && size == before) {
                rollBack(file, before);
            }
        }
    }

    private void commitSize(long newSize) {
        size = newSize;
        updated = store.clock().millis();
        writeState();
    }

    private void rollBack(Path file, long to) {
        running = null; // it has seen bytes that are gone now
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.truncate(to);
        } catch (IOException e) {
            // the state still says `to`: a reload cuts the file back
        }
    }

    /**
     * Makes the data file exactly {@code length} bytes before it can become a blob: bytes past
     * the acknowledged size (a chunk rolled back whose truncate failed) must never go with it.
     */
    private void cutTo(Path file, long length) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            if (ch.size() > length) {
                ch.truncate(length);
                ch.force(false);
            } else if (ch.size() < length) {
                throw BerthException.internal("upload " + id + ": data file has " + ch.size() + " bytes, " + length + " acknowledged");
            }
        } catch (IOException e) {
            throw BerthException.internal("upload " + id + ": " + file + ": " + e.getMessage(), e);
        }
    }

    private static void writeFully(FileChannel ch, byte[] buf, int n) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(buf, 0, n);
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }

    @Override
    public synchronized BlobInfo complete(Digest expected) {
        ensureOpen();
        Path file = dir.resolve("data");
        cutTo(file, size);
        Digest got = expected.algorithm().equals("sha256") && running != null
                ? Digest.from("sha256", running)
                : BlobFiles.hash(file, expected.algorithm());
        running = null; // digest() has reset it; a retry after an IO failure below hashes the file
        if (!got.equals(expected)) {
            end();
            throw new RegistryException(ErrorCode.DIGEST_INVALID,
                    "upload " + id + ": content has digest " + got + ", not " + expected);
        }
        store.adoptUpload(repository, file, expected);
        end();
        return new BlobInfo(expected, size);
    }

    @Override
    public synchronized void cancel() {
        if (!ended) {
            end();
        }
    }

    // renamed away first, so a concurrent lookup never loads a half-deleted session
    private void end() {
        ended = true;
        running = null;
        Path gone = dir.resolveSibling(".gone-" + id);
        try {
            Files.move(dir, gone, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            gone = dir;
        }
        store.forgetUpload(id);
        FileRegistryStore.deleteTree(gone);
    }

    private void ensureOpen() {
        if (ended) {
            throw new RegistryException(ErrorCode.BLOB_UPLOAD_UNKNOWN, "upload " + id + " has ended");
        }
    }

    private void writeState() {
        byte[] json = Json.write(JsonObjectBuilder.create()
                .put("repository", repository.value())
                .put("size", size)
                .put("started", started)
                .put("updated", updated)
                .build()).getBytes(StandardCharsets.UTF_8);
        // temp + rename without fsync: losing this rename in a power cut leaves the previous
        // state, whose smaller size is still a prefix of the data; the client resumes from it
        Path temp = dir.resolve(".state.tmp-" + UUID.randomUUID());
        try {
            Files.write(temp, json, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            Files.move(temp, dir.resolve("state"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            AtomicFiles.deleteQuietly(temp);
            throw BerthException.internal("upload " + id + ": write state: " + e.getMessage(), e);
        }
    }
}
