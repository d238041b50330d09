package dev.berth.image.registry.push;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.image.registry.FakeRegistry;
import dev.berth.image.registry.RegistryCredentials;
import dev.berth.image.registry.RegistryOptions;
import dev.berth.image.registry.push.PushFixture.Kept;
import dev.berth.image.registry.push.PushFixture.Recorder;
import dev.berth.image.registry.client.RegistryClient;
import dev.berth.oci.BerthException;
import dev.berth.oci.image.Reference;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A registry that stops taking an upload's body and never answers: each attempt ends after the
 * read timeout, the layer is tried again as dockerd does, and the push then fails naming the
 * registry, with no manifest put.
 */
class PushStallTest {
    @TempDir
    Path root;

    private static ImagePusher pusher(PushFixture fx, FakeRegistry fake, Duration readTimeout) {
        RegistryOptions options = new RegistryOptions(List.of(), List.of(), Path.of("/nonexistent-certs.d")).withReadTimeout(readTimeout);
        RegistryClient client = new RegistryClient(options, Clock.systemUTC(), Duration.ofMillis(300));
        return new ImagePusher(fx.images, fx.origins, (repo, mounts) -> new RegistryPushTransport(client.repository(repo,
                RegistryCredentials.anonymous(), List.of(RegistryClient.PULL, RegistryClient.PUSH), mounts)), 1, Duration.ZERO);
    }

    @Test
    void aStalledUploadFailsThePushAfterDockerdsAttempts() throws Exception {
        try (FakeRegistry fake = new FakeRegistry()) {
            PushFixture fx = new PushFixture(root);
            String name = fake.domain() + "/stall/push:1";
            // random bytes are sent as they are kept, in one PUT: more than loopback's socket buffers hold
            fx.image(List.of(name), fx.randomLayer("big", 24 << 20, 7, Kept.GZIP_BLOB));
            fake.stallUploads = true;

            assertThatThrownBy(() -> pusher(fx, fake, Duration.ofSeconds(1)).push(Reference.parse(name), new Recorder()))
                    .isInstanceOfSatisfying(BerthException.class, e -> {
                        assertThat(e.kind()).isEqualTo(BerthException.Kind.INTERNAL);
                        assertThat(e.getMessage()).startsWith("Put \"http://" + fake.domain() + "/v2/stall/push/blobs/uploads/")
                                .endsWith("\": read timeout: the registry " + fake.domain() + " took no data and sent no answer for 1 s");
                    });
            assertThat(fake.requests).filteredOn(r -> r.startsWith("PUT /v2/stall/push/blobs/uploads/"))
                    .hasSize(ImagePusher.UPLOAD_ATTEMPTS);
            assertThat(fake.pushedManifests).isEmpty();
        }
    }

    @Test
    void aStreamedUploadThatStallsFailsToo() throws Exception {
        try (FakeRegistry fake = new FakeRegistry()) {
            PushFixture fx = new PushFixture(root);
            String name = fake.domain() + "/stall/patch:1";
            fx.image(List.of(name), fx.textLayer("gzipped-on-the-way", Kept.PLAIN_BLOB)); // a small PATCH body, then no answer
            fake.stallUploads = true;

            assertThatThrownBy(() -> pusher(fx, fake, Duration.ofSeconds(1)).push(Reference.parse(name), new Recorder()))
                    .isInstanceOfSatisfying(BerthException.class, e -> assertThat(e.getMessage())
                            .startsWith("Patch \"http://" + fake.domain() + "/v2/stall/patch/blobs/uploads/")
                            .contains("read timeout: the registry " + fake.domain()));
            assertThat(fake.pushedManifests).isEmpty();
        }
    }

    @Test
    void pushesThroughTheFakeWhenItDoesNotStall() throws Exception {
        try (FakeRegistry fake = new FakeRegistry()) {
            PushFixture fx = new PushFixture(root);
            String name = fake.domain() + "/fine/push:1";
            fx.image(List.of(name), fx.textLayer("fine", Kept.PLAIN_BLOB), fx.randomLayer("fine-random", 1 << 20, 8, Kept.GZIP_BLOB));
            pusher(fx, fake, Duration.ofSeconds(5)).push(Reference.parse(name), new Recorder());
            assertThat(fake.pushedManifests).containsKey("1");
        }
    }
}
