package dev.berth.image.registry;

import dev.berth.oci.image.Digest;
import dev.berth.oci.image.Reference;

/**
 * @param reference what was pulled, normalized ({@code 127.0.0.1:5000/app:latest})
 * @param manifestDigest the digest the registry served (the repo digest; for an index, the index's)
 * @param imageId the local image id (its config digest)
 * @param upToDate true when nothing new was fetched ("Status: Image is up to date for …")
 */
public record PullResult(Reference reference, Digest manifestDigest, Digest imageId, boolean upToDate) {
}
