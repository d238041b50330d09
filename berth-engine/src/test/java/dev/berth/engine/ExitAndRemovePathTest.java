package dev.berth.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.engine.container.Container;
import dev.berth.engine.container.ContainerConfig;
import dev.berth.engine.container.HostConfig;
import dev.berth.engine.container.RestartPolicy;
import dev.berth.engine.container.Status;
import dev.berth.engine.logs.LogEntry;
import dev.berth.engine.logs.LogReader;
import dev.berth.engine.testing.EngineFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The launch path's shortcuts (docs/engine.md "Launch speed"): waiters are released before the
 * run's cleanup finishes, state writes are not fsynced for restart policy "no", rm detaches the
 * container's files and deletes them in the background. What follows a wait must still see a
 * finished exit, and nothing may be left once the engine is closed.
 */
class ExitAndRemovePathTest {
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
        fx.removeAllCheckAndClose(ids);
    }

    private Container create(List<String> cmd, HostConfig host) {
        Container c = engine.create(CreateRequest.of(ContainerConfig.of("busybox", cmd), host));
        ids.add(c.id());
        return c;
    }

    private List<String> stdout(Container c) throws Exception {
        return LogReader.readAll(engine.logPath(c.id())).stream()
                .filter(e -> e.stream() == LogEntry.Stream.STDOUT).map(LogEntry::text).toList();
    }

    @Test
    void logsStartAndRemoveRightAfterAWaitSeeAFinishedExit() throws Exception {
        for (int i = 0; i < 5; i++) {
            Container c = create(List.of("echo", "hi-" + i), HostConfig.DEFAULT);
            engine.start(c.id());
            assertThat(engine.await(c.id(), WaitCondition.NOT_RUNNING, WAIT).statusCode()).isZero();
            assertThat(stdout(c)).containsExactly("hi-" + i + "\n");
            // started again at once: the previous run's cleanup (cgroups, mount) is done first
            engine.start(c.id());
            assertThat(engine.await(c.id(), WaitCondition.NOT_RUNNING, WAIT).statusCode()).isZero();
            assertThat(stdout(c)).containsExactly("hi-" + i + "\n", "hi-" + i + "\n");
            Path dir = fx.dataRoot.resolve("containers").resolve(c.id());
            assertThat(dir).isDirectory();
            engine.remove(c.id(), false);
            assertThat(dir).doesNotExist();
            assertThatThrownBy(() -> engine.inspect(c.id())).hasMessageStartingWith("No such container");
            assertThat(fx.images.snapshotter().containerKeys()).doesNotContain(c.id());
        }
    }

    @Test
    void closingTheEngineFinishesTheBackgroundDeletes() throws Exception {
        for (int i = 0; i < 5; i++) {
            Container c = create(List.of("true"), HostConfig.DEFAULT);
            engine.start(c.id());
            engine.await(c.id(), WaitCondition.NOT_RUNNING, WAIT);
            engine.remove(c.id(), false);
        }
        engine.close();
        try (var left = Files.list(fx.dataRoot.resolve("containers"))) {
            assertThat(left.toList()).isEmpty();
        }
        try (var left = Files.list(fx.dataRoot.resolve("snapshots").resolve("containers"))) {
            assertThat(left.toList()).isEmpty();
        }
        engine = fx.engine = fx.openEngine();
        assertThat(engine.list(true)).isEmpty();
    }

    @Test
    void aContainerWhosePolicyRestartsItKeepsDurableStateWritesAndOneWithoutPolicyRecoversToo() throws Exception {
        Container plain = create(List.of("sleep", "1000"), HostConfig.DEFAULT);
        Container always = create(List.of("sleep", "1000"), HostConfig.DEFAULT.withRestartPolicy(RestartPolicy.parse("always")));
        engine.start(plain.id());
        engine.start(always.id());
        Path plainDir = fx.dataRoot.resolve("containers").resolve(plain.id());
        Path alwaysDir = fx.dataRoot.resolve("containers").resolve(always.id());
        // the durable copy: plain's is as created (its start was not fsynced), always's says started
        assertThat(Files.readString(plainDir.resolve("container.durable.json"))).containsPattern("\"Status\":\\s*\"created\"");
        assertThat(Files.readString(alwaysDir.resolve("container.durable.json"))).containsPattern("\"Status\":\\s*\"running\"");
        engine.abandonForTest(); // kill -9
        // and a power loss that emptied plain's record
        Files.write(plainDir.resolve("container.json"), new byte[0]);

        engine = fx.engine = fx.openEngine();
        assertThat(engine.inspect(plain.id()).status()).isEqualTo(Status.CREATED);
        assertThat(engine.inspect(always.id()).status()).isEqualTo(Status.RUNNING);
        engine.start(plain.id());
        assertThat(engine.inspect(plain.id()).status()).isEqualTo(Status.RUNNING);
    }

    @Test
    void aStoppedRmContainerIsRemovedAtOpenAndACreatedOneIsKept() throws Exception {
        HostConfig rm = HostConfig.DEFAULT.withAutoRemove(true);
        Container ran = create(List.of("sleep", "1000"), rm);
        Container created = create(List.of("true"), rm);
        engine.start(ran.id());
        engine.abandonForTest(); // kill -9 while it runs: its --rm never happened

        engine = fx.engine = fx.openEngine();
        assertThatThrownBy(() -> engine.inspect(ran.id())).hasMessageStartingWith("No such container");
        assertThat(fx.images.snapshotter().containerKeys()).doesNotContain(ran.id());
        assertThat(engine.inspect(created.id()).status()).isEqualTo(Status.CREATED);
    }

    @Test
    void aRecordWhoseWritableLayerWasLostGetsAnEmptyOneAtOpen() throws Exception {
        Container c = create(List.of("echo", "back"), HostConfig.DEFAULT);
        engine.close();
        // what a power loss can do to create's layer, which is not fsynced
        fx.images.snapshotter().remove(c.id());

        engine = fx.engine = fx.openEngine();
        assertThat(fx.images.snapshotter().containerKeys()).contains(c.id());
        engine.start(c.id());
        assertThat(engine.await(c.id(), WaitCondition.NOT_RUNNING, WAIT).statusCode()).isZero();
        assertThat(stdout(c)).containsExactly("back\n");
    }
}
