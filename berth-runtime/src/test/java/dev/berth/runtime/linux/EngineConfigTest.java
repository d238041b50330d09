package dev.berth.runtime.linux;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.runtime.api.CreateOptions;
import dev.berth.runtime.testing.Privileged;
import dev.berth.runtime.testing.TestBundle;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Configs as podman and dockerd write them, and what their containers expect to find: the
 * parts of those configs that berth's own default spec does not exercise.
 */
class EngineConfigTest {
    @TempDir
    Path tmp;
    LinuxContainerRuntime runtime;
    String id;

    @BeforeEach
    void setUp() {
        Privileged.assumeContainersWork();
        runtime = LinuxContainerRuntime.open(tmp.resolve("root"), Privileged.helper());
        id = "eng-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
    }

    @AfterEach
    void tearDown() {
        if (runtime != null) {
            for (var s : runtime.list()) {
                runtime.delete(s.id(), true);
            }
        }
    }

    /**
     * dockerd's prestart hook is /proc/PID/exe with args[0] "libnetwork-setkey": the hook must
     * see its own args[0], not its path.
     */
    @Test
    void hookSeesItsOwnArgv0() {
        Path out = tmp.resolve("hook-out");
        TestBundle b = TestBundle.create(tmp, "true");
        b.edit(c -> c.put("hooks", new LinkedHashMap<>(Map.of("prestart", new ArrayList<>(List.of(Map.of(
                "path", "/bin/sh",
                "args", List.of("libnetwork-setkey", "-c", "echo $0 > " + out))))))));
        assertThat(runtime.run(CreateOptions.of(id, b.dir()), false)).isZero();
        assertThat(out).content().isEqualTo("libnetwork-setkey\n");
    }
}
