package dev.berth.runtime.linux;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Checks that a container left nothing behind on the host. */
final class Leaks {
    private Leaks() {}

    /** No directory named id under any cgroup hierarchy. */
    static void assertNoCgroupLeft(String id) {
        Path base = Path.of("/sys/fs/cgroup");
        if (!Files.isDirectory(base)) {
            return;
        }
        try (Stream<Path> hierarchies = Files.list(base)) {
            for (Path h : hierarchies.toList()) {
                Path dir = h.resolve("berth").resolve(id);
                assertThat(Files.exists(dir)).as("cgroup left behind: " + dir).isFalse();
            }
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** No mount of the host whose path mentions the bundle (mounts leak into the host ns only by mistake). */
    static void assertNoMountUnder(Path path) {
        try {
            String mounts = Files.readString(Path.of("/proc/self/mountinfo"));
            assertThat(mounts).as("mount left behind under " + path).doesNotContain(path.toString());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
