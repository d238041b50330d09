package dev.berth.image.registry;

import dev.berth.image.registry.push.HttpPushTransport;
import dev.berth.image.registry.push.ImagePusher;
import dev.berth.image.store.ImageService;
import dev.berth.oci.image.Platform;
import dev.berth.oci.image.Reference;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;

/** Makes berthd's {@link Distribution} over its image service. */
public final class Distributions {
    private Distributions() {
    }

    // merge glue (regdaemon merging regclient and regpush before they meet): pull and login from
    // regclient's RegistryDistribution, push from regpush's ImagePusher as regpush wired it
    public static Distribution create(ImageService images, RegistryOptions options) {
        RegistryDistribution client = new RegistryDistribution(images, options, RegistryDistribution.DEFAULT_CONCURRENT_DOWNLOADS);
        BlobOrigins origins = BlobOrigins.forImages(images);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        return new Distribution() {
            @Override
            public PullResult pull(Reference ref, Platform platform, RegistryCredentials credentials, ProgressSink progress) {
                return client.pull(ref, platform, credentials, progress);
            }

            @Override
            public PushResult push(Reference ref, RegistryCredentials credentials, ProgressSink progress) {
                // until the client's transport lands: anonymous, plain HTTP to loopback registries only
                ImagePusher pusher = new ImagePusher(images, origins, repo -> new HttpPushTransport(http,
                        URI.create(scheme(repo.domain()) + "://" + repo.domain()), repo.name(), repo.path(), b -> b),
                        ImagePusher.CONCURRENT_UPLOADS);
                return pusher.push(ref, progress);
            }

            @Override
            public LoginResult login(String serverAddress, RegistryCredentials credentials) {
                return client.login(serverAddress, credentials);
            }
        };
    }

    private static String scheme(String domain) {
        String host = domain.startsWith("[") ? domain.substring(1, domain.indexOf(']')) : domain.replaceFirst(":\\d+$", "");
        try {
            return InetAddress.getByName(host).isLoopbackAddress() ? "http" : "https";
        } catch (UnknownHostException e) {
            return "https";
        }
    }
}
