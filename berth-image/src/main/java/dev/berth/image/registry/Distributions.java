package dev.berth.image.registry;

import dev.berth.image.store.ImageService;
import dev.berth.oci.BerthException;

/** Makes berthd's {@link Distribution} over its image service. */
public final class Distributions {
    private Distributions() {
    }

    public static Distribution create(ImageService images, RegistryOptions options) {
        return new Distribution() {
            @Override
            public PullResult pull(dev.berth.oci.image.Reference ref, dev.berth.oci.image.Platform platform,
                    RegistryCredentials credentials, ProgressSink progress) {
                throw BerthException.unsupported("pull is not built yet");
            }

            @Override
            public PushResult push(dev.berth.oci.image.Reference ref, RegistryCredentials credentials, ProgressSink progress) {
                throw BerthException.unsupported("push is not built yet");
            }

            @Override
            public LoginResult login(String serverAddress, RegistryCredentials credentials) {
                throw BerthException.unsupported("login is not built yet");
            }
        };
    }
}
