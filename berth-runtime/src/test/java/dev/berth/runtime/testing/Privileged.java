package dev.berth.runtime.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Guards for tests that need root and the kernel: they skip with the reason, never pass
 * silently. CI runs as root, so there they run.
 */
public final class Privileged {
    private Privileged() {}

    public static boolean isRoot() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    return line.split("\\s+")[2].equals("0");
                }
            }
        } catch (IOException e) {
            return false;
        }
        return false;
    }

    /** Skips unless root on Linux with a static busybox to build test root filesystems from. */
    public static void assumeContainersWork() {
        assumeTrue(!Boolean.getBoolean("berth.skipPrivileged"), "privileged tests disabled with -Dberth.skipPrivileged=true");
        assumeTrue(System.getProperty("os.name").equals("Linux"), "needs Linux namespaces and cgroups");
        assumeTrue(isRoot(), "needs root to create namespaces, mounts and cgroups (run as root, as CI does)");
        assumeTrue(Files.isExecutable(Path.of("/bin/busybox")), "needs /bin/busybox (apt-get install busybox-static)");
        assumeTrue(Files.isExecutable(helper()), "needs the berth-init helper built at " + helper());
    }

    /** The helper binary the build compiled. */
    public static Path helper() {
        String repo = System.getProperty("berth.repo");
        Path base = repo == null ? Path.of("").toAbsolutePath().getParent() : Path.of(repo);
        return base.resolve("berth-runtime/target/berth-init");
    }

    public static Path repo() {
        String repo = System.getProperty("berth.repo");
        return repo == null ? Path.of("").toAbsolutePath().getParent() : Path.of(repo);
    }
}
