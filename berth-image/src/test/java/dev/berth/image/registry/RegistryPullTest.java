package dev.berth.image.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.berth.image.archive.testing.MemorySnapshotter;
import dev.berth.image.content.FileContentStore;
import dev.berth.image.registry.ProgressSink.Progress;
import dev.berth.image.registry.client.RegistryClient;
import dev.berth.image.store.Image;
import dev.berth.image.store.ImageService;
import dev.berth.image.store.ImageStore;
import dev.berth.oci.BerthException;
import dev.berth.oci.image.ChainId;
import dev.berth.oci.image.Digest;
import dev.berth.oci.image.ImageIndex;
import dev.berth.oci.image.ImageJson;
import dev.berth.oci.image.MediaTypes;
import dev.berth.oci.image.Platform;
import dev.berth.oci.image.Reference;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pulls from Debian's docker-registry on 127.0.0.1 into an image service over a memory snapshotter. */
class RegistryPullTest {
    private static DockerRegistryProcess registry;
    private static DockerRegistryProcess authRegistry;
    static final RegistryOptions OPTIONS = new RegistryOptions(List.of(), List.of(), Path.of("/nonexistent-certs.d"));

    @TempDir
    Path dataRoot;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(DockerRegistryProcess.available(), "Debian's docker-registry is not installed (scripts/install-deps.sh)");
        registry = DockerRegistryProcess.start();
        authRegistry = DockerRegistryProcess.start("bob", "pa55word");
    }

    @AfterAll
    static void stop() throws Exception {
        if (registry != null) {
            registry.close();
        }
        if (authRegistry != null) {
            authRegistry.close();
        }
    }

    private ImageService service(Path root) {
        FileContentStore content = FileContentStore.open(root);
        return new ImageService(ImageStore.open(root, content), content, new MemorySnapshotter());
    }

    private static List<Progress> recorder() {
        return Collections.synchronizedList(new ArrayList<>());
    }

    private static List<String> statuses(List<Progress> progress, String id) {
        return progress.stream().filter(p -> p.id().equals(id)).map(Progress::status).distinct().toList();
    }

    @Test
    void pullsATaggedImageWithItsRepoDigestAndDockerdsMessages() {
        TestImage image = TestImage.create(1, 3, 200_000, Platform.host(), false);
        Reference ref = Reference.parse(registry.domain() + "/pull/simple:v1");
        Digest manifestDigest = new RegistrySeeder(new RegistryClient(OPTIONS), ref, RegistryCredentials.anonymous()).image(image, "v1");
        ImageService images = service(dataRoot);
        Distribution distribution = Distributions.create(images, OPTIONS);

        List<Progress> progress = recorder();
        PullResult result = distribution.pull(ref, Platform.host(), RegistryCredentials.anonymous(), progress::add);

        assertThat(result.imageId()).isEqualTo(image.id());
        assertThat(result.manifestDigest()).isEqualTo(manifestDigest);
        assertThat(result.upToDate()).isFalse();
        Image pulled = images.inspect(ref.toString());
        assertThat(pulled.id()).isEqualTo(image.id());
        assertThat(pulled.familiarRepoTags()).containsExactly(registry.domain() + "/pull/simple:v1");
        assertThat(pulled.familiarRepoDigests()).containsExactly(registry.domain() + "/pull/simple@" + manifestDigest);
        assertThat(images.snapshotter().hasLayer(ChainId.all(image.diffIds()).getLast())).isTrue();
        assertThat(pulled.layers()).allSatisfy(l -> assertThat(l.blob()).isPresent());

        assertThat(progress.getFirst()).isEqualTo(Progress.of("v1", "Pulling from pull/simple"));
        String layer0 = Digest.sha256(image.layers().getFirst()).shortHex();
        assertThat(statuses(progress, layer0)).startsWith("Pulling fs layer").contains("Downloading", "Verifying Checksum",
                "Download complete", "Extracting").endsWith("Pull complete");
        assertThat(progress.stream().filter(p -> p.id().equals(layer0) && p.status().equals("Downloading")))
                .isNotEmpty()
                .allSatisfy(p -> assertThat(p.total()).isEqualTo(image.layers().getFirst().length))
                .last().satisfies(p -> assertThat(p.current()).isEqualTo(p.total()));
        assertThat(progress.get(progress.size() - 2)).isEqualTo(Progress.line("Digest: " + manifestDigest));
        assertThat(progress.getLast()).isEqualTo(Progress.line("Status: Downloaded newer image for " + ref.familiar()));

        List<Progress> again = recorder();
        PullResult second = distribution.pull(ref, Platform.host(), RegistryCredentials.anonymous(), again::add);
        assertThat(second.upToDate()).isTrue();
        assertThat(again.getLast()).isEqualTo(Progress.line("Status: Image is up to date for " + ref.familiar()));
        assertThat(again).noneMatch(p -> p.status().equals("Downloading"));
    }

    @Test
    void layersTheSnapshotterHasAlreadyExistAndAreNotFetched() {
        TestImage base = TestImage.create(2, 1, 50_000, Platform.host(), true);
        TestImage both = TestImage.create(2, 2, 50_000, Platform.host(), true); // same seed: same first layer
        assertThat(both.diffIds().getFirst()).isEqualTo(base.diffIds().getFirst());
        Reference a = Reference.parse(registry.domain() + "/pull/base:1");
        Reference b = Reference.parse(registry.domain() + "/pull/derived:1");
        RegistryClient client = new RegistryClient(OPTIONS);
        new RegistrySeeder(client, a, RegistryCredentials.anonymous()).image(base, "1");
        new RegistrySeeder(client, b, RegistryCredentials.anonymous()).image(both, "1");
        ImageService images = service(dataRoot);
        Distribution distribution = Distributions.create(images, OPTIONS);
        distribution.pull(a, Platform.host(), RegistryCredentials.anonymous(), ProgressSink.NONE);

        List<Progress> progress = recorder();
        distribution.pull(b, Platform.host(), RegistryCredentials.anonymous(), progress::add);
        String shared = Digest.sha256(both.layers().getFirst()).shortHex();
        String fresh = Digest.sha256(both.layers().get(1)).shortHex();
        assertThat(statuses(progress, shared)).containsExactly("Already exists");
        assertThat(statuses(progress, fresh)).contains("Pull complete");
        assertThat(images.inspect(b.toString()).id()).isEqualTo(both.id());
    }

    @Test
    void pullByDigestRecordsTheDigestAndNoTag() {
        TestImage image = TestImage.create(3, 1, 10_000, Platform.host(), false);
        Reference ref = Reference.parse(registry.domain() + "/pull/bydigest:x");
        Digest digest = new RegistrySeeder(new RegistryClient(OPTIONS), ref, RegistryCredentials.anonymous()).image(image, "x");
        ImageService images = service(dataRoot);
        Reference byDigest = ref.repository().withDigest(digest);
        List<Progress> progress = recorder();
        PullResult r = Distributions.create(images, OPTIONS).pull(byDigest, Platform.host(), RegistryCredentials.anonymous(), progress::add);
        assertThat(r.reference()).isEqualTo(byDigest);
        assertThat(progress.getFirst()).isEqualTo(Progress.of(digest.toString(), "Pulling from pull/bydigest"));
        Image pulled = images.inspect(byDigest.toString());
        assertThat(pulled.repoTags()).isEmpty();
        assertThat(pulled.familiarRepoDigests()).containsExactly(byDigest.familiar());
    }

    @Test
    void anIndexGivesTheHostsManifestOrDockerdsNoMatchingManifest() {
        Platform other = Platform.of("linux", Platform.host().architecture().equals("arm64") ? "amd64" : "arm64");
        TestImage mine = TestImage.create(4, 1, 10_000, Platform.host(), true);
        TestImage theirs = TestImage.create(5, 1, 10_000, other, true);
        Reference ref = Reference.parse(registry.domain() + "/pull/multi:1");
        RegistrySeeder seeder = new RegistrySeeder(new RegistryClient(OPTIONS), ref, RegistryCredentials.anonymous());
        seeder.image(theirs, theirs.manifestDigest().toString());
        seeder.image(mine, mine.manifestDigest().toString());
        byte[] index = ImageJson.write(ImageIndex.oci(List.of(theirs.manifestDescriptor(other), mine.manifestDescriptor(Platform.host()))));
        Digest indexDigest = seeder.manifest("1", MediaTypes.OCI_INDEX, index);

        ImageService images = service(dataRoot);
        Distribution distribution = Distributions.create(images, OPTIONS);
        PullResult r = distribution.pull(ref, Platform.host(), RegistryCredentials.anonymous(), ProgressSink.NONE);
        assertThat(r.imageId()).isEqualTo(mine.id());
        assertThat(r.manifestDigest()).isEqualTo(indexDigest);
        assertThat(images.inspect(ref.toString()).familiarRepoDigests()).containsExactly(ref.repository().withDigest(indexDigest).familiar());

        assertThat(distribution.pull(ref, other, RegistryCredentials.anonymous(), ProgressSink.NONE).imageId()).isEqualTo(theirs.id());
        assertThatThrownBy(() -> distribution.pull(ref, Platform.of("linux", "s390x"), RegistryCredentials.anonymous(), ProgressSink.NONE))
                .isInstanceOfSatisfying(BerthException.class, e -> {
                    assertThat(e.kind()).isEqualTo(BerthException.Kind.NOT_FOUND);
                    assertThat(e.getMessage()).isEqualTo("no matching manifest for linux/s390x in the manifest list entries");
                });
    }

    @Test
    void aMissingTagIsDockerdsManifestNotFound() {
        Reference ref = Reference.parse(registry.domain() + "/pull/simple:nope");
        Distribution distribution = Distributions.create(service(dataRoot), OPTIONS);
        List<Progress> progress = recorder();
        assertThatThrownBy(() -> distribution.pull(ref, Platform.host(), RegistryCredentials.anonymous(), progress::add))
                .isInstanceOfSatisfying(BerthException.class, e -> {
                    assertThat(e.kind()).isEqualTo(BerthException.Kind.NOT_FOUND);
                    assertThat(e.getMessage()).isEqualTo("manifest for " + registry.domain()
                            + "/pull/simple:nope not found: manifest unknown: manifest unknown");
                });
        assertThat(progress).isEmpty(); // dockerd answers a plain 404 then, before any stream

    }

    @Test
    void basicAuthPullsWithCredentialsAndIsRefusedWithout() {
        TestImage image = TestImage.create(6, 1, 10_000, Platform.host(), false);
        Reference ref = Reference.parse(authRegistry.domain() + "/private/app:1");
        RegistryCredentials bob = new RegistryCredentials("bob", "pa55word", authRegistry.domain(), "", "");
        new RegistrySeeder(new RegistryClient(OPTIONS), ref, bob).image(image, "1");
        ImageService images = service(dataRoot);
        Distribution distribution = Distributions.create(images, OPTIONS);
        assertThatThrownBy(() -> distribution.pull(ref, Platform.host(), RegistryCredentials.anonymous(), ProgressSink.NONE))
                .isInstanceOfSatisfying(BerthException.class, e -> {
                    assertThat(e.kind()).isEqualTo(BerthException.Kind.UNAUTHORIZED);
                    assertThat(e.getMessage()).isEqualTo("Get \"http://" + authRegistry.domain()
                            + "/v2/private/app/manifests/1\": no basic auth credentials");
                });
        RegistryCredentials wrong = new RegistryCredentials("bob", "nope", authRegistry.domain(), "", "");
        assertThatThrownBy(() -> distribution.pull(ref, Platform.host(), wrong, ProgressSink.NONE))
                .isInstanceOfSatisfying(BerthException.class, e -> {
                    assertThat(e.kind()).isEqualTo(BerthException.Kind.UNAUTHORIZED);
                    assertThat(e.getMessage()).isEqualTo("unauthorized: authentication required");
                });
        assertThat(distribution.pull(ref, Platform.host(), bob, ProgressSink.NONE).imageId()).isEqualTo(image.id());
        assertThat(distribution.login(authRegistry.domain(), bob).status()).isEqualTo("Login Succeeded");
    }
}
