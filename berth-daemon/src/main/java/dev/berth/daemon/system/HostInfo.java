package dev.berth.daemon.system;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/** Facts about the host for /info and /version, read from /proc, /sys and /etc (no exec). */
public final class HostInfo {
    private HostInfo() {}

    public static String kernelVersion() {
        return read(Path.of("/proc/sys/kernel/osrelease")).orElse("unknown");
    }

    public static String hostname() {
        return read(Path.of("/proc/sys/kernel/hostname")).orElse("localhost");
    }

    /** PRETTY_NAME of /etc/os-release, as dockerd's OperatingSystem. */
    public static String operatingSystem() {
        return osRelease("PRETTY_NAME").orElse("Linux");
    }

    /** VERSION_CODENAME of /etc/os-release (bookworm), the suite a Debian bootstrap follows. */
    public static Optional<String> osCodename() {
        return osRelease("VERSION_CODENAME").filter(s -> !s.isEmpty());
    }

    public static String osVersion() {
        return osRelease("VERSION_ID").orElse("");
    }

    private static Optional<String> osRelease(String key) {
        for (Path p : new Path[] {Path.of("/etc/os-release"), Path.of("/usr/lib/os-release")}) {
            try {
                for (String line : Files.readAllLines(p, StandardCharsets.UTF_8)) {
                    if (line.startsWith(key + "=")) {
                        String v = line.substring(key.length() + 1).trim();
                        if (v.length() >= 2 && (v.startsWith("\"") && v.endsWith("\"") || v.startsWith("'") && v.endsWith("'"))) {
                            v = v.substring(1, v.length() - 1);
                        }
                        return Optional.of(v);
                    }
                }
            } catch (IOException e) {
                // try the next one
            }
        }
        return Optional.empty();
    }

    /** uname -m, as /info's Architecture (x86_64, aarch64). */
    public static String machine() {
        String arch = System.getProperty("os.arch", "");
        return switch (arch) {
            case "amd64", "x86_64" -> "x86_64";
            case "aarch64", "arm64" -> "aarch64";
            default -> arch;
        };
    }

    /** Go's GOARCH, as /version's Arch (amd64, arm64). */
    public static String goArch() {
        String arch = System.getProperty("os.arch", "");
        return switch (arch) {
            case "amd64", "x86_64" -> "amd64";
            case "aarch64", "arm64" -> "arm64";
            default -> arch.toLowerCase(Locale.ROOT);
        };
    }

    public static long memTotal() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // fall through
        }
        return 0;
    }

    /** "2" on a unified hierarchy, "1" otherwise (hybrid hosts like these machines count as 1, as dockerd says). */
    public static String cgroupVersion() {
        return Files.exists(Path.of("/sys/fs/cgroup/cgroup.controllers")) ? "2" : "1";
    }

    public static boolean sysctlOn(String path) {
        return read(Path.of("/proc/sys", path)).map("1"::equals).orElse(false);
    }

    public static int openFds() {
        try (var s = Files.list(Path.of("/proc/self/fd"))) {
            return (int) s.count();
        } catch (IOException e) {
            return 0;
        }
    }

    public static int threads() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Threads:")) {
                    return Integer.parseInt(line.substring(8).trim());
                }
            }
        } catch (IOException | NumberFormatException e) {
            // fall through
        }
        return Thread.activeCount();
    }

    private static Optional<String> read(Path p) {
        try {
            return Optional.of(Files.readString(p, StandardCharsets.UTF_8).trim());
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
