package dev.berth.daemon.image;

import dev.berth.oci.BerthException;
import dev.berth.oci.image.Platform;
import java.util.List;
import java.util.Locale;

/**
 * The {@code platform} query parameter as containerd's platforms.Parse reads it: {@code os},
 * {@code os/arch}, {@code os/arch/variant}, or an architecture alone (linux assumed); "" is the
 * host's platform. Architecture aliases (x86_64, aarch64) become Go's words.
 */
final class PlatformParam {
    private static final List<String> OSES = List.of("linux", "windows", "darwin", "freebsd", "netbsd", "openbsd",
            "solaris", "illumos", "aix", "android", "ios", "plan9", "js", "wasip1", "dragonfly");

    private PlatformParam() {}

    static Platform parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.isEmpty()) {
            return Platform.host();
        }
        String[] parts = t.split("/", -1);
        for (String p : parts) {
            if (!p.matches("[a-z0-9_.-]+")) {
                throw invalid(text);
            }
        }
        return switch (parts.length) {
            case 1 -> OSES.contains(parts[0])
                    ? Platform.of(parts[0], Platform.host().architecture())
                    : Platform.of("linux", architecture(parts[0]));
            case 2 -> Platform.of(os(parts[0], text), architecture(parts[1]));
            case 3 -> new Platform(architecture(parts[1]), os(parts[0], text), "", List.of(), parts[2]);
            default -> throw invalid(text);
        };
    }

    private static String os(String os, String text) {
        if (!OSES.contains(os)) {
            throw invalid(text);
        }
        return os;
    }

    private static String architecture(String arch) {
        return switch (arch) {
            case "x86_64", "x86-64" -> "amd64";
            case "aarch64" -> "arm64";
            case "i386", "i686" -> "386";
            default -> arch;
        };
    }

    private static BerthException invalid(String text) {
        return BerthException.invalid("\"" + text + "\": unknown operating system or architecture: invalid argument");
    }
}
