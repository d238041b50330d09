package dev.berth.oci.image;

import dev.berth.oci.BerthException;
import java.util.List;

/**
 * The platform an image runs on (image-index.md "platform"): os and architecture are required,
 * the rest is "" or empty when absent. Architecture and os use Go's GOARCH/GOOS words
 * ({@code amd64}, {@code arm64}, {@code linux}).
 */
public record Platform(String architecture, String os, String osVersion, List<String> osFeatures, String variant) {
    public Platform {
        if (architecture == null || architecture.isEmpty()) {
            throw BerthException.invalid("platform: architecture is required");
        }
        if (os == null || os.isEmpty()) {
            throw BerthException.invalid("platform: os is required");
        }
        osVersion = osVersion == null ? "" : osVersion;
        osFeatures = osFeatures == null ? List.of() : List.copyOf(osFeatures);
        variant = variant == null ? "" : variant;
    }

    public static Platform of(String os, String architecture) {
        return new Platform(architecture, os, "", List.of(), "");
    }

    /** The platform of this JVM's host, in Go's words (linux/amd64, linux/arm64, …). */
    public static Platform host() {
        String arch = switch (System.getProperty("os.arch")) {
            case "amd64", "x86_64" -> "amd64";
            case "aarch64", "arm64" -> "arm64";
            case "x86", "i386", "i686" -> "386";
            case "ppc64le" -> "ppc64le";
            case "s390x" -> "s390x";
            case "riscv64" -> "riscv64";
            case "arm" -> "arm";
            default -> System.getProperty("os.arch");
        };
        return of("linux", arch);
    }

    /** {@code os/architecture[/variant]}, as docker prints platforms. */
    @Override
    public String toString() {
        return os + "/" + architecture + (variant.isEmpty() ? "" : "/" + variant);
    }
}
