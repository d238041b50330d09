package dev.berth.oci.image;

import dev.berth.oci.BerthException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An image manifest (manifest.md), OCI or Docker v2 schema 2 (the same shape): a config
 * descriptor and the layers, bottom first. {@code mediaType} is "" when the document had none.
 */
public record ImageManifest(int schemaVersion, String mediaType, String artifactType, Descriptor config,
                            List<Descriptor> layers, Optional<Descriptor> subject, Map<String, String> annotations) {
    public ImageManifest {
        if (schemaVersion != 2) {
            throw BerthException.invalid("manifest: unsupported schemaVersion " + schemaVersion + ", want 2");
        }
        if (config == null) {
            throw BerthException.invalid("manifest: config is required");
        }
        mediaType = mediaType == null ? "" : mediaType;
        artifactType = artifactType == null ? "" : artifactType;
        layers = layers == null ? List.of() : List.copyOf(layers);
        subject = subject == null ? Optional.empty() : subject;
        annotations = annotations == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(annotations));
    }

    /** An OCI image manifest for a config and its layers. */
    public static ImageManifest oci(Descriptor config, List<Descriptor> layers) {
        return new ImageManifest(2, MediaTypes.OCI_MANIFEST, "", config, layers, Optional.empty(), Map.of());
    }

    /** A Docker v2 schema 2 manifest for a config and its layers. */
    public static ImageManifest docker(Descriptor config, List<Descriptor> layers) {
        return new ImageManifest(2, MediaTypes.DOCKER_MANIFEST, "", config, layers, Optional.empty(), Map.of());
    }
}
