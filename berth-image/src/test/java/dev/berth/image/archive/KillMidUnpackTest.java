package dev.berth.image.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.berth.image.snapshot.ContainerMount;
import dev.berth.image.snapshot.OverlaySnapshotter;
import dev.berth.image.store.Image;
import dev.berth.image.store.ImageService;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A daemon killed (SIGKILL) while it unpacks a loaded layer in the background: the store it
 * leaves opens consistent, with the image there and its layers unpacked again on first use.
 */
class KillMidUnpackTest {
    @TempDir
    Path root;

    @Test
    void aKillMidUnpackLeavesAStoreThatOpensConsistent() throws Exception {
        assumeTrue(!Boolean.getBoolean("berth.skipPrivileged"), "privileged tests disabled with -Dberth.skipPrivileged=true");
        assumeTrue(new String(Files.readAllBytes(Path.of("/proc/self/status"))).contains("\nUid:\t0\t"),
                "needs root to unpack layers with their owners");
        Path dataRoot = root.resolve("data");
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                KillMidUnpackChild.class.getName(), dataRoot.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        List<String> said = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            // the load returns (image registered) and the worker freezes in its unpack, in either order
            for (String line; !(said.contains("loaded") && said.contains("mid-unpack")) && (line = out.readLine()) != null; ) {
                said.add(line);
            }
            assertThat(child.isAlive()).as("the child froze mid-unpack (it said " + said + ")").isTrue();
            try (Stream<Path> s = Files.list(dataRoot.resolve("snapshots"))) {
                assertThat(s.map(p -> p.getFileName().toString())).anyMatch(n -> n.startsWith("tmp-"));
            }
        } finally {
            child.destroyForcibly(); // SIGKILL
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }

        OverlaySnapshotter snapshots = new OverlaySnapshotter(dataRoot);
        ImageService service = ImageService.open(dataRoot, snapshots);
        try (Stream<Path> s = Files.list(dataRoot.resolve("snapshots"))) {
            assertThat(s.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("tmp-"));
        }
        Image derived = service.inspect("derived:v2");
        assertThat(snapshots.layers()).hasSize(3);
        ContainerMount m = snapshots.prepare("c1", derived.topChainId().orElseThrow());
        assertThat(Files.readString(m.lowerDirs().getFirst().resolve("etc/hello"))).isEqualTo("bye\n");
        snapshots.remove("c1");
    }
}
