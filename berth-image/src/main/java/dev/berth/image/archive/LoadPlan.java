package dev.berth.image.archive;

import dev.berth.oci.image.Descriptor;
import dev.berth.oci.image.Digest;
import dev.berth.oci.image.ImageConfig;
import dev.berth.oci.image.Reference;
import java.util.List;
import java.util.Optional;

/**
 * What an archive asks to load, once its manifest (docker's {@code manifest.json} or an OCI
 * layout's {@code index.json}) has been read: images, each with its config, its layers as
 * archive names, and the tags to give it. Nothing is stored yet.
 */
record LoadPlan(List<PlannedImage> images) {
    LoadPlan {
        images = List.copyOf(images);
    }

    /**
     * One image: {@code configBytes} exactly as in the archive (their sha256 is the image id),
     * the layers bottom first, and {@code manifest} when the archive had an OCI manifest for it.
     */
    record PlannedImage(byte[] configBytes, ImageConfig config, List<PlannedLayer> layers, List<Reference> tags,
            Optional<Descriptor> manifest) {
        PlannedImage {
            layers = List.copyOf(layers);
            tags = List.copyOf(tags);
        }

        Digest id() {
            return Digest.sha256(configBytes);
        }
    }

    /**
     * One layer: the archive name its bytes are under, the diff id the config promises, and the
     * descriptor an OCI manifest gave it (media type, compressed digest), if any.
     */
    record PlannedLayer(String path, Digest diffId, Optional<Descriptor> declared) {
    }
}
