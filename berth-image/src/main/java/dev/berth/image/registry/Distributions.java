package dev.berth.image.registry;

import dev.berth.image.registry.client.RegistryClient;
import dev.berth.image.store.ImageService;

/** Makes berthd's {@link Distribution} over its image service. */
public final class Distributions {
    private Distributions() {
    }

    public static Distribution create(ImageService images, RegistryOptions options) {
        return create(images, new RegistryClient(options));
    }

    /**
     * Over a transport the caller shares (berthd's {@code GET /distribution/{name}/json} too): one
     * token cache and one connection pool per daemon, not one per use.
     */
    public static Distribution create(ImageService images, RegistryClient client) {
        return new RegistryDistribution(images, client, RegistryDistribution.DEFAULT_CONCURRENT_DOWNLOADS);
    }
}
