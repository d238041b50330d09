package dev.berth.image.registry;

import dev.berth.image.store.ImageService;

/** Makes berthd's {@link Distribution} over its image service. */
public final class Distributions {
    private Distributions() {
    }

    public static Distribution create(ImageService images, RegistryOptions options) {
        return new RegistryDistribution(images, options, RegistryDistribution.DEFAULT_CONCURRENT_DOWNLOADS);
    }
}
