package dev.berth.registry.http;

/**
 * Request size limits: a manifest body above {@code maxManifestBytes} and a blob growing past
 * {@code maxBlobBytes} are refused with 413 (spec.md "Pushing Manifests": registries SHOULD
 * enforce a limit and accept at least 4 MB).
 */
public record ServerLimits(long maxManifestBytes, long maxBlobBytes) {
    public static final long DEFAULT_MAX_MANIFEST = 4L << 20;

    public ServerLimits {
        if (maxManifestBytes <= 0 || maxBlobBytes <= 0) {
            throw new IllegalArgumentException("size limits must be positive");
        }
    }

    /** 4 MiB manifests, blobs of any size. */
    public static ServerLimits defaults() {
        return new ServerLimits(DEFAULT_MAX_MANIFEST, Long.MAX_VALUE);
    }
}
