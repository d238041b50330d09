/**
 * berth registry: an OCI distribution-spec v1.1 server (shared/specs/oci-distribution/spec.md).
 *
 * <p>Layers, from the wire down: {@code http} (Jetty routes that speak the spec's endpoints and
 * error bodies) → {@code auth} (who may pull, push or delete which repository) → {@code store}
 * (repositories, tags, manifests, blobs and upload sessions on a filesystem, content-addressed,
 * nothing half-written ever visible). {@link dev.berth.registry.ErrorCode} is the one error set,
 * mapped to the spec's JSON and HTTP statuses in one place.
 */
package dev.berth.registry;
