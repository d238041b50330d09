package dev.berth.image.content;

import dev.berth.oci.image.Digest;
import java.io.Closeable;
import java.io.OutputStream;

/**
 * One blob being written: bytes go to {@link #stream()} (hashed on the way into a temp file),
 * then {@link #commit} verifies and renames the blob into place. Closing without a commit
 * aborts and removes the temp file, so try-with-resources never leaves partial content.
 */
public interface Ingest extends Closeable {
    OutputStream stream();

    /** Bytes written so far. */
    long written();

    /**
     * Verifies the content against {@code expectedOrNull} (any supported algorithm) and makes
     * the blob visible under that digest, or under its sha256 when no digest is expected.
     *
     * @throws dev.berth.oci.BerthException INVALID_ARGUMENT "digest mismatch: want X, got Y";
     *     the temp file is removed and nothing becomes visible
     */
    Digest commit(Digest expectedOrNull);

    /** Aborts unless committed; idempotent. */
    @Override
    void close();
}
