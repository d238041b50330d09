package dev.berth.registry.store;

import dev.berth.oci.image.Digest;

/**
 * The outcome of a manifest push: its digest (the Docker-Content-Digest header) and its subject
 * when it has one (the OCI-Subject header, which tells clients this registry keeps referrers).
 */
public record PutManifestResult(Digest digest, Digest subjectOrNull) {
}
