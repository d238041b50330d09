package dev.berth.image.registry.push;

import dev.berth.image.layer.Compression;
import dev.berth.oci.image.MediaTypes;

/**
 * The manifest a push writes, and the media types inside it. Docker's v2 schema 2 by default,
 * as dockerd 20.10 pushes (every docker and registry reads it); OCI when a layer is zstd, which
 * schema 2 cannot name.
 */
public enum ManifestFormat {
    DOCKER(MediaTypes.DOCKER_MANIFEST, MediaTypes.DOCKER_CONFIG),
    OCI(MediaTypes.OCI_MANIFEST, MediaTypes.OCI_CONFIG);

    private final String manifestType;
    private final String configType;

    ManifestFormat(String manifestType, String configType) {
        this.manifestType = manifestType;
        this.configType = configType;
    }

    public String manifestType() {
        return manifestType;
    }

    public String configType() {
        return configType;
    }

    public String layerType(Compression compression) {
        return switch (compression) {
            case GZIP -> this == DOCKER ? MediaTypes.DOCKER_LAYER : MediaTypes.OCI_LAYER_GZIP;
            case ZSTD -> MediaTypes.OCI_LAYER_ZSTD;
            case NONE -> this == DOCKER ? MediaTypes.DOCKER_LAYER_TAR : MediaTypes.OCI_LAYER;
        };
    }

    /** A layer media type's compression, by name (any of OCI's or Docker's layer types). */
    public static Compression compressionOf(String layerMediaType) {
        if (layerMediaType.endsWith("zstd")) {
            return Compression.ZSTD;
        }
        if (layerMediaType.endsWith("gzip")) {
            return Compression.GZIP;
        }
        return Compression.NONE;
    }
}
