package dev.berth.image.registry.push;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.image.registry.push.PushFixture.Kept;
import dev.berth.image.registry.push.PushFixture.Layer;
import dev.berth.image.registry.push.PushFixture.Recorder;
import dev.berth.oci.BerthException;
import dev.berth.oci.image.Reference;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A push's failures against an in-memory registry: what is tried again, what is not, and that nothing is tagged after a failure. */
class PushRetryTest {
    @TempDir
    Path root;
    PushFixture fx;
    FakePushTransport registry = new FakePushTransport();

    @BeforeEach
    void fixture() throws Exception {
        fx = new PushFixture(root);
    }

    private ImagePusher pusher() {
        return new ImagePusher(fx.images, fx.origins, (repo, mounts) -> registry, 5, Duration.ZERO);
    }

    @Test
    void aDroppedUploadIsTriedAgainWithDockerdsCountdown() throws Exception {
        Layer a = fx.textLayer("retry", Kept.GZIP_BLOB);
        fx.image(List.of("fake.example/repo:1"), a);
        registry.failUploads.set(2);
        Recorder rec = new Recorder();

        pusher().push(Reference.parse("fake.example/repo:1"), rec);

        assertThat(rec.statusesOf(a.diffId())).containsSubsequence("Preparing", "Retrying in 5 seconds", "Retrying in 1 second",
                "Retrying in 10 seconds", "Pushed");
        assertThat(registry.manifests).containsKey("1");
        assertThat(registry.requests).filteredOn(r -> r.equals("DELETE")).hasSize(2); // the failed sessions are given up
    }

    @Test
    void aGzippedOnTheWayLayerIsCompressedAgainOnRetry() throws Exception {
        Layer a = fx.textLayer("retry-gzip", Kept.PLAIN_BLOB);
        fx.image(List.of("fake.example/repo:1"), a);
        registry.failUploads.set(1);

        pusher().push(Reference.parse("fake.example/repo:1"), new Recorder());

        assertThat(registry.requests).containsSubsequence("PATCH", "DELETE", "POST", "PATCH");
        assertThat(registry.manifests).containsKey("1");
    }

    @Test
    void aRefusalIsNotTriedAgainAndNothingIsTagged() throws Exception {
        fx.image(List.of("fake.example/repo:1"), fx.textLayer("denied", Kept.GZIP_BLOB));
        registry.failUploads.set(1);
        registry.failure = () -> BerthException.forbidden("denied: requested access to the resource is denied");
        Recorder rec = new Recorder();

        assertThatThrownBy(() -> pusher().push(Reference.parse("fake.example/repo:1"), rec))
                .hasMessage("denied: requested access to the resource is denied");
        assertThat(rec.lines()).noneMatch(l -> l.contains("Retrying"));
        assertThat(registry.manifests).isEmpty();
    }

    @Test
    void givesUpAfterFiveAttempts() throws Exception {
        fx.image(List.of("fake.example/repo:1"), fx.textLayer("down", Kept.GZIP_BLOB));
        registry.failUploads.set(100);

        assertThatThrownBy(() -> pusher().push(Reference.parse("fake.example/repo:1"), new Recorder()))
                .hasMessage("connection reset");
        assertThat(registry.requests).filteredOn(r -> r.startsWith("PUT ")).hasSize(ImagePusher.UPLOAD_ATTEMPTS);
        assertThat(registry.manifests).isEmpty();
    }

    @Test
    void aFailingLayerStopsTheOthersFromStarting() throws Exception {
        Layer[] layers = new Layer[8];
        for (int i = 0; i < layers.length; i++) {
            layers[i] = fx.textLayer("many" + i, Kept.GZIP_BLOB);
        }
        fx.image(List.of("fake.example/repo:1"), layers);
        registry.failUploads.set(100);
        registry.failure = () -> BerthException.invalid("blob upload invalid");

        assertThatThrownBy(() -> new ImagePusher(fx.images, fx.origins, (repo, mounts) -> registry, 1, Duration.ZERO)
                .push(Reference.parse("fake.example/repo:1"), new Recorder()))
                .hasMessage("blob upload invalid");
        assertThat(registry.requests).filteredOn(r -> r.startsWith("PUT ")).hasSize(1);
    }
}
