package dev.berth.image.registry;

import java.nio.file.Path;
import java.util.List;

/**
 * dockerd's registry settings (daemon.json {@code insecure-registries}, {@code registry-mirrors}
 * and the certs.d directory).
 *
 * @param insecureRegistries CIDRs or host[:port]s reached over plain HTTP (or TLS without
 *     verification); 127.0.0.0/8 and ::1 are always insecure, as in dockerd
 * @param registryMirrors mirror URLs tried first for docker.io images, in order
 * @param certsDirectory {@code <dir>/<host[:port]>/ca.crt, client.cert, client.key} as dockerd's
 *     /etc/docker/certs.d; may not exist
 */
public record RegistryOptions(List<String> insecureRegistries, List<String> registryMirrors, Path certsDirectory) {
    public RegistryOptions {
        insecureRegistries = List.copyOf(insecureRegistries);
        registryMirrors = List.copyOf(registryMirrors);
    }

    public static RegistryOptions defaults() {
        return new RegistryOptions(List.of(), List.of(), Path.of("/etc/berth/certs.d"));
    }
}
