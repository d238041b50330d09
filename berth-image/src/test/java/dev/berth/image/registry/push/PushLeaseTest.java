package dev.berth.image.registry.push;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.image.registry.push.PushFixture.Kept;
import dev.berth.image.registry.push.PushFixture.Layer;
import dev.berth.image.registry.push.PushFixture.Recorder;
import dev.berth.image.store.Image;
import dev.berth.oci.image.Digest;
import dev.berth.oci.image.ImageJson;
import dev.berth.oci.image.ImageManifest;
import dev.berth.oci.image.Reference;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A push whose image is removed (rmi, then prune -a) while its first blob is being uploaded: the
 * push's lease keeps the blobs and snapshots it reads until it ends, so it completes with the
 * image as it was; then the removal's deletions happen.
 */
class PushLeaseTest {
    @TempDir
    Path root;

    @Test
    void anRmiDuringAPushWaitsForThePushToEnd() throws Exception {
        PushFixture fx = new PushFixture(root);
        FakePushTransport registry = new FakePushTransport();
        Layer stored = fx.textLayer("kept-gzip", Kept.GZIP_BLOB);
        Layer plain = fx.textLayer("kept-plain", Kept.PLAIN_BLOB);
        Image image = fx.image(List.of("fake.example/repo:1"), stored, plain);
        registry.atFirstUpload.set(() -> {
            fx.images.remove("fake.example/repo:1", false, false);
            fx.images.prune(true, Map.of());
        });

        new ImagePusher(fx.images, fx.origins, (repo, mounts) -> registry, 1, Duration.ZERO)
                .push(Reference.parse("fake.example/repo:1"), new Recorder());

        assertThat(fx.images.find(image.id().toString())).as("the rmi happened").isEmpty();
        ImageManifest manifest = ImageJson.parseManifest(registry.manifests.get("1"));
        assertThat(manifest.config().digest()).isEqualTo(image.id());
        assertThat(registry.blobs).containsKey(image.id());
        manifest.layers().forEach(l -> assertThat(registry.blobs).containsKey(l.digest()));
        // the removal's deletions ran when the push let go
        assertThat(fx.content.list()).isEmpty();
        assertThat(fx.snapshots.layers()).isEmpty();
        assertThat(fx.origins.of(stored.diffId())).as("records of a layer no image has").isEmpty();
    }

    @Test
    void aPushLeavesNothingDeferredWhenNothingWasRemoved() throws Exception {
        PushFixture fx = new PushFixture(root);
        FakePushTransport registry = new FakePushTransport();
        Layer layer = fx.textLayer("stays", Kept.GZIP_BLOB);
        Image image = fx.image(List.of("fake.example/repo:1"), layer);
        new ImagePusher(fx.images, fx.origins, (repo, mounts) -> registry, 1, Duration.ZERO)
                .push(Reference.parse("fake.example/repo:1"), new Recorder());
        Digest blob = image.layers().getFirst().blob().orElseThrow().digest();
        assertThat(fx.content.contains(blob)).isTrue();
        assertThat(fx.snapshots.hasLayer(image.layers().getFirst().chainId())).isTrue();
        assertThat(fx.origins.of(layer.diffId())).isNotEmpty();
    }
}
