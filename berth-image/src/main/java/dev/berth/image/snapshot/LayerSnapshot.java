package dev.berth.image.snapshot;

import dev.berth.oci.image.Digest;
import java.nio.file.Path;

/**
 * One unpacked layer.
 *
 * @param chainId       the chain id of the stack ending in this layer (the snapshot's key)
 * @param parentChainId the chain id of the stack below, or null for a base layer
 * @param diffId        sha256 of the layer's uncompressed tar
 * @param size          bytes the layer's files take on disk
 * @param dir           the directory holding the layer's files (an overlay lower dir)
 */
public record LayerSnapshot(Digest chainId, Digest parentChainId, Digest diffId, long size, Path dir) {
}
