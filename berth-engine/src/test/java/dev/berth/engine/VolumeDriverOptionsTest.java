package dev.berth.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.engine.container.Container;
import dev.berth.engine.container.ContainerConfig;
import dev.berth.engine.container.HostConfig;
import dev.berth.engine.logs.LogEntry;
import dev.berth.engine.logs.LogReader;
import dev.berth.engine.testing.EngineFixture;
import dev.berth.oci.BerthException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The local driver's options (docker volume create -o type=… -o device=… -o o=…) against the
 * kernel: the device is mounted on the volume's _data while containers use it, as dockerd's
 * local driver does (its behaviour and words checked against dockerd 20.10). Needs root.
 */
class VolumeDriverOptionsTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    private EngineFixture fx;
    private ContainerEngine engine;
    private final List<String> ids = new ArrayList<>();

    @BeforeEach
    void setUp() {
        EngineFixture.assumePrivileged();
        fx = new EngineFixture().start();
        engine = fx.engine;
    }

    @AfterEach
    void tearDown() throws Exception {
        if (fx == null) {
            return;
        }
        try {
            for (Container c : engine.list(true)) {
                engine.remove(c.id(), true);
            }
            for (var v : engine.volumeList()) {
                engine.volumeRemove(v.name(), true);
            }
            fx.assertNoLeaks(ids);
        } finally {
            fx.close();
        }
    }

    private Container run(String volume, String... cmd) {
        Container c = engine.create(CreateRequest.of(ContainerConfig.of("busybox", List.of(cmd)),
                HostConfig.DEFAULT.withMounts(List.of(volume + ":/data"), List.of(), false)));
        ids.add(c.id());
        engine.start(c.id());
        return c;
    }

    private List<String> output(Container c) {
        return LogReader.readAll(engine.logPath(c.id())).stream().map(LogEntry::text).toList();
    }

    private static boolean mounted(Path p) throws Exception {
        return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream().anyMatch(l -> l.split(" ")[4].equals(p.toString()));
    }

    @Test
    void aTmpfsVolumeIsMountedWhileContainersUseItAndSharedBetweenThem() throws Exception {
        var v = engine.volumeCreate(Optional.of("scratch"), Map.of(), Map.of("type", "tmpfs", "device", "tmpfs", "o", "size=64m"));
        assertThat(v.options().values()).containsExactlyInAnyOrderEntriesOf(Map.of("type", "tmpfs", "device", "tmpfs", "o", "size=64m"));
        assertThat(mounted(v.mountpoint())).as("nothing mounted at create").isFalse();

        Container holder = run("scratch", "sh", "-c", "echo kept > /data/f; sleep 1000");
        assertThat(mounted(v.mountpoint())).isTrue();
        Container second = run("scratch", "sh", "-c", "grep ' /data ' /proc/mounts; while [ ! -f /data/f ]; do sleep 0.05; done; cat /data/f");
        assertThat(engine.await(second.id(), WaitCondition.NOT_RUNNING, WAIT).statusCode()).isZero();
        assertThat(output(second)).hasSize(2).last().isEqualTo("kept\n");
        assertThat(output(second).getFirst()).startsWith("tmpfs /data tmpfs rw").contains("size=65536k");
        assertThat(mounted(v.mountpoint())).as("the other container still holds it").isTrue();

        engine.remove(holder.id(), true);
        assertThat(mounted(v.mountpoint())).as("the last one out unmounts").isFalse();
        Container third = run("scratch", "ls", "/data");
        engine.await(third.id(), WaitCondition.NOT_RUNNING, WAIT);
        assertThat(output(third)).as("a tmpfs starts empty again, as dockerd's").isEmpty();
        // the record keeps the options across a daemon restart
        engine.close();
        engine = fx.openEngine();
        fx.engine = engine;
        assertThat(engine.volumeInspect("scratch").options()).isEqualTo(v.options());
    }

    @Test
    void aBindVolumeShowsTheHostDirectoryAndItsRemovalKeepsTheFiles() throws Exception {
        Path host = Files.createDirectories(fx.base.resolve("host-dir"));
        Files.writeString(host.resolve("h"), "from the host\n");
        var v = engine.volumeCreate(Optional.of("shared"), Map.of(), Map.of("type", "none", "o", "bind", "device", host.toString()));
        Container c = run("shared", "sh", "-c", "cat /data/h; echo back > /data/b");
        assertThat(engine.await(c.id(), WaitCondition.NOT_RUNNING, WAIT).statusCode()).isZero();
        assertThat(output(c)).containsExactly("from the host\n");
        assertThat(host.resolve("b")).hasContent("back");
        assertThat(mounted(v.mountpoint())).isFalse();
        engine.remove(c.id(), false);
        engine.volumeRemove("shared", false);
        assertThat(host.resolve("h")).as("docker volume rm leaves the bound directory alone").exists();
        assertThat(v.mountpoint().getParent()).doesNotExist();
    }

    @Test
    void optionsAreCheckedInDockerdsWords() {
        assertBad(Map.of("foo", "bar"), "create vol: invalid option: \"foo\"");
        assertBad(Map.of("type", "tmpfs"), "create vol: missing required option: \"device\"");
        assertBad(Map.of("o", "bind"), "create vol: missing required option: \"device\"");
        assertBad(Map.of("device", "/x"), "create vol: missing required option: \"type\"");
        assertThat(engine.volumeList()).isEmpty();
        // a second create of the name returns the volume as it is, whatever the options (dockerd 20.10)
        engine.volumeCreate(Optional.of("vol"), Map.of(), Map.of("type", "tmpfs", "device", "tmpfs", "o", "size=1m"));
        assertThat(engine.volumeCreate(Optional.of("vol"), Map.of(), Map.of("type", "tmpfs", "device", "tmpfs")).options().mountOptions())
                .isEqualTo("size=1m");
    }

    private void assertBad(Map<String, String> options, String message) {
        assertThatThrownBy(() -> engine.volumeCreate(Optional.of("vol"), Map.of(), options))
                .isInstanceOfSatisfying(BerthException.class, e -> assertThat(e.kind()).isEqualTo(BerthException.Kind.INVALID_ARGUMENT))
                .hasMessage(message);
    }

    @Test
    void aDeviceThatCannotBeMountedFailsTheStartAndLeavesNothingMounted() throws Exception {
        var missing = engine.volumeCreate(Optional.of("gone"), Map.of(),
                Map.of("type", "none", "o", "bind", "device", fx.base.resolve("no-such-dir").toString()));
        Container c = engine.create(CreateRequest.of(ContainerConfig.of("busybox", List.of("true")),
                HostConfig.DEFAULT.withMounts(List.of("gone:/data"), List.of(), false)));
        ids.add(c.id());
        assertThatThrownBy(() -> engine.start(c.id()))
                .isInstanceOfSatisfying(BerthException.class, e -> assertThat(e.kind()).isEqualTo(BerthException.Kind.INTERNAL)).hasMessage("error while mounting volume '" + missing.mountpoint()
                + "': failed to mount local volume: mount " + fx.base.resolve("no-such-dir") + ":" + missing.mountpoint()
                + ", flags: 0x1000: no such file or directory");
        assertThat(engine.inspect(c.id()).state().exitCode()).as("dockerd records 128, not 127: the program never ran").isEqualTo(128);
        var fine = engine.volumeCreate(Optional.of("fine"), Map.of(), Map.of("type", "tmpfs", "device", "tmpfs"));
        var bad = engine.volumeCreate(Optional.of("bad"), Map.of(), Map.of("type", "tmpfs", "device", "tmpfs", "o", "size=bogus"));
        Container d = engine.create(CreateRequest.of(ContainerConfig.of("busybox", List.of("true")),
                HostConfig.DEFAULT.withMounts(List.of("fine:/a", "bad:/data"), List.of(), false)));
        ids.add(d.id());
        assertThatThrownBy(() -> engine.start(d.id())).hasMessageEndingWith(
                "failed to mount local volume: mount tmpfs:" + bad.mountpoint() + ", data: size=bogus: invalid argument");
        assertThat(mounted(missing.mountpoint())).isFalse();
        assertThat(mounted(bad.mountpoint())).isFalse();
        assertThat(mounted(fine.mountpoint())).as("what the failed start had mounted is let go").isFalse();
        assertThat(engine.inspect(d.id()).state().running()).isFalse();
    }
}
