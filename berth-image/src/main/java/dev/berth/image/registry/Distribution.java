package dev.berth.image.registry;

import dev.berth.oci.image.Platform;
import dev.berth.oci.image.Reference;

/**
 * Pull, push and login, as dockerd does them. Failures are {@link dev.berth.oci.BerthException}s
 * with dockerd's words: NOT_FOUND ({@code manifest for 127.0.0.1:5000/x:latest not found:
 * manifest unknown: manifest unknown}), UNAUTHORIZED, INVALID_ARGUMENT (a digest mismatch, a bad
 * manifest), INTERNAL (the registry cannot be reached: the URL and the cause).
 */
public interface Distribution {

    /**
     * Pulls {@code ref} (a tag, default latest, or a digest) for {@code platform} (an index picks
     * the matching manifest): layers download in parallel, are verified against their digests,
     * resume after a dropped connection, unpack into snapshots; then the image is registered
     * and tagged, with its repo digest. Progress goes to {@code progress} as dockerd's messages.
     */
    PullResult pull(Reference ref, Platform platform, RegistryCredentials credentials, ProgressSink progress);

    /**
     * Pushes the local image tagged {@code ref} (every tag of the repository when {@code ref} has
     * none, as {@code docker push name} does): blobs the registry has are skipped, blobs another
     * repository of the same registry has are mounted, the rest uploaded; then the manifest.
     */
    PushResult push(Reference ref, RegistryCredentials credentials, ProgressSink progress);

    /**
     * Checks credentials against {@code serverAddress} (a host[:port] or URL; docker.io's
     * addresses mean docker.io) with the registry's own challenge flow. UNAUTHORIZED when refused.
     */
    LoginResult login(String serverAddress, RegistryCredentials credentials);
}
