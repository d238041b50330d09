package dev.berth.registry.store;

import dev.berth.oci.image.Digest;

/** A stored blob: its digest and length in bytes. */
public record BlobInfo(Digest digest, long size) {
}
