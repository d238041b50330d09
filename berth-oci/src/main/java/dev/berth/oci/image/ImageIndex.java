package dev.berth.oci.image;

import dev.berth.oci.BerthException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An image index (image-index.md) or Docker manifest list: descriptors of manifests, each
 * usually with a platform; also the {@code index.json} of an OCI image layout, whose manifest
 * descriptors carry the {@code org.opencontainers.image.ref.name} annotation.
 */
public record ImageIndex(int schemaVersion, String mediaType, String artifactType, List<Descriptor> manifests,
                         Optional<Descriptor> subject, Map<String, String> annotations) {
    /** The annotation an OCI layout uses for a manifest's tag. */
    public static final String REF_NAME = "org.opencontainers.image.ref.name";
    /** The annotation containerd and docker add with the full image name. */
    public static final String IMAGE_NAME = "io.containerd.image.name";

    public ImageIndex {
        if (schemaVersion != 2) {
            throw BerthException.invalid("index: unsupported schemaVersion " + schemaVersion + ", want 2");
        }
        mediaType = mediaType == null ? "" : mediaType;
        artifactType = artifactType == null ? "" : artifactType;
        manifests = manifests == null ? List.of() : List.copyOf(manifests);
        subject = subject == null ? Optional.empty() : subject;
        annotations = annotations == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(annotations));
    }

    public static ImageIndex oci(List<Descriptor> manifests) {
        return new ImageIndex(2, MediaTypes.OCI_INDEX, "", manifests, Optional.empty(), Map.of());
    }
}
