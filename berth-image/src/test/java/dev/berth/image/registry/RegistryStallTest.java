package dev.berth.image.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.image.archive.testing.MemorySnapshotter;
import dev.berth.image.content.FileContentStore;
import dev.berth.image.registry.client.RegistryClient;
import dev.berth.image.store.ImageService;
import dev.berth.image.store.ImageStore;
import dev.berth.oci.BerthException;
import dev.berth.oci.image.Digest;
import dev.berth.oci.image.Platform;
import dev.berth.oci.image.Reference;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A registry that stops sending without closing the connection: the read timeout (1 s here)
 * ends that download, the Range resume tries again a bounded number of times, and the pull then
 * fails naming the blob and the registry. Nothing is registered or stored from a stalled blob.
 */
class RegistryStallTest {
    /** Long enough that a loaded test machine's pauses do not pass for a stall. */
    private static final Duration TIMEOUT = Duration.ofSeconds(1);

    @TempDir
    Path dataRoot;
    private FakeRegistry fake;
    private ImageService images;
    private Distribution distribution;

    @BeforeEach
    void start() throws Exception {
        fake = new FakeRegistry();
        FileContentStore content = FileContentStore.open(dataRoot);
        images = new ImageService(ImageStore.open(dataRoot, content), content, new MemorySnapshotter());
        distribution = new RegistryDistribution(images, new RegistryClient(RegistryPullTest.OPTIONS.withReadTimeout(TIMEOUT),
                Clock.systemUTC(), Duration.ofMillis(300)), RegistryDistribution.DEFAULT_CONCURRENT_DOWNLOADS);
    }

    @AfterEach
    void stop() {
        fake.close();
    }

    private PullResult pull(String rest) {
        return distribution.pull(Reference.parse(fake.domain() + "/" + rest), Platform.host(), RegistryCredentials.anonymous(),
                ProgressSink.NONE);
    }

    @Test
    void aBlobThatStallsOnceIsResumedWithRange() {
        TestImage image = TestImage.create(60, 2, 200_000, Platform.host(), false);
        fake.put(image, "1");
        Digest layer = Digest.sha256(image.layers().get(1));
        fake.stallOnceAfter.put(layer, 70_000);

        assertThat(pull("stall/once:1").imageId()).isEqualTo(image.id());
        assertThat(fake.requests).contains("GET /v2/stall/once/blobs/" + layer + " bytes=70000-");
        assertThat(images.content().read(layer)).isEqualTo(image.layers().get(1));
    }

    @Test
    void aBlobThatStallsForGoodFailsThePullNamingBlobAndRegistry() {
        TestImage image = TestImage.create(61, 2, 200_000, Platform.host(), false);
        fake.put(image, "1");
        Digest layer = Digest.sha256(image.layers().get(0));
        fake.stallAfter.put(layer, 70_000);

        assertThatThrownBy(() -> pull("stall/always:1")).isInstanceOfSatisfying(BerthException.class, e -> {
            assertThat(e.kind()).isEqualTo(BerthException.Kind.INTERNAL);
            assertThat(e.getMessage()).isEqualTo("GET " + layer + " from " + fake.domain() + "/stall/always: read timeout: no data"
                    + " from " + fake.domain() + " for 1 s (gave up after " + RegistryPull.RESUME_RETRIES + " resumes)");
        });
        // the first GET and one per resume, each from where the bytes stopped
        assertThat(fake.requests).filteredOn(r -> r.startsWith("GET /v2/stall/always/blobs/" + layer))
                .containsExactly("GET /v2/stall/always/blobs/" + layer, "GET /v2/stall/always/blobs/" + layer + " bytes=70000-",
                        "GET /v2/stall/always/blobs/" + layer + " bytes=70000-", "GET /v2/stall/always/blobs/" + layer + " bytes=70000-",
                        "GET /v2/stall/always/blobs/" + layer + " bytes=70000-", "GET /v2/stall/always/blobs/" + layer + " bytes=70000-");
        assertThat(images.find(image.id().toString())).isEmpty();
        assertThat(images.content().contains(layer)).isFalse();
    }

    @Test
    void aRegistryThatNeverAnswersFailsThePullToo() throws Exception {
        TestImage image = TestImage.create(62, 1, 10_000, Platform.host(), false);
        fake.put(image, "1");
        fake.gate(image.id()); // the config's GET gets no headers at all (released when the fake closes)

        assertThatThrownBy(() -> pull("stall/silent:1")).isInstanceOfSatisfying(BerthException.class, e -> {
            assertThat(e.kind()).isEqualTo(BerthException.Kind.INTERNAL);
            assertThat(e.getMessage()).startsWith("fetching the image config " + image.id() + ": GET " + image.id() + " from "
                    + fake.domain() + "/stall/silent: Get \"http://" + fake.domain() + "/v2/stall/silent/blobs/" + image.id()
                    + "\": read timeout: the registry " + fake.domain() + " took no data and sent no answer for 1 s");
        });
        assertThat(images.find(image.id().toString())).isEmpty();
    }

    @Test
    void theReadTimeoutIsPositiveAndSixtySecondsUnlessGiven() {
        assertThat(RegistryOptions.defaults().readTimeout()).isEqualTo(Duration.ofSeconds(60));
        for (Duration bad : new Duration[] {Duration.ZERO, Duration.ofSeconds(-1), null}) {
            assertThatThrownBy(() -> RegistryOptions.defaults().withReadTimeout(bad)).isInstanceOfSatisfying(BerthException.class,
                    e -> assertThat(e.kind()).isEqualTo(BerthException.Kind.INVALID_ARGUMENT));
        }
    }
}
