package dev.berth.registry.store;

import dev.berth.oci.image.Digest;
import dev.berth.registry.RepositoryName;
import java.io.InputStream;

/**
 * One upload session (spec.md "Pushing blobs"): bytes arrive in order, in one or more chunks,
 * and become a blob only at {@link #complete}. Sessions survive a restart of the server.
 */
public interface BlobUpload {
    /** The session id that goes into the Location URL (a random UUID). */
    String id();

    RepositoryName repository();

    /** Bytes received so far; the upload's Range header is {@code 0-(size-1)}. */
    long size();

    /**
     * Appends {@code data}. {@code offset} is the Content-Range start or -1 when the request had
     * none; a start other than {@link #size()} is RANGE_INVALID (416). {@code length} is the
     * Content-Length or -1; fewer or more bytes than promised is SIZE_INVALID and nothing of the
     * chunk is kept. Returns the new size.
     */
    long append(InputStream data, long offset, long length);

    /**
     * Verifies the received bytes against {@code expected} (DIGEST_INVALID when they differ,
     * and the session is then gone), links the blob into the repository and ends the session.
     */
    BlobInfo complete(Digest expected);

    /** Ends the session and drops its data; idempotent. */
    void cancel();
}
