package dev.berth.image.layer;

import dev.berth.oci.image.Digest;

/**
 * What unpacking a layer produced.
 *
 * @param diffId sha256 of the uncompressed tar stream, padding included (equals {@code sha256sum})
 * @param size   bytes the unpacked layer takes on disk (regular file contents, as written)
 */
public record UnpackResult(Digest diffId, long size) {
}
