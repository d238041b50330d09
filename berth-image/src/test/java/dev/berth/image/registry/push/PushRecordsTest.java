package dev.berth.image.registry.push;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.image.registry.BlobOrigins;
import dev.berth.image.registry.push.PushFixture.Kept;
import dev.berth.image.registry.push.PushFixture.Layer;
import dev.berth.image.registry.push.PushFixture.Recorder;
import dev.berth.oci.image.Digest;
import dev.berth.oci.image.ImageJson;
import dev.berth.oci.image.MediaTypes;
import dev.berth.oci.image.Reference;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How a push uses and keeps {@link BlobOrigins}, against an in-memory registry. */
class PushRecordsTest {
    @TempDir
    Path root;
    PushFixture fx;
    FakePushTransport registry = new FakePushTransport();

    @BeforeEach
    void fixture() throws Exception {
        fx = new PushFixture(root);
    }

    private void push(String ref, Recorder rec) {
        new ImagePusher(fx.images, fx.origins, (repo, mounts) -> registry, 5, Duration.ZERO).push(Reference.parse(ref), rec);
    }

    @Test
    void aRecordedBlobTheRepositoryLacksIsForgottenAndTheLayerUploaded() throws Exception {
        Layer a = fx.textLayer("forgotten", Kept.PLAIN_BLOB);
        fx.image(List.of("fake.example/repo:1"), a);
        Digest ghost = Digest.sha256("not there".getBytes());
        fx.origins.add(a.diffId(), new BlobOrigins.Origin(ghost, MediaTypes.DOCKER_LAYER, 9, "fake.example/repo"));
        Recorder rec = new Recorder();

        push("fake.example/repo:1", rec);

        assertThat(registry.requests).contains("HEAD " + ghost.shortHex());
        assertThat(rec.statusesOf(a.diffId())).containsExactly("Preparing", "Pushing", "Pushed");
        assertThat(fx.origins.of(a.diffId())).extracting(BlobOrigins.Origin::blob).doesNotContain(ghost).hasSize(1);
    }

    @Test
    void aZstdBlobOfTheLayerIsNotUsedForAGzipOrPlainOne() throws Exception {
        Layer a = fx.textLayer("not-zstd", Kept.GZIP_BLOB);
        fx.image(List.of("fake.example/repo:1"), a);
        byte[] zst = com.github.luben.zstd.Zstd.compress(a.tar());
        Digest zstd = Digest.sha256(zst);
        registry.blobs.put(zstd, zst);
        fx.origins.add(a.diffId(), new BlobOrigins.Origin(zstd, MediaTypes.OCI_LAYER_ZSTD, zst.length, "fake.example/repo"));

        push("fake.example/repo:1", new Recorder());

        assertThat(registry.requests).doesNotContain("HEAD " + zstd.shortHex());
        var m = ImageJson.parseManifest(registry.manifests.get("1"));
        assertThat(m.mediaType()).isEqualTo(MediaTypes.DOCKER_MANIFEST);
        assertThat(m.layers().getFirst().mediaType()).isEqualTo(MediaTypes.DOCKER_LAYER);
        assertThat(m.layers().getFirst().digest()).isNotEqualTo(zstd);
    }
}
