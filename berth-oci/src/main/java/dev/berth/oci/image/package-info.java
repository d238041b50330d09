/**
 * The OCI image model (image-spec v1.1, shared/specs/oci-image) and Docker's v2 schema 2
 * equivalents: digests, descriptors, manifests, indexes, image configs, references with Docker's
 * grammar, and {@link dev.berth.oci.image.ImageJson}, their one JSON codec. No I/O.
 */
package dev.berth.oci.image;
