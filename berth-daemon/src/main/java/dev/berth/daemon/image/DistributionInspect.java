package dev.berth.daemon.image;

import dev.berth.image.registry.RegistryCredentials;
import dev.berth.image.registry.client.FetchedManifest;
import dev.berth.image.registry.client.RegistryClient;
import dev.berth.image.registry.client.RepositoryClient;
import dev.berth.oci.BerthException;
import dev.berth.oci.image.Descriptor;
import dev.berth.oci.image.Digest;
import dev.berth.oci.image.ImageJson;
import dev.berth.oci.image.MediaTypes;
import dev.berth.oci.image.Platform;
import dev.berth.oci.image.Reference;
import dev.berth.oci.json.JsonObjectBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * GET /distribution/{name}/json: what the registry serves for a reference, without pulling it
 * ({@code docker manifest inspect}'s daemon side, and what {@code docker service create} asks).
 * The descriptor of the manifest or index, and its platforms: an index's entries, or a single
 * manifest's config (fetched for it, as dockerd does).
 */
final class DistributionInspect {
    /** Image configs are small; a bigger "config" is no image config. */
    private static final int MAX_CONFIG_BYTES = 8 << 20;

    private final RegistryClient client;

    DistributionInspect(RegistryClient client) {
        this.client = client;
    }

    Map<String, Object> inspect(Reference asked, RegistryCredentials credentials) {
        Reference ref = asked.isTagged() || asked.isDigested() ? asked : asked.withDefaultTag();
        RepositoryClient repository = client.repository(ref, credentials);
        String tagOrDigest = ref.digest().map(Object::toString).orElseGet(() -> ref.tag().orElseThrow());
        FetchedManifest manifest = repository.getManifest(tagOrDigest);
        List<Map<String, Object>> platforms = new ArrayList<>();
        if (MediaTypes.isIndex(manifest.mediaType())) {
            for (Descriptor d : ImageJson.parseIndex(manifest.bytes()).manifests()) {
                d.platform().ifPresent(p -> platforms.add(ImageJson.platformTree(p)));
            }
        } else if (MediaTypes.isManifest(manifest.mediaType())) {
            Descriptor config = ImageJson.parseManifest(manifest.bytes()).config();
            platforms.add(ImageJson.platformTree(configPlatform(repository, config)));
        } else {
            throw BerthException.invalid("unsupported manifest media type " + manifest.mediaType() + " for " + ref.familiar());
        }
        return JsonObjectBuilder.create()
                .put("Descriptor", JsonObjectBuilder.create()
                        .put("mediaType", manifest.mediaType())
                        .put("digest", manifest.digest().toString())
                        .put("size", manifest.size())
                        .build())
                .put("Platforms", platforms)
                .build();
    }

    private static Platform configPlatform(RepositoryClient repository, Descriptor config) {
        if (config.size() > MAX_CONFIG_BYTES) {
            throw BerthException.invalid("image config " + config.digest() + " is larger than " + (MAX_CONFIG_BYTES >> 20) + " MiB");
        }
        byte[] bytes;
        RepositoryClient.BlobStream blob = repository.openBlob(config.digest(), 0);
        try (InputStream in = blob.body()) {
            bytes = in.readNBytes(MAX_CONFIG_BYTES + 1);
        } catch (IOException e) {
            throw BerthException.internal("GET " + config.digest() + ": " + e.getMessage(), e);
        }
        if (!Digest.of(config.digest().algorithm(), bytes).equals(config.digest())) {
            throw BerthException.invalid("image config verification failed for digest " + config.digest());
        }
        return ImageJson.parseConfig(bytes).platform();
    }
}
