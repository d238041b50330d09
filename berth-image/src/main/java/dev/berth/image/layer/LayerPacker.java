package dev.berth.image.layer;

import dev.berth.oci.image.Digest;
import java.io.OutputStream;
import java.nio.file.Path;

/**
 * Packs a directory into a deterministic, uncompressed layer tar (names sorted, numeric owners,
 * mtimes kept, xattrs, hardlinks, overlayfs whiteouts turned back into OCI whiteouts).
 */
public final class LayerPacker {
    /** Writes the tar to {@code out} (not closed) and returns its diff id. */
    public Digest pack(Path dir, OutputStream out) {
        throw new UnsupportedOperationException("not yet");
    }
}
