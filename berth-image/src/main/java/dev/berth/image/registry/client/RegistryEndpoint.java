package dev.berth.image.registry.client;

import java.net.URI;

/**
 * One base URL a registry may answer on ({@code https://127.0.0.1:5000}), as dockerd's
 * {@code registry.APIEndpoint}: {@code skipVerify} for an insecure registry reached over TLS,
 * {@code mirror} for a docker.io mirror (tried first; a failure falls through to the next).
 */
public record RegistryEndpoint(URI base, boolean skipVerify, boolean mirror) {
    public RegistryEndpoint {
        String scheme = base.getScheme();
        if (!"https".equals(scheme) && !"http".equals(scheme)) {
            throw new IllegalArgumentException("registry endpoint " + base + ": scheme must be http or https");
        }
        String text = base.toString();
        if (text.endsWith("/")) {
            base = URI.create(text.substring(0, text.length() - 1));
        }
    }

    public boolean isTls() {
        return base.getScheme().equals("https");
    }

    /** {@code base + path}, where path starts with "/" ({@code /v2/library/x/manifests/latest}). */
    public URI resolve(String path) {
        return URI.create(base + path);
    }

    /** host[:port] of the endpoint, the key for certs.d and insecure checks. */
    public String hostPort() {
        return base.getRawAuthority();
    }
}
