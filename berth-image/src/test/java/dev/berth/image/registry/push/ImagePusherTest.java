package dev.berth.image.registry.push;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.berth.image.layer.Compression;
import dev.berth.image.registry.PushResult;
import dev.berth.image.registry.push.PushFixture.Kept;
import dev.berth.image.registry.push.PushFixture.Layer;
import dev.berth.image.registry.push.PushFixture.Recorder;
import dev.berth.image.registry.DockerRegistryProcess;
import dev.berth.image.store.Image;
import dev.berth.image.registry.BlobOrigins;
import dev.berth.oci.BerthException;
import dev.berth.oci.image.Descriptor;
import dev.berth.oci.image.Digest;
import dev.berth.oci.image.ImageJson;
import dev.berth.oci.image.ImageManifest;
import dev.berth.oci.image.MediaTypes;
import dev.berth.oci.image.Reference;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pushes to Debian's docker-registry (distribution 2.8) on 127.0.0.1, started by the test, and
 * reads back what it stored: the manifest, and every layer blob decompressing to its diff id.
 */
class ImagePusherTest {
    static DockerRegistryProcess registry;
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @TempDir
    Path root;
    PushFixture fx;

    @BeforeAll
    static void startRegistry() throws Exception {
        assumeTrue(DockerRegistryProcess.available(), "needs Debian's docker-registry");
        registry = DockerRegistryProcess.start();
    }

    @AfterAll
    static void stopRegistry() throws Exception {
        if (registry != null) {
            registry.close();
        }
    }

    @BeforeEach
    void fixture() throws Exception {
        fx = new PushFixture(root);
    }

    private String ref(String repoAndTag) {
        return registry.domain() + "/" + repoAndTag;
    }

    @Test
    void pushesEachKindOfLayerAndTheRegistryServesThemBack() throws Exception {
        Layer gz = fx.textLayer("gz", Kept.GZIP_BLOB);
        Layer text = fx.textLayer("text", Kept.PLAIN_BLOB);
        Layer random = fx.randomLayer("random", 3 << 20, 1, Kept.PLAIN_BLOB);
        Image image = fx.image(List.of(ref("kinds:1")), gz, text, random);
        Recorder rec = new Recorder();

        PushResult result = fx.pusher().push(Reference.parse(ref("kinds:1")), rec);

        assertThat(rec.lines().getFirst()).isEqualTo("The push refers to repository [" + ref("kinds") + "]");
        assertThat(rec.lines().getLast()).isEqualTo("1: digest: " + result.manifestDigest() + " size: " + result.size());
        for (Layer l : List.of(gz, text, random)) {
            assertThat(rec.statusesOf(l.diffId())).containsExactly("Preparing", "Pushing", "Pushed");
            var pushing = rec.pushing(l.diffId());
            assertThat(pushing.getLast().current()).isEqualTo(pushing.getLast().total());
        }
        // Preparing for every layer, top first, before anything else happens to them
        assertThat(rec.lines().subList(1, 4)).containsExactly(random.diffId().shortHex() + ": Preparing",
                text.diffId().shortHex() + ": Preparing", gz.diffId().shortHex() + ": Preparing");

        ImageManifest m = manifest("kinds", "1");
        assertThat(m.mediaType()).isEqualTo(MediaTypes.DOCKER_MANIFEST);
        assertThat(m.config().digest()).isEqualTo(image.id());
        assertThat(m.config().mediaType()).isEqualTo(MediaTypes.DOCKER_CONFIG);
        assertThat(m.layers()).extracting(Descriptor::mediaType)
                .containsExactly(MediaTypes.DOCKER_LAYER, MediaTypes.DOCKER_LAYER, MediaTypes.DOCKER_LAYER_TAR);
        assertThat(m.layers().getFirst().digest()).isEqualTo(image.layers().getFirst().blob().orElseThrow().digest());
        assertLayersAre(m, "kinds", gz, text, random);
        assertThat(digestOfManifest("kinds", "1")).isEqualTo(result.manifestDigest());
    }

    @Test
    void secondPushFindsEveryLayerThere() throws Exception {
        Layer a = fx.textLayer("a", Kept.PLAIN_BLOB);
        Layer b = fx.textLayer("b", Kept.GZIP_BLOB);
        fx.image(List.of(ref("again:1")), a, b);
        ImagePusher pusher = fx.pusher();
        PushResult first = pusher.push(Reference.parse(ref("again:1")), new Recorder());

        Recorder rec = new Recorder();
        PushResult second = pusher.push(Reference.parse(ref("again:1")), rec);

        assertThat(second.manifestDigest()).isEqualTo(first.manifestDigest());
        assertThat(rec.statusesOf(a.diffId())).containsExactly("Preparing", "Layer already exists");
        assertThat(rec.statusesOf(b.diffId())).containsExactly("Preparing", "Layer already exists");
    }

    @Test
    void gzipOnTheWayIsDeterministicSoAFreshDaemonFindsTheLayerToo() throws Exception {
        Layer a = fx.textLayer("fresh", Kept.PLAIN_BLOB);
        fx.image(List.of(ref("fresh:1")), a);
        PushResult first = fx.pusher().push(Reference.parse(ref("fresh:1")), new Recorder());

        PushFixture other = new PushFixture(root.resolve("other"));
        other.image(List.of(ref("fresh:1")), a);
        Recorder rec = new Recorder();
        PushResult second = other.pusher().push(Reference.parse(ref("fresh:1")), rec);

        // no record of the first push here: the blob is gzipped again, to the same bytes
        assertThat(rec.statusesOf(a.diffId())).containsExactly("Preparing", "Pushing", "Pushed");
        assertThat(second.manifestDigest()).isEqualTo(first.manifestDigest());
    }

    @Test
    void mountsFromAnotherRepositoryOfTheSameRegistry() throws Exception {
        Layer a = fx.textLayer("shared", Kept.PLAIN_BLOB);
        Layer b = fx.randomLayer("sharedrnd", 1 << 20, 2, Kept.GZIP_BLOB);
        fx.image(List.of(ref("source:1"), ref("target:1")), a, b);
        ImagePusher pusher = fx.pusher();
        pusher.push(Reference.parse(ref("source:1")), new Recorder());

        Recorder rec = new Recorder();
        pusher.push(Reference.parse(ref("target:1")), rec);

        assertThat(rec.statusesOf(a.diffId())).containsExactly("Preparing", "Mounted from source");
        assertThat(rec.statusesOf(b.diffId())).containsExactly("Preparing", "Mounted from source");
        assertLayersAre(manifest("target", "1"), "target", a, b);
    }

    @Test
    void aLayerWithoutBlobIsPackedAgainFromItsSnapshot() throws Exception {
        Layer a = fx.textLayer("noblob", Kept.NO_BLOB);
        Image image = fx.image(List.of(ref("repacked:1")), a);
        assertThat(image.layers().getFirst().blob()).isEmpty();
        Recorder rec = new Recorder();

        fx.pusher().push(Reference.parse(ref("repacked:1")), rec);

        assertThat(rec.statusesOf(a.diffId())).containsExactly("Preparing", "Pushing", "Pushed");
        ImageManifest m = manifest("repacked", "1");
        assertThat(m.layers().getFirst().mediaType()).isEqualTo(MediaTypes.DOCKER_LAYER);
        assertLayersAre(m, "repacked", a);
    }

    @Test
    void everyTagOfTheRepositoryWhenNoneIsGiven() throws Exception {
        Layer a = fx.textLayer("tags-a", Kept.PLAIN_BLOB);
        Layer b = fx.textLayer("tags-b", Kept.PLAIN_BLOB);
        fx.image(List.of(ref("tags:1"), ref("tags:latest")), a);
        fx.image(List.of(ref("tags:2")), a, b);
        Recorder rec = new Recorder();

        PushResult last = fx.pusher().push(Reference.parse(ref("tags")), rec);

        assertThat(rec.lines()).filteredOn(l -> l.contains(": digest: ")).hasSize(3)
                .allMatch(l -> l.matches("(1|2|latest): digest: sha256:[0-9a-f]{64} size: \\d+"));
        assertThat(last.reference().tag()).contains("latest");
        assertThat(manifest("tags", "2").layers()).hasSize(2);
        assertThat(manifest("tags", "latest").layers()).hasSize(1);
        // the layer shared by the tags went once
        assertThat(rec.statusesOf(a.diffId())).containsExactly("Preparing", "Pushing", "Pushed", "Layer already exists");
    }

    @Test
    void aRepositoryWithoutAnyLocalTagIsRefusedInDockerdsWords() throws Exception {
        Recorder rec = new Recorder();
        assertThatThrownBy(() -> fx.pusher().push(Reference.parse(ref("nothing")), rec))
                .isInstanceOf(BerthException.class)
                .hasMessage("An image does not exist locally with the tag: " + ref("nothing"))
                .satisfies(e -> assertThat(((BerthException) e).kind()).isEqualTo(BerthException.Kind.NOT_FOUND));
        assertThat(rec.lines()).containsExactly("The push refers to repository [" + ref("nothing") + "]");
    }

    @Test
    void aMissingTagOfAKnownRepositoryIsRefused() throws Exception {
        fx.image(List.of(ref("known:1")), fx.textLayer("known", Kept.PLAIN_BLOB));
        assertThatThrownBy(() -> fx.pusher().push(Reference.parse(ref("known:2")), new Recorder()))
                .isInstanceOf(BerthException.class)
                .hasMessage("tag does not exist: " + ref("known:2"));
    }

    @Test
    void aDigestReferenceIsRefused() {
        assertThatThrownBy(() -> fx.pusher().push(
                Reference.parse(ref("x@sha256:" + "a".repeat(64))), new Recorder()))
                .isInstanceOf(BerthException.class)
                .hasMessage("cannot push a digest reference");
    }

    @Test
    void anUnreachableRegistryFailsWithTheAddress() throws Exception {
        fx.image(List.of("127.0.0.1:9/down:1"), fx.textLayer("down", Kept.PLAIN_BLOB));
        assertThatThrownBy(() -> fx.pusher().push(Reference.parse("127.0.0.1:9/down:1"), new Recorder()))
                .isInstanceOf(BerthException.class)
                .hasMessageContaining("127.0.0.1:9")
                .hasMessageContaining("connection refused");
    }

    @Test
    void aTamperedLocalBlobIsRefusedByTheRegistryAndNothingIsTagged() throws Exception {
        Layer a = fx.textLayer("tampered", Kept.GZIP_BLOB);
        Image image = fx.image(List.of(ref("tampered:1")), a);
        Path blob = fx.content.path(image.layers().getFirst().blob().orElseThrow().digest());
        byte[] bytes = java.nio.file.Files.readAllBytes(blob);
        bytes[bytes.length / 2] ^= 0x55;
        java.nio.file.Files.write(blob, bytes);

        assertThatThrownBy(() -> fx.pusher().push(Reference.parse(ref("tampered:1")), new Recorder()))
                .isInstanceOf(BerthException.class)
                .hasMessageContaining("digest");
        assertThat(get("/v2/tampered/manifests/1", MediaTypes.DOCKER_MANIFEST).statusCode()).isEqualTo(404);
        assertThat(get("/v2/tampered/blobs/" + image.layers().getFirst().blob().orElseThrow().digest(), "*/*").statusCode())
                .isEqualTo(404);
    }

    @Test
    void aLayerAddedWithoutBlobIsSentFromThePlainTarAnotherImageKeeps() throws Exception {
        // a pull that found the layer's snapshot downloaded nothing: its image keeps no blob of it,
        // and a snapshot of a tar berth did not write does not pack back to the same diff id
        Layer a = fx.textLayer("kept-elsewhere", Kept.PLAIN_BLOB);
        Image keeper = fx.image(List.of(ref("keeper:1")), a);
        Layer top = fx.textLayer("kept-elsewhere-top", Kept.NO_BLOB);
        Image pulled = fx.image(List.of(ref("elsewhere:1")), new Layer(a.tar(), a.diffId(), Kept.NO_BLOB), top);
        assertThat(pulled.layers().getFirst().blob()).as("the store gives it the blob the other image keeps")
                .isEqualTo(keeper.layers().getFirst().blob());
        java.nio.file.Files.writeString(fx.snapshots.layer(keeper.layers().getFirst().chainId()).dir().resolve("extra"), "x");

        fx.pusher().push(Reference.parse(ref("elsewhere:1")), new Recorder());

        assertLayersAre(manifest("elsewhere", "1"), "elsewhere", a, top);
    }

    @Test
    void aLayerWithoutItsOwnBlobIsSentAsTheCompressedBlobItsOriginsName() throws Exception {
        Layer a = fx.textLayer("recorded", Kept.NO_BLOB);
        Image image = fx.image(List.of(ref("recorded:1")), a);
        byte[] gz = PushFixture.gzip(a.tar());
        Digest blob = fx.content.put(gz);
        fx.origins.add(a.diffId(), new BlobOrigins.Origin(blob, MediaTypes.DOCKER_LAYER, gz.length, "127.0.0.1:9/other"));
        java.nio.file.Files.writeString(fx.snapshots.layer(image.layers().getFirst().chainId()).dir().resolve("extra"), "x");

        fx.pusher().push(Reference.parse(ref("recorded:1")), new Recorder());

        ImageManifest m = manifest("recorded", "1");
        assertThat(m.layers().getFirst().digest()).as("the stored blob, byte for byte").isEqualTo(blob);
        assertLayersAre(m, "recorded", a);
    }

    @Test
    void aSnapshotThatNoLongerPacksToItsDiffIdIsNotPushed() throws Exception {
        Layer a = fx.textLayer("changed", Kept.NO_BLOB);
        Image image = fx.image(List.of(ref("changed:1")), a);
        java.nio.file.Files.writeString(fx.snapshots.layer(image.layers().getFirst().chainId()).dir().resolve("extra"), "x");

        assertThatThrownBy(() -> fx.pusher().push(Reference.parse(ref("changed:1")), new Recorder()))
                .isInstanceOf(BerthException.class)
                .hasMessageContaining("its snapshot packs to")
                .satisfies(e -> assertThat(((BerthException) e).kind()).isEqualTo(BerthException.Kind.FAILED_PRECONDITION));
        assertThat(get("/v2/changed/manifests/1", MediaTypes.DOCKER_MANIFEST).statusCode()).isEqualTo(404);
    }

    @Test
    void layersBeyondTheConcurrentUploadsWait() throws Exception {
        Layer a = fx.textLayer("wait-a", Kept.PLAIN_BLOB);
        Layer b = fx.textLayer("wait-b", Kept.PLAIN_BLOB);
        Layer c = fx.textLayer("wait-c", Kept.PLAIN_BLOB);
        fx.image(List.of(ref("waiting:1")), a, b, c);
        Recorder rec = new Recorder();

        fx.pusher(dev.berth.image.registry.RegistryCredentials.anonymous(), 1).push(Reference.parse(ref("waiting:1")), rec);

        long waited = java.util.stream.Stream.of(a, b, c).filter(l -> rec.statusesOf(l.diffId()).contains("Waiting")).count();
        assertThat(waited).isEqualTo(2);
        for (Layer l : List.of(a, b, c)) {
            assertThat(rec.statusesOf(l.diffId())).endsWith("Pushed");
        }
        assertLayersAre(manifest("waiting", "1"), "waiting", a, b, c);
    }

    @Test
    void aZstdLayerMakesTheManifestOci() throws Exception {
        Layer z = fx.textLayer("zstd", Kept.ZSTD_BLOB);
        Layer p = fx.textLayer("zstd-plain", Kept.PLAIN_BLOB);
        fx.image(List.of(ref("zstd:1")), z, p);

        fx.pusher().push(Reference.parse(ref("zstd:1")), new Recorder());

        ImageManifest m = manifest("zstd", "1");
        assertThat(m.mediaType()).isEqualTo(MediaTypes.OCI_MANIFEST);
        assertThat(m.config().mediaType()).isEqualTo(MediaTypes.OCI_CONFIG);
        assertThat(m.layers()).extracting(Descriptor::mediaType).containsExactly(MediaTypes.OCI_LAYER_ZSTD, MediaTypes.OCI_LAYER_GZIP);
        assertLayersAre(m, "zstd", z, p);
    }

    @Test
    void skopeoCopiesWhatBerthPushedVerifyingEveryDigest() throws Exception {
        assumeTrue(java.nio.file.Files.isExecutable(Path.of("/usr/bin/skopeo")), "needs skopeo (apt-get install skopeo)");
        Layer gz = fx.textLayer("skopeo-gz", Kept.GZIP_BLOB);
        Layer text = fx.textLayer("skopeo-text", Kept.PLAIN_BLOB);
        Layer random = fx.randomLayer("skopeo-random", 1 << 20, 4, Kept.PLAIN_BLOB);
        Image image = fx.image(List.of(ref("skopeo:1")), gz, text, random);
        PushResult pushed = fx.pusher().push(Reference.parse(ref("skopeo:1")), new Recorder());

        Path out = root.resolve("skopeo-out");
        Process p = new ProcessBuilder("/usr/bin/skopeo", "copy", "--src-tls-verify=false", "docker://" + ref("skopeo:1"),
                "dir:" + out).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(log).isZero();
        byte[] manifest = java.nio.file.Files.readAllBytes(out.resolve("manifest.json"));
        assertThat(Digest.sha256(manifest)).isEqualTo(pushed.manifestDigest());
        assertThat(java.nio.file.Files.exists(out.resolve(image.id().hex()))).isTrue();
    }

    // ---- reading back ----

    private static HttpResponse<byte[]> get(String path, String accept) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(registry.uri(path)).header("Accept", accept).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    static ImageManifest manifest(String repo, String tag) throws Exception {
        HttpResponse<byte[]> r = get("/v2/" + repo + "/manifests/" + tag, MediaTypes.DOCKER_MANIFEST + ", " + MediaTypes.OCI_MANIFEST);
        assertThat(r.statusCode()).isEqualTo(200);
        return ImageJson.parseManifest(r.body());
    }

    static Digest digestOfManifest(String repo, String tag) throws Exception {
        HttpResponse<byte[]> r = get("/v2/" + repo + "/manifests/" + tag, MediaTypes.DOCKER_MANIFEST + ", " + MediaTypes.OCI_MANIFEST);
        return Digest.sha256(r.body());
    }

    /** Each manifest layer is a blob the repository serves, of the size said, decompressing to the layer's diff id. */
    static void assertLayersAre(ImageManifest m, String repo, Layer... layers) throws Exception {
        List<Digest> diffIds = new ArrayList<>();
        for (Descriptor d : m.layers()) {
            HttpResponse<byte[]> r = get("/v2/" + repo + "/blobs/" + d.digest(), "*/*");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body().length).isEqualTo(d.size());
            assertThat(Digest.sha256(r.body())).isEqualTo(d.digest());
            assertThat(Compression.detect(new java.io.BufferedInputStream(new ByteArrayInputStream(r.body()))))
                    .isEqualTo(ManifestFormat.compressionOf(d.mediaType()));
            MessageDigest sha = Digest.newHasher("sha256");
            try (InputStream in = Compression.open(new ByteArrayInputStream(r.body()))) {
                sha.update(in.readAllBytes());
            }
            diffIds.add(Digest.from("sha256", sha));
        }
        assertThat(diffIds).containsExactlyElementsOf(java.util.Arrays.stream(layers).map(Layer::diffId).toList());
    }
}
