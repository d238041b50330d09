package dev.berth.image.registry.client;

import dev.berth.oci.image.Digest;

/**
 * A manifest or index as the registry served it: the exact bytes (whose digest is the repo
 * digest), the media type from Content-Type (or the body's own mediaType when the header is
 * generic), and that digest, verified.
 */
public record FetchedManifest(Digest digest, String mediaType, byte[] bytes) {
    public FetchedManifest {
        bytes = bytes.clone();
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    public long size() {
        return bytes.length;
    }
}
