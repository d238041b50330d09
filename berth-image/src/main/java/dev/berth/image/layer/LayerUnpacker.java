package dev.berth.image.layer;

import java.io.InputStream;
import java.nio.file.Path;

/**
 * Unpacks a layer tar (gzip, zstd or none) into an empty directory. OCI whiteouts become
 * overlayfs whiteouts (char device 0:0) and opaque directories (trusted.overlay.opaque=y);
 * entries that would land outside the target (.., via a symlink or a hardlink) are rejected
 * with INVALID_ARGUMENT naming the entry.
 */
public final class LayerUnpacker {
    public UnpackResult unpack(InputStream possiblyCompressed, Path emptyTarget) {
        throw new UnsupportedOperationException("not yet");
    }
}
