package dev.berth.image.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.image.archive.testing.MemorySnapshotter;
import dev.berth.image.content.FileContentStore;
import dev.berth.image.registry.client.RegistryClient;
import dev.berth.image.store.ImageService;
import dev.berth.image.store.ImageStore;
import dev.berth.oci.BerthException;
import dev.berth.oci.image.Descriptor;
import dev.berth.oci.image.Digest;
import dev.berth.oci.image.ImageConfig;
import dev.berth.oci.image.ImageJson;
import dev.berth.oci.image.ImageManifest;
import dev.berth.oci.image.MediaTypes;
import dev.berth.oci.image.Platform;
import dev.berth.oci.image.Reference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pull against a registry that misbehaves on purpose (FakeRegistry). */
class RegistryPullFaultTest {
    private static final RegistryOptions OPTIONS = RegistryPullTest.OPTIONS;

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
        // the JDK's HttpServer never answers a TLS hello: the https try of each domain ends on this timeout
        distribution = new RegistryDistribution(images, new RegistryClient(OPTIONS, java.time.Clock.systemUTC(),
                java.time.Duration.ofMillis(300)), RegistryDistribution.DEFAULT_CONCURRENT_DOWNLOADS);
    }

    @AfterEach
    void stop() {
        fake.close();
    }

    private Reference ref(String rest) {
        return Reference.parse(fake.domain() + "/" + rest);
    }

    @Test
    void aConnectionDroppedMidBlobIsResumedWithRange() {
        TestImage image = TestImage.create(10, 2, 400_000, Platform.host(), false);
        fake.put(image, "1");
        Digest layer = Digest.sha256(image.layers().get(1));
        fake.dropOnceAfter.put(layer, 100_000);
        PullResult r = distribution.pull(ref("fault/drop:1"), Platform.host(), RegistryCredentials.anonymous(), ProgressSink.NONE);
        assertThat(r.imageId()).isEqualTo(image.id());
        assertThat(fake.requests).contains("GET /v2/fault/drop/blobs/" + layer + " bytes=100000-");
        assertThat(images.content().read(layer)).isEqualTo(image.layers().get(1));
    }

    @Test
    void wrongBytesAreADigestMismatchAndNothingIsStored() {
        TestImage image = TestImage.create(11, 2, 100_000, Platform.host(), false);
        fake.put(image, "1");
        Digest layer = Digest.sha256(image.layers().get(0));
        fake.corrupt.add(layer);
        assertThatThrownBy(() -> distribution.pull(ref("fault/corrupt:1"), Platform.host(), RegistryCredentials.anonymous(),
                ProgressSink.NONE)).isInstanceOfSatisfying(BerthException.class, e -> {
                    assertThat(e.kind()).isEqualTo(BerthException.Kind.INVALID_ARGUMENT);
                    assertThat(e.getMessage()).isEqualTo("filesystem layer verification failed for digest " + layer);
                });
        assertThat(images.content().contains(layer)).isFalse();
        assertThat(images.find(image.id().toString())).isEmpty();
        assertThat(images.find(ref("fault/corrupt:1").toString())).isEmpty();
    }

    @Test
    void aLayerThatIsNotTheConfigsDiffIdIsRefused() {
        TestImage image = TestImage.create(12, 1, 10_000, Platform.host(), false);
        TestImage other = TestImage.create(13, 1, 10_000, Platform.host(), false);
        // the manifest names other's layer (digest right), the config image's diff id: a lie the digest cannot catch
        byte[] manifest = ImageJson.write(ImageManifest.docker(Descriptor.of(MediaTypes.DOCKER_CONFIG, image.config()),
                List.of(Descriptor.of(MediaTypes.DOCKER_LAYER, other.layers().getFirst()))));
        fake.blobs.put(Digest.sha256(image.config()), image.config());
        fake.blobs.put(Digest.sha256(other.layers().getFirst()), other.layers().getFirst());
        fake.manifest("1", MediaTypes.DOCKER_MANIFEST, manifest);
        assertThatThrownBy(() -> distribution.pull(ref("fault/diffid:1"), Platform.host(), RegistryCredentials.anonymous(),
                ProgressSink.NONE)).isInstanceOfSatisfying(BerthException.class, e -> {
                    assertThat(e.kind()).isEqualTo(BerthException.Kind.INVALID_ARGUMENT);
                    assertThat(e.getMessage()).contains("diff id mismatch");
                });
        assertThat(images.find(image.id().toString())).isEmpty();
    }

    @Test
    void aLayerThatIsNotATarIsRefused() {
        byte[] notATar = TestImage.gzip("just some text, no tar header".getBytes(StandardCharsets.UTF_8));
        Digest bogusDiffId = Digest.sha256("just some text, no tar header".getBytes(StandardCharsets.UTF_8));
        byte[] config = ImageJson.write(ImageConfig.of(Platform.host(), Instant.EPOCH, ImageConfig.Config.EMPTY,
                List.of(bogusDiffId), List.of()));
        fake.blobs.put(Digest.sha256(config), config);
        fake.blobs.put(Digest.sha256(notATar), notATar);
        fake.manifest("1", MediaTypes.OCI_MANIFEST, ImageJson.write(ImageManifest.oci(Descriptor.of(MediaTypes.OCI_CONFIG, config),
                List.of(Descriptor.of(MediaTypes.OCI_LAYER_GZIP, notATar)))));
        assertThatThrownBy(() -> distribution.pull(ref("fault/nottar:1"), Platform.host(), RegistryCredentials.anonymous(),
                ProgressSink.NONE)).isInstanceOfSatisfying(BerthException.class,
                        e -> assertThat(e.kind()).isEqualTo(BerthException.Kind.INVALID_ARGUMENT));
        assertThat(images.find(Digest.sha256(config).toString())).isEmpty();
    }

    @Test
    void bearerTokensAreFetchedWithTheScopeAndCachedUntilTheyExpire() {
        fake.bearerUser = "carol";
        fake.bearerPassword = "pw";
        TestImage image = TestImage.create(14, 2, 10_000, Platform.host(), true);
        fake.put(image, "1");
        RegistryCredentials carol = new RegistryCredentials("carol", "pw", fake.domain(), "", "");
        distribution.pull(ref("tok/app:1"), Platform.host(), carol, ProgressSink.NONE);
        assertThat(fake.tokenRequests).hasSize(1);
        assertThat(fake.tokenRequests.getFirst()).contains("service=fake").contains("scope=repository:tok/app:pull")
                .contains("account=carol");
        assertThat(fake.authorizations).filteredOn(a -> a.contains("/blobs/")).allSatisfy(a -> assertThat(a).endsWith("Bearer"));

        distribution.pull(ref("tok/app:1"), Platform.host(), carol, ProgressSink.NONE);
        assertThat(fake.tokenRequests).hasSize(1); // the cached token serves the second pull

        RegistryCredentials wrong = new RegistryCredentials("carol", "nope", fake.domain(), "", "");
        assertThatThrownBy(() -> distribution.pull(ref("tok/app:1"), Platform.host(), wrong, ProgressSink.NONE))
                .isInstanceOfSatisfying(BerthException.class, e -> {
                    assertThat(e.kind()).isEqualTo(BerthException.Kind.UNAUTHORIZED);
                    assertThat(e.getMessage()).contains("incorrect username or password");
                });
    }

    @Test
    void loginThroughTheTokenFlowReturnsTheRefreshTokenAsIdentityToken() {
        fake.bearerUser = "dave";
        fake.bearerPassword = "pw";
        LoginResult ok = distribution.login("http://" + fake.domain() + "/", new RegistryCredentials("dave", "pw", "", "", ""));
        assertThat(ok.status()).isEqualTo("Login Succeeded");
        assertThat(ok.identityToken()).startsWith("r-t-");
        assertThat(fake.tokenRequests.getLast()).contains("offline_token=true").contains("client_id=docker");
        assertThatThrownBy(() -> distribution.login(fake.domain(), new RegistryCredentials("dave", "bad", "", "", "")))
                .isInstanceOfSatisfying(BerthException.class, e -> {
                    assertThat(e.kind()).isEqualTo(BerthException.Kind.UNAUTHORIZED);
                    assertThat(e.getMessage()).isEqualTo("Get \"http://" + fake.domain()
                            + "/v2/\": unauthorized: incorrect username or password");
                });
    }

    @Test
    void schema1IsRefusedInDockerdsWords() {
        fake.manifest("old", "application/vnd.docker.distribution.manifest.v1+prettyjws",
                "{\"schemaVersion\":1,\"name\":\"x\",\"tag\":\"old\",\"fsLayers\":[]}".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> distribution.pull(ref("legacy/x:old"), Platform.host(), RegistryCredentials.anonymous(),
                ProgressSink.NONE)).isInstanceOfSatisfying(BerthException.class, e -> assertThat(e.getMessage())
                        .startsWith("Docker Image Format v1 and Docker Image manifest version 2, schema 1 support has been removed."));
    }

    @Test
    void blobRedirectsToAnotherHostCarryNoCredentials() throws Exception {
        try (FakeRegistry cdn = new FakeRegistry()) {
            fake.bearerUser = "erin";
            fake.bearerPassword = "pw";
            TestImage image = TestImage.create(15, 1, 10_000, Platform.host(), false);
            fake.put(image, "1");
            cdn.put(image, "1");
            fake.blobRedirect = "http://localhost:" + cdn.domain().substring(cdn.domain().indexOf(':') + 1);
            distribution.pull(ref("cdn/app:1"), Platform.host(), new RegistryCredentials("erin", "pw", "", "", ""), ProgressSink.NONE);
            assertThat(cdn.authorizations).isNotEmpty().allSatisfy(a -> assertThat(a).endsWith(" -"));
        }
    }

    @Test
    void anIdentityTokenIsUsedAsARefreshToken() {
        fake.bearerUser = "frank";
        fake.bearerPassword = "pw";
        String identity = distribution.login(fake.domain(), new RegistryCredentials("frank", "pw", "", "", "")).identityToken();
        TestImage image = TestImage.create(16, 1, 10_000, Platform.host(), false);
        fake.put(image, "1");
        RegistryCredentials stored = new RegistryCredentials("", "", fake.domain(), identity, "");
        assertThat(distribution.pull(ref("idtok/app:1"), Platform.host(), stored, ProgressSink.NONE).imageId()).isEqualTo(image.id());
        assertThat(fake.tokenRequests.getLast()).startsWith("POST ").contains("grant_type=refresh_token")
                .contains("scope=repository:idtok/app:pull").contains("client_id=docker");
        RegistryCredentials revoked = new RegistryCredentials("", "", fake.domain(), "r-bogus", "");
        assertThatThrownBy(() -> distribution.pull(ref("idtok/app:1"), Platform.host(), revoked, ProgressSink.NONE))
                .isInstanceOfSatisfying(BerthException.class, e -> assertThat(e.kind()).isEqualTo(BerthException.Kind.UNAUTHORIZED));
    }

    @Test
    void dockerHubImagesComeFromTheMirrorFirst() {
        TestImage image = TestImage.create(17, 1, 10_000, Platform.host(), false);
        fake.put(image, "latest");
        RegistryOptions withMirror = new RegistryOptions(List.of(), List.of("http://" + fake.domain()), Path.of("/nonexistent"));
        Distribution viaMirror = new RegistryDistribution(images, new RegistryClient(withMirror), 3);
        List<ProgressSink.Progress> progress = new java.util.ArrayList<>();
        PullResult r = viaMirror.pull(Reference.parse("busybox"), Platform.host(), RegistryCredentials.anonymous(),
                p -> progress.add(p));
        assertThat(r.imageId()).isEqualTo(image.id());
        assertThat(fake.requests).contains("GET /v2/library/busybox/manifests/latest");
        assertThat(images.inspect("busybox:latest").familiarRepoDigests()).containsExactly("busybox@" + r.manifestDigest());
        assertThat(progress.getFirst()).isEqualTo(ProgressSink.Progress.of("latest", "Pulling from library/busybox"));
        assertThat(progress.getLast().status()).isEqualTo("Status: Downloaded newer image for busybox:latest");

        // an image the mirror lacks (the fake serves tags whatever the repository) is asked of Docker Hub itself (unreachable here)
        assertThatThrownBy(() -> viaMirror.pull(Reference.parse("alpine:3"), Platform.host(), RegistryCredentials.anonymous(),
                ProgressSink.NONE)).isInstanceOfSatisfying(BerthException.class,
                        e -> assertThat(e.getMessage()).contains("registry-1.docker.io"));
        assertThat(fake.requests).contains("GET /v2/library/alpine/manifests/3");

        // a push and a login go to Docker Hub itself, never to a mirror (unreachable here: the error names it)
        int before = fake.requests.size();
        RegistryClient client = new RegistryClient(withMirror, java.time.Clock.systemUTC(), java.time.Duration.ofMillis(300));
        assertThatThrownBy(() -> client.repository(Reference.parse("busybox"), RegistryCredentials.anonymous(),
                List.of(RegistryClient.PULL, RegistryClient.PUSH), List.of()))
                .isInstanceOfSatisfying(BerthException.class, e -> assertThat(e.getMessage()).contains("registry-1.docker.io"));
        assertThatThrownBy(() -> client.login("", RegistryCredentials.anonymous()))
                .isInstanceOfSatisfying(BerthException.class, e -> assertThat(e.getMessage()).contains("registry-1.docker.io"));
        assertThat(fake.requests).hasSize(before);
    }
}
