package dev.berth.registry.store;

import dev.berth.oci.image.Digest;

/** A manifest as pushed: the exact bytes, their digest and the media type it was pushed with. */
public record StoredManifest(Digest digest, String mediaType, byte[] body) {
}
