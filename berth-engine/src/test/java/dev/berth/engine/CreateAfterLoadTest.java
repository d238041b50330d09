package dev.berth.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.engine.container.Container;
import dev.berth.engine.container.ContainerConfig;
import dev.berth.engine.container.HostConfig;
import dev.berth.engine.logs.LogEntry;
import dev.berth.engine.logs.LogReader;
import dev.berth.engine.testing.EngineFixture;
import dev.berth.image.archive.ImageRegistry;
import dev.berth.image.archive.ImageTransfer;
import dev.berth.image.snapshot.OverlaySnapshotter;
import dev.berth.oci.image.Digest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code docker load} returns before its layers are unpacked (they are pending in the
 * snapshotter): a container created right after the load must still get the image's files.
 * Needs root.
 */
class CreateAfterLoadTest {
    private EngineFixture fx;
    private final java.util.ArrayList<String> ids = new java.util.ArrayList<>();

    @BeforeEach
    void setUp() {
        EngineFixture.assumePrivileged();
        fx = new EngineFixture().start();
    }

    @AfterEach
    void tearDown() throws Exception {
        if (fx == null) {
            return;
        }
        fx.removeAllCheckAndClose(ids);
    }

    @Test
    void aContainerCreatedRightAfterALoadRunsFromTheImagesFiles() throws Exception {
        OverlaySnapshotter snapshots = (OverlaySnapshotter) fx.images.snapshotter();
        ImageTransfer transfer = new ImageTransfer(fx.dataRoot, fx.images.content(), snapshots, ImageRegistry.of(fx.images));
        ByteArrayOutputStream saved = new ByteArrayOutputStream();
        transfer.save(List.of("busybox:latest"), saved, ImageTransfer.Format.DOCKER);
        fx.images.remove("busybox:latest", true, false);
        assertThat(snapshots.layers()).isEmpty();

        transfer.load(new ByteArrayInputStream(saved.toByteArray()));
        Digest top = fx.images.inspect("busybox:latest").topChainId().orElseThrow();
        assertThat(snapshots.isUnpacked(top)).as("the load left the layer to be unpacked later").isFalse();

        Container c = fx.engine.create(CreateRequest.of(ContainerConfig.of("busybox", List.of("cat", "/etc/passwd")),
                HostConfig.DEFAULT));
        ids.add(c.id());
        assertThat(snapshots.isUnpacked(top)).isTrue();
        assertThat(fx.engine.start(c.id())).isTrue();
        WaitResult r = fx.engine.await(c.id(), WaitCondition.NOT_RUNNING, Duration.ofSeconds(20));
        assertThat(r.statusCode()).isZero();
        assertThat(String.join("", LogReader.readAll(fx.engine.logPath(c.id())).stream()
                .filter(e -> e.stream() == LogEntry.Stream.STDOUT).map(LogEntry::text).toList())).startsWith("root:x:0:0:");
    }
}
