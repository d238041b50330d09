package dev.berth.image.registry;

import dev.berth.image.registry.client.RegistryClient;
import dev.berth.image.registry.push.ImagePusher;
import dev.berth.image.registry.push.PushTransports;
import dev.berth.image.registry.push.RegistryPushTransport;
import dev.berth.image.store.ImageService;
import dev.berth.oci.BerthException;
import dev.berth.oci.image.Platform;
import dev.berth.oci.image.Reference;
import java.util.List;
import java.util.concurrent.Semaphore;

/**
 * berthd's {@link Distribution}: pull, push ({@link ImagePusher}) and login over one {@link RegistryClient} (its HTTP
 * connections and token cache shared by every call), with daemon-wide download slots as
 * dockerd's {@code max-concurrent-downloads}.
 */
public final class RegistryDistribution implements Distribution {
    /** dockerd's default max-concurrent-downloads. */
    public static final int DEFAULT_CONCURRENT_DOWNLOADS = 3;

    private final ImageService images;
    private final RegistryClient client;
    private final Semaphore downloadSlots;
    private final BlobOrigins origins;

    public RegistryDistribution(ImageService images, RegistryOptions options, int maxConcurrentDownloads) {
        this(images, new RegistryClient(options), maxConcurrentDownloads);
    }

    /** Over a given transport (tests give one with a short TLS probe timeout). */
    public RegistryDistribution(ImageService images, RegistryClient client, int maxConcurrentDownloads) {
        if (maxConcurrentDownloads < 1) {
            throw BerthException.invalid("max concurrent downloads must be at least 1, got " + maxConcurrentDownloads);
        }
        this.images = images;
        this.client = client;
        this.downloadSlots = new Semaphore(maxConcurrentDownloads, true);
        this.origins = BlobOrigins.forImages(images);
    }

    /** The transport, for the push side and for {@code GET /distribution/{name}/json}. */
    public RegistryClient client() {
        return client;
    }

    public ImageService images() {
        return images;
    }

    @Override
    public PullResult pull(Reference ref, Platform platform, RegistryCredentials credentials, ProgressSink progress) {
        return new RegistryPull(images, client, downloadSlots, origins).pull(ref, platform == null ? Platform.host() : platform,
                credentials, progress);
    }

    @Override
    public PushResult push(Reference ref, RegistryCredentials credentials, ProgressSink progress) {
        PushTransports transports = (repo, mountSources) -> new RegistryPushTransport(
                client.repository(repo, credentials, List.of(RegistryClient.PULL, RegistryClient.PUSH), mountSources));
        return new ImagePusher(images, origins, transports, ImagePusher.CONCURRENT_UPLOADS).push(ref, progress);
    }

    @Override
    public LoginResult login(String serverAddress, RegistryCredentials credentials) {
        return client.login(serverAddress, credentials);
    }
}
