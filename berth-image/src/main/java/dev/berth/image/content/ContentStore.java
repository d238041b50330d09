package dev.berth.image.content;

import dev.berth.oci.image.Digest;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Set;

/**
 * Immutable blobs addressed by digest (containerd's content store, reduced). A blob is visible
 * only once complete and verified; writers go through {@link #put} or an {@link Ingest}.
 */
public interface ContentStore {
    boolean contains(Digest d);

    /** @throws dev.berth.oci.BerthException NOT_FOUND "blob sha256:… not found" */
    long size(Digest d);

    /** @throws dev.berth.oci.BerthException NOT_FOUND */
    InputStream open(Digest d);

    /** @throws dev.berth.oci.BerthException NOT_FOUND */
    byte[] read(Digest d);

    /** The blob's file, for zero-copy transfer (FileChannel.transferTo); NOT_FOUND when absent. */
    Path path(Digest d);

    /** Stores {@code content} under its sha256; idempotent. */
    Digest put(byte[] content);

    /** A writer that hashes (sha256) while writing a temp file; commit to make the blob visible. */
    Ingest ingest();

    /** Removes the blob; absent blobs are fine (garbage collection may race with itself). */
    void delete(Digest d);

    Set<Digest> list();
}
