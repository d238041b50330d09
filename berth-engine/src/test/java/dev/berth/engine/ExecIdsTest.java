package dev.berth.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.engine.container.Container;
import dev.berth.engine.container.ContainerConfig;
import dev.berth.engine.container.HostConfig;
import dev.berth.engine.testing.EngineFixture;
import dev.berth.oci.BerthException;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A container's ExecIDs as dockerd 20.10 lists them (checked against it): needs root, a real container. */
class ExecIdsTest {
    private EngineFixture fx;
    private ContainerEngine engine;
    private String id;

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
            if (id != null) {
                engine.remove(id, true);
                fx.assertNoLeaks(List.of(id));
            }
        } finally {
            fx.close();
        }
    }

    @Test
    void createdAndRunningExecsOfTheCurrentRunOldestFirst() throws Exception {
        Container c = engine.create(CreateRequest.of(ContainerConfig.of("busybox", List.of("sleep", "1000")), HostConfig.DEFAULT));
        id = c.id();
        assertThat(engine.execIds(id)).isEmpty();
        engine.start(id);
        assertThat(engine.execIds(id)).isEmpty();

        String done = engine.execCreate(id, ExecConfig.of(List.of("true")));
        String running = engine.execCreate(id, ExecConfig.of(List.of("sleep", "1000")));
        String created = engine.execCreate(id, ExecConfig.of(List.of("true")));
        assertThat(engine.execIds(c.name().bare())).containsExactly(done, running, created);

        assertThat(engine.execStart(done, e -> { }).get()).isZero();
        var sleeping = engine.execStart(running, e -> { });
        assertThat(engine.execIds(id)).as("an ended exec leaves the list").containsExactly(running, created);
        assertThat(engine.execInspect(done).exitCode()).as("but stays inspectable").contains(0);

        String missing = engine.execCreate(id, ExecConfig.of(List.of("nope")));
        assertThatThrownBy(() -> engine.execStart(missing, e -> { })).isInstanceOf(BerthException.class);
        assertThat(engine.execIds(id)).as("nor does one that could not start").containsExactly(running, created);

        engine.stop(id, java.util.Optional.of(1));
        sleeping.get(20, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(engine.execIds(id)).as("a stopped container lists none").isEmpty();
        engine.start(id);
        assertThat(engine.execIds(id)).as("nor do the execs of an earlier run after a restart").isEmpty();

        assertThatThrownBy(() -> engine.execIds("no-such-container"))
                .isInstanceOfSatisfying(BerthException.class, e -> assertThat(e.kind()).isEqualTo(BerthException.Kind.NOT_FOUND));
    }
}
