package dev.berth.image.registry;

import dev.berth.oci.BerthException;
import java.nio.file.Path;
import java.time.Duration;
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
 * @param readTimeout how long a registry may send nothing (or, on a push, take nothing) before the
 *     request is given up: a blob download then resumes with Range, a bounded number of times.
 *     dockerd has no such bound (a stalled registry hangs its pull); berth's default is 60 s
 */
public record RegistryOptions(List<String> insecureRegistries, List<String> registryMirrors, Path certsDirectory,
        Duration readTimeout) {
    /** berth's read timeout unless one is given. */
    public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(60);

    public RegistryOptions {
        insecureRegistries = List.copyOf(insecureRegistries);
        registryMirrors = List.copyOf(registryMirrors);
        if (readTimeout == null || readTimeout.isNegative() || readTimeout.isZero()) {
            throw BerthException.invalid("registry read timeout must be positive, got " + readTimeout);
        }
    }

    public RegistryOptions(List<String> insecureRegistries, List<String> registryMirrors, Path certsDirectory) {
        this(insecureRegistries, registryMirrors, certsDirectory, DEFAULT_READ_TIMEOUT);
    }

    /** These options with another read timeout (tests use a short one). */
    public RegistryOptions withReadTimeout(Duration timeout) {
        return new RegistryOptions(insecureRegistries, registryMirrors, certsDirectory, timeout);
    }

    public static RegistryOptions defaults() {
        return new RegistryOptions(List.of(), List.of(), Path.of("/etc/berth/certs.d"));
    }
}
