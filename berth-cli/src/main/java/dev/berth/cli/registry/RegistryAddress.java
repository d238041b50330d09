package dev.berth.cli.registry;

import dev.berth.cli.output.ImageName;

/** Where docker files a registry's credentials, and how it reduces an address typed by a user to a host. */
public final class RegistryAddress {
    /** Docker Hub's key in config.json (docker's {@code registry.IndexServer}). */
    public static final String INDEX_SERVER = "https://index.docker.io/v1/";

    private RegistryAddress() {}

    /** The config.json key for an image's registry: {@link #INDEX_SERVER} for docker.io, else its host. */
    public static String keyFor(ImageName image) {
        return isDockerHub(image.domain()) ? INDEX_SERVER : image.domain();
    }

    static boolean isDockerHub(String domain) {
        return domain.equals("docker.io") || domain.equals("index.docker.io") || domain.equals("registry-1.docker.io");
    }

    /**
     * docker's {@code credentials.ConvertToHostname}: {@code http://host:5000/v2/} → {@code host:5000}
     * (scheme and path dropped).
     */
    public static String toHostname(String address) {
        String s = address;
        if (s.startsWith("http://")) {
            s = s.substring("http://".length());
        } else if (s.startsWith("https://")) {
            s = s.substring("https://".length());
        }
        int slash = s.indexOf('/');
        return slash < 0 ? s : s.substring(0, slash);
    }
}
